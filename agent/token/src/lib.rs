//! tamga-token: what a workflow may ask of a token, whatever drives it.
//!
//! Workflows (enroll, login, sign, pin) see only [`Token`]; drivers (KAZTOKEN over CCID today,
//! PKCS#11 later) implement it. The agent core will own this crate; it lives apart so that the
//! drivers can be built and tested before the core exists.

#![forbid(unsafe_code)]

mod error;
mod info;
mod journal;
mod key;
mod key_pair;
mod object;
mod pin;
mod token;

pub use error::TokenError;
pub use info::{PinCounters, PinStatus, ProfileState, TokenInfo};
pub use journal::{JournalHeader, JournalState};
pub use key::{GostAlgorithm, KeyRef, KeySpec};
pub use key_pair::{EcPoint, KeyPairSpec, TokenPublicKey};
pub use object::ObjectId;
pub use pin::{Attempt, Pin, Role};
pub use token::{FormatRequest, JournalCheck, Token};
