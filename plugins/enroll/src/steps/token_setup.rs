//! Step 3: log in, write the journal (fixing the transactionID and the key slots before any
//! key exists), set the user's new password.

use tamga_core::token::{JournalState, KeyRef, TokenError};
use tamga_core::{Context, CoreError, Pin, Role};

use super::unix_now;
use crate::journal::{Journal, Step};
use crate::wizard::Collected;
use crate::{hooks, store, EnrollError};

fn login(ctx: &mut Context<'_>, pin: &Pin) -> Result<(), CoreError> {
    ctx.with_last_attempt(|t, a| t.login(Role::User, pin, a))
}

fn is_wrong_pin(e: &CoreError) -> bool {
    matches!(e, CoreError::Token(TokenError::WrongPin { .. }))
}

/// The two lowest slots holding no key: a fresh token has all 16 free.
fn free_slots(ctx: &mut Context<'_>) -> Result<(KeyRef, KeyRef), CoreError> {
    let mut free = Vec::new();
    for n in 1..=KeyRef::MAX {
        let key = KeyRef::new(n)?;
        // Whatever the algorithm of a key already there (a PKCS#11 token may hold EC keys).
        if ctx.token()?.key_pair_public(key)?.is_none() {
            free.push(key);
            if free.len() == 2 {
                return Ok((free[0], free[1]));
            }
        }
    }
    Err(TokenError::NoSpace.into())
}

fn random_id() -> Result<[u8; 16], CoreError> {
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).map_err(|e| EnrollError::Pki(format!("OS random generator: {e}")))?;
    Ok(id)
}

/// Brings the token to [`Step::PinChanged`] (or past it) and returns the journal, logged in
/// with the new password.
pub fn run(
    ctx: &mut Context<'_>,
    c: &Collected,
    journal: Option<Journal>,
) -> Result<Journal, CoreError> {
    let i = &c.inputs;
    let mut journal = match journal {
        Some(j) => j,
        None => {
            login(ctx, &i.current_pin)?;
            hooks::point("logged-in");
            let (sign_key, auth_key) = free_slots(ctx)?;
            let j = Journal {
                state: JournalState::InProgress,
                transaction_id: random_id()?,
                user_id: i.user_id.clone(),
                term_months: i.term_months,
                step: Step::Started,
                key_file_sha256: c.init.file_sha256,
                sign_key,
                auth_key,
                sign_public_sha256: None,
                auth_public_sha256: None,
                sign_cert: None,
                auth_cert: None,
                token_name: i.token_name.clone(),
                started_at: unix_now(),
            };
            store::write(ctx.token()?, &j)?;
            hooks::point("journal-started");
            j
        }
    };
    if journal.step == Step::Started {
        // Interrupted between the journal and the PIN change, or between the change and its
        // record: the current password is the old one or already the new one. The old one is
        // tried first (a crash right after writing the journal is the likelier case); a wrong
        // guess costs one try, which the right one restores.
        match login(ctx, &i.current_pin) {
            Ok(()) => {
                ctx.with_last_attempt(|t, a| {
                    t.change_pin(Role::User, &i.current_pin, &i.new_pin, a)
                })?;
                hooks::point("pin-changed");
            }
            Err(e) if is_wrong_pin(&e) => log::info!("the token already has the new password"),
            Err(e) => return Err(e),
        }
        login(ctx, &i.new_pin)?;
        journal.step = Step::PinChanged;
        store::write(ctx.token()?, &journal)?;
        hooks::point("journal-pin-changed");
    } else {
        login(ctx, &i.new_pin)?;
    }
    Ok(journal)
}
