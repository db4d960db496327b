//! The card as an [`ApduChannel`] without any CCID in between: for tests of the card protocol and
//! for the demo when no reader model is wanted.

use std::sync::{Arc, Mutex, MutexGuard};

use tamga_ccid::{ApduChannel, CcidError};

use crate::VirtualCard;

/// A shared virtual card behind an [`ApduChannel`]; clones share the card, so a test can keep one
/// to inspect the card while the driver owns another.
#[derive(Clone, Debug)]
pub struct CardChannel {
    card: Arc<Mutex<VirtualCard>>,
}

impl CardChannel {
    pub fn new(card: VirtualCard) -> Self {
        CardChannel {
            card: Arc::new(Mutex::new(card)),
        }
    }

    /// The card, locked (a poisoned lock is taken over: the card's state is always consistent
    /// between commands).
    pub fn card(&self) -> MutexGuard<'_, VirtualCard> {
        self.card.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl ApduChannel for CardChannel {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, CcidError> {
        self.card().transmit(command)
    }

    fn reset(&mut self) -> Result<Vec<u8>, CcidError> {
        self.card().reset()
    }
}

/// The card answers directly: there is no 61xx/6Cxx for a channel to resolve.
impl ApduChannel for VirtualCard {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, CcidError> {
        if !self.is_powered() {
            return Err(CcidError::NoCard);
        }
        Ok(self.process_apdu(command))
    }

    fn reset(&mut self) -> Result<Vec<u8>, CcidError> {
        self.power_off();
        Ok(self.power_on())
    }
}
