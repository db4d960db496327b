//! Status words the card answers, turned into what the user can act on.

use tamga_ccid::CcidError;
use tamga_token::TokenError;

/// Maps a non-9000 status word that no command handles specially.
pub(crate) fn sw_error(sw: u16) -> TokenError {
    match sw {
        0x6982 => TokenError::NotLoggedIn,
        0x6A84 => TokenError::NoSpace,
        0x6A89 => TokenError::AlreadyExists,
        _ => TokenError::Card { sw },
    }
}

/// Maps a failure of the channel below: a pulled token is its own case, everything else is a
/// communication failure described by the driver (its text never holds APDU data).
pub(crate) fn channel_error(e: CcidError) -> TokenError {
    if e.is_card_gone() {
        TokenError::TokenRemoved
    } else {
        TokenError::Communication(e.to_string())
    }
}
