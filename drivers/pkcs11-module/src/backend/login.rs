//! C_Login, C_Logout, C_SetPIN, C_InitPIN: PKCS#11's login states over the token's PINs.
//!
//! The application decides about the last try (it sees `CKF_*_PIN_FINAL_TRY` in the token
//! info), so PINs are presented with `Attempt::MaySpendLast`: the token counts and locks as a
//! real one does.

use cryptoki_sys::*;
use tamga_token::{Attempt, Pin, Role};

use super::Backend;
use crate::rv::Rv;

fn role(user_type: CK_USER_TYPE) -> Result<Role, Rv> {
    match user_type {
        CKU_USER => Ok(Role::User),
        CKU_SO => Ok(Role::Admin),
        // CKU_CONTEXT_SPECIFIC re-authenticates for CKA_ALWAYS_AUTHENTICATE keys; tamga's keys
        // are not such.
        CKU_CONTEXT_SPECIFIC => Err(CKR_OPERATION_NOT_INITIALIZED),
        _ => Err(CKR_USER_TYPE_INVALID),
    }
}

impl Backend {
    /// C_Login.
    pub(crate) fn login(
        &mut self,
        h: CK_SESSION_HANDLE,
        user_type: CK_USER_TYPE,
        pin: Pin,
    ) -> Result<(), Rv> {
        let role = role(user_type)?;
        self.live(h)?;
        let (slot_index, read_only_exists) = {
            let s = self.sessions.get(&h).ok_or(CKR_SESSION_HANDLE_INVALID)?;
            let ro = self.sessions.values().any(|o| o.slot == s.slot && !o.rw);
            (s.slot, ro)
        };
        let slot = &mut self.slots[slot_index];
        match slot.login {
            Some(r) if r == role => return Err(CKR_USER_ALREADY_LOGGED_IN),
            Some(_) => return Err(CKR_USER_ANOTHER_ALREADY_LOGGED_IN),
            None => {}
        }
        if role == Role::Admin && read_only_exists {
            return Err(CKR_SESSION_READ_ONLY_EXISTS);
        }
        slot.with(|t| t.login(role, &pin, Attempt::MaySpendLast))?;
        slot.login = Some(role);
        if role == Role::Admin {
            slot.so_pin = Some(pin);
        }
        Ok(())
    }

    /// C_Logout.
    pub(crate) fn logout(&mut self, h: CK_SESSION_HANDLE) -> Result<(), Rv> {
        let (_, slot) = self.session(h)?;
        if slot.login.is_none() {
            return Err(CKR_USER_NOT_LOGGED_IN);
        }
        slot.logout_quietly();
        Ok(())
    }

    /// C_InitPIN: the SO sets a new user PIN (unblocking it).
    pub(crate) fn init_pin(&mut self, h: CK_SESSION_HANDLE, new: Pin) -> Result<(), Rv> {
        let (s, slot) = self.session(h)?;
        if slot.login != Some(Role::Admin) {
            return Err(CKR_USER_NOT_LOGGED_IN);
        }
        if !s.rw {
            return Err(CKR_SESSION_READ_ONLY);
        }
        let so = slot.so_pin.clone().ok_or(CKR_USER_NOT_LOGGED_IN)?;
        slot.with(|t| t.unblock_user_pin(&so, &new, Attempt::MaySpendLast))
    }

    /// C_SetPIN: the logged-in user's PIN, or the user PIN from a public session.
    pub(crate) fn set_pin(&mut self, h: CK_SESSION_HANDLE, old: Pin, new: Pin) -> Result<(), Rv> {
        let (s, slot) = self.session(h)?;
        if !s.rw {
            return Err(CKR_SESSION_READ_ONLY);
        }
        let role = slot.login.unwrap_or(Role::User);
        slot.with(|t| t.change_pin(role, &old, &new, Attempt::MaySpendLast))?;
        if role == Role::Admin {
            slot.so_pin = Some(new);
        }
        Ok(())
    }
}
