//! tamga-ccid: a USB CCID host driver in pure Rust.
//!
//! Layers, bottom up:
//! - [`Transport`]: the reader's pipes (bulk in/out, interrupt, class requests); the `nusb` and
//!   `rusb` backends implement it, tests implement it with device models;
//! - [`Reader`]: CCID messages with bSeq checks, time extensions, bError mapping, Abort and the
//!   interrupt endpoint ([`ReaderEvent`]);
//! - the exchange levels: short or extended APDU, TPDU and character, with the host's T=1
//!   ([`t1`]) and T=0 ([`t0`]) engines;
//! - [`Card`]: a powered slot that implements [`ApduChannel`], with 61xx and 6Cxx resolved once
//!   in [`ApduLayer`], whatever the level.
//!
//! No log line above `trace` shows APDU bytes, and at `trace` only headers and lengths: VERIFY
//! carries PINs.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod apdu;
pub mod atr;
pub mod backend;
mod bytes;
mod card;
mod channel;
pub mod descriptor;
mod error;
mod filter;
mod level;
pub mod message;
pub mod notify;
pub mod params;
mod reader;
pub mod t0;
pub mod t1;
mod transport;

pub use apdu::{split_status, ApduLayer, CommandApdu, RawChannel};
pub use atr::Atr;
pub use card::{Card, CardLink};
pub use channel::ApduChannel;
pub use descriptor::{CcidDescriptor, ExchangeLevel, Features};
pub use error::{CcidError, SlotError};
pub use filter::{DeviceFilter, AKTIV_VID, CCID_CLASS};
pub use message::{CommandStatus, IccStatus, Reply, Request, Voltage};
pub use notify::{ReaderEvent, SlotState};
pub use params::{ProtocolParameters, T0Parameters, T1Parameters};
pub use reader::{Reader, SharedReader, SlotStatus};
pub use transport::{Transport, TransportError};
