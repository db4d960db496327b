//! Which algorithm an AlgorithmIdentifier names, and which identifiers a profile writes.
//!
//! Reading accepts every GOST family (Russian, Kazakh NCA, Gamma) with absent or NULL
//! parameters; writing follows a [`Profile`]: the OID family and the signature layout are chosen
//! by the caller, because which one a given CA expects is a property of that CA.

use der::asn1::{Null, ObjectIdentifier};
use der::{Any, Tag, Tagged};
use spki::AlgorithmIdentifierOwned;
use tamga_gost::{Curve, SigEncoding};

use crate::hash::HashAlg;
use crate::oid;
use crate::PkiError;

/// The OID arcs GOST objects come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OidFamily {
    /// Russian TC26 / CryptoPro (`1.2.643.*`), as in RFC 9215 and OpenSSL.
    Tc26,
    /// Kazakh NCA (`1.2.398.3.10.*`), as Kalkan writes.
    Kz,
    /// Gamma/Tumar (`1.3.6.1.4.1.6801.*`); read only.
    Gamma,
}

/// A GOST public-key algorithm as an AlgorithmIdentifier names it.
#[derive(Debug, PartialEq, Eq)]
pub struct KeyAlgorithm {
    /// The dotted OID.
    pub oid: ObjectIdentifier,
    /// A human-readable name.
    pub name: &'static str,
    /// Key size: 256 or 512.
    pub bits: usize,
    /// The hash the algorithm prescribes when the parameters name none.
    pub hash: HashAlg,
    /// The arc it belongs to.
    pub family: OidFamily,
}

const fn key(
    oid: ObjectIdentifier,
    name: &'static str,
    bits: usize,
    hash: HashAlg,
    family: OidFamily,
) -> KeyAlgorithm {
    KeyAlgorithm {
        oid,
        name,
        bits,
        hash,
        family,
    }
}

static KEY_ALGORITHMS: [KeyAlgorithm; 9] = [
    key(
        oid::TC26_KEY_256,
        "GOST R 34.10-2012 256-bit",
        256,
        HashAlg::Streebog256,
        OidFamily::Tc26,
    ),
    key(
        oid::TC26_KEY_512,
        "GOST R 34.10-2012 512-bit",
        512,
        HashAlg::Streebog512,
        OidFamily::Tc26,
    ),
    // OpenSSL signs 2001 keys with GOST R 34.11-94 under the CryptoPro S-box, which tamga does
    // not implement; the Kazakh 2004 PKI that reuses this curve hashes with GOST 34.311-95.
    key(
        oid::CRYPTOPRO_KEY_2001,
        "GOST R 34.10-2001",
        256,
        HashAlg::Gost34311,
        OidFamily::Tc26,
    ),
    key(
        oid::KZ_KEY_512,
        "GOST R 34.10-2015 512-bit (KZ)",
        512,
        HashAlg::Streebog512,
        OidFamily::Kz,
    ),
    key(
        oid::KZ_KEY_256,
        "GOST R 34.10-2015 256-bit (KZ)",
        256,
        HashAlg::Streebog256,
        OidFamily::Kz,
    ),
    key(
        oid::KZ_KEY_2004,
        "GOST 34.310-2004 (KZ)",
        256,
        HashAlg::Gost34311,
        OidFamily::Kz,
    ),
    key(
        oid::GAMMA_KEY_A,
        "GOST 34.310-2004 (Gamma A)",
        256,
        HashAlg::Gost34311,
        OidFamily::Gamma,
    ),
    key(
        oid::GAMMA_KEY_B,
        "GOST 34.310-2004 (Gamma B)",
        256,
        HashAlg::Gost34311,
        OidFamily::Gamma,
    ),
    key(
        oid::GAMMA_KEY_C,
        "GOST 34.310-2004 (Gamma C)",
        256,
        HashAlg::Gost34311,
        OidFamily::Gamma,
    ),
];

