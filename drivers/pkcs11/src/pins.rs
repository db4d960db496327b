//! PIN state from PKCS#11 flags, and PINs handed to cryptoki without stray copies.
//!
//! PKCS#11 reports no try counts, only three flags per PIN: count low (a wrong try since the last
//! success), final try, locked. [`status`] turns them into the counts the rest of tamga speaks:
//! locked is blocked, final try is one left (so `Attempt::SpareLast` refuses it), and otherwise
//! the policy's count less the wrong tries this driver has seen — never below 2, since a token at
//! its last try says so with its own flag.

use cryptoki::slot::TokenInfo as CkTokenInfo;
use cryptoki::types::{AuthPin, RawAuthPin};
use tamga_token::{Pin, PinStatus, Role, TokenError};

/// The flags of one PIN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PinFlags {
    pub count_low: bool,
    pub final_try: bool,
    pub locked: bool,
}

impl PinFlags {
    pub(crate) fn of(info: &CkTokenInfo, role: Role) -> Self {
        match role {
            Role::User => PinFlags {
                count_low: info.user_pin_count_low(),
                final_try: info.user_pin_final_try(),
                locked: info.user_pin_locked(),
            },
            Role::Admin => PinFlags {
                count_low: info.so_pin_count_low(),
                final_try: info.so_pin_final_try(),
                locked: info.so_pin_locked(),
            },
        }
    }
}

/// The status of a PIN that is not verified now.
pub(crate) fn status(flags: PinFlags, tries: u8, wrong_seen: u8) -> PinStatus {
    if flags.locked {
        return PinStatus::Blocked;
    }
    if flags.final_try {
        return PinStatus::NotVerified { remaining: 1 };
    }
    let wrong = if flags.count_low {
        wrong_seen.max(1)
    } else {
        0
    };
    PinStatus::NotVerified {
        remaining: tries.saturating_sub(wrong).max(2),
    }
}

/// The PIN as cryptoki's login takes it (bytes, no UTF-8 requirement).
pub(crate) fn raw(pin: &Pin) -> RawAuthPin {
    RawAuthPin::new(Box::new(exact_copy(pin)))
}

/// The PIN as cryptoki's `C_SetPIN`/`C_InitPIN`/`C_InitToken` take it: UTF-8 text.
pub(crate) fn text(pin: &Pin) -> Result<AuthPin, TokenError> {
    let bytes = exact_copy(pin);
    match String::from_utf8(bytes) {
        // Capacity equals length, so the boxing below does not reallocate and leave a copy.
        Ok(s) => Ok(AuthPin::from(s)),
        Err(e) => {
            zeroize::Zeroize::zeroize(&mut e.into_bytes());
            Err(TokenError::PinRejected)
        }
    }
}

fn exact_copy(pin: &Pin) -> Vec<u8> {
    let mut v = Vec::with_capacity(pin.len());
    v.extend_from_slice(pin.as_bytes());
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(count_low: bool, final_try: bool, locked: bool) -> PinFlags {
        PinFlags {
            count_low,
            final_try,
            locked,
        }
    }

    #[test]
    fn flags_to_counts() {
        assert_eq!(
            status(f(false, false, false), 10, 0),
            PinStatus::NotVerified { remaining: 10 }
        );
        assert_eq!(
            status(f(true, false, false), 10, 3),
            PinStatus::NotVerified { remaining: 7 }
        );
        // A failure before this driver ran: one is assumed.
        assert_eq!(
            status(f(true, false, false), 10, 0),
            PinStatus::NotVerified { remaining: 9 }
        );
        // The estimate never claims the last try: the token's own flag does.
        assert_eq!(
            status(f(true, false, false), 3, 5),
            PinStatus::NotVerified { remaining: 2 }
        );
        assert_eq!(
            status(f(true, true, false), 10, 0),
            PinStatus::NotVerified { remaining: 1 }
        );
        assert_eq!(status(f(true, true, true), 10, 0), PinStatus::Blocked);
    }

    #[test]
    fn non_utf8_pin_is_rejected() {
        assert_eq!(
            text(&Pin::new(vec![0xff, 0xfe])).unwrap_err(),
            TokenError::PinRejected
        );
        assert!(text(&Pin::from("1234")).is_ok());
    }
}
