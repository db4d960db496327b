//! The table-driven compression function: the fast path for public data.
//!
//! S (π), P (the byte transposition τ) and L (ℓ on each word) are folded into eight tables of
//! 256 words, so one LPS round is 64 lookups and XORs. The lookups are indexed by the data, so
//! this must not see secrets: `super::ct` is the path for those.

use super::consts::{ell, C, PI};
use super::Compress;

/// `TABLES[m][b]` = ℓ(π(b) · 2^(8m)): the contribution of byte value `b` sitting in input word
/// `m` to the output word of LPS that byte is transposed into.
static TABLES: [[u64; 256]; 8] = {
    let mut t = [[0u64; 256]; 8];
    let mut m = 0;
    while m < 8 {
        let mut b = 0;
        while b < 256 {
            t[m][b] = ell((PI[b] as u64) << (8 * m));
            b += 1;
        }
        m += 1;
    }
    t
};

/// LPS(x): output word k gathers byte k of every input word (that is τ), through π and ℓ.
#[inline(always)]
fn lps(x: &[u64; 8]) -> [u64; 8] {
    let mut r = [0u64; 8];
    for (&w, t) in x.iter().zip(TABLES.iter()) {
        for (k, rk) in r.iter_mut().enumerate() {
            *rk ^= t[(w >> (8 * k)) as u8 as usize];
        }
    }
    r
}

#[inline(always)]
fn xor(a: &[u64; 8], b: &[u64; 8]) -> [u64; 8] {
    let mut r = [0u64; 8];
    for i in 0..8 {
        r[i] = a[i] ^ b[i];
    }
    r
}

/// The table-driven compression function.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Fast;

impl Compress for Fast {
    #[inline(always)]
    fn g(h: &mut [u64; 8], n: &[u64; 8], m: &[u64; 8]) {
        // E(K, m) with K_1 = LPS(h ⊕ N); the key schedule and the state chain are independent
        // until the end, which gives the CPU two LPS streams to overlap.
        let mut k = lps(&xor(h, n));
        let mut s = *m;
        for c in &C {
            s = lps(&xor(&s, &k));
            k = lps(&xor(&k, c));
        }
        for i in 0..8 {
            h[i] ^= s[i] ^ k[i] ^ m[i];
        }
    }
}
