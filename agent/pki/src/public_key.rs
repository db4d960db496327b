//! GOST public keys in SubjectPublicKeyInfo: reading every family, writing per profile.
//!
//! RFC 9215 §4.3: the BIT STRING holds an OCTET STRING of X‖Y, each little-endian — the bytes
//! `tamga_gost::PublicKey::from_bytes` takes. Parameters are `SEQUENCE { curve OID, [digest OID] }`
//! (Gamma's key OID names the curve itself, with absent or NULL parameters).

use der::asn1::{BitString, ObjectIdentifier, OctetString};
use der::{Any, Decode, Encode, Sequence, Tag, Tagged};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use tamga_gost::{Curve, PublicKey};

use crate::algorithm::{digest_algorithm, key_algorithm, KeyAlgorithm, Profile};
use crate::hash::HashAlg;
use crate::PkiError;

/// A GOST public key with what its SubjectPublicKeyInfo says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GostPublicKey {
    /// The validated point.
    pub key: PublicKey,
    /// The key algorithm (and so the OID family).
    pub algorithm: &'static KeyAlgorithm,
    /// The hash the key signs with (the digestParamSet if present, else the algorithm's).
    pub hash: HashAlg,
}

/// `GostR3410-2012-PublicKeyParameters`.
#[derive(Sequence)]
struct KeyParams {
    curve: ObjectIdentifier,
    digest: Option<ObjectIdentifier>,
    // Old CryptoPro keys add an encryptionParamSet; it does not matter for signatures.
    cipher: Option<ObjectIdentifier>,
}

impl GostPublicKey {
    /// Reads a SubjectPublicKeyInfo structure.
    pub fn from_spki(spki: &SubjectPublicKeyInfoOwned) -> Result<Self, PkiError> {
        let algorithm = key_algorithm(&spki.algorithm.oid).ok_or_else(|| {
            PkiError::UnknownAlgorithm(format!("{} (not a GOST key)", spki.algorithm.oid))
        })?;
        let (curve_oid, digest_oid) = match &spki.algorithm.parameters {
            Some(p) if p.tag() == Tag::Sequence => {
                let params: KeyParams = p
                    .decode_as()
                    .map_err(|e| PkiError::corrupt("GOST key parameters", e))?;
                (params.curve, params.digest)
            }
            Some(p) if p.tag() == Tag::ObjectIdentifier => (
                p.decode_as()
                    .map_err(|e| PkiError::corrupt("GOST key parameters", e))?,
                None,
            ),
            Some(p) if p.tag() == Tag::Null => (spki.algorithm.oid, None),
            None => (spki.algorithm.oid, None),
            Some(_) => return Err(PkiError::Corrupt("GOST key parameters".into())),
        };
        let curve = Curve::from_oid(&curve_oid.to_string())
            .map_err(|_| PkiError::UnknownAlgorithm(format!("{curve_oid} (GOST parameter set)")))?;
        if curve.bits() != algorithm.bits {
            return Err(PkiError::InvalidKey(format!(
                "{} key on the {}-bit parameter set {curve}",
                algorithm.name,
                curve.bits()
            )));
        }
        let hash = digest_oid
            .as_ref()
            .and_then(digest_algorithm)
            .unwrap_or(algorithm.hash);
        let bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| PkiError::Corrupt("public key BIT STRING has unused bits".into()))?;
        // A bare X‖Y (2L bytes, never a valid OCTET STRING wrapper length) is accepted too.
        let xy = if bits.len() == 2 * curve.scalar_len() {
            bits.to_vec()
        } else {
            OctetString::from_der(bits)
                .map_err(|e| PkiError::corrupt("public key OCTET STRING", e))?
                .as_bytes()
                .to_vec()
        };
        let key = PublicKey::from_bytes(curve, &xy)
            .map_err(|e| PkiError::InvalidKey(format!("{curve}: {e}")))?;
        Ok(GostPublicKey {
            key,
            algorithm,
            hash,
        })
    }

    /// Reads a DER SubjectPublicKeyInfo.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, PkiError> {
        let spki = SubjectPublicKeyInfoOwned::from_der(der)
            .map_err(|e| PkiError::corrupt("SubjectPublicKeyInfo", e))?;
        Self::from_spki(&spki)
    }

    /// Reads a PEM (`PUBLIC KEY`) or DER SubjectPublicKeyInfo.
    pub fn parse(data: &[u8]) -> Result<Self, PkiError> {
        Self::from_spki_der(&crate::pem::der_block(data, &["PUBLIC KEY"])?)
    }
}

/// The SubjectPublicKeyInfo of `key` under `profile`.
///
/// Parameters follow RFC 9215 §4.2 for TC26: the digest parameter set only for the CryptoPro
/// curves (where it MUST be present), never for 512-bit or TC26 256-bit sets. Kalkan always
/// writes the digest, so the Kazakh profile does too.
pub fn spki_for(key: &PublicKey, profile: &Profile) -> Result<SubjectPublicKeyInfoOwned, PkiError> {
    let curve = key.curve();
    let algorithm = profile.key_algorithm(curve)?;
    let with_digest = match profile.family {
        crate::OidFamily::Tc26 => matches!(
            curve,
            Curve::CryptoProA
                | Curve::CryptoProB
                | Curve::CryptoProC
                | Curve::CryptoProXchA
                | Curve::CryptoProXchB
                | Curve::Test2001
        ),
        _ => true,
    };
    let params = KeyParams {
        curve: profile.curve_oid(curve)?,
        digest: with_digest.then(|| profile.digest_oid(algorithm.hash)),
        cipher: None,
    };
    let encode = |e: der::Error| PkiError::corrupt("encoding the public key", e);
    let point = OctetString::new(key.to_bytes()).map_err(encode)?;
    Ok(SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: algorithm.oid,
            parameters: Some(Any::encode_from(&params).map_err(encode)?),
        },
        subject_public_key: BitString::from_bytes(&point.to_der().map_err(encode)?)
            .map_err(encode)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_both_profiles() {
        for curve in [Curve::Tc26_256A, Curve::Tc26_512A, Curve::CryptoProA] {
            let key = tamga_gost::SecretKey::from_seed(curve, b"pk").public_key();
            for profile in [Profile::TC26, Profile::KZ] {
                let spki = spki_for(&key, &profile).unwrap();
                let back = GostPublicKey::from_spki_der(&spki.to_der().unwrap()).unwrap();
                assert_eq!(back.key, key);
                assert_eq!(back.algorithm.family, profile.family);
                assert_eq!(back.hash, profile.hash(curve).unwrap());
            }
        }
    }
}
