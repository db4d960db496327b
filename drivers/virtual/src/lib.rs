//! tamga-virtual: the virtual KAZTOKEN.
//!
//! - [`card`]: a card that speaks exactly `drivers/kaztoken/PROTOCOL.md` ([`VirtualCard`]);
//! - [`state`]: what it persists, in a file replaced atomically after every change;
//! - [`device`]: a CCID reader model around it at the bulk-message level, implementing
//!   [`tamga_ccid::Transport`], with switches for the exchange level, time extensions and faults;
//! - [`CardChannel`]: an [`tamga_ccid::ApduChannel`] straight over the card, without CCID.
//!
//! It is the embedded default token of the demo and the reference model the host drivers are
//! tested against, so its parsers of outside bytes (APDUs, CCID frames, T=1 blocks, the state
//! file) return errors and never panic.
#![forbid(unsafe_code)]

pub mod apdu;
pub mod card;
mod channel;
pub mod device;
mod secret;
pub mod state;

pub use card::{CardConfig, CardProfile, PinRef, VirtualCard, ATR};
pub use channel::CardChannel;
pub use secret::Secret;
