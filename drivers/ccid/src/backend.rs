//! The USB backends: the only code that touches the operating system.

#[cfg(feature = "nusb")]
pub mod nusb;
#[cfg(feature = "rusb")]
pub mod rusb;
