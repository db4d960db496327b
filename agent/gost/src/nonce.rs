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

/// A nonce 0 < k < q, as a plain integer.
///
/// T_i = HMAC-SHA512(key = d, "tamga-gost nonce" ‖ i ‖ digest ‖ extra) for i = 0, 1, …, 2L
/// bytes in all, reduced mod q. One HMAC (five SHA-512 blocks) per 64 bytes: RFC 6979's full
/// HMAC_DRBG costs six HMACs for the same guarantee, a fifth of a 256-bit signature.
pub(crate) fn derive_k<const N: usize>(
    c: &CurveParams<N>,
    secret_le: &[u8],
    digest: &[u8],
    extra: &[u8],
) -> [u64; N] {
    let mut key = [0u8; OUT];
    key[..secret_le.len().min(OUT)].copy_from_slice(&secret_le[..secret_le.len().min(OUT)]);
    let mut t = [0u8; 128];
    for (i, chunk) in t[..16 * N].chunks_mut(OUT).enumerate() {
        let mut block = hmac(&key, &[b"tamga-gost nonce", &[i as u8], digest, extra]);
        chunk.copy_from_slice(&block[..chunk.len()]);
        block.zeroize();
    }
    let mut lo: [u64; N] = crate::bigint::from_le_bytes(&t[..8 * N]);
    let mut hi: [u64; N] = crate::bigint::from_le_bytes(&t[8 * N..16 * N]);
    let f = &c.fq;
    let mut nonce = f.to_int(&f.from_wide(&lo, &hi));
    // k = 0 has probability 2^-250; map it to 1 without a branch rather than loop on a secret.
    let mut one = [0u64; N];
    one[0] = 1;
    nonce = crate::bigint::select_n(&nonce, &one, crate::bigint::mask(crate::bigint::is_zero_n(&nonce)));
    key.zeroize();
    t.zeroize();
    lo.zeroize();
    hi.zeroize();
    nonce
}