/// The GOST key algorithm with this OID.
pub fn key_algorithm(oid: &ObjectIdentifier) -> Option<&'static KeyAlgorithm> {
    KEY_ALGORITHMS.iter().find(|a| a.oid == *oid)
}

/// The hash a digest OID names (Russian, Kazakh or Gamma arc; SHA-256 for ECDSA).
pub fn digest_algorithm(oid: &ObjectIdentifier) -> Option<HashAlg> {
    match *oid {
        oid::TC26_STREEBOG_256 | oid::KZ_STREEBOG_256 => Some(HashAlg::Streebog256),
        oid::TC26_STREEBOG_512 | oid::KZ_STREEBOG_512 => Some(HashAlg::Streebog512),
        oid::KZ_GOST34311 | oid::GAMMA_GOST34311 => Some(HashAlg::Gost34311),
        oid::SHA256 => Some(HashAlg::Sha256),
        _ => None,
    }
}

/// What a signature AlgorithmIdentifier says: the hash, and the key size when it fixes one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignatureAlgorithm {
    /// The hash the signature is made over.
    pub hash: HashAlg,
    /// The arc of the OID.
    pub family: OidFamily,
}

/// The signature algorithm with this OID. Besides the sign-with-digest OIDs this accepts the
/// public-key OIDs, which OpenSSL (RFC 4490 practice) writes into CMS `signatureAlgorithm`.
pub fn signature_algorithm(oid: &ObjectIdentifier) -> Result<SignatureAlgorithm, PkiError> {
    let (hash, family) = match *oid {
        oid::TC26_SIGN_256 | oid::TC26_KEY_256 => (HashAlg::Streebog256, OidFamily::Tc26),
        oid::TC26_SIGN_512 | oid::TC26_KEY_512 => (HashAlg::Streebog512, OidFamily::Tc26),
        oid::KZ_SIGN_256 | oid::KZ_KEY_256 => (HashAlg::Streebog256, OidFamily::Kz),
        oid::KZ_SIGN_512 | oid::KZ_KEY_512 => (HashAlg::Streebog512, OidFamily::Kz),
        oid::KZ_SIGN_2004 | oid::KZ_KEY_2004 => (HashAlg::Gost34311, OidFamily::Kz),
        oid::GAMMA_SIGN_2004 | oid::GAMMA_KEY_A | oid::GAMMA_KEY_B | oid::GAMMA_KEY_C => {
            (HashAlg::Gost34311, OidFamily::Gamma)
        }
        oid::CRYPTOPRO_SIGN_2001 | oid::CRYPTOPRO_KEY_2001 => {
            return Err(PkiError::Unsupported(
                "GOST R 34.11-94 with the CryptoPro S-box (GOST R 34.10-2001 signatures)".into(),
            ))
        }
        _ => return Err(PkiError::UnknownAlgorithm(oid.to_string())),
    };
    Ok(SignatureAlgorithm { hash, family })
}

/// Signature and digest AlgorithmIdentifiers carry no parameters: RFC 9215 omits them, OpenSSL
/// and Kalkan write NULL. Anything else is refused.
pub(crate) fn check_no_params(alg: &AlgorithmIdentifierOwned) -> Result<(), PkiError> {
    match &alg.parameters {
        None => Ok(()),
        Some(p) if p.tag() == Tag::Null && p.value().is_empty() => Ok(()),
        Some(_) => Err(PkiError::Corrupt(format!(
            "unexpected parameters in algorithm {}",
            alg.oid
        ))),
    }
}

/// The hash a digest AlgorithmIdentifier names.
pub(crate) fn digest_of(alg: &AlgorithmIdentifierOwned) -> Result<HashAlg, PkiError> {
    check_no_params(alg)?;
    digest_algorithm(&alg.oid).ok_or_else(|| PkiError::UnknownAlgorithm(alg.oid.to_string()))
}

