//! Streebog for secret inputs (the VKO shared point that becomes a KEK, key material).
//!
//! No memory address and no branch depends on the data: π is read by scanning the whole S-box
//! with masks, and ℓ is computed as 64 parities against the columns of the matrix A, without the
//! combined tables of the fast path. That costs about 100× the fast path, which is fine for the
//! few hundred bytes this is used on. Being computed from the definitions (S, then P, then L),
//! it also serves as an independent check of the fast path's tables.
//!
//! Why parities rather than "XOR row i of A if bit i is set" with masks: LLVM recognises the
//! mask `0 - bit` as a select and, because one side is a load of A, turned it into a branch on
//! the secret bit (seen in the x86-64 output). Parities of `x & column` contain no such
//! pattern; `tests/hash_streebog.rs` checks the result, the disassembly was checked by hand.

use core::hint::black_box;

use super::consts::{A, C, PI};
use super::{emit, streebog_type, Compress, Core, GostHash, BLOCK, IV_256, IV_512};

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

/// `COLUMNS[j]` has bit i set iff output bit j of ℓ depends on input bit i, that is iff bit j
/// of `A[63 - i]` is set. Then bit j of ℓ(x) is the parity of `x & COLUMNS[j]`.
const COLUMNS: [u64; 64] = {
    let mut cols = [0u64; 64];
    let mut j = 0;
    while j < 64 {
        let mut i = 0;
        while i < 64 {
            cols[j] |= ((A[63 - i] >> j) & 1) << i;
            i += 1;
        }
        j += 1;
    }
    cols
};

/// ℓ(x) without a data-dependent branch or address.
fn ell_ct(x: u64) -> u64 {
    let mut r = 0u64;
    for (j, &col) in COLUMNS.iter().enumerate() {
        r |= u64::from((x & col).count_ones() & 1) << j;
    }
    r
}

/// π(b), reading every entry of the S-box whatever `b` is.
#[inline]
fn pi_ct(b: u8) -> u8 {
    // Through `black_box` the optimiser knows neither the value nor its range (it is a u64 now),
    // so it can neither turn the scan back into a lookup nor the mask into a comparison.
    let hi = black_box(u64::from(b >> 3));
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
        *r = ell_ct(p);
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
