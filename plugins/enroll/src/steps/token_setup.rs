//! Step 3: log in, write the journal (fixing the transactionID and the key slots before any
//! key exists), set the user's new password.

use tamga_core::token::{JournalState, KeyRef, TokenError};
use tamga_core::{Context, CoreError, Pin, Role};

use super::unix_now;
use crate::journal::{Journal, Step};
use crate::wizard::{self, Collected};
use crate::{hooks, store, EnrollError};

fn login(ctx: &mut Context<'_>, pin: &Pin) -> Result<(), CoreError> {
    ctx.with_last_attempt(|t, a| t.login(Role::User, pin, a))
}

fn is_wrong_pin(e: &CoreError) -> bool {
    matches!(e, CoreError::Token(TokenError::WrongPin { .. }))
}

/// Logs in with `pin`; a person told the token refused it is asked again (the wizard decides
/// how often), while the token still has tries: each try goes through the last-try guard, so
/// the last one is spent only on the person's yes. Returns the password that worked.
/// `current`: the token's password before this enrollment, else the one it set.
fn login_asking(ctx: &mut Context<'_>, pin: &Pin, current: bool) -> Result<Pin, CoreError> {
    let mut pin = pin.clone();
    let mut round = 0;
    loop {
        round += 1;
        match login(ctx, &pin) {
            Ok(()) => return Ok(pin),
            Err(e @ CoreError::Token(TokenError::WrongPin { remaining: 1.., .. })) => {
                match wizard::token_password(ctx, current, &e, round)? {
                    Some(again) => pin = again,
                    None => return Err(e),
                }
            }
            Err(e) => return Err(e),
        }
    }
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
    // The token's password as the token took it (a person may have typed it again).
    let mut current = i.current_pin.clone();
    let mut journal = match journal {
        Some(j) => j,
        None => {
            // Nothing is written before this login: a wrong password that is not asked again
            // leaves the token as it was, and a rerun starts afresh.
            current = login_asking(ctx, &i.current_pin, true)?;
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
        match login(ctx, &current) {
            Ok(()) => {
                ctx.with_last_attempt(|t, a| t.change_pin(Role::User, &current, &i.new_pin, a))?;
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
        // Resumed past the change: the password this enrollment set, asked once by the wizard.
        login_asking(ctx, &i.new_pin, false)?;
    }
    Ok(journal)
}
