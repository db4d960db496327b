//! VKO key agreement, RFC 7836 §4.3: K = (m/q · UKM · x mod q) · (y·P), KEK = H(K.x ‖ K.y), all
//! little-endian. Constant time in the private key and in the shared point.

use alloc::vec;
use alloc::vec::Vec;

use zeroize::{Zeroize, Zeroizing};

use crate::bigint::{from_le_bytes, is_zero_n, to_le_bytes};
use crate::keys::{dispatch, limbs, PublicKey, SecretKey};
use crate::Error;

/// The shared point K as `K.x ‖ K.y`, each little-endian (2L bytes). `ukm` is a little-endian
/// integer of at most L bytes; it must not be 0 mod q.
pub fn vko_point(
    key: &SecretKey,
    peer: &PublicKey,
    ukm: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let curve = key.curve();
    if !curve.same_curve(peer.curve()) {
        return Err(Error::InvalidPublicKey);
    }
    let l = curve.scalar_len();
    if ukm.is_empty() || ukm.len() > l {
        return Err(Error::Length {
            expected: l,
            got: ukm.len(),
        });
    }
    let mut ukm_buf = [0u8; 64];
    ukm_buf[..ukm.len()].copy_from_slice(ukm);
    let mut out = Zeroizing::new(vec![0u8; 2 * l]);
    dispatch!(curve, c => {
        let f = &c.fq;
        let u = f.rep(&f.reduce_limbs(&from_le_bytes(&ukm_buf[..l])));
        if is_zero_n(&u) == 1 {
            return Err(Error::InvalidUkm);
        }
        let mut cof = [0u64; _];
        cof[0] = c.cofactor;
        let d = Zeroizing::new(limbs(&key.d));
        let mut t = f.mul(&f.mul(&u, &f.rep(&d)), &f.rep(&cof));
        let mut scalar = f.int(&t);
        let (pt, _) = c.to_affine(&c.mul_ct(&scalar, &peer.affine(c)));
        let mut x = c.fp.int(&pt.x);
        let mut y = c.fp.int(&pt.y);
        to_le_bytes(&x, &mut out[..l]);
        to_le_bytes(&y, &mut out[l..]);
        t.zeroize();
        scalar.zeroize();
        x.zeroize();
        y.zeroize();
    });
    Ok(out)
}

/// VKO_GOSTR3410_2012_256: the 32-byte KEK = Streebog-256(K.x ‖ K.y).
pub fn vko_2012_256(
    key: &SecretKey,
    peer: &PublicKey,
    ukm: &[u8],
) -> Result<Zeroizing<[u8; 32]>, Error> {
    let k = vko_point(key, peer, ukm)?;
    Ok(Zeroizing::new(crate::hash::streebog::ct::streebog256_ct(
        &k,
    )))
}

/// VKO_GOSTR3410_2012_512: the 64-byte KEK = Streebog-512(K.x ‖ K.y).
pub fn vko_2012_512(
    key: &SecretKey,
    peer: &PublicKey,
    ukm: &[u8],
) -> Result<Zeroizing<[u8; 64]>, Error> {
    let k = vko_point(key, peer, ukm)?;
    Ok(Zeroizing::new(crate::hash::streebog::ct::streebog512_ct(
        &k,
    )))
}
