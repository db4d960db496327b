//! HMAC (RFC 2104) over any [`GostHash`]: HMAC_GOSTR3411_2012_256/512 of RFC 7836 §4.1.

use core::fmt;
use core::hint::black_box;

use zeroize::Zeroize;

use super::streebog::{Streebog256, Streebog512};
use super::GostHash;

/// Largest block and output length supported; every GOST hash fits.
const MAX_LEN: usize = 64;

/// Why an HMAC output could not be produced or checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HmacError {
    /// The output buffer or the tag is empty or longer than the hash output.
    BadTagLength,
    /// The tag does not match.
    Mismatch,
}

impl fmt::Display for HmacError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HmacError::BadTagLength => "HMAC tag length is zero or exceeds the hash output",
            HmacError::Mismatch => "HMAC tag mismatch",
        })
    }
}

impl core::error::Error for HmacError {}

/// An HMAC computation in progress.
///
/// Holds the hash states after the key blocks, which are as good as the key itself; the
/// Streebog states wipe themselves on drop. Cloning a fresh `Hmac` is the cheap way to MAC many
/// messages under one key (PBKDF2, KDF_TREE do that).
///
/// With [`Streebog256`]/[`Streebog512`] the table lookups are indexed by key-derived bytes, as
/// in OpenSSL and RustCrypto; where cache timing matters and speed does not, use
/// `Hmac<streebog::ct::Streebog256Ct>` (or `Streebog512Ct`), as the RFC 7836 KDFs here do.
#[derive(Clone)]
pub struct Hmac<H: GostHash> {
    inner: H,
    outer: H,
}

impl<H: GostHash> fmt::Debug for Hmac<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hmac { .. }")
    }
}

impl<H: GostHash> Hmac<H> {
    /// Keys the MAC. Any key length is accepted; keys longer than the hash block are hashed
    /// first, as RFC 2104 says.
    pub fn new(key: &[u8]) -> Self {
        const {
            assert!(H::BLOCK_LEN <= MAX_LEN && H::OUTPUT_LEN <= H::BLOCK_LEN);
        }
        let mut k0 = [0u8; MAX_LEN];
        if key.len() > H::BLOCK_LEN {
            let mut h = H::new();
            h.update(key);
            h.finalize_into(&mut k0[..H::OUTPUT_LEN]);
        } else {
            k0[..key.len()].copy_from_slice(key);
        }
        let mut pad = [0u8; MAX_LEN];
        let mut keyed = |byte: u8| {
            for (p, k) in pad.iter_mut().zip(&k0) {
                *p = k ^ byte;
            }
            let mut h = H::new();
            h.update(&pad[..H::BLOCK_LEN]);
            h
        };
        let inner = keyed(0x36);
        let outer = keyed(0x5c);
        k0.zeroize();
        pad.zeroize();
        Self { inner, outer }
    }

    /// Absorbs more of the message.
    pub fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    /// Writes the tag, truncated to `out.len()` bytes (RFC 2104 §5), into `out`.
    pub fn finalize_into(self, out: &mut [u8]) -> Result<(), HmacError> {
        if out.is_empty() || out.len() > H::OUTPUT_LEN {
            return Err(HmacError::BadTagLength);
        }
        let mut full = [0u8; MAX_LEN];
        self.finalize_full(&mut full);
        out.copy_from_slice(&full[..out.len()]);
        full.zeroize();
        Ok(())
    }

    /// Checks `tag` (the full tag or a truncation of it) in time independent of where it
    /// differs.
    pub fn verify(self, tag: &[u8]) -> Result<(), HmacError> {
        if tag.is_empty() || tag.len() > H::OUTPUT_LEN {
            return Err(HmacError::BadTagLength);
        }
        let mut full = [0u8; MAX_LEN];
        self.finalize_full(&mut full);
        let diff = full.iter().zip(tag).fold(0u8, |d, (a, b)| d | (a ^ b));
        full.zeroize();
        if black_box(diff) == 0 {
            Ok(())
        } else {
            Err(HmacError::Mismatch)
        }
    }

    /// H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)) into `out[..OUTPUT_LEN]`.
    fn finalize_full(self, out: &mut [u8; MAX_LEN]) {
        let Self { inner, mut outer } = self;
        let mut ih = [0u8; MAX_LEN];
        inner.finalize_into(&mut ih[..H::OUTPUT_LEN]);
        outer.update(&ih[..H::OUTPUT_LEN]);
        outer.finalize_into(&mut out[..H::OUTPUT_LEN]);
        ih.zeroize();
    }
}

/// `finalize` returning the tag as an array of the hash's size, for each concrete hash.
macro_rules! finalize_to_array {
    ($($hash:ty => $len:literal),* $(,)?) => {$(
        impl Hmac<$hash> {
            #[doc = concat!("Returns the full ", stringify!($len), "-byte tag.")]
            pub fn finalize(self) -> [u8; $len] {
                let mut full = [0u8; MAX_LEN];
                self.finalize_full(&mut full);
                let mut out = [0u8; $len];
                out.copy_from_slice(&full[..$len]);
                full.zeroize();
                out
            }
        }
    )*};
}

finalize_to_array!(
    Streebog256 => 32,
    Streebog512 => 64,
    super::streebog::ct::Streebog256Ct => 32,
    super::streebog::ct::Streebog512Ct => 64,
    super::gost94::Gost34311 => 32,
);

/// HMAC_GOSTR3411_2012_256(key, data) (RFC 7836 §4.1.1).
pub fn hmac_streebog256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut m = Hmac::<Streebog256>::new(key);
    m.update(data);
    m.finalize()
}

/// HMAC_GOSTR3411_2012_512(key, data) (RFC 7836 §4.1.2).
pub fn hmac_streebog512(key: &[u8], data: &[u8]) -> [u8; 64] {
    let mut m = Hmac::<Streebog512>::new(key);
    m.update(data);
    m.finalize()
}
