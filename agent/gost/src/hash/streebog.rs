//! Streebog, GOST R 34.11-2012 (RFC 6986), 256- and 512-bit.
//!
//! Byte order: input and output are byte strings in implementation order (what OpenSSL hashes
//! and prints). RFC 6986 prints its messages and digests reversed; see `tests/hash_streebog.rs`.
//!
//! The block function comes in two flavours sharing this file's padding and counters:
//! [`Streebog256`]/[`Streebog512`] use lookup tables and are for public data (certificates,
//! documents, signatures), [`ct`] makes no data-dependent memory access and is for secrets.

mod consts;
pub mod ct;
mod fast;

use core::marker::PhantomData;

use zeroize::Zeroize;

use super::GostHash;

const BLOCK: usize = 64;

/// One compression function g_N(h, m) = E(LPS(h ⊕ N), m) ⊕ h ⊕ m (RFC 6986 §7).
trait Compress {
    fn g(h: &mut [u64; 8], n: &[u64; 8], m: &[u64; 8]);
}

/// The iteration state shared by both output lengths and both block functions.
struct Core<C: Compress> {
    h: [u64; 8],
    /// Number of message bits processed so far, mod 2^512.
    n: [u64; 8],
    /// Sum of the message blocks, mod 2^512.
    sigma: [u64; 8],
    buf: [u8; BLOCK],
    buf_len: usize,
    _c: PhantomData<C>,
}

// Manual impl: a derive would demand `C: Clone` although `C` is only a marker.
impl<C: Compress> Clone for Core<C> {
    fn clone(&self) -> Self {
        Self {
            h: self.h,
            n: self.n,
            sigma: self.sigma,
            buf: self.buf,
            buf_len: self.buf_len,
            _c: PhantomData,
        }
    }
}

// The state of an HMAC or of a hash over a secret is as sensitive as the secret.
impl<C: Compress> Drop for Core<C> {
    fn drop(&mut self) {
        self.h.zeroize();
        self.n.zeroize();
        self.sigma.zeroize();
        self.buf.zeroize();
    }
}

/// The 64-byte block `b` as eight little-endian words (`b` is 64 bytes long).
#[inline(always)]
fn load_block(b: &[u8]) -> [u64; 8] {
    let mut w = [0u64; 8];
    for (w, c) in w.iter_mut().zip(b.chunks_exact(8)) {
        *w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
    }
    w
}

/// a += b mod 2^512, carries rippling upwards from word 0.
#[inline(always)]
fn add512(a: &mut [u64; 8], b: &[u64; 8]) {
    let mut carry = false;
    for (a, &b) in a.iter_mut().zip(b) {
        let (s1, c1) = a.overflowing_add(b);
        let (s2, c2) = s1.overflowing_add(u64::from(carry));
        *a = s2;
        carry = c1 | c2;
    }
}

/// a += x mod 2^512 for a small x.
#[inline(always)]
fn add512_small(a: &mut [u64; 8], x: u64) {
    let mut carry = x;
    for a in a.iter_mut() {
        let (s, c) = a.overflowing_add(carry);
        *a = s;
        carry = u64::from(c);
    }
}

impl<C: Compress> Core<C> {
    fn new(iv: u64) -> Self {
        Self {
            h: [iv; 8],
            n: [0; 8],
            sigma: [0; 8],
            buf: [0; BLOCK],
            buf_len: 0,
            _c: PhantomData,
        }
    }

    fn update(&mut self, mut data: &[u8]) {
        if self.buf_len > 0 {
            let take = (BLOCK - self.buf_len).min(data.len());
            self.buf[self.buf_len..self.buf_len + take].copy_from_slice(&data[..take]);
            self.buf_len += take;
            data = &data[take..];
            if self.buf_len < BLOCK {
                return;
            }
            compress_blocks::<C>(&mut self.h, &mut self.n, &mut self.sigma, &self.buf);
            self.buf_len = 0;
        }
        // Eager processing is right for Streebog: a message that ends on a block boundary still
        // gets a padding-only block in `finalize`.
        let full = data.len() - data.len() % BLOCK;
        let (blocks, rest) = data.split_at(full);
        compress_blocks::<C>(&mut self.h, &mut self.n, &mut self.sigma, blocks);
        self.buf[..rest.len()].copy_from_slice(rest);
        self.buf_len = rest.len();
    }

