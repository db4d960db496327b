//! `Pkcs11Token`: the `Token` trait over one token of a PKCS#11 module.

use cryptoki::context::Pkcs11;
use cryptoki::error::{Error, RvError};
use cryptoki::session::{Session, SessionState, UserType};
use cryptoki::slot::{Slot, TokenInfo as CkTokenInfo};
use tamga_gost::PublicKey;
use tamga_token::{
    Attempt, FormatRequest, JournalCheck, JournalHeader, JournalState, KeyPairSpec, KeyRef,
    KeySpec, ObjectId, Pin, PinCounters, PinStatus, ProfileState, Role, Token, TokenError,
    TokenInfo, TokenPublicKey,
};

use crate::config::Pkcs11Config;
use crate::error::{pin_error, token_error, PinAfter};
use crate::module::{guarded, load};
use crate::pins::{self, PinFlags};
use crate::slots::SlotToken;
use crate::{keys, objects, slots};

/// One token of a PKCS#11 module, driven through one read-write session.
///
/// The token may be pulled and put back while this is open. The first call the module answers
/// "removed" (`CKR_DEVICE_REMOVED`, `CKR_TOKEN_NOT_PRESENT`, or the session handle gone) gives
/// [`TokenError::TokenRemoved`] and drops the session; later calls look for the token again:
/// [`TokenError::NoToken`] while it is absent, and once it is back (in its slot, or in another
/// one the module gives it) a new session, logged out: a PIN must be presented again. The token
/// is recognised by its label, serial, model and manufacturer; another token in its place is
/// never used (`NoToken`).
pub struct Pkcs11Token {
    module: Pkcs11,
    slot: Slot,
    /// Opened without close-on-drop: a session its token's removal ended is forgotten, not
    /// closed (the module may have given its handle to another session since).
    session: Option<Session>,
    /// The token this was opened on, as its token info names it.
    identity: SlotToken,
    config: Pkcs11Config,
    /// Wrong tries this driver has seen since the last success, user and admin: PKCS#11 has no
    /// counter to read.
    wrong: [u8; 2],
}

fn index(role: Role) -> usize {
    match role {
        Role::User => 0,
        Role::Admin => 1,
    }
}

fn user_type(role: Role) -> UserType {
    match role {
        Role::User => UserType::User,
        Role::Admin => UserType::So,
    }
}

impl Pkcs11Token {
    /// Opens the token in `slot`, or the first one the profile's selector matches.
    pub fn open(config: Pkcs11Config, slot: Option<u64>) -> Result<Self, TokenError> {
        let module = load(&config.module)?;
        let tokens = slots::list(&config)?;
        let chosen = match slot {
            Some(s) => tokens.iter().find(|t| t.slot == s),
            None => tokens.first(),
        }
        .ok_or(TokenError::NoToken)?;
        let slot = Slot::try_from(chosen.slot)
            .map_err(|_| TokenError::Protocol("slot ID out of range"))?;
        let mut token = Pkcs11Token {
            module,
            slot,
            session: None,
            identity: chosen.clone(),
            config,
            wrong: [0; 2],
        };
        token.session()?;
        Ok(token)
    }

    /// The slot ID.
    pub fn slot(&self) -> u64 {
        self.slot.id()
    }

    /// The session, opened on the token wherever it is now if there is none.
    fn session(&mut self) -> Result<&Session, TokenError> {
        if self.session.is_none() {
            self.slot = self.find()?;
            let s = guarded(|| {
                self.module
                    .open_rw_session_no_drop(self.slot)
                    .map_err(token_error)
            })?;
            self.session = Some(s);
        }
        Ok(self.session.as_ref().expect("opened above"))
    }

