//! tamga-ccid: the USB CCID host driver (skeleton; filled by issue #3).

mod channel;
mod transport;

pub use channel::ApduChannel;
pub use transport::{Transport, TransportError};

/// Errors of the CCID layer (skeleton).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CcidError {
    /// No card in the slot (or it was pulled).
    NoCard,
    /// The USB side failed.
    Transport(TransportError),
}
