//! The USB side of a CCID reader, reduced to the four pipes the driver uses.
//!
//! Everything above this trait (framing, exchange levels, T=1, the APDU layer) is plain code that
//! runs in-process against a device model (the virtual KAZTOKEN) or a scripted mock; the `nusb`
//! and `rusb` backends are the only implementations that touch the operating system.

use core::fmt;
use std::time::Duration;

/// What went wrong below the CCID layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// Nothing arrived (or nothing could be sent) within the timeout.
    Timeout,
    /// The device is gone (unplugged, or the handle was invalidated by a reset).
    Disconnected,
    /// The endpoint stalled.
    Stall,
    /// Any other I/O failure, with the OS's description (never contains APDU payloads).
    Io(String),
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Timeout => f.write_str("USB timeout"),
            TransportError::Disconnected => f.write_str("the device was disconnected"),
            TransportError::Stall => f.write_str("the USB endpoint stalled"),
            TransportError::Io(e) => write!(f, "USB I/O error: {e}"),
        }
    }
}

impl std::error::Error for TransportError {}

/// One claimed CCID interface.
pub trait Transport: Send {
    /// The raw CCID class descriptor (type 0x21, normally 54 bytes) of the interface.
    fn class_descriptor(&self) -> &[u8];

    /// Sends one whole bulk-OUT message (the backend splits it into packets).
    fn bulk_out(&mut self, data: &[u8], timeout: Duration) -> Result<(), TransportError>;

    /// Receives one bulk-IN transfer into `buf` (ends at a short packet or when `buf` is full)
    /// and returns its length.
    fn bulk_in(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError>;

    /// Receives one interrupt-IN message (NotifySlotChange, HardwareError); `Timeout` when
    /// nothing is pending. Readers without an interrupt endpoint always time out.
    fn interrupt_in(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError>;

    /// A class-specific request to the interface with no data stage (bmRequestType 0x21),
    /// e.g. ABORT (0x01) with `value` = bSeq << 8 | bSlot.
    fn class_request_out(
        &mut self,
        request: u8,
        value: u16,
        timeout: Duration,
    ) -> Result<(), TransportError>;

    /// A class-specific request that reads data (bmRequestType 0xA1), e.g. GET_DATA_RATES.
    fn class_request_in(
        &mut self,
        request: u8,
        value: u16,
        buf: &mut [u8],
        timeout: Duration,
    ) -> Result<usize, TransportError>;
}
