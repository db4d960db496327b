//! Who signs: a token key or a software key, behind one trait.

use tamga_gost::{PublicKey, SecretKey, SigEncoding};

use crate::algorithm::Profile;
use crate::subject_key::SubjectKey;
use crate::PkiError;

/// A private key that signs digests: a key on a token, or [`SoftwareSigner`].
///
/// The digest is the hash output as-is. A GOST key (32 or 64 bytes of Streebog or GOST
/// 34.311) answers the RFC 9215 layout `s ‖ r` big-endian; the layout written into a
/// certificate or CMS is chosen later by a [`Profile`], so an implementation never needs to know
/// it. An EC P-256 key signs a SHA-256 digest and answers `r ‖ s` (32 bytes each, big-endian,
/// what PKCS#11 `CKM_ECDSA` gives); tamga-pki writes the DER form.
pub trait Signer {
    /// The key's public half.
    fn public_key(&self) -> &SubjectKey;
    /// Signs a digest: GOST `s ‖ r`, ECDSA `r ‖ s`.
    fn sign_digest(&self, digest: &[u8]) -> Result<Vec<u8>, PkiError>;
}

/// A [`Signer`] over a GOST private key held in memory (tamga-gost zeroizes it on drop).
pub struct SoftwareSigner {
    secret: SecretKey,
    public: SubjectKey,
    gost: PublicKey,
}

impl SoftwareSigner {
    /// Wraps a private key.
    pub fn new(secret: SecretKey) -> Self {
        let gost = secret.public_key();
        SoftwareSigner {
            secret,
            public: SubjectKey::Gost(gost.clone()),
            gost,
        }
    }

    /// The GOST public key.
    pub fn gost_public_key(&self) -> &PublicKey {
        &self.gost
    }
}

impl core::fmt::Debug for SoftwareSigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SoftwareSigner")
            .field("public", &self.gost)
            .finish_non_exhaustive()
    }
}

impl Signer for SoftwareSigner {
    fn public_key(&self) -> &SubjectKey {
        &self.public
    }

    fn sign_digest(&self, digest: &[u8]) -> Result<Vec<u8>, PkiError> {
        self.secret
            .sign_digest(digest, SigEncoding::Rfc9215)
            .map_err(|e| PkiError::Signer(e.to_string()))
    }
}

/// Signs `digest` and lays the signature out as `profile` says (GOST) or as DER (ECDSA). The
/// signature is checked against the public key first: a token that answers garbage must not
/// produce a broken document.
pub(crate) fn sign_for(
    signer: &dyn Signer,
    digest: &[u8],
    profile: &Profile,
) -> Result<Vec<u8>, PkiError> {
    let sig = signer.sign_digest(digest)?;
    match signer.public_key() {
        SubjectKey::Gost(key) => {
            let mut sig = sig;
            key.verify_digest(digest, &sig, SigEncoding::Rfc9215)
                .map_err(|_| {
                    PkiError::Signer("the signature does not match the public key".into())
                })?;
            if profile.write_encoding() == SigEncoding::Kz {
                sig.reverse();
            }
            Ok(sig)
        }
        SubjectKey::EcP256(key) => key.der_from_raw(digest, &sig),
    }
}

/// Hashes `data` as the signer's key and `profile` say, and signs it with [`sign_for`].
pub(crate) fn sign_data(
    signer: &dyn Signer,
    data: &[u8],
    profile: &Profile,
) -> Result<Vec<u8>, PkiError> {
    let hash = signer.public_key().hash(profile)?;
    sign_for(signer, &hash.digest(data), profile)
}
