//! Signature nonces: fresh randomness from the OS, hedged with the private key and the digest.
//!
//! In the spirit of RFC 6979 §3.6 ("additional data"): a PRF keyed with the private key over the
//! digest and 64 fresh random bytes. A broken or repeating OS generator then still yields a
//! distinct nonce per (key, digest), and a perfect generator alone makes k uniformly random.
//! SHA-512 (not Streebog) because its implementation has no secret-indexed tables, which keeps the
//! whole signing path constant-time. The 2L-byte output is reduced mod q, so k has no usable bias.

use sha2::{Digest, Sha512};
use zeroize::Zeroize;

use crate::curve::CurveParams;

const BLOCK: usize = 128;
const OUT: usize = 64;

fn hmac(key: &[u8; OUT], parts: &[&[u8]]) -> [u8; OUT] {
    let mut pad = [0u8; BLOCK];
    pad[..OUT].copy_from_slice(key);
    for b in pad.iter_mut() {
        *b ^= 0x36;
    }
    let mut inner = Sha512::new();
    inner.update(pad);
    for p in parts {
        inner.update(p);
    }
    let mut ih = [0u8; OUT];
    ih.copy_from_slice(&inner.finalize());
    for b in pad.iter_mut() {
        *b ^= 0x36 ^ 0x5c;
    }
    let mut outer = Sha512::new();
    outer.update(pad);
    outer.update(ih);
    let mut out = [0u8; OUT];
    out.copy_from_slice(&outer.finalize());
    pad.zeroize();
    ih.zeroize();
    out
}

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
/// T_i = HMAC-SHA512(key = d, "tamga-gost nonce" ‖ i ‖ digest ‖ extra): 2L bytes for k (reduced
/// mod q, so k has no usable bias) and 2L more for β (reduced mod p). One HMAC (five SHA-512
/// blocks) per 64 bytes; RFC 6979's full HMAC_DRBG would cost six HMACs for k alone.
pub(crate) fn derive<const N: usize>(
    c: &CurveParams<N>,
    secret_le: &[u8],
    digest: &[u8],
    extra: &[u8],
) -> Nonce<N> {
    let mut key = [0u8; OUT];
    let n = secret_le.len().min(OUT);
    key[..n].copy_from_slice(&secret_le[..n]);
    let mut t = [0u8; 256];
    for (i, chunk) in t[..32 * N].chunks_mut(OUT).enumerate() {
        let mut block = hmac(&key, &[b"tamga-gost nonce", &[i as u8], digest, extra]);
        chunk.copy_from_slice(&block[..chunk.len()]);
        block.zeroize();
    }
    let k = wide_nonzero(&c.fq, &t[..16 * N], false);
    let blind = wide_nonzero(&c.fp, &t[16 * N..32 * N], true);
    key.zeroize();
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