/// What tamga writes: an OID family and a signature layout.
///
/// [`Profile::TC26`] is RFC 9215 as OpenSSL and CryptoPro read it; [`Profile::KZ`] is the
/// Kazakh NCA (Kalkan) profile. Which one a bank's CA expects has to be checked against that CA,
/// so the two halves can also be combined freely with [`Profile::new`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Profile {
    /// The OIDs written.
    pub family: OidFamily,
    /// The signature layout written (`Auto` writes RFC 9215).
    pub encoding: SigEncoding,
}

impl Profile {
    /// Russian OIDs, RFC 9215 signature layout.
    pub const TC26: Profile = Profile {
        family: OidFamily::Tc26,
        encoding: SigEncoding::Rfc9215,
    };
    /// Kazakh NCA OIDs, Kazakh (reversed) signature layout.
    pub const KZ: Profile = Profile {
        family: OidFamily::Kz,
        encoding: SigEncoding::Kz,
    };

    /// A profile from its two halves. Gamma is a read-only family.
    pub fn new(family: OidFamily, encoding: SigEncoding) -> Result<Profile, PkiError> {
        if family == OidFamily::Gamma {
            return Err(PkiError::Unsupported("writing Gamma OIDs".into()));
        }
        Ok(Profile { family, encoding })
    }

    /// The hash a key on `curve` signs with under this profile.
    pub fn hash(&self, curve: Curve) -> Result<HashAlg, PkiError> {
        Ok(self.key_algorithm(curve)?.hash)
    }

