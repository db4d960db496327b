//! A key on the token behind tamga-pki's `Signer`, so that CMS, CSRs and CMP proofs of
//! possession are made by the token exactly as by a software key: GOST on the KAZTOKEN, GOST or
//! EC P-256 on a PKCS#11 token.

use std::cell::RefCell;

use tamga_core::token::{KeyRef, TokenPublicKey};
use tamga_core::{Token, TokenError};
use tamga_pki::{EcP256PublicKey, PkiError, Signer, SubjectKey};

/// The connected token, shared by several [`TokenSigner`]s (an `ir` carries two proofs of
/// possession, SIGN and AUTH). `Signer::sign_digest` takes `&self`, a token needs `&mut`: the
/// borrow is dynamic, and one signature at a time is what a token does anyway.
pub type SharedToken<'t> = RefCell<&'t mut dyn Token>;

/// A token key.
pub struct TokenSigner<'s, 't> {
    token: &'s SharedToken<'t>,
    key: KeyRef,
    public: SubjectKey,
    // The token's own error behind the last failed signature: a pulled token must stay a
    // token error (exit 6, "insert it and run again"), not become a PKI one.
    failure: RefCell<Option<TokenError>>,
}

impl<'s, 't> TokenSigner<'s, 't> {
    /// The key in slot `key`, whose public half is `public`.
    pub fn new(token: &'s SharedToken<'t>, key: KeyRef, public: SubjectKey) -> Self {
        TokenSigner {
            token,
            key,
            public,
            failure: RefCell::new(None),
        }
    }

    /// The key in slot `key`, its public half read from the token.
    pub fn open(token: &'s SharedToken<'t>, key: KeyRef) -> Result<Self, TokenError> {
        let public = token
            .try_borrow_mut()
            .map_err(|_| TokenError::Protocol("the token is busy"))?
            .key_pair_public(key)?
            .ok_or(TokenError::KeyNotFound(key))?;
        Ok(TokenSigner::new(token, key, subject_key(public)?))
    }

    /// The slot.
    pub fn key(&self) -> KeyRef {
        self.key
    }

    /// The token error behind the last failed signature, if the token failed.
    pub fn take_failure(&self) -> Option<TokenError> {
        self.failure.borrow_mut().take()
    }
}

impl Signer for TokenSigner<'_, '_> {
    fn public_key(&self) -> &SubjectKey {
        &self.public
    }

    fn sign_digest(&self, digest: &[u8]) -> Result<Vec<u8>, PkiError> {
        let mut token = self
            .token
            .try_borrow_mut()
            .map_err(|_| PkiError::Signer("the token is busy".into()))?;
        token.sign_digest(self.key, digest).map_err(|e| {
            let text = e.to_string();
            *self.failure.borrow_mut() = Some(e);
            PkiError::Signer(text)
        })
    }
}

/// A token's public key as tamga-pki signs and verifies with it. RSA, which a PKCS#11 token may
/// also hold, is no algorithm of the bank's: refused.
pub fn subject_key(public: TokenPublicKey) -> Result<SubjectKey, TokenError> {
    match public {
        TokenPublicKey::Gost(k) => Ok(SubjectKey::Gost(k)),
        TokenPublicKey::EcP256(point) => EcP256PublicKey::from_sec1(point.as_sec1())
            .map(SubjectKey::EcP256)
            .map_err(|_| TokenError::Protocol("the token's EC point is not on P-256")),
        TokenPublicKey::Rsa { .. } => Err(TokenError::UnsupportedAlgorithm),
    }
}
