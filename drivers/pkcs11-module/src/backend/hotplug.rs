//! Tokens plugged in or pulled while the module is loaded (a browser keeps it for hours).
//!
//! The profile's drivers are listed again: by C_GetSlotList and C_WaitForSlotEvent every time, by
//! C_GetSlotInfo, C_GetTokenInfo and C_OpenSession for the slot's driver every time, and before a
//! session call at most every [`RECHECK`] (a KAZTOKEN listing is a USB enumeration; an
//! application reads dozens of attributes in a row). A real KAZTOKEN pulled mid-call also says so
//! itself (the transfer fails): the slot is emptied after that call.
//!
//! A token keeps the slot it was first seen in (matched by the driver's stable id: the USB
//! reader, the virtual token's state file); when it goes, the slot stays, without
//! CKF_TOKEN_PRESENT, its sessions are closed and its login is forgotten. Back, it starts afresh.

use std::time::Duration;

use cryptoki_sys::*;

use super::slot::new_slot;
use super::Backend;
use crate::rv::Rv;

/// List the slot's driver whatever the last listing's age.
pub(super) const NOW: Duration = Duration::ZERO;

/// How old a listing may be before a session call lists the slot's driver again.
pub(super) const RECHECK: Duration = Duration::from_millis(250);

/// Sessions closed by removals that are remembered as such: an application that never comes
/// back to them cannot make the module grow.
const REMOVED_KEPT: usize = 1024;

impl Backend {
    /// Lists every driver again.
    pub(super) fn refresh_all(&mut self) {
        for i in 0..self.sources.len() {
            self.refresh_source(i);
        }
    }

    /// Lists the driver of slot `id` again if its last listing is `age` old.
    pub(super) fn refresh_slot(
        &mut self,
        id: CK_SLOT_ID,
        age: std::time::Duration,
    ) -> Result<(), Rv> {
        let source = self.slot(id)?.source;
        if self.sources[source].stale(age) {
            self.refresh_source(source);
        }
        Ok(())
    }

    /// Lists one driver: tokens seen again fill their slot, new ones get a new slot, those no
    /// longer listed are pulled.
    fn refresh_source(&mut self, source: usize) {
        let Some(listed) = self.sources[source].list(&self.profile) else {
            return;
        };
        let mut matched = vec![false; self.slots.len()];
        for token in listed {
            // Two tokens with one id (readers without a serial number) fill its slots in order.
            let known = (0..self.slots.len()).find(|&i| {
                !matched[i] && self.slots[i].source == source && self.slots[i].slot.id == token.id
            });
            match known {
                Some(i) => {
                    matched[i] = true;
                    if !self.slots[i].present {
                        log::info!("slot {i}: token inserted ({})", token.id);
                        self.slots[i].inserted(token);
                        self.event(i);
                    }
                }
                None => {
                    let i = self.slots.len();
                    log::info!("slot {i}: new token ({})", token.id);
                    let entry = new_slot(&self.sources, source, &self.profile, token);
                    self.slots.push(entry);
                    matched.push(true);
                    self.event(i);
                }
            }
        }
        let gone: Vec<usize> = (0..self.slots.len())
            .filter(|&i| !matched[i] && self.slots[i].source == source && self.slots[i].present)
            .collect();
        for i in gone {
            log::info!("slot {i}: token removed ({})", self.slots[i].slot.id);
            self.pull(i);
        }
    }

    /// Empties slot `i`: its sessions are closed, its token state forgotten.
    fn pull(&mut self, i: usize) {
        self.slots[i].pulled();
        let closed: Vec<CK_SESSION_HANDLE> = self
            .sessions
            .iter()
            .filter(|(_, s)| s.slot == i)
            .map(|(&h, _)| h)
            .collect();
        for h in closed {
            self.sessions.remove(&h);
            self.removed.insert(h);
        }
        while self.removed.len() > REMOVED_KEPT {
            self.removed.pop_first();
        }
        self.event(i);
    }

    fn event(&mut self, i: usize) {
        let id = i as CK_SLOT_ID;
        if !self.events.contains(&id) {
            self.events.push(id);
        }
    }

    /// After every call: a slot whose token answered "removed" is emptied.
    pub(crate) fn settle(&mut self) {
        for i in 0..self.slots.len() {
            if self.slots[i].lost {
                log::info!("slot {i}: token removed during a call");
                self.pull(i);
            }
        }
    }

    /// The session `h`, checked against its token's presence: a session its token's removal
    /// closed answers CKR_DEVICE_REMOVED, once.
    pub(super) fn live(&mut self, h: CK_SESSION_HANDLE) -> Result<(), Rv> {
        if self.removed.remove(&h) {
            return Err(CKR_DEVICE_REMOVED);
        }
        let slot = self
            .sessions
            .get(&h)
            .ok_or(CKR_SESSION_HANDLE_INVALID)?
            .slot;
        self.refresh_slot(slot as CK_SLOT_ID, RECHECK)?;
        if self.removed.remove(&h) {
            return Err(CKR_DEVICE_REMOVED);
        }
        Ok(())
    }

    /// C_WaitForSlotEvent's question: the drivers are listed again, and the oldest slot whose
    /// token came or went since it was last reported, if any.
    pub(crate) fn next_event(&mut self) -> Option<CK_SLOT_ID> {
        self.refresh_all();
        if self.events.is_empty() {
            None
        } else {
            Some(self.events.remove(0))
        }
    }
}
