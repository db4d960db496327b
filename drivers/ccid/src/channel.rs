//! What a card protocol (drivers/kaztoken) needs from whatever carries its APDUs.

use crate::CcidError;

/// A powered card that exchanges whole APDUs.
///
/// `transmit` takes a complete command APDU (short or extended encoding) and returns the complete
/// response: data followed by SW1 SW2. 61xx (GET RESPONSE) and 6Cxx (resend with the right Le)
/// are already resolved: a caller never sees them.
pub trait ApduChannel {
    /// Exchanges one APDU.
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, CcidError>;

    /// Powers the card off and on again (a warm reset of the security state) and returns the ATR.
    fn reset(&mut self) -> Result<Vec<u8>, CcidError>;
}
