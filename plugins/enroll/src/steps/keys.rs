//! Step 4: the SIGN and AUTH key pairs, generated on the token into the slots the journal
//! fixed. Until their public keys are recorded nothing outside the token has seen them, so an
//! interrupted generation is simply repeated into the same slots (replacing, never adding).

use sha2::{Digest, Sha256};
use tamga_core::profile::EnrollSettings;
use tamga_core::token::{GostAlgorithm, KeyRef, KeySpec};
use tamga_core::{Context, CoreError};
use tamga_gost::PublicKey;

use crate::journal::{Journal, Step};
use crate::{hooks, store, EnrollError};

/// The SHA-256 the journal keeps of a public key.
pub fn fingerprint(key: &PublicKey) -> [u8; 32] {
    Sha256::digest(key.to_bytes()).into()
}

/// The key spec of the profile.
pub fn spec(settings: &EnrollSettings) -> Result<KeySpec, CoreError> {
    Ok(KeySpec::new(
        GostAlgorithm::from(settings.key.algorithm),
        settings.key.curve.0,
    )?)
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
    let sign = ctx.token()?.generate_key(j.sign_key, spec)?;
    hooks::point("key-sign-generated");
    let auth = ctx.token()?.generate_key(j.auth_key, spec)?;
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
) -> Result<PublicKey, CoreError> {
    let key = ctx
        .token()?
        .public_key(slot)?
        .ok_or(EnrollError::KeysChanged)?;
    if Some(fingerprint(&key)) != expected {
        return Err(EnrollError::KeysChanged.into());
    }
    Ok(key)
}
