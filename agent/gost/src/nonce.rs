//! Signature nonces: fresh randomness from the OS, hedged with the private key and the digest.
//!
//! In the spirit of RFC 6979 §3.6 ("additional data"): a pseudo-random function of the private
//! key, the digest and 64 fresh random bytes. A broken or repeating OS generator then still yields
//! a distinct nonce per (key, digest), and a perfect generator alone makes k uniformly random.
//! The PRF is SHA-512 over a secret prefix, as Ed25519 derives its nonces: SHA-512's
//! implementation has no secret-indexed tables (Streebog's does), which keeps the whole signing
//! path constant-time, and the shared prefix is hashed once for all output blocks.

use sha2::{Digest, Sha512};
use zeroize::Zeroize;

use crate::curve::CurveParams;

const OUT: usize = 64;

/// A signing nonce and the blinding factor of the one inversion that signing needs.
pub(crate) struct Nonce<const N: usize> {
    /// 0 < k < q, a plain integer.
    pub k: [u64; N],
    /// 0 < β < p, in the field's representation: the inversion of Z runs in variable time on
    /// Z·β, a uniformly random value that says nothing about Z, and is multiplied by β after.
    pub blind: [u64; N],
}

impl<const N: usize> Drop for Nonce<N> {
    fn drop(&mut self) {
        self.k.zeroize();
        self.blind.zeroize();
    }
}

/// Derives the nonce and the blinding factor.
///
/// T_i = SHA-512("tamga-gost nonce" ‖ d ‖ digest ‖ extra ‖ i): 2L bytes for k (reduced mod q,
/// so k has no usable bias) and 2L more for β (reduced mod p).
pub(crate) fn derive<const N: usize>(
    c: &CurveParams<N>,
    secret_le: &[u8],
    digest: &[u8],
    extra: &[u8],
) -> Nonce<N> {
    let mut prefix = Sha512::new();
    prefix.update(b"tamga-gost nonce");
    prefix.update(secret_le);
    prefix.update(digest);
    prefix.update(extra);
    let mut t = [0u8; 256];
    for (i, chunk) in t[..32 * N].chunks_mut(OUT).enumerate() {
        let mut h = prefix.clone();
        h.update([i as u8]);
        let mut block = [0u8; OUT];
        block.copy_from_slice(&h.finalize());
        chunk.copy_from_slice(&block[..chunk.len()]);
        block.zeroize();
    }
    let k = wide_nonzero(&c.fq, &t[..16 * N], false);
    let blind = wide_nonzero(&c.fp, &t[16 * N..32 * N], true);
    t.zeroize();
    Nonce { k, blind }
}

/// 16N bytes reduced mod m, mapped to 1 if zero (probability ~2^-250: a select, not a loop on a
/// secret). `rep` keeps the result in the modulus's representation.
fn wide_nonzero<const N: usize>(m: &crate::field::Modulus<N>, bytes: &[u8], rep: bool) -> [u64; N] {
    let mut lo: [u64; N] = crate::bigint::from_le_bytes(&bytes[..8 * N]);
    let mut hi: [u64; N] = crate::bigint::from_le_bytes(&bytes[8 * N..16 * N]);
    let r = m.rep_wide(&lo, &hi);
    let mut v = if rep { r } else { m.int(&r) };
    let one = if rep {
        m.one
    } else {
        let mut o = [0u64; N];
        o[0] = 1;
        o
    };
    v = crate::bigint::select_n(&v, &one, crate::bigint::mask(crate::bigint::is_zero_n(&v)));
    lo.zeroize();
    hi.zeroize();
    v
}
