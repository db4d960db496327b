//! A key on the token behind tamga-pki's `Signer`, so that CMS, CSRs and CMP proofs of
//! possession are made by the token exactly as by a software key.

use std::cell::RefCell;

use tamga_core::token::KeyRef;
use tamga_core::{Token, TokenError};
use tamga_gost::PublicKey;
use tamga_pki::{PkiError, Signer};

/// The connected token, shared by several [`TokenSigner`]s (an `ir` carries two proofs of
/// possession, SIGN and AUTH). `Signer::sign_digest` takes `&self`, a token needs `&mut`: the
/// borrow is dynamic, and one signature at a time is what a token does anyway.
pub type SharedToken<'t> = RefCell<&'t mut dyn Token>;

/// A token key.
pub struct TokenSigner<'s, 't> {
    token: &'s SharedToken<'t>,
    key: KeyRef,
    public: PublicKey,
    // The token's own error behind the last failed signature: a pulled token must stay a
    // token error (exit 6, "insert it and run again"), not become a PKI one.
    failure: RefCell<Option<TokenError>>,
}

impl<'s, 't> TokenSigner<'s, 't> {
    /// The key in slot `key`, whose public half is `public`.
    pub fn new(token: &'s SharedToken<'t>, key: KeyRef, public: PublicKey) -> Self {
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
            .public_key(key)?
            .ok_or(TokenError::KeyNotFound(key))?;
        Ok(TokenSigner::new(token, key, public))
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
    fn public_key(&self) -> &PublicKey {
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
