//! PIN presentation with the one rule that protects the user: look at the counter first, and
//! never spend the last try unless the caller says the user agreed.

use tamga_ccid::ApduChannel;
use tamga_token::{Attempt, Pin, PinStatus, Role, TokenError};

use crate::card::PinState;
use crate::kaztoken::Kaztoken;

impl<C: ApduChannel> Kaztoken<C> {
    pub(crate) fn pin_status(&mut self, role: Role) -> Result<PinStatus, TokenError> {
        let reference = self.pin_ref(role);
        Ok(match self.card.pin_state(reference)? {
            PinState::Verified => PinStatus::Verified,
            PinState::Blocked | PinState::Remaining(0) => PinStatus::Blocked,
            PinState::Remaining(remaining) => PinStatus::NotVerified { remaining },
        })
    }

    pub(crate) fn present_pin(
        &mut self,
        role: Role,
        pin: &Pin,
        attempt: Attempt,
    ) -> Result<(), TokenError> {
        match self.pin_status(role)? {
            PinStatus::Blocked => return Err(TokenError::PinBlocked(role)),
            PinStatus::NotVerified { remaining: 1 } if attempt == Attempt::SpareLast => {
                return Err(TokenError::LastAttempt(role))
            }
            PinStatus::Verified | PinStatus::NotVerified { .. } => {}
        }
        let reference = self.pin_ref(role);
        match self.card.verify(reference, pin.as_bytes())? {
            PinState::Verified => {
                log::debug!("{role} PIN verified");
                Ok(())
            }
            PinState::Blocked | PinState::Remaining(0) => Err(TokenError::PinBlocked(role)),
            PinState::Remaining(remaining) => {
                log::debug!("{role} PIN wrong, {remaining} tries left");
                Err(TokenError::WrongPin { role, remaining })
            }
        }
    }
}
