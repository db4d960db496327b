//! The T=1 block protocol (ISO/IEC 7816-3 §11), run by the host for TPDU and character readers.

mod block;
mod engine;

pub use block::{Block, BlockError, Edc, RError, SType};
pub use engine::{BlockTransport, T1Config, T1};
