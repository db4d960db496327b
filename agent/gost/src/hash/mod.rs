//! Hash functions of the GOST family and the constructions built on them.
//!
//! Everything here works on byte strings in *implementation order* (the order OpenSSL hashes and
//! prints), never in the reversed order in which RFC 6986 prints its vectors.

pub mod gost94;
pub mod hmac;
pub mod kdf;
pub mod pbkdf2;
pub mod streebog;

/// A hash that HMAC, the KDFs and PBKDF2 can be built on.
pub trait GostHash: Clone {
    /// Output length in bytes.
    const OUTPUT_LEN: usize;
    /// Input block length in bytes (HMAC's B).
    const BLOCK_LEN: usize;
    /// A fresh state.
    fn new() -> Self;
    /// Absorbs more input.
    fn update(&mut self, data: &[u8]);
    /// Writes the digest into `out[..OUTPUT_LEN]`; `out` must be at least that long.
    fn finalize_into(self, out: &mut [u8]);
}
