//! The errors of the CCID layer.
//!
//! No variant carries APDU bytes: PINs travel in VERIFY commands, and errors end up in logs.

use core::fmt;

use crate::transport::TransportError;

/// A command failure reported by the reader in bError (bmCommandStatus = 1).
///
/// An open newtype: readers report codes the CCID specification does not name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SlotError(pub u8);

impl SlotError {
    /// The reader does not support the command.
    pub const CMD_NOT_SUPPORTED: SlotError = SlotError(0x00);
    /// The slot is busy with another command.
    pub const CMD_SLOT_BUSY: SlotError = SlotError(0xE0);
    /// The user cancelled the PIN entry on the reader's keypad.
    pub const PIN_CANCELLED: SlotError = SlotError(0xEF);
    /// The PIN entry on the reader's keypad timed out.
    pub const PIN_TIMEOUT: SlotError = SlotError(0xF0);
    /// The reader is busy with an automatic sequence (e.g. its own activation).
    pub const BUSY_WITH_AUTO_SEQUENCE: SlotError = SlotError(0xF2);
    /// The protocol was deactivated.
    pub const DEACTIVATED_PROTOCOL: SlotError = SlotError(0xF3);
    /// A procedure byte conflict (T=0).
    pub const PROCEDURE_BYTE_CONFLICT: SlotError = SlotError(0xF4);
    /// The card's voltage class is not supported.
    pub const ICC_CLASS_NOT_SUPPORTED: SlotError = SlotError(0xF5);
    /// The card's protocol is not supported.
    pub const ICC_PROTOCOL_NOT_SUPPORTED: SlotError = SlotError(0xF6);
    /// The ATR's check byte is wrong.
    pub const BAD_ATR_TCK: SlotError = SlotError(0xF7);
    /// The ATR's initial character is wrong.
    pub const BAD_ATR_TS: SlotError = SlotError(0xF8);
    /// A hardware error in the reader.
    pub const HW_ERROR: SlotError = SlotError(0xFB);
    /// Too many bytes came from the card.
    pub const XFR_OVERRUN: SlotError = SlotError(0xFC);
    /// A parity error on the card line.
    pub const XFR_PARITY_ERROR: SlotError = SlotError(0xFD);
    /// The card did not answer in time.
    pub const ICC_MUTE: SlotError = SlotError(0xFE);
    /// The command was aborted.
    pub const CMD_ABORTED: SlotError = SlotError(0xFF);

    /// For codes 0x01..=0x7F: the offset of the header field the reader rejected.
    pub fn bad_field(self) -> Option<u8> {
        (0x01..=0x7F).contains(&self.0).then_some(self.0)
    }

    /// Whether the failure is a corrupted or missing answer on the card line, after which the
    /// block protocol may retry (ISO 7816-3 treats these like a bad EDC).
    pub(crate) fn is_line_error(self) -> bool {
        matches!(
            self,
            SlotError::XFR_PARITY_ERROR | SlotError::XFR_OVERRUN | SlotError::ICC_MUTE
        )
    }
}

impl fmt::Display for SlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match *self {
            SlotError::CMD_NOT_SUPPORTED => "command not supported",
            SlotError::CMD_SLOT_BUSY => "slot busy",
            SlotError::PIN_CANCELLED => "PIN entry cancelled",
            SlotError::PIN_TIMEOUT => "PIN entry timed out",
            SlotError::BUSY_WITH_AUTO_SEQUENCE => "busy with an automatic sequence",
            SlotError::DEACTIVATED_PROTOCOL => "protocol deactivated",
            SlotError::PROCEDURE_BYTE_CONFLICT => "procedure byte conflict",
            SlotError::ICC_CLASS_NOT_SUPPORTED => "card voltage class not supported",
            SlotError::ICC_PROTOCOL_NOT_SUPPORTED => "card protocol not supported",
            SlotError::BAD_ATR_TCK => "bad ATR check byte",
            SlotError::BAD_ATR_TS => "bad ATR initial character",
            SlotError::HW_ERROR => "reader hardware error",
            SlotError::XFR_OVERRUN => "overrun on the card line",
            SlotError::XFR_PARITY_ERROR => "parity error on the card line",
            SlotError::ICC_MUTE => "the card does not answer",
            SlotError::CMD_ABORTED => "command aborted",
            SlotError(code) => {
                return match self.bad_field() {
                    Some(offset) => write!(f, "bad value in the command field at offset {offset}"),
                    None => write!(f, "reader error 0x{code:02X}"),
                };
            }
        };
        f.write_str(text)
    }
}

/// Errors of the CCID layer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CcidError {
    /// No card in the slot (or it was pulled).
    NoCard,
    /// The USB side failed.
    Transport(TransportError),
    /// The reader failed a command (bError).
    Reader {
        /// The slot the command addressed.
        slot: u8,
        /// What the reader reported.
        error: SlotError,
    },
    /// The reader or the card broke the protocol: a malformed frame or block, a length mismatch,
    /// too many stale replies, retries exhausted. The text describes the fault, never payloads.
    Protocol(String),
    /// The card or the reader aborted the exchange.
    Aborted,
    /// The command cannot be carried by this reader or card (e.g. too long for the exchange
    /// level, an extended APDU over T=0), or the card speaks no protocol the reader supports.
    Unsupported(String),
    /// The caller's command APDU is malformed.
    InvalidCommand(&'static str),
}

impl CcidError {
    /// Whether the card or the whole reader went away, so that the session is over.
    pub fn is_card_gone(&self) -> bool {
        matches!(
            self,
            CcidError::NoCard | CcidError::Transport(TransportError::Disconnected)
        )
    }

    pub(crate) fn protocol(text: impl Into<String>) -> CcidError {
        CcidError::Protocol(text.into())
    }
}

impl From<TransportError> for CcidError {
    fn from(e: TransportError) -> Self {
        CcidError::Transport(e)
    }
}

impl fmt::Display for CcidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CcidError::NoCard => f.write_str("no card in the reader"),
            CcidError::Transport(e) => write!(f, "{e}"),
            CcidError::Reader { slot, error } => write!(f, "reader slot {slot}: {error}"),
            CcidError::Protocol(text) => write!(f, "protocol error: {text}"),
            CcidError::Aborted => f.write_str("the exchange was aborted"),
            CcidError::Unsupported(text) => write!(f, "not supported: {text}"),
            CcidError::InvalidCommand(text) => write!(f, "invalid command APDU: {text}"),
        }
    }
}

impl std::error::Error for CcidError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CcidError::Transport(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_errors_read_as_english() {
        let e = CcidError::Reader {
            slot: 1,
            error: SlotError::ICC_MUTE,
        };
        assert_eq!(e.to_string(), "reader slot 1: the card does not answer");
        assert_eq!(
            SlotError(0x05).to_string(),
            "bad value in the command field at offset 5"
        );
        assert_eq!(SlotError(0xC0).to_string(), "reader error 0xC0");
    }

    #[test]
    fn only_missing_cards_and_readers_are_gone() {
        assert!(CcidError::NoCard.is_card_gone());
        assert!(CcidError::Transport(TransportError::Disconnected).is_card_gone());
        assert!(!CcidError::Transport(TransportError::Timeout).is_card_gone());
        assert!(!CcidError::Aborted.is_card_gone());
    }
}
