//! Step 4: the SIGN and AUTH key pairs, generated on the token into the slots the journal
//! fixed. Until their public keys are recorded nothing outside the token has seen them, so an
//! interrupted generation is simply repeated into the same slots (replacing, never adding).
//! The algorithm is the profile's: GOST on a KAZTOKEN, GOST or EC P-256 on a PKCS#11 token.

use sha2::{Digest, Sha256};
use tamga_bank_client::subject_key;
use tamga_core::profile::EnrollSettings;
use tamga_core::token::{KeyPairSpec, KeyRef};
use tamga_core::{Context, CoreError};
use tamga_pki::SubjectKey;

use crate::journal::{Journal, Step};
use crate::{hooks, store, EnrollError};

/// The SHA-256 the journal keeps of a public key: over the GOST key's bytes (as journals
/// written before P-256 keys existed hold it), over the SEC1 point of a P-256 key.
pub fn fingerprint(key: &SubjectKey) -> [u8; 32] {
    match key {
        SubjectKey::Gost(k) => Sha256::digest(k.to_bytes()).into(),
        SubjectKey::EcP256(k) => Sha256::digest(k.to_sec1()).into(),
    }
}

/// The key spec of the profile (checked when the profile was loaded).
pub fn spec(settings: &EnrollSettings) -> Result<KeyPairSpec, CoreError> {
    settings
        .key
        .spec()
        .map_err(|m| EnrollError::Pki(format!("workflows.enroll.key: {m}")).into())
}

/// Generates both keys unless the journal already recorded them; checks recorded ones.
pub fn run(
    ctx: &mut Context<'_>,
    settings: &EnrollSettings,
    j: &mut Journal,
) -> Result<(), CoreError> {
    if j.step >= Step::KeysGenerated {
        return Ok(());
    }
    let spec = spec(settings)?;
    let sign = subject_key(ctx.token()?.generate_key_pair(j.sign_key, spec)?)?;
    hooks::point("key-sign-generated");
    let auth = subject_key(ctx.token()?.generate_key_pair(j.auth_key, spec)?)?;
    hooks::point("key-auth-generated");
    j.sign_public_sha256 = Some(fingerprint(&sign));
    j.auth_public_sha256 = Some(fingerprint(&auth));
    j.step = Step::KeysGenerated;
    store::write(ctx.token()?, j)?;
    hooks::point("journal-keys");
    Ok(())
}

/// The public key in `slot`, which must be the one the journal recorded.
pub fn recorded(
    ctx: &mut Context<'_>,
    slot: KeyRef,
    expected: Option<[u8; 32]>,
) -> Result<SubjectKey, CoreError> {
    let key = ctx
        .token()?
        .key_pair_public(slot)?
        .ok_or(EnrollError::KeysChanged)?;
    let key = subject_key(key)?;
    if Some(fingerprint(&key)) != expected {
        return Err(EnrollError::KeysChanged.into());
    }
    Ok(key)
}
