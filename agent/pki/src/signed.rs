//! `SEQUENCE { tbs, signatureAlgorithm, signatureValue BIT STRING }` — the shape certificates,
//! CRLs and CSRs share — kept with the original TBS bytes, and verified over exactly those.

use der::asn1::BitString;
use der::Decode;
use spki::AlgorithmIdentifierOwned;
use tamga_gost::{PublicKey, SigEncoding};

use crate::algorithm::{check_no_params, signature_algorithm};
use crate::subject_key::SubjectKey;
use crate::tlv::{Tlv, SEQUENCE};
use crate::PkiError;

/// A signed object with its raw bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SignedObject {
    der: Vec<u8>,
    tbs: core::ops::Range<usize>,
    pub algorithm: AlgorithmIdentifierOwned,
    pub signature: Vec<u8>,
}

impl SignedObject {
    /// Splits the DER of a signed object. `what` names it in errors.
    pub fn parse(der: &[u8], what: &str) -> Result<Self, PkiError> {
        let outer = Tlv::parse(der, what)?.expect(SEQUENCE, what)?;
        let parts = outer.children(what)?;
        let [tbs, alg, sig] = parts[..] else {
            return Err(PkiError::Corrupt(format!(
                "{what}: expected three elements"
            )));
        };
        tbs.expect(SEQUENCE, what)?;
        let algorithm =
            AlgorithmIdentifierOwned::from_der(alg.raw).map_err(|e| PkiError::corrupt(what, e))?;
        let bits = BitString::from_der(sig.raw).map_err(|e| PkiError::corrupt(what, e))?;
        let signature = bits
            .as_bytes()
            .ok_or_else(|| PkiError::Corrupt(format!("{what}: signature has unused bits")))?
            .to_vec();
        // The TBS is the first element: it starts right after the outer header.
        let start = outer.raw.len() - outer.value.len();
        Ok(SignedObject {
            der: der.to_vec(),
            tbs: start..start + tbs.raw.len(),
            algorithm,
            signature,
        })
    }

    /// The whole object as it was read.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The to-be-signed part as it was read.
    pub fn tbs(&self) -> &[u8] {
        &self.der[self.tbs.clone()]
    }

    /// Verifies the signature with a GOST `key`; answers the layout it verified in.
    pub fn verify(&self, key: &PublicKey, encoding: SigEncoding) -> Result<SigEncoding, PkiError> {
        verify_signature(&self.algorithm, self.tbs(), &self.signature, key, encoding)
    }

    /// Verifies the signature with a key of any algorithm.
    pub fn verify_with(
        &self,
        key: &SubjectKey,
        encoding: SigEncoding,
    ) -> Result<SigEncoding, PkiError> {
        key.verify_signature(&self.algorithm, self.tbs(), &self.signature, encoding)
    }
}

/// Verifies a GOST signature over `data` as the signature AlgorithmIdentifier says (hash from
/// the OID; e = digest read little-endian inside tamga-gost).
pub(crate) fn verify_signature(
    algorithm: &AlgorithmIdentifierOwned,
    data: &[u8],
    signature: &[u8],
    key: &PublicKey,
    encoding: SigEncoding,
) -> Result<SigEncoding, PkiError> {
    check_no_params(algorithm)?;
    let alg = signature_algorithm(&algorithm.oid)?;
    let digest = alg.hash.digest(data);
    verify_digest(key, &digest, signature, encoding)
}

/// Verifies a signature over a digest in `encoding` (`Auto` tries both layouts); answers the
/// layout that verified.
pub(crate) fn verify_digest(
    key: &PublicKey,
    digest: &[u8],
    signature: &[u8],
    encoding: SigEncoding,
) -> Result<SigEncoding, PkiError> {
    if digest.len() != key.curve().digest_len() {
        return Err(PkiError::Unsupported(format!(
            "a {}-byte digest with a {}-bit key",
            digest.len(),
            key.curve().bits()
        )));
    }
    match encoding {
        SigEncoding::Auto => key
            .detect_encoding(digest, signature)
            .map_err(|_| PkiError::BadSignature),
        enc => key
            .verify_digest(digest, signature, enc)
            .map(|_| enc)
            .map_err(|_| PkiError::BadSignature),
    }
}
