//! EC P-256 public keys and ECDSA/SHA-256 signatures: the SubjectPublicKeyInfo (RFC 5480), the
//! DER `Ecdsa-Sig-Value` (RFC 5758 / X9.62), verification with the `p256` crate.
//!
//! Tokens sign with PKCS#11 `CKM_ECDSA` and answer `r ‖ s`; everything written carries the DER
//! form, so the conversion lives here. No private key ever: signing is the token's business.

use der::asn1::BitString;
use der::{Any, Tag, Tagged};
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::ecdsa::{Signature, VerifyingKey};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::oid;
use crate::PkiError;

/// Length of an uncompressed SEC1 P-256 point (`04 ‖ X ‖ Y`).
pub const SEC1_LEN: usize = 65;

/// A P-256 public key, checked to lie on the curve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcP256PublicKey {
    sec1: Vec<u8>,
}

impl EcP256PublicKey {
    /// Takes an uncompressed SEC1 point (`04 ‖ X ‖ Y`), as PKCS#11 `CKA_EC_POINT` holds it.
    /// Compressed points are refused: nothing tamga talks to writes them, and one canonical form
    /// keeps key comparison a byte comparison.
    pub fn from_sec1(bytes: &[u8]) -> Result<Self, PkiError> {
        if bytes.len() != SEC1_LEN || bytes[0] != 0x04 {
            return Err(PkiError::InvalidKey(
                "P-256: not an uncompressed point".into(),
            ));
        }
        VerifyingKey::from_sec1_bytes(bytes)
            .map_err(|_| PkiError::InvalidKey("P-256: the point is not on the curve".into()))?;
        Ok(EcP256PublicKey {
            sec1: bytes.to_vec(),
        })
    }

    /// The 65 SEC1 bytes.
    pub fn to_sec1(&self) -> &[u8] {
        &self.sec1
    }

    fn verifying_key(&self) -> Result<VerifyingKey, PkiError> {
        VerifyingKey::from_sec1_bytes(&self.sec1)
            .map_err(|_| PkiError::InvalidKey("P-256: the point is not on the curve".into()))
    }

    /// Whether a SubjectPublicKeyInfo is an EC key (of any curve: the curve is checked by
    /// [`EcP256PublicKey::from_spki`]).
    pub fn is_ec(spki: &SubjectPublicKeyInfoOwned) -> bool {
        spki.algorithm.oid == oid::EC_PUBLIC_KEY
    }

    /// Reads an `id-ecPublicKey` SubjectPublicKeyInfo on `prime256v1` (RFC 5480 §2.1.1: the
    /// parameters name the curve; implicit and specified curves are refused).
    pub fn from_spki(spki: &SubjectPublicKeyInfoOwned) -> Result<Self, PkiError> {
        if !Self::is_ec(spki) {
            return Err(PkiError::UnknownAlgorithm(format!(
                "{} (not an EC key)",
                spki.algorithm.oid
            )));
        }
        let curve = match &spki.algorithm.parameters {
            Some(p) if p.tag() == Tag::ObjectIdentifier => p
                .decode_as::<der::asn1::ObjectIdentifier>()
                .map_err(|e| PkiError::corrupt("EC key parameters", e))?,
            _ => {
                return Err(PkiError::Unsupported(
                    "EC key parameters other than a named curve".into(),
                ))
            }
        };
        if curve != oid::PRIME256V1 {
            return Err(PkiError::UnknownAlgorithm(format!(
                "{curve} (EC curve; only P-256 is supported)"
            )));
        }
        let point = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| PkiError::Corrupt("public key BIT STRING has unused bits".into()))?;
        Self::from_sec1(point)
    }

    /// The SubjectPublicKeyInfo: `id-ecPublicKey`, `prime256v1`, the uncompressed point.
    pub fn to_spki(&self) -> Result<SubjectPublicKeyInfoOwned, PkiError> {
        let encode = |e: der::Error| PkiError::corrupt("encoding the public key", e);
        Ok(SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: oid::EC_PUBLIC_KEY,
                parameters: Some(Any::encode_from(&oid::PRIME256V1).map_err(encode)?),
            },
            subject_public_key: BitString::from_bytes(&self.sec1).map_err(encode)?,
        })
    }

    /// Verifies a DER `Ecdsa-Sig-Value` over a SHA-256 digest.
    pub fn verify_digest(&self, digest: &[u8], der_signature: &[u8]) -> Result<(), PkiError> {
        if digest.len() != 32 {
            return Err(PkiError::Unsupported(format!(
                "a {}-byte digest with a P-256 key",
                digest.len()
            )));
        }
        let sig = Signature::from_der(der_signature).map_err(|_| PkiError::BadSignature)?;
        self.verifying_key()?
            .verify_prehash(digest, &sig)
            .map_err(|_| PkiError::BadSignature)
    }

    /// Verifies a token's raw `r ‖ s` over a SHA-256 digest and answers its DER form: a token
    /// that answers garbage must not produce a broken document.
    pub(crate) fn der_from_raw(&self, digest: &[u8], raw: &[u8]) -> Result<Vec<u8>, PkiError> {
        let sig = Signature::from_slice(raw).map_err(|_| {
            PkiError::Signer("the token's ECDSA signature is not r ‖ s of 32 bytes each".into())
        })?;
        let der = sig.to_der().as_bytes().to_vec();
        self.verify_digest(digest, &der)
            .map_err(|_| PkiError::Signer("the signature does not match the public key".into()))?;
        Ok(der)
    }
}

