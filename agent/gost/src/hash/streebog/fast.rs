//! The table-driven compression function: the fast path for public data.
//!
//! S (π), P (the byte transposition τ) and L (ℓ on each word) are folded into eight tables of
//! 256 words, so one LPS round is 64 lookups and XORs. The lookups are indexed by the data, so
//! this must not see secrets: `super::ct` is the path for those.

use core::hint::black_box;

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

/// LPS(x), in two steps: [`spread`] puts x in memory as 32-bit halves, [`lps`] does the lookups.
/// Output word k gathers byte k of every input word (that is τ), through π and ℓ.
///
/// Shaped for the CPU rather than the reader (measured on x86-64, Zen 4; `benches/streebog.rs`).
/// The 64 table loads are fixed, so what matters is the cost of getting the 64 bytes out:
/// - the input goes through memory as 32-bit halves: four bytes then cost one load and five
///   ALU operations, and nothing has to keep eight 64-bit words live across the lookups (the
///   plain form, shifting bytes out of registers, runs out of the sixteen registers and spills);
/// - the output is built in two passes of four accumulators, few enough to stay in registers.
///
/// `black_box` keeps the halves in memory: without it LLVM turns the loads back into shifts of
/// the original words and the spills return. It takes the array by value, not a reference to
/// it: a reference goes through memory itself, and every load of a half then waited for the
/// pointer to be stored and reloaded (6% of the throughput). Index loops rather than iterators
/// on purpose: the iterator form compiled to a slower schedule.
///
/// Tried without gain: loading some bytes directly from memory, 16-bit loads, two
/// accumulators per output word, eight accumulators in one pass, unrolling the twelve rounds
/// (25% slower), an out-of-line LPS, interleaving the passes of the two LPS of a round.
#[inline(always)]
fn spread(x: &[u64; 8]) -> [u32; 16] {
    let mut halves = [0u32; 16];
    for (h, &w) in halves.chunks_exact_mut(2).zip(x) {
        h[0] = w as u32;
        h[1] = (w >> 32) as u32;
    }
    black_box(halves)
}

/// The lookups of LPS on the halves from [`spread`].
#[inline(always)]
fn lps(halves: &[u32; 16]) -> [u64; 8] {
    let mut r = [0u64; 8];
    for j in 0..2 {
        let (mut a0, mut a1, mut a2, mut a3) = (0u64, 0u64, 0u64, 0u64);
        for m in 0..8 {
            // Bytes 4j .. 4j+3 of input word m feed output words 4j .. 4j+3.
            let v = halves[2 * m + j];
            a0 ^= TABLES[m][(v & 0xff) as usize];
            a1 ^= TABLES[m][((v >> 8) & 0xff) as usize];
            a2 ^= TABLES[m][((v >> 16) & 0xff) as usize];
            a3 ^= TABLES[m][(v >> 24) as usize];
        }
        r[4 * j] = a0;
        r[4 * j + 1] = a1;
        r[4 * j + 2] = a2;
        r[4 * j + 3] = a3;
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
    // Inlined into the out-of-line block loop (`compress_blocks`), which measured faster than
    // a call per block.
    #[inline(always)]
    fn g(h: &mut [u64; 8], n: &[u64; 8], m: &[u64; 8]) {
        // E(K, m) with K_1 = LPS(h ⊕ N). The key chain K_i+1 = LPS(K_i ⊕ C_i) does not depend on
        // the state chain, so the two LPS of a round can overlap in the CPU.
        let mut k = lps(&spread(&xor(h, n)));
        let mut s = *m;
        for c in &C {
            // Both inputs of the round go to memory before either lookup starts: no key word
            // then stays live in a register across the state's lookups, and the two LPS
            // overlap better (+4%).
            let hs = spread(&xor(&s, &k));
            let hk = spread(&xor(&k, c));
            s = lps(&hs);
            k = lps(&hk);
        }
        for i in 0..8 {
            h[i] ^= s[i] ^ k[i] ^ m[i];
        }
    }
}
