//! VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER, LOGOUT: the PINs and their counters.

use super::{Answer, Response, VirtualCard};
use crate::apdu::{sw, Command, Sw};
use crate::secret::Secret;
use crate::state::{PinState, PIN_LENGTHS};

/// Which PIN a command names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinRef {
    Admin,
    User,
}

impl VirtualCard {
    fn pin_ref(&self, reference: u8) -> Result<PinRef, Sw> {
        let p = &self.config.profile;
        match reference {
            r if r == p.admin_ref => Ok(PinRef::Admin),
            r if r == p.user_ref => Ok(PinRef::User),
            _ => Err(sw::REF_NOT_FOUND),
        }
    }

    fn pin_state(&mut self, who: PinRef) -> &mut PinState {
        match who {
            PinRef::Admin => &mut self.state.admin,
            PinRef::User => &mut self.state.user,
        }
    }

    fn set_verified(&mut self, who: PinRef, verified: bool) {
        match who {
            PinRef::Admin => self.session.admin_verified = verified,
            PinRef::User => self.session.user_verified = verified,
        }
    }

    /// `00 20 00 ref [PIN]`.
    pub(super) fn verify(&mut self, c: &Command<'_>) -> Answer {
        if c.p1 != 0 {
            return Err(sw::BAD_P1P2);
        }
        let who = self.pin_ref(c.p2)?;
        let verified = self.is_verified(who);
        let pin = self.pin_state(who);
        if pin.is_blocked() {
            return Err(sw::PIN_BLOCKED);
        }
        if c.data.is_empty() {
            return if verified {
                Ok(Response::done())
            } else {
                Err(sw::wrong_pin(pin.tries_left))
            };
        }
        // The try is counted on the card before the comparison has a result: pulling the token
        // after a wrong PIN must not give the try back.
        pin.tries_left -= 1;
        self.persist()?;
        let pin = self.pin_state(who);
        if pin.pin.matches(c.data) {
            pin.tries_left = pin.max_tries;
            self.persist()?;
            self.set_verified(who, true);
            Ok(Response::done())
        } else {
            let left = pin.tries_left;
            self.set_verified(who, false);
            log::info!("virtual card: wrong {who:?} PIN, {left} tries left");
            Err(sw::wrong_pin(left))
        }
    }

    /// `00 24 01 ref 80 02 len A5 len PIN`.
    pub(super) fn change_reference_data(&mut self, c: &Command<'_>) -> Answer {
        if c.p1 != 0x01 {
            return Err(sw::BAD_P1P2);
        }
        let who = self.pin_ref(c.p2)?;
        let by_admin = who == PinRef::User && self.session.admin_verified;
        self.require(self.is_verified(who) || by_admin)?;
        let new = new_pin(c.data)?;
        self.pin_state(who).pin = Secret::from_slice(new);
        self.persist()?;
        Ok(Response::done())
    }

    /// `00 2C 03 ref`.
    pub(super) fn reset_retry_counter(&mut self, c: &Command<'_>) -> Answer {
        if c.p1 != 0x03 {
            return Err(sw::BAD_P1P2);
        }
        let who = self.pin_ref(c.p2)?;
        self.require(self.session.admin_verified)?;
        if !c.data.is_empty() {
            return Err(sw::WRONG_LENGTH);
        }
        let pin = self.pin_state(who);
        pin.tries_left = pin.max_tries;
        self.persist()?;
        Ok(Response::done())
    }

    /// `80 40 00 00`.
    pub(super) fn logout(&mut self, c: &Command<'_>) -> Answer {
        if c.p1p2() != 0 {
            return Err(sw::BAD_P1P2);
        }
        self.session.admin_verified = false;
        self.session.user_verified = false;
        Ok(Response::done())
    }
}

/// The PIN inside `80 02 len-BE A5 len PIN`; every length must agree.
fn new_pin(data: &[u8]) -> Result<&[u8], Sw> {
    let [0x80, 0x02, hi, lo, 0xA5, len, pin @ ..] = data else {
        return Err(sw::BAD_DATA);
    };
    let declared = usize::from(u16::from_be_bytes([*hi, *lo]));
    if declared != usize::from(*len) || declared != pin.len() || !PIN_LENGTHS.contains(&pin.len()) {
        return Err(sw::BAD_DATA);
    }
    Ok(pin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_pin_layout() {
        assert_eq!(
            new_pin(b"\x80\x02\x00\x06\xA5\x06123456"),
            Ok(&b"123456"[..])
        );
        for bad in [
            &b"\x80\x02\x00\x06\xA5\x0612345"[..],
            b"\x80\x02\x00\x07\xA5\x06123456",
            b"\x80\x01\x00\x06\xA5\x06123456",
            b"\x80\x02\x00\x05\xA5\x0512345",
            b"",
        ] {
            assert_eq!(new_pin(bad), Err(sw::BAD_DATA));
        }
    }
}
