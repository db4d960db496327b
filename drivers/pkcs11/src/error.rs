//! cryptoki's errors in the token vocabulary. Messages name the PKCS#11 return value and the
//! function, never a PIN or key material.

use cryptoki::error::{Error, RvError};
use tamga_token::{Role, TokenError};

/// A failure of a call into the module.
pub(crate) fn token_error(e: Error) -> TokenError {
    match e {
        Error::Pkcs11(rv, function) => rv_error(rv, &format!("{function}")),
        Error::LibraryLoading(e) => {
            TokenError::Communication(format!("cannot load the PKCS#11 module: {e}"))
        }
        Error::MissingSymbol(s) => {
            TokenError::Communication(format!("not a PKCS#11 module: it has no {s}"))
        }
        Error::NullFunctionPointer => {
            TokenError::Communication("the PKCS#11 module lacks a function tamga needs".into())
        }
        other => TokenError::Communication(format!("PKCS#11: {other}")),
    }
}

/// A return value in the token vocabulary; PIN failures need the role and are mapped by
/// [`pin_error`].
pub(crate) fn rv_error(rv: RvError, function: &str) -> TokenError {
    match rv {
        // A session handle dies with its token (the module closes a pulled token's sessions
        // and says CKR_DEVICE_REMOVED once, then that the handle is invalid); the driver opens
        // none but its own, and closes it only by dropping it.
        RvError::TokenNotPresent
        | RvError::DeviceRemoved
        | RvError::SessionHandleInvalid
        | RvError::SessionClosed => TokenError::TokenRemoved,
        RvError::UserNotLoggedIn => TokenError::NotLoggedIn,
        RvError::PinInvalid | RvError::PinLenRange | RvError::PinTooWeak => TokenError::PinRejected,
        RvError::DeviceMemory => TokenError::NoSpace,
        RvError::MechanismInvalid
        | RvError::MechanismParamInvalid
        | RvError::KeyTypeInconsistent
        | RvError::DomainParamsInvalid => TokenError::UnsupportedAlgorithm,
        other => TokenError::Communication(format!(
            "the PKCS#11 module answered {other:?} to {function}"
        )),
    }
}

/// A failure of `C_Login`, `C_SetPIN` or `C_InitPIN` for `role`; `remaining` is what the flags
/// say after the failure.
pub(crate) fn pin_error(e: Error, role: Role, remaining: impl FnOnce() -> PinAfter) -> TokenError {
    match e {
        Error::Pkcs11(RvError::PinIncorrect, _) => match remaining() {
            PinAfter::Blocked => TokenError::PinBlocked(role),
            PinAfter::Remaining(remaining) => TokenError::WrongPin { role, remaining },
        },
        Error::Pkcs11(RvError::PinLocked, _) => TokenError::PinBlocked(role),
        Error::Pkcs11(RvError::PinExpired, _) => TokenError::PinRejected,
        other => token_error(other),
    }
}

/// What the token's flags say about a PIN just after a wrong try.
pub(crate) enum PinAfter {
    Blocked,
    Remaining(u8),
}
