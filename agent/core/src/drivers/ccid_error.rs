//! CCID failures in the token's vocabulary: a missing card is "no token", a vanished reader
//! "removed", anything else a communication error.

use tamga_ccid::{CcidError, TransportError};
use tamga_token::TokenError;

pub(super) fn token_error(e: CcidError) -> TokenError {
    match e {
        CcidError::NoCard => TokenError::NoToken,
        CcidError::Transport(TransportError::Disconnected) => TokenError::TokenRemoved,
        other => TokenError::Communication(other.to_string()),
    }
}
