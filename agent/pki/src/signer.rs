//! Who signs: a token key or a software key, behind one trait.

use tamga_gost::{PublicKey, SecretKey, SigEncoding};

use crate::algorithm::Profile;
use crate::PkiError;

/// A GOST private key that signs digests: a key on a token, or [`SoftwareSigner`].
///
/// The digest is the hash output as-is (32 or 64 bytes); the answer is the RFC 9215 layout
/// `s ‖ r` big-endian. The layout written into a certificate or CMS is chosen later by a
/// [`Profile`], so an implementation never needs to know it.
pub trait Signer {
    /// The key's public half.
    fn public_key(&self) -> &PublicKey;
    /// Signs a digest; the answer is the RFC 9215 signature (s‖r, big-endian).
    fn sign_digest(&self, digest: &[u8]) -> Result<Vec<u8>, PkiError>;
}

/// A [`Signer`] over a private key held in memory (tamga-gost zeroizes it on drop).
pub struct SoftwareSigner {
    secret: SecretKey,
    public: PublicKey,
}

impl SoftwareSigner {
    /// Wraps a private key.
    pub fn new(secret: SecretKey) -> Self {
        let public = secret.public_key();
        SoftwareSigner { secret, public }
    }
}

impl core::fmt::Debug for SoftwareSigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SoftwareSigner")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl Signer for SoftwareSigner {
    fn public_key(&self) -> &PublicKey {
        &self.public
    }

    fn sign_digest(&self, digest: &[u8]) -> Result<Vec<u8>, PkiError> {
        self.secret
            .sign_digest(digest, SigEncoding::Rfc9215)
            .map_err(|e| PkiError::Signer(e.to_string()))
    }
}

/// Signs `digest` and lays the signature out as `profile` says. The signature is checked against
/// the public key first: a token that answers garbage must not produce a broken document.
pub(crate) fn sign_for(
    signer: &dyn Signer,
    digest: &[u8],
    profile: &Profile,
) -> Result<Vec<u8>, PkiError> {
    let mut sig = signer.sign_digest(digest)?;
    signer
        .public_key()
        .verify_digest(digest, &sig, SigEncoding::Rfc9215)
        .map_err(|_| PkiError::Signer("the signature does not match the public key".into()))?;
    if profile.write_encoding() == SigEncoding::Kz {
        sig.reverse();
    }
    Ok(sig)
}