    /// The public-key algorithm for a key on `curve`.
    pub fn key_algorithm(&self, curve: Curve) -> Result<&'static KeyAlgorithm, PkiError> {
        let oid = match (self.family, curve.bits()) {
            (OidFamily::Tc26, 256) => oid::TC26_KEY_256,
            (OidFamily::Tc26, _) => oid::TC26_KEY_512,
            (OidFamily::Kz, 512) => oid::KZ_KEY_512,
            (OidFamily::Kz, _) if curve.same_curve(Curve::CryptoProA) => oid::KZ_KEY_2004,
            (OidFamily::Kz, _) => oid::KZ_KEY_256,
            (OidFamily::Gamma, _) => {
                return Err(PkiError::Unsupported("writing Gamma OIDs".into()))
            }
        };
        key_algorithm(&oid).ok_or(PkiError::InvalidArgument("key algorithm table"))
    }

    /// The parameter-set OID this profile names `curve` with.
    pub fn curve_oid(&self, curve: Curve) -> Result<ObjectIdentifier, PkiError> {
        let dotted = match self.family {
            OidFamily::Tc26 => curve.oid(),
            _ => curve
                .other_oids()
                .iter()
                .copied()
                .find(|o| o.starts_with("1.2.398."))
                .ok_or_else(|| {
                    PkiError::Unsupported(format!("the {curve} curve has no Kazakh NCA OID"))
                })?,
        };
        ObjectIdentifier::new(dotted).map_err(|e| PkiError::corrupt("curve OID", e))
    }

    /// The digest OID of `hash` in this family.
    pub fn digest_oid(&self, hash: HashAlg) -> ObjectIdentifier {
        match (self.family, hash) {
            (OidFamily::Tc26, HashAlg::Streebog256) => oid::TC26_STREEBOG_256,
            (OidFamily::Tc26, HashAlg::Streebog512) => oid::TC26_STREEBOG_512,
            (_, HashAlg::Streebog256) => oid::KZ_STREEBOG_256,
            (_, HashAlg::Streebog512) => oid::KZ_STREEBOG_512,
            (_, HashAlg::Gost34311) => oid::KZ_GOST34311,
            // Not a GOST hash: one OID whatever the family.
            (_, HashAlg::Sha256) => oid::SHA256,
        }
    }

    /// The sign-with-digest OID for certificates, CRLs and CSRs made with a key on `curve`.
    pub fn signature_oid(&self, curve: Curve) -> Result<ObjectIdentifier, PkiError> {
        let hash = self.hash(curve)?;
        Ok(match (self.family, hash) {
            (OidFamily::Tc26, HashAlg::Streebog256) => oid::TC26_SIGN_256,
            (OidFamily::Tc26, HashAlg::Streebog512) => oid::TC26_SIGN_512,
            (OidFamily::Tc26, HashAlg::Gost34311) => {
                return Err(PkiError::Unsupported(
                    "GOST 34.311-95 under TC26 OIDs".into(),
                ))
            }
            (_, HashAlg::Streebog256) => oid::KZ_SIGN_256,
            (_, HashAlg::Streebog512) => oid::KZ_SIGN_512,
            (_, HashAlg::Gost34311) => oid::KZ_SIGN_2004,
            (_, HashAlg::Sha256) => {
                return Err(PkiError::Unsupported("SHA-256 with a GOST key".into()))
            }
        })
    }

    /// The CMS `SignerInfo.signatureAlgorithm` OID: the public-key OID under TC26 (what OpenSSL
    /// and CryptoPro write, RFC 4490 §3.2), the sign-with-digest OID under the Kazakh profile.
    pub fn cms_signature_oid(&self, curve: Curve) -> Result<ObjectIdentifier, PkiError> {
        match self.family {
            OidFamily::Tc26 => Ok(self.key_algorithm(curve)?.oid),
            _ => self.signature_oid(curve),
        }
    }

    /// An AlgorithmIdentifier for a signature or digest OID: parameters absent (RFC 9215) under
    /// TC26, NULL under the Kazakh profile (as Kalkan writes).
    pub fn algorithm_identifier(&self, oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
        let parameters = match self.family {
            OidFamily::Tc26 => None,
            _ => Some(Any::from(Null)),
        };
        AlgorithmIdentifierOwned { oid, parameters }
    }

    /// The layout signatures are written in.
    pub fn write_encoding(&self) -> SigEncoding {
        match self.encoding {
            SigEncoding::Kz => SigEncoding::Kz,
            _ => SigEncoding::Rfc9215,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_name_curves_and_hashes() {
        let kz = Profile::KZ;
        assert_eq!(
            kz.curve_oid(Curve::Tc26_512A).unwrap().to_string(),
            "1.2.398.3.10.1.1.2.2.1"
        );
        assert_eq!(
            kz.signature_oid(Curve::Tc26_512A).unwrap(),
            oid::KZ_SIGN_512
        );
        assert_eq!(kz.hash(Curve::CryptoProA).unwrap(), HashAlg::Gost34311);
        assert!(kz.curve_oid(Curve::Tc26_512C).is_err());
        let ru = Profile::TC26;
        assert_eq!(
            ru.cms_signature_oid(Curve::Tc26_256A).unwrap(),
            oid::TC26_KEY_256
        );
        assert_eq!(
            ru.signature_oid(Curve::Tc26_512C).unwrap(),
            oid::TC26_SIGN_512
        );
        assert_eq!(ru.hash(Curve::CryptoProA).unwrap(), HashAlg::Streebog256);
        assert!(Profile::new(OidFamily::Gamma, SigEncoding::Kz).is_err());
    }

    #[test]
    fn signature_oids_read() {
        for (o, h) in [
            (oid::TC26_SIGN_256, HashAlg::Streebog256),
            (oid::TC26_KEY_512, HashAlg::Streebog512),
            (oid::KZ_SIGN_512, HashAlg::Streebog512),
            (oid::KZ_SIGN_2004, HashAlg::Gost34311),
            (oid::GAMMA_SIGN_2004, HashAlg::Gost34311),
        ] {
            assert_eq!(signature_algorithm(&o).unwrap().hash, h);
        }
        assert!(matches!(
            signature_algorithm(&oid::CRYPTOPRO_SIGN_2001),
            Err(PkiError::Unsupported(_))
        ));
        assert!(matches!(
            signature_algorithm(&oid::CMS_DATA),
            Err(PkiError::UnknownAlgorithm(_))
        ));
    }
}
