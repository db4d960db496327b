//! Return values, and tamga's token errors as PKCS#11 return values.

use cryptoki_sys::*;
use tamga_token::TokenError;

/// A PKCS#11 return value other than `CKR_OK`.
pub(crate) type Rv = CK_RV;

/// The length PKCS#11 reports for an attribute it cannot give.
pub(crate) const UNAVAILABLE: CK_ULONG = !0;

/// What an application understands of a token failure. The text goes to the log, not to the
/// application (PKCS#11 has no place for it).
pub(crate) fn token_rv(e: &TokenError) -> Rv {
    log::info!("token: {e}");
    match e {
        TokenError::NoToken => CKR_TOKEN_NOT_PRESENT,
        TokenError::TokenRemoved => CKR_DEVICE_REMOVED,
        TokenError::Communication(_) | TokenError::Card { .. } | TokenError::Protocol(_) => {
            CKR_DEVICE_ERROR
        }
        TokenError::WrongPin { .. } => CKR_PIN_INCORRECT,
        TokenError::PinBlocked(_) => CKR_PIN_LOCKED,
        // The module always lets the application spend the last try (it sees FINAL_TRY first).
        TokenError::LastAttempt(_) => CKR_PIN_INCORRECT,
        TokenError::PinRejected => CKR_PIN_LEN_RANGE,
        TokenError::NotLoggedIn => CKR_USER_NOT_LOGGED_IN,
        TokenError::ObjectNotFound(_) => CKR_OBJECT_HANDLE_INVALID,
        TokenError::KeyNotFound(_) => CKR_KEY_HANDLE_INVALID,
        TokenError::AlreadyExists => CKR_ATTRIBUTE_VALUE_INVALID,
        TokenError::NoSpace => CKR_DEVICE_MEMORY,
        TokenError::UnsupportedAlgorithm => CKR_MECHANISM_INVALID,
        TokenError::EnrollmentInProgress => CKR_ACTION_PROHIBITED,
        TokenError::CorruptJournal => CKR_DEVICE_ERROR,
        TokenError::InvalidArgument(_) => CKR_ARGUMENTS_BAD,
        _ => CKR_GENERAL_ERROR,
    }
}
