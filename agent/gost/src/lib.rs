//! GOST R 34.10-2012 signatures, VKO key agreement and the GOST hash family, for tamga.
//!
//! The elliptic-curve core (field, scalar and point arithmetic) is `no_std`, allocation-free on the
//! hot path and constant-time for every operation that touches a secret scalar or nonce: key
//! generation, signing and VKO. Verification handles public data only and is allowed to branch.
//!
//! Byte orders follow the traps pinned in the project's design notes: digests are read as
//! little-endian integers, RFC 9215 signatures are `s ‖ r` big-endian, public keys are `X ‖ Y`
//! little-endian, and the Kazakh NCA signature layout is the RFC 9215 one reversed as a whole.
#![cfg_attr(not(feature = "std"), no_std)]
// The one exception is the valgrind client request of the constant-time test build (`ct::valgrind`).
#![cfg_attr(not(feature = "ctgrind"), forbid(unsafe_code))]
#![cfg_attr(feature = "ctgrind", deny(unsafe_code))]
#![warn(missing_docs)]
// Without `std` the cached-table paths (and their helpers) are compiled out.
#![cfg_attr(not(feature = "std"), allow(dead_code, unused_imports))]

// Tables and the byte-string API use `alloc`; the arithmetic itself never allocates.
extern crate alloc;

mod bigint;
pub mod ct;
mod curve;
mod curve_params;
mod edwards;
mod encoding;
mod error;
mod field;
mod fixed_base;
pub mod hash;
mod keys;
mod nonce;
mod point;
mod scalar;
mod sign;
mod vko;
mod wnaf;

pub use curve::{Curve, CurveForm, ALL_CURVES};
pub use encoding::SigEncoding;
pub use error::Error;
pub use keys::{PublicKey, SecretKey};
pub use sign::Signature;
pub use vko::{vko_2012_256, vko_2012_512, vko_point};
