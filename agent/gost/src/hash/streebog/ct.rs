//! Streebog for secret inputs (the VKO shared point that becomes a KEK, key material).
//!
//! No memory address and no branch depends on the data: π is read by scanning the whole S-box
//! with masks, and ℓ is evaluated bit by bit from the matrix A, without the combined tables of
//! the fast path. That costs about 20× the fast path, which is fine for the few hundred bytes
//! this is used on. Being computed from the definitions (S, then P, then L), it also serves as
//! an independent check of the fast path's tables.

use core::hint::black_box;

use super::consts::{ell, PI};
use super::{emit, streebog_type, Compress, Core, GostHash, BLOCK, IV_256, IV_512};
use crate::hash::streebog::consts::C;

/// π packed eight entries per word, so a full scan is 32 masked loads instead of 256.
const PI_WORDS: [u64; 32] = {
    let mut w = [0u64; 32];
    let mut i = 0;
    while i < 256 {
        w[i / 8] |= (PI[i] as u64) << (8 * (i % 8));
        i += 1;
    }
    w
};

/// π(b), reading every entry of the S-box whatever `b` is.
#[inline]
fn pi_ct(b: u8) -> u8 {
    // Hide the index from the optimiser so it cannot turn the scan back into a lookup.
    let b = black_box(b);
    let hi = u64::from(b >> 3);
    let mut acc = 0u64;
    for (i, &w) in PI_WORDS.iter().enumerate() {
        // All ones exactly when i == hi: (i ^ hi) - 1 borrows into bit 63 only from zero.
        let eq = ((i as u64 ^ hi).wrapping_sub(1) >> 63).wrapping_neg();
        acc |= w & eq;
    }
    // A shift by a variable amount runs in constant time on the targets we build for.
    (acc >> (8 * u32::from(b & 7))) as u8
}

/// LPS(x) from the definitions: S on every byte, P = τ (transpose the 8×8 byte matrix),
/// L = ℓ on every word.
fn lps_ct(x: &[u64; 8]) -> [u64; 8] {
    let mut p = [0u64; 8];
    for (m, &w) in x.iter().enumerate() {
        for (k, pk) in p.iter_mut().enumerate() {
            *pk |= u64::from(pi_ct((w >> (8 * k)) as u8)) << (8 * m);
        }
    }
    let mut r = [0u64; 8];
    for (r, &p) in r.iter_mut().zip(&p) {
        *r = ell(p);
    }
    r
}

fn xor(a: &[u64; 8], b: &[u64; 8]) -> [u64; 8] {
    let mut r = *a;
    for (r, b) in r.iter_mut().zip(b) {
        *r ^= b;
    }
    r
}

/// The constant-time compression function.
pub(super) struct Ct;

impl Compress for Ct {
    fn g(h: &mut [u64; 8], n: &[u64; 8], m: &[u64; 8]) {
        let mut k = lps_ct(&xor(h, n));
        let mut s = *m;
        for c in &C {
            s = lps_ct(&xor(&s, &k));
            k = lps_ct(&xor(&k, c));
        }
        for ((h, s), (k, m)) in h.iter_mut().zip(&s).zip(k.iter().zip(m)) {
            *h ^= s ^ k ^ m;
        }
    }
}

streebog_type!(
    /// Streebog-256 for secret data (constant-time, slow). Same digests as
    /// [`Streebog256`](super::Streebog256).
    Streebog256Ct,
    Core<Ct>,
    32,
    IV_256
);
streebog_type!(
    /// Streebog-512 for secret data (constant-time, slow). Same digests as
    /// [`Streebog512`](super::Streebog512).
    Streebog512Ct,
    Core<Ct>,
    64,
    IV_512
);

/// Streebog-256 of secret `data`, with no data-dependent memory access or branch.
pub fn streebog256_ct(data: &[u8]) -> [u8; 32] {
    let mut h = Streebog256Ct::new();
    h.update(data);
    h.finalize()
}

/// Streebog-512 of secret `data`, with no data-dependent memory access or branch.
pub fn streebog512_ct(data: &[u8]) -> [u8; 64] {
    let mut h = Streebog512Ct::new();
    h.update(data);
    h.finalize()
}
