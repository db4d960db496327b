//! The module's state: the tokens a profile's drivers see, the sessions open on them, and the
//! operations under way. Safe Rust only; `ffi` copies arguments in and results out.
//!
//! It lives on the worker thread (`worker.rs`): a `Box<dyn Token>` is not `Send`, and PKCS#11
//! applications call from any thread, so every call is a job for the one thread that owns them.

mod attributes;
mod hotplug;
mod keygen;
mod login;
mod objects;
pub(crate) mod sign;
mod slot;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use cryptoki_sys::*;
use tamga_core::profile::{LoadedProfile, Lookup};

pub(crate) use attributes::AttrValue;
pub(crate) use slot::padded;
use slot::{SlotEntry, Source};

use crate::fault::Fault;
use crate::rv::Rv;

/// A session.
pub(crate) struct Session {
    slot: usize,
    rw: bool,
    find: Option<Vec<CK_OBJECT_HANDLE>>,
    sign: Option<sign::SignOp>,
    digest: Option<sign::DigestOp>,
}

/// Everything the module knows.
pub(crate) struct Backend {
    profile: Arc<LoadedProfile>,
    /// The profile's drivers, listed again to see tokens come and go.
    sources: Vec<Source>,
    /// Every token seen since C_Initialize, present or not: the slot ID is the index, so a
    /// known token keeps its slot.
    slots: Vec<SlotEntry>,
    sessions: BTreeMap<CK_SESSION_HANDLE, Session>,
    /// Sessions closed because their token went: the next call with one answers
    /// CKR_DEVICE_REMOVED (then the handle is unknown, CKR_SESSION_HANDLE_INVALID).
    removed: BTreeSet<CK_SESSION_HANDLE>,
    /// Slots whose token came or went since C_WaitForSlotEvent last reported them, oldest
    /// first, each once.
    events: Vec<CK_SLOT_ID>,
    next_session: CK_SESSION_HANDLE,
    pub(crate) fault: Fault,
}

/// What C_GetSessionInfo reports.
pub(crate) struct SessionInfo {
    pub slot: CK_SLOT_ID,
    pub state: CK_STATE,
    pub flags: CK_FLAGS,
}

impl Backend {
    /// Reads the profile (`$TAMGA_PROFILE`, the user's, the system's or the built-in one) and
    /// lists its tokens. The PKCS#11 driver is left out: a profile pointing this module at itself
    /// would recurse.
    pub(crate) fn start(fault: Fault) -> Result<Backend, String> {
        let profile = Lookup::from_env(None).load().map_err(|e| e.to_string())?;
        let sources = slot::sources(&profile)?;
        let mut b = Backend {
            profile: Arc::new(profile),
            sources,
            slots: Vec::new(),
            sessions: BTreeMap::new(),
            removed: BTreeSet::new(),
            events: Vec::new(),
            next_session: 1,
            fault,
        };
        b.refresh_all();
        // What is there at C_Initialize is the starting state, not an event.
        b.events.clear();
        Ok(b)
    }

    /// C_GetSlotList: the drivers are listed again; every slot known, or those with a token.
    pub(crate) fn slot_ids(&mut self, present_only: bool) -> Vec<CK_SLOT_ID> {
        self.refresh_all();
        (0..self.slots.len())
            .filter(|&i| !present_only || self.slots[i].present)
            .map(|i| i as CK_SLOT_ID)
            .collect()
    }