    /// The slot the token is in now: its own, or another one the module lists it in.
    fn find(&self) -> Result<Slot, TokenError> {
        match guarded(|| Ok(self.module.get_token_info(self.slot)))? {
            Ok(info) => {
                let there = slots::of(self.slot, &info);
                if there.same_token(&self.identity) {
                    return Ok(self.slot);
                }
                log::warn!(
                    "slot {}: token {:?} (serial {:?}) is not the one opened ({:?}, serial {:?}): \
                     not used",
                    self.slot.id(),
                    there.label,
                    there.serial,
                    self.identity.label,
                    self.identity.serial
                );
            }
            Err(Error::Pkcs11(
                RvError::TokenNotPresent
                | RvError::DeviceRemoved
                | RvError::TokenNotRecognized
                | RvError::SlotIdInvalid,
                _,
            )) => {}
            Err(e) => return Err(token_error(e)),
        }
        let present = guarded(|| self.module.get_slots_with_token().map_err(token_error))?;
        for slot in present.into_iter().filter(|&s| s != self.slot) {
            if let Ok(Ok(info)) = guarded(|| Ok(self.module.get_token_info(slot))) {
                if slots::of(slot, &info).same_token(&self.identity) {
                    log::info!(
                        "token {:?} (serial {:?}) found again in slot {}",
                        self.identity.label,
                        self.identity.serial,
                        slot.id()
                    );
                    return Ok(slot);
                }
            }
        }
        Err(TokenError::NoToken)
    }

    /// Closes the session (it is live: the token has not said otherwise).
    fn close_session(&mut self) {
        if let Some(s) = self.session.take() {
            if let Err(e) = guarded(|| s.close().map_err(token_error)) {
                log::debug!("closing the session: {e}");
            }
        }
    }

