//! On-card keys: generation, public keys, signatures in the card's wire order.
//!
//! The card takes the hash value byte-reversed and returns the RFC 9215 signature byte-reversed
//! (the Rutoken convention, which is also the Kazakh layout). Here both are turned around, and
//! each signature is verified against the key's public half before it leaves: a card or a wire
//! order that is wrong shows up as an error, not as a bad payment order at the bank.

use tamga_ccid::ApduChannel;
use tamga_gost::{PublicKey, SigEncoding};
use tamga_token::{KeyRef, KeySpec, TokenError};

use crate::fcp::{Fcp, FileType};
use crate::kaztoken::Kaztoken;

/// Longest public key: X ‖ Y of a 512-bit curve.
const MAX_PUBLIC: usize = 128;

impl<C: ApduChannel> Kaztoken<C> {
    fn key_fid(&self, key: KeyRef) -> u16 {
        self.config.key_fid_base.wrapping_add(u16::from(key.get()))
    }

    fn select_keys_df(&mut self) -> Result<(), TokenError> {
        let path = self.config.keys_df.clone();
        if self.card.select_path(&path)? {
            Ok(())
        } else {
            Err(TokenError::Protocol(
                "the keys directory is missing: format the token",
            ))
        }
    }

    pub(crate) fn has_keys(&mut self) -> Result<bool, TokenError> {
        self.select_keys_df()?;
        let base = self.config.key_fid_base;
        let children = self.card.list_children()?;
        Ok(children
            .iter()
            .any(|&fid| (1..=u16::from(KeyRef::MAX)).any(|n| fid == base.wrapping_add(n))))
    }

    pub(crate) fn generate_key_inner(
        &mut self,
        key: KeyRef,
        spec: KeySpec,
    ) -> Result<PublicKey, TokenError> {
        let alg = self.config.algorithm_id(spec.algorithm());
        let paramset = self.config.paramset_id(spec.curve());
        let (Some(alg), Some(paramset)) = (alg, paramset) else {
            return Err(TokenError::UnsupportedAlgorithm);
        };
        let fid = self.key_fid(key);
        self.select_keys_df()?;
        // Generation replaces the slot: an interrupted earlier attempt may have left the file.
        self.card.delete_file(fid)?;
        self.card.create_file(&Fcp {
            fid,
            file_type: FileType::Key,
            size: 0,
            proprietary: vec![alg, paramset],
        })?;
        log::info!(
            "generating a {:?} key on {} in {key}",
            spec.algorithm(),
            spec.curve().name()
        );
        let xy = self.card.generate(key.get())?;
        PublicKey::from_bytes(spec.curve(), &xy)
            .map_err(|_| TokenError::Protocol("the card returned an invalid public key"))
    }

    /// The slot's key spec and public key, or `None` for an empty slot.
    fn slot(&mut self, key: KeyRef) -> Result<Option<(KeySpec, PublicKey)>, TokenError> {
        let fid = self.key_fid(key);
        self.select_keys_df()?;
        let Some(fcp) = self.card.file_info(fid)? else {
            return Ok(None);
        };
        if fcp.file_type != FileType::Key {
            return Err(TokenError::Protocol("key slot holds a non-key file"));
        }
        let [alg, paramset] = fcp.proprietary[..] else {
            return Err(TokenError::Protocol(
                "key file without algorithm attributes",
            ));
        };
        let algorithm = self.config.algorithm_of(alg);
        let curve = self.config.curve_of(paramset);
        let (Some(algorithm), Some(curve)) = (algorithm, curve) else {
            return Err(TokenError::UnsupportedAlgorithm);
        };
        let spec = KeySpec::new(algorithm, curve)?;
        let xy = self.card.read_binary(MAX_PUBLIC, self.config.max_chunk)?;
        if xy.is_empty() {
            // Created but never generated (generation was interrupted).
            return Ok(None);
        }
        let public = PublicKey::from_bytes(curve, &xy)
            .map_err(|_| TokenError::Protocol("the card holds an invalid public key"))?;
        Ok(Some((spec, public)))
    }

    pub(crate) fn public_key_inner(
        &mut self,
        key: KeyRef,
    ) -> Result<Option<PublicKey>, TokenError> {
        Ok(self.slot(key)?.map(|(_, public)| public))
    }

    pub(crate) fn sign_digest_inner(
        &mut self,
        key: KeyRef,
        digest: &[u8],
    ) -> Result<Vec<u8>, TokenError> {
        let (spec, public) = self.slot(key)?.ok_or(TokenError::KeyNotFound(key))?;
        if digest.len() != spec.digest_len() {
            return Err(TokenError::InvalidArgument(
                "digest length does not match the key",
            ));
        }
        self.card.select_key(key.get())?;
        let reversed: Vec<u8> = digest.iter().rev().copied().collect();
        let wire = self.card.compute_signature(&reversed)?;
        let sig: Vec<u8> = wire.iter().rev().copied().collect();
        public
            .verify_digest(digest, &sig, SigEncoding::Rfc9215)
            .map_err(|_| TokenError::Protocol("the card's signature does not verify"))?;
        Ok(sig)
    }
}