    fn slot(&mut self, id: CK_SLOT_ID) -> Result<&mut SlotEntry, Rv> {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.slots.get_mut(i))
            .ok_or(CKR_SLOT_ID_INVALID)
    }

    /// C_GetSlotInfo: description, manufacturer, and whether the token is there now.
    pub(crate) fn slot_info(&mut self, id: CK_SLOT_ID) -> Result<(String, String, bool), Rv> {
        self.refresh_slot(id, hotplug::NOW)?;
        let s = self.slot(id)?;
        Ok((s.description(), "tamga".to_owned(), s.present))
    }

    /// A slot with its token in it (C_GetMechanismList, C_GetMechanismInfo).
    pub(crate) fn token_present(&mut self, id: CK_SLOT_ID) -> Result<(), Rv> {
        self.refresh_slot(id, hotplug::RECHECK)?;
        if self.slot(id)?.present {
            Ok(())
        } else {
            Err(CKR_TOKEN_NOT_PRESENT)
        }
    }

    /// C_GetTokenInfo.
    pub(crate) fn token_info(&mut self, id: CK_SLOT_ID) -> Result<CK_TOKEN_INFO, Rv> {
        self.refresh_slot(id, hotplug::NOW)?;
        let sessions = self
            .sessions
            .values()
            .filter(|s| s.slot as CK_SLOT_ID == id);
        let (all, rw) = sessions.fold((0, 0), |(a, r), s| (a + 1, r + CK_ULONG::from(s.rw)));
        let s = self.slot(id)?;
        s.token_info(all, rw)
    }

    /// C_OpenSession.
    pub(crate) fn open_session(
        &mut self,
        id: CK_SLOT_ID,
        rw: bool,
    ) -> Result<CK_SESSION_HANDLE, Rv> {
        let slot = usize::try_from(id).map_err(|_| CKR_SLOT_ID_INVALID)?;
        self.refresh_slot(id, hotplug::NOW)?;
        let s = self.slot(id)?;
        s.token()?;
        if !rw && s.login == Some(tamga_token::Role::Admin) {
            return Err(CKR_SESSION_READ_WRITE_SO_EXISTS);
        }
        let h = self.next_session;
        self.next_session += 1;
        self.sessions.insert(
            h,
            Session {
                slot,
                rw,
                find: None,
                sign: None,
                digest: None,
            },
        );
        Ok(h)
    }

    /// C_CloseSession; the last session of a slot logs it out, as PKCS#11 says. A session its
    /// token's removal closed is closed already: that is no error.
    pub(crate) fn close_session(&mut self, h: CK_SESSION_HANDLE) -> Result<(), Rv> {
        if self.removed.remove(&h) {
            return Ok(());
        }
        let s = self.sessions.remove(&h).ok_or(CKR_SESSION_HANDLE_INVALID)?;
        if !self.sessions.values().any(|o| o.slot == s.slot) {
            self.slots[s.slot].logout_quietly();
        }
        Ok(())
    }

    /// C_CloseAllSessions.
    pub(crate) fn close_all(&mut self, id: CK_SLOT_ID) -> Result<(), Rv> {
        self.slot(id)?.logout_quietly();
        self.sessions.retain(|_, s| s.slot as CK_SLOT_ID != id);
        Ok(())
    }

    fn session(&mut self, h: CK_SESSION_HANDLE) -> Result<(&mut Session, &mut SlotEntry), Rv> {
        self.live(h)?;
        let s = self
            .sessions
            .get_mut(&h)
            .ok_or(CKR_SESSION_HANDLE_INVALID)?;
        let slot = &mut self.slots[s.slot];
        Ok((s, slot))
    }

    /// C_GetSessionInfo.
    pub(crate) fn session_info(&mut self, h: CK_SESSION_HANDLE) -> Result<SessionInfo, Rv> {
        let (s, slot) = self.session(h)?;
        let state = match (slot.login, s.rw) {
            (Some(tamga_token::Role::Admin), _) => CKS_RW_SO_FUNCTIONS,
            (Some(tamga_token::Role::User), true) => CKS_RW_USER_FUNCTIONS,
            (Some(tamga_token::Role::User), false) => CKS_RO_USER_FUNCTIONS,
            (None, true) => CKS_RW_PUBLIC_SESSION,
            (None, false) => CKS_RO_PUBLIC_SESSION,
        };
        let flags = CKF_SERIAL_SESSION | if s.rw { CKF_RW_SESSION } else { 0 };
        Ok(SessionInfo {
            slot: s.slot as CK_SLOT_ID,
            state,
            flags,
        })
    }
}
