//! The PKCS#11 fallback as a profile names it: the vendor's module, which token, the mechanism
//! numbers, the PIN policy. Parsed in every build (a profile stays valid whatever the features);
//! only the `pkcs11` feature compiles the driver that uses it.

use serde::Deserialize;

/// A vendor's PKCS#11 module.
///
/// ```ron
/// Pkcs11(
///     module: "/usr/lib/vendor/libkaztoken-pkcs11.so",
///     token_label: "KAZTOKEN",
///     mechanisms: (gost2012_512: (generate: 0x8E000012, sign: 0x8E000013, key_type: 0xD4321003)),
///     pin: (tries: 10),
/// )
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pkcs11 {
    /// The module (`.so`); a relative path is taken from the profile's directory.
    pub module: String,
    /// Only the tokens with this label.
    #[serde(default)]
    pub token_label: Option<String>,
    /// Only the token in this slot ID.
    #[serde(default)]
    pub slot: Option<u64>,
    /// Mechanism numbers where the module differs from the standard ones.
    #[serde(default)]
    pub mechanisms: Pkcs11Mechanisms,
    /// How PIN state is reported.
    #[serde(default)]
    pub pin: Pkcs11Pin,
    /// The module's GOST signature layout.
    #[serde(default)]
    pub gost_signature: Pkcs11SignatureOrder,
}

/// Per-algorithm overrides; a missing one keeps the standard numbers (OASIS for 2001 and
/// 2012-256, TC26 for 2012-512, `CKM_EC_KEY_PAIR_GEN`/`CKM_ECDSA`, `CKM_RSA_PKCS`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Pkcs11Mechanisms {
    /// GOST R 34.10-2001.
    pub gost2001: Option<Pkcs11KeyMechanisms>,
    /// GOST R 34.10-2012, 256-bit.
    pub gost2012_256: Option<Pkcs11KeyMechanisms>,
    /// GOST R 34.10-2012, 512-bit.
    pub gost2012_512: Option<Pkcs11KeyMechanisms>,
    /// ECDSA P-256.
    pub ec_p256: Option<Pkcs11KeyMechanisms>,
    /// RSA.
    pub rsa: Option<Pkcs11KeyMechanisms>,
}

/// The numbers of one algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pkcs11KeyMechanisms {
    /// Key-pair generation mechanism.
    pub generate: u64,
    /// Signing mechanism (over a hash computed by tamga).
    pub sign: u64,
    /// `CKA_KEY_TYPE`.
    pub key_type: u64,
}

/// PIN policy: PKCS#11 reports flags, not counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Pkcs11Pin {
    /// Tries a PIN has after a success (the vendor's documented count).
    pub tries: u8,
}

impl Default for Pkcs11Pin {
    fn default() -> Self {
        Pkcs11Pin { tries: 10 }
    }
}

/// The byte order of the module's GOST signatures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub enum Pkcs11SignatureOrder {
    /// `s ‖ r` big-endian, as PKCS#11 says.
    #[default]
    Rfc9215,
    /// Reversed as a whole.
    Reversed,
}

#[cfg(test)]
mod tests {
    use crate::profile::{DriverSpec, Profile};

    #[test]
    fn parses_and_validates() {
        let p = Profile::parse(
            r#"(name: "p11", drivers: [Pkcs11(
                module: "libvendor.so",
                token_label: "KAZTOKEN",
                mechanisms: (gost2012_512: (generate: 0x8E000012, sign: 0x8E000013, key_type: 0xD4321003)),
                pin: (tries: 3),
                gost_signature: Reversed,
            )])"#,
            "p11.ron",
        )
        .unwrap();
        let DriverSpec::Pkcs11(s) = &p.drivers[0] else {
            panic!("{p:?}")
        };
        assert_eq!(s.mechanisms.gost2012_512.unwrap().sign, 0x8E00_0013);
        assert_eq!(s.mechanisms.gost2012_256, None);
        assert_eq!(p.drivers[0].name(), "pkcs11");
        let both = r#"(name: "p", drivers: [Pkcs11(module: "m.so", token_label: "a", slot: 1)])"#;
        assert!(Profile::parse(both, "p.ron").is_err());
        let typo = r#"(name: "p", drivers: [Pkcs11(modul: "m.so")])"#;
        assert!(Profile::parse(typo, "p.ron").is_err());
    }
}