/// The signature AlgorithmIdentifier `ecdsa-with-SHA256`; RFC 5758 §3.2: parameters absent.
pub(crate) fn signature_identifier() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: oid::ECDSA_WITH_SHA256,
        parameters: None,
    }
}

/// The digest AlgorithmIdentifier `sha256` with absent parameters (RFC 5754 §2: SHOULD).
pub(crate) fn digest_identifier() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: oid::SHA256,
        parameters: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::{Decode, Encode};

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// RFC 6979 A.2.5: the P-256 key and its deterministic signatures with SHA-256.
    fn rfc6979_key() -> EcP256PublicKey {
        let mut sec1 = vec![4];
        sec1.extend(h(
            "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6",
        ));
        sec1.extend(h(
            "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299",
        ));
        EcP256PublicKey::from_sec1(&sec1).unwrap()
    }

    const RFC6979: [(&str, &str, &str); 2] = [
        (
            "sample",
            "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
            "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
        ),
        (
            "test",
            "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
            "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083",
        ),
    ];

    #[test]
    fn rfc6979_vectors_verify_and_tampered_ones_do_not() {
        let key = rfc6979_key();
        for (msg, r, s) in RFC6979 {
            let digest = crate::HashAlg::Sha256.digest(msg.as_bytes());
            let raw = [h(r), h(s)].concat();
            let der = key.der_from_raw(&digest, &raw).unwrap();
            key.verify_digest(&digest, &der).unwrap();
            // Another message, a flipped bit of r or s, r and s swapped: all refused.
            let other = crate::HashAlg::Sha256.digest(b"samplf");
            assert!(key.verify_digest(&other, &der).is_err());
            for i in [0, 63] {
                let mut bad = raw.clone();
                bad[i] ^= 1;
                assert!(key.der_from_raw(&digest, &bad).is_err(), "{msg} bit {i}");
            }
            let swapped = [h(s), h(r)].concat();
            assert!(key.der_from_raw(&digest, &swapped).is_err());
        }
    }

    #[test]
    fn malformed_inputs_are_errors() {
        let key = rfc6979_key();
        let digest = [0u8; 32];
        // r = 0, s = 0, r = n (out of range), wrong lengths: errors, never panics.
        let n = h("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
        for raw in [
            vec![0u8; 64],
            [n.clone(), n].concat(),
            vec![1u8; 63],
            vec![1u8; 65],
            Vec::new(),
        ] {
            assert!(key.der_from_raw(&digest, &raw).is_err());
        }
        for der in [
            &[][..],
            &[0x30, 0x00],
            &[0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00],
            &[0x30, 0x80],
        ] {
            assert!(key.verify_digest(&digest, der).is_err());
        }
        assert!(key.verify_digest(&[0u8; 31], &[0x30, 0x00]).is_err());
        // Points: compressed, off the curve, the wrong length.
        let mut sec1 = key.to_sec1().to_vec();
        assert!(EcP256PublicKey::from_sec1(&sec1[..33]).is_err());
        sec1[64] ^= 1;
        assert!(EcP256PublicKey::from_sec1(&sec1).is_err());
        sec1[0] = 2;
        assert!(EcP256PublicKey::from_sec1(&sec1).is_err());
    }

    #[test]
    fn spki_round_trip_and_other_curves_refused() {
        let key = rfc6979_key();
        let spki = key.to_spki().unwrap();
        let der = spki.to_der().unwrap();
        let back = SubjectPublicKeyInfoOwned::from_der(&der).unwrap();
        assert_eq!(EcP256PublicKey::from_spki(&back).unwrap(), key);
        let mut p384 = back.clone();
        p384.algorithm.parameters = Some(
            Any::encode_from(&der::asn1::ObjectIdentifier::new_unwrap("1.3.132.0.34")).unwrap(),
        );
        assert!(EcP256PublicKey::from_spki(&p384).is_err());
        let mut implicit = back;
        implicit.algorithm.parameters = Some(Any::from(der::asn1::Null));
        assert!(EcP256PublicKey::from_spki(&implicit).is_err());
    }
}
