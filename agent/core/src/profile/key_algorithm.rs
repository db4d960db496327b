//! The key pairs an enrollment generates, as a profile names them:
//! `key: (algorithm: Gost2012_512, curve: "tc26-512-a")` on a KAZTOKEN, or
//! `key: (algorithm: EcP256, curve: "prime256v1")` on a PKCS#11 token without GOST (SoftHSM2,
//! a bank outside the GOST world).

use serde::{Deserialize, Deserializer};
use tamga_gost::Curve;
use tamga_token::{GostAlgorithm, KeyPairSpec, KeySpec};

/// The algorithm family of the generated keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum KeyFamily {
    /// GOST R 34.10-2001 (Kazakhstan's GOST 34.310-2004).
    Gost2001,
    /// GOST R 34.10-2012, 256-bit.
    Gost2012_256,
    /// GOST R 34.10-2012, 512-bit (ST RK GOST R 34.10-2015).
    Gost2012_512,
    /// ECDSA on NIST P-256 with SHA-256.
    EcP256,
}

/// A curve: a GOST parameter set by its tamga name, or P-256.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyCurve {
    /// A GOST parameter set (`"tc26-512-a"`, `"cryptopro-a"`, …).
    Gost(Curve),
    /// NIST P-256 (`"prime256v1"`, also `"p-256"`, `"secp256r1"`).
    P256,
}

const P256_NAMES: [&str; 3] = ["prime256v1", "p-256", "secp256r1"];

impl<'de> Deserialize<'de> for KeyCurve {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        if P256_NAMES.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            return Ok(KeyCurve::P256);
        }
        Curve::from_name(&name).map(KeyCurve::Gost).map_err(|_| {
            serde::de::Error::custom(format!(
                "unknown curve `{name}`, expected a name such as `tc26-256-a`, `tc26-512-a`, \
                 `cryptopro-a` or `prime256v1`"
            ))
        })
    }
}

/// The key pair the token generates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyAlgorithm {
    /// The algorithm family.
    pub algorithm: KeyFamily,
    /// The curve.
    pub curve: KeyCurve,
}

impl KeyAlgorithm {
    /// What the token is asked to generate; an algorithm and a curve that do not belong
    /// together are a profile error.
    pub fn spec(&self) -> Result<KeyPairSpec, String> {
        let gost = |a: GostAlgorithm, c: Curve| {
            KeySpec::new(a, c)
                .map(KeyPairSpec::Gost)
                .map_err(|_| format!("the curve `{}` does not belong to {a:?}", c.name()))
        };
        match (self.algorithm, self.curve) {
            (KeyFamily::EcP256, KeyCurve::P256) => Ok(KeyPairSpec::EcP256),
            (KeyFamily::Gost2001, KeyCurve::Gost(c)) => gost(GostAlgorithm::Gost2001, c),
            (KeyFamily::Gost2012_256, KeyCurve::Gost(c)) => gost(GostAlgorithm::Gost2012_256, c),
            (KeyFamily::Gost2012_512, KeyCurve::Gost(c)) => gost(GostAlgorithm::Gost2012_512, c),
            (KeyFamily::EcP256, KeyCurve::Gost(c)) => Err(format!(
                "EcP256 needs the curve `prime256v1`, not `{}`",
                c.name()
            )),
            (a, KeyCurve::P256) => {
                Err(format!("{a:?} is a GOST algorithm: P-256 is not its curve"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<KeyAlgorithm, ron::error::SpannedError> {
        ron::from_str(text)
    }

    #[test]
    fn gost_and_p256_keys() {
        let gost = parse(r#"(algorithm: Gost2012_512, curve: "tc26-512-a")"#).unwrap();
        assert_eq!(gost.curve, KeyCurve::Gost(Curve::Tc26_512A));
        assert!(matches!(gost.spec(), Ok(KeyPairSpec::Gost(_))));
        for name in ["prime256v1", "P-256", "secp256r1"] {
            let ec = parse(&format!(r#"(algorithm: EcP256, curve: "{name}")"#)).unwrap();
            assert_eq!(ec.spec(), Ok(KeyPairSpec::EcP256));
        }
        for bad in [
            r#"(algorithm: EcP256, curve: "tc26-256-a")"#,
            r#"(algorithm: Gost2012_256, curve: "prime256v1")"#,
            r#"(algorithm: Gost2012_256, curve: "tc26-512-a")"#,
        ] {
            assert!(parse(bad).unwrap().spec().is_err(), "{bad}");
        }
        assert!(parse(r#"(algorithm: EcP256, curve: "p-384")"#).is_err());
    }
}
