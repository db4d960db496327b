//! GOST 34.311-95, the hash of Kazakhstan's 2004 signature standard: GOST R 34.11-94 with the
//! "test" S-box parameter set and a zero IV, wrapped from RustCrypto's `gost94` crate.
//!
//! Byte order is the one `gost94` and OpenSSL's `md_gost94` output; RFC 5831 prints its digests
//! reversed (`tests/hash_gost94.rs` pins both).

use gost94::{Digest, Gost94Test};

use super::GostHash;

/// GOST 34.311-95 (GOST R 34.11-94, test parameter set) hash state.
///
/// Used for public data (certificates and documents of the 2004 PKI); its state is not wiped on
/// drop.
#[derive(Clone, Default)]
pub struct Gost34311(Gost94Test);

impl Gost34311 {
    /// A fresh state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Absorbs more input.
    pub fn update(&mut self, data: &[u8]) {
        Digest::update(&mut self.0, data);
    }

    /// Returns the digest.
    pub fn finalize(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

impl core::fmt::Debug for Gost34311 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Gost34311 { .. }")
    }
}

impl GostHash for Gost34311 {
    const OUTPUT_LEN: usize = 32;
    const BLOCK_LEN: usize = 32;

    fn new() -> Self {
        Self::new()
    }

    fn update(&mut self, data: &[u8]) {
        Gost34311::update(self, data);
    }

    /// # Panics
    /// If `out` is shorter than 32 bytes (a caller bug, not bad input).
    fn finalize_into(self, out: &mut [u8]) {
        out[..32].copy_from_slice(&self.finalize());
    }
}

/// GOST 34.311-95 of `data`.
pub fn gost34311(data: &[u8]) -> [u8; 32] {
    let mut h = Gost34311::new();
    h.update(data);
    h.finalize()
}