    /// Stage 3: pads with 0x01 then zeros, then folds in N and Σ. Returns h as bytes.
    fn finalize(mut self) -> [u8; BLOCK] {
        let len = self.buf_len;
        let mut block = [0u8; BLOCK];
        block[..len].copy_from_slice(&self.buf[..len]);
        block[len] = 1;
        let mut m = load_block(&block);
        block.zeroize();
        C::g(&mut self.h, &self.n, &m);
        add512_small(&mut self.n, 8 * len as u64);
        add512(&mut self.sigma, &m);
        m.zeroize();
        let zero = [0u64; 8];
        C::g(&mut self.h, &zero, &self.n);
        C::g(&mut self.h, &zero, &self.sigma);
        let mut out = [0u8; BLOCK];
        for (o, w) in out.chunks_exact_mut(8).zip(self.h) {
            o.copy_from_slice(&w.to_le_bytes());
        }
        out
    }
}

/// Stage 2 of the standard for each 64-byte block of `blocks` (a multiple of 64 bytes long),
/// read straight from the caller's slice.
///
/// Kept out of line so that the compression function, inlined here, gets the registers to
/// itself (measurably faster than inlining all of it into `update`).
#[inline(never)]
fn compress_blocks<C: Compress>(
    h: &mut [u64; 8],
    n: &mut [u64; 8],
    sigma: &mut [u64; 8],
    blocks: &[u8],
) {
    for chunk in blocks.chunks_exact(BLOCK) {
        let m = load_block(chunk);
        C::g(h, n, &m);
        add512_small(n, 512);
        add512(sigma, &m);
    }
}

/// Writes the digest `full` truncated to `len` bytes into `out`: the 256-bit hash is the most
/// significant half of h, i.e. its last 32 bytes in little-endian order.
fn emit(mut full: [u8; BLOCK], len: usize, out: &mut [u8]) {
    out[..len].copy_from_slice(&full[BLOCK - len..]);
    full.zeroize();
}

macro_rules! streebog_type {
    ($(#[$doc:meta])* $name:ident, $core:ty, $len:expr, $iv:expr) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name($core);

        impl $name {
            /// A fresh state.
            pub fn new() -> Self {
                Self(<$core>::new($iv))
            }

            /// Absorbs more input.
            pub fn update(&mut self, data: &[u8]) {
                self.0.update(data);
            }

            /// Returns the digest.
            pub fn finalize(self) -> [u8; $len] {
                let mut out = [0u8; $len];
                emit(self.0.finalize(), $len, &mut out);
                out
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), " { .. }"))
            }
        }

        impl GostHash for $name {
            const OUTPUT_LEN: usize = $len;
            const BLOCK_LEN: usize = BLOCK;

            fn new() -> Self {
                Self::new()
            }

            fn update(&mut self, data: &[u8]) {
                self.0.update(data);
            }

            /// # Panics
            /// If `out` is shorter than `OUTPUT_LEN` (a caller bug, not bad input).
            fn finalize_into(self, out: &mut [u8]) {
                emit(self.0.finalize(), $len, out);
            }
        }
    };
}
pub(crate) use streebog_type;

// IVs: 0^512 for the 512-bit hash, (00000001)^64 for the 256-bit one (RFC 6986 §5).
const IV_256: u64 = 0x0101_0101_0101_0101;
const IV_512: u64 = 0;

streebog_type!(
    /// Streebog-256 for public data (table-driven, fast).
    Streebog256,
    Core<fast::Fast>,
    32,
    IV_256
);
streebog_type!(
    /// Streebog-512 for public data (table-driven, fast).
    Streebog512,
    Core<fast::Fast>,
    64,
    IV_512
);

/// Streebog-256 of `data` (public data only; see [`ct::streebog256_ct`] for secrets).
pub fn streebog256(data: &[u8]) -> [u8; 32] {
    let mut h = Streebog256::new();
    h.update(data);
    h.finalize()
}

/// Streebog-512 of `data` (public data only; see [`ct::streebog512_ct`] for secrets).
pub fn streebog512(data: &[u8]) -> [u8; 64] {
    let mut h = Streebog512::new();
    h.update(data);
    h.finalize()
}
