//! Arithmetic modulo the group order q, and the conversions between scalars and bytes.

use crate::bigint::{from_le_bytes, is_zero_n, lt_n, mask, select_n};
use crate::curve::CurveParams;

impl<const N: usize> CurveParams<N> {
    /// e = (digest read little-endian) mod q, and 1 when that is 0 (GOST R 34.10-2012 §6.1 step 2).
    /// `digest` must be 8N bytes (checked by the caller).
    pub(crate) fn digest_to_e(&self, digest: &[u8]) -> [u64; N] {
        let alpha: [u64; N] = from_le_bytes(digest);
        let e = self.fq.reduce_limbs(&alpha);
        let mut one = [0u64; N];
        one[0] = 1;
        select_n(&e, &one, mask(is_zero_n(&e)))
    }

    /// A plain integer is a valid nonzero scalar (0 < x < q). Constant time; returns 0 or 1.
    pub(crate) fn scalar_in_range(&self, x: &[u64; N]) -> u64 {
        lt_n(x, &self.q) & (1 ^ is_zero_n(x))
    }

    /// r·d + k·e mod q, on plain integers below q (constant time).
    pub(crate) fn sign_equation(
        &self,
        r: &[u64; N],
        d: &[u64; N],
        k: &[u64; N],
        e: &[u64; N],
    ) -> [u64; N] {
        let f = &self.fq;
        let rd = f.mul(&f.rep(r), &f.rep(d));
        let ke = f.mul(&f.rep(k), &f.rep(e));
        f.int(&f.add(&rd, &ke))
    }

    /// (z1, z2) = (s·e⁻¹, −r·e⁻¹) mod q, the verification multipliers (public data).
    pub(crate) fn verify_multipliers(
        &self,
        r: &[u64; N],
        s: &[u64; N],
        e: &[u64; N],
    ) -> ([u64; N], [u64; N]) {
        let f = &self.fq;
        let v = f.invert_vartime(&f.rep(e));
        let z1 = f.mul(&f.rep(s), &v);
        let z2 = f.neg(&f.mul(&f.rep(r), &v));
        (f.int(&z1), f.int(&z2))
    }

    /// x mod q for a field element's plain value x < p (p < 4q + q on every GOST curve).
    pub(crate) fn x_mod_q(&self, x: &[u64; N]) -> [u64; N] {
        self.fq.reduce_limbs(x)
    }
}
