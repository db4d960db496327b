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
use crate::{keys, objects, slots};

/// One token of a PKCS#11 module, driven through one read-write session.
pub struct Pkcs11Token {
    module: Pkcs11,
    slot: Slot,
    session: Option<Session>,
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

    fn session(&mut self) -> Result<&Session, TokenError> {
        if self.session.is_none() {
            let s = guarded(|| self.module.open_rw_session(self.slot).map_err(token_error))?;
            self.session = Some(s);
        }
        Ok(self.session.as_ref().expect("opened above"))
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
        if matches!(e, Error::Pkcs11(RvError::PinIncorrect, _)) {
            let w = &mut self.wrong[index(role)];
            *w = w.saturating_add(1);
        }
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

impl Token for Pkcs11Token {
    fn info(&mut self) -> Result<TokenInfo, TokenError> {
        let t = slots::describe(&self.module, self.slot)?;
        let state = match self.journal_state() {
            Ok(Some(JournalState::InProgress)) | Err(TokenError::CorruptJournal) => {
                ProfileState::EnrollmentInProgress
            }
            Err(e) => return Err(e),
            Ok(Some(JournalState::Complete)) => ProfileState::Enrolled,
            Ok(None) if keys::any_private(self.session()?)? => ProfileState::Enrolled,
            Ok(None) => ProfileState::Empty,
        };
        Ok(TokenInfo {
            label: t.label,
            serial: t.serial,
            model: t.model,
            state,
        })
    }

    fn pin_counters(&mut self) -> Result<PinCounters, TokenError> {
        Ok(PinCounters {
            user: self.status(Role::User)?,
            admin: self.status(Role::Admin)?,
        })
    }

    fn login(&mut self, role: Role, pin: &Pin, attempt: Attempt) -> Result<(), TokenError> {
        self.present(role, pin, attempt)
    }

    fn logout(&mut self) -> Result<(), TokenError> {
        self.logout_quietly()
    }

    fn change_pin(
        &mut self,
        role: Role,
        old: &Pin,
        new: &Pin,
        attempt: Attempt,
    ) -> Result<(), TokenError> {
        let (old_text, new_text) = (pins::text(old)?, pins::text(new)?);
        match role {
            // In a public session C_SetPIN changes the user PIN, checking the old one (a wrong
            // one costs a try like a login).
            Role::User => {
                self.may_present(role, attempt)?;
                self.logout_quietly()?;
            }
            // The SO PIN is changed from an SO session.
            Role::Admin => self.present(role, old, attempt)?,
        }
        let s = self.session()?;
        let r = guarded(|| Ok(s.set_pin(&old_text, &new_text)))?;
        let result = match r {
            Ok(()) => {
                self.wrong[index(role)] = 0;
                Ok(())
            }
            Err(e) => Err(self.pin_failure(e, role)),
        };
        if role == Role::Admin {
            self.logout_quietly()?;
        }
        result
    }

    fn unblock_user_pin(
        &mut self,
        admin: &Pin,
        new_user_pin: &Pin,
        attempt: Attempt,
    ) -> Result<(), TokenError> {
        let new_text = pins::text(new_user_pin)?;
        self.present(Role::Admin, admin, attempt)?;
        let s = self.session()?;
        let r = guarded(|| s.init_pin(&new_text).map_err(token_error));
        self.logout_quietly()?;
        r?;
        self.wrong[index(Role::User)] = 0;
        Ok(())
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
        keys::generate(self.session()?, &map, key, spec)
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
        keys::public(self.session()?, &map, key)
    }

    fn sign_digest(&mut self, key: KeyRef, digest: &[u8]) -> Result<Vec<u8>, TokenError> {
        let (map, order) = (self.config.mechanisms, self.config.gost_signature);
        keys::sign(self.session()?, &map, order, key, digest)
    }

    fn read_object(&mut self, id: ObjectId) -> Result<Vec<u8>, TokenError> {
        objects::read(self.session()?, id)
    }

    fn write_object(&mut self, id: ObjectId, data: &[u8]) -> Result<(), TokenError> {
        objects::write(self.session()?, id, data)
    }

    fn delete_object(&mut self, id: ObjectId) -> Result<(), TokenError> {
        objects::delete(self.session()?, id)
    }

    fn list_objects(&mut self) -> Result<Vec<ObjectId>, TokenError> {
        objects::list(self.session()?)
    }

    fn format(
        &mut self,
        admin: &Pin,
        request: &FormatRequest,
        journal: JournalCheck,
        attempt: Attempt,
    ) -> Result<(), TokenError> {
        if journal == JournalCheck::Respect {
            if let Some(JournalState::InProgress) = self.journal_state()? {
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
        self.may_present(Role::Admin, attempt)?;
        // C_InitToken wants no session open on the token (dropping ours closes it).
        self.session = None;
        let (module, slot) = (self.module.clone(), self.slot);
        let r = guarded(|| Ok(module.init_token(slot, &admin_text, &request.label)))?;
        if let Err(e) = r {
            return Err(self.pin_failure(e, Role::Admin));
        }
        // Retry counts are the module's own business: PKCS#11 has no way to set them.
        self.present(Role::Admin, admin, Attempt::MaySpendLast)?;
        let s = self.session()?;
        let r = guarded(|| {
            s.init_pin(&user_new).map_err(token_error)?;
            s.set_pin(&admin_text, &admin_new).map_err(token_error)
        });
        self.logout_quietly()?;
        r?;
        self.wrong = [0; 2];
        Ok(())
    }
}