    /// Runs one `Token` call. A token that answers "removed" loses its session (dropped
    /// without `C_CloseSession`, its handle being dead): the next call looks for it again.
    fn call<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, TokenError>,
    ) -> Result<T, TokenError> {
        self.session()?;
        let r = f(self);
        if r.as_ref().err() == Some(&TokenError::TokenRemoved) {
            log::info!("slot {}: the token was removed", self.slot.id());
            self.session = None;
        }
        r
    }

    fn token_info(&self) -> Result<CkTokenInfo, TokenError> {
        guarded(|| self.module.get_token_info(self.slot).map_err(token_error))
    }

    fn state(&mut self) -> Result<SessionState, TokenError> {
        let s = self.session()?;
        guarded(|| s.get_session_info().map_err(token_error)).map(|i| i.session_state())
    }

    fn status(&mut self, role: Role) -> Result<PinStatus, TokenError> {
        let verified = matches!(
            (role, self.state()?),
            (Role::User, SessionState::RwUser | SessionState::RoUser)
                | (Role::Admin, SessionState::RwSecurityOfficer)
        );
        if verified {
            return Ok(PinStatus::Verified);
        }
        let flags = PinFlags::of(&self.token_info()?, role);
        Ok(pins::status(
            flags,
            self.config.pin.tries,
            self.wrong[index(role)],
        ))
    }

    /// Refuses a blocked PIN, and the last try unless the caller allows it.
    fn may_present(&mut self, role: Role, attempt: Attempt) -> Result<(), TokenError> {
        let flags = PinFlags::of(&self.token_info()?, role);
        if flags.locked {
            return Err(TokenError::PinBlocked(role));
        }
        if flags.final_try && attempt == Attempt::SpareLast {
            return Err(TokenError::LastAttempt(role));
        }
        Ok(())
    }

    /// Maps a PIN failure, counting the wrong try and reading the flags it left.
    fn pin_failure(&mut self, e: Error, role: Role) -> TokenError {
        if !matches!(e, Error::Pkcs11(RvError::PinIncorrect, _)) {
            return pin_error(e, role, || PinAfter::Remaining(0));
        }
        let w = &mut self.wrong[index(role)];
        *w = w.saturating_add(1);
        let after = match self.status(role) {
            Ok(PinStatus::Blocked) => PinAfter::Blocked,
            Ok(PinStatus::NotVerified { remaining }) => PinAfter::Remaining(remaining),
            _ => PinAfter::Remaining(0),
        };
        pin_error(e, role, || after)
    }

    fn logout_quietly(&mut self) -> Result<(), TokenError> {
        let s = self.session()?;
        match guarded(|| Ok(s.logout()))? {
            Ok(()) | Err(Error::Pkcs11(RvError::UserNotLoggedIn, _)) => Ok(()),
            Err(e) => Err(token_error(e)),
        }
    }

    fn present(&mut self, role: Role, pin: &Pin, attempt: Attempt) -> Result<(), TokenError> {
        self.may_present(role, attempt)?;
        // A second C_Login would answer "already logged in" without checking the PIN.
        self.logout_quietly()?;
        let raw = pins::raw(pin);
        let s = self.session()?;
        let r = guarded(|| Ok(s.login_with_raw(user_type(role), &raw)))?;
        match r {
            Ok(()) => {
                self.wrong[index(role)] = 0;
                Ok(())
            }
            Err(e) => Err(self.pin_failure(e, role)),
        }
    }

    fn journal_state(&mut self) -> Result<Option<JournalState>, TokenError> {
        match objects::read(self.session()?, ObjectId::JOURNAL) {
            Ok(bytes) => Ok(Some(JournalHeader::parse(&bytes)?.state)),
            Err(TokenError::ObjectNotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

impl Drop for Pkcs11Token {
    fn drop(&mut self) {
        self.close_session();
    }
}

impl Token for Pkcs11Token {
    fn info(&mut self) -> Result<TokenInfo, TokenError> {
        self.call(|t| {
            let info = slots::describe(&t.module, t.slot)?;
            let state = match t.journal_state() {
                Ok(Some(JournalState::InProgress)) | Err(TokenError::CorruptJournal) => {
                    ProfileState::EnrollmentInProgress
                }
                Err(e) => return Err(e),
                Ok(Some(JournalState::Complete)) => ProfileState::Enrolled,
                Ok(None) if keys::any_private(t.session()?)? => ProfileState::Enrolled,
                Ok(None) => ProfileState::Empty,
            };
            Ok(TokenInfo {
                label: info.label,
                serial: info.serial,
                model: info.model,
                state,
            })
        })
    }

    fn pin_counters(&mut self) -> Result<PinCounters, TokenError> {
        self.call(|t| {
            Ok(PinCounters {
                user: t.status(Role::User)?,
                admin: t.status(Role::Admin)?,
            })
        })
    }

    fn login(&mut self, role: Role, pin: &Pin, attempt: Attempt) -> Result<(), TokenError> {
        self.call(|t| t.present(role, pin, attempt))
    }

    fn logout(&mut self) -> Result<(), TokenError> {
        self.call(|t| t.logout_quietly())
    }

    fn change_pin(
        &mut self,
        role: Role,
        old: &Pin,
        new: &Pin,
        attempt: Attempt,
    ) -> Result<(), TokenError> {
        let (old_text, new_text) = (pins::text(old)?, pins::text(new)?);
        self.call(|t| {
            match role {
                // In a public session C_SetPIN changes the user PIN, checking the old one (a
                // wrong one costs a try like a login).
                Role::User => {
                    t.may_present(role, attempt)?;
                    t.logout_quietly()?;
                }
                // The SO PIN is changed from an SO session.
                Role::Admin => t.present(role, old, attempt)?,
            }
            let s = t.session()?;
            let r = guarded(|| Ok(s.set_pin(&old_text, &new_text)))?;
            let result = match r {
                Ok(()) => {
                    t.wrong[index(role)] = 0;
                    Ok(())
                }
                Err(e) => Err(t.pin_failure(e, role)),
            };
            if role == Role::Admin {
                t.logout_quietly()?;
            }
            result
        })
    }

    fn unblock_user_pin(
        &mut self,
        admin: &Pin,
        new_user_pin: &Pin,
        attempt: Attempt,
    ) -> Result<(), TokenError> {
        let new_text = pins::text(new_user_pin)?;
        self.call(|t| {
            t.present(Role::Admin, admin, attempt)?;
            let s = t.session()?;
            let r = guarded(|| s.init_pin(&new_text).map_err(token_error));
            t.logout_quietly()?;
            r?;
            t.wrong[index(Role::User)] = 0;
            Ok(())
        })
    }

    fn generate_key(&mut self, key: KeyRef, spec: KeySpec) -> Result<PublicKey, TokenError> {
        match self.generate_key_pair(key, KeyPairSpec::Gost(spec))? {
            TokenPublicKey::Gost(pk) => Ok(pk),
            _ => Err(TokenError::Protocol("the module generated a non-GOST key")),
        }
    }

    fn generate_key_pair(
        &mut self,
        key: KeyRef,
        spec: KeyPairSpec,
    ) -> Result<TokenPublicKey, TokenError> {
        let map = self.config.mechanisms;
        self.call(|t| keys::generate(t.session()?, &map, key, spec))
    }

    fn public_key(&mut self, key: KeyRef) -> Result<Option<PublicKey>, TokenError> {
        match self.key_pair_public(key)? {
            Some(TokenPublicKey::Gost(pk)) => Ok(Some(pk)),
            Some(_) => Err(TokenError::UnsupportedAlgorithm),
            None => Ok(None),
        }
    }

    fn key_pair_public(&mut self, key: KeyRef) -> Result<Option<TokenPublicKey>, TokenError> {
        let map = self.config.mechanisms;
        self.call(|t| keys::public(t.session()?, &map, key))
    }

    fn sign_digest(&mut self, key: KeyRef, digest: &[u8]) -> Result<Vec<u8>, TokenError> {
        let (map, order) = (self.config.mechanisms, self.config.gost_signature);
        self.call(|t| keys::sign(t.session()?, &map, order, key, digest))
    }

    fn read_object(&mut self, id: ObjectId) -> Result<Vec<u8>, TokenError> {
        self.call(|t| objects::read(t.session()?, id))
    }

    fn write_object(&mut self, id: ObjectId, data: &[u8]) -> Result<(), TokenError> {
        self.call(|t| objects::write(t.session()?, id, data))
    }

    fn delete_object(&mut self, id: ObjectId) -> Result<(), TokenError> {
        self.call(|t| objects::delete(t.session()?, id))
    }

    fn list_objects(&mut self) -> Result<Vec<ObjectId>, TokenError> {
        self.call(|t| objects::list(t.session()?))
    }

    fn format(
        &mut self,
        admin: &Pin,
        request: &FormatRequest,
        journal: JournalCheck,
        attempt: Attempt,
    ) -> Result<(), TokenError> {
        self.call(|t| {
            if journal == JournalCheck::Respect {
                if let Some(JournalState::InProgress) = t.journal_state()? {
                    return Err(TokenError::EnrollmentInProgress);
                }
            }
            if request.label.len() > 32 {
                return Err(TokenError::InvalidArgument("label longer than 32 bytes"));
            }
            let (admin_text, user_new, admin_new) = (
                pins::text(admin)?,
                pins::text(&request.user_pin)?,
                pins::text(&request.admin_pin)?,
            );
            t.may_present(Role::Admin, attempt)?;
            // C_InitToken wants no session open on the token.
            t.close_session();
            let (module, slot) = (t.module.clone(), t.slot);
            let r = guarded(|| Ok(module.init_token(slot, &admin_text, &request.label)))?;
            if let Err(e) = r {
                return Err(t.pin_failure(e, Role::Admin));
            }
            // The same token under its new label: the session below reopens on it.
            t.identity = slots::describe(&t.module, t.slot)?;
            // Retry counts are the module's own business: PKCS#11 has no way to set them.
            t.present(Role::Admin, admin, Attempt::MaySpendLast)?;
            let s = t.session()?;
            let r = guarded(|| {
                s.init_pin(&user_new).map_err(token_error)?;
                s.set_pin(&admin_text, &admin_new).map_err(token_error)
            });
            t.logout_quietly()?;
            r?;
            t.wrong = [0; 2];
            Ok(())
        })
    }
}
