//! Variable-time double-scalar multiplication u1·G + u2·Q for signature verification.
//!
//! Verification sees public data only, so it may branch: width-w NAF recoding, Jacobian
//! coordinates (cheaper doublings than the complete formulas), a cached table of odd multiples of
//! G in affine form (w = 8) and a per-call table for Q (w = 5, made affine with one inversion so
//! that every addition is a mixed one), sharing one chain of doublings.

use crate::curve::CurveParams;
use crate::field::Fe;
use crate::point::Affine;

const W_BASE: usize = 8;
const W_VAR: usize = 5;
/// Odd multiples kept for a variable base: 1, 3, …, 2^(W_VAR−1) − 1.
const VAR_TABLE: usize = 1 << (W_VAR - 2);

/// A Jacobian point (X : Y : Z) = (X/Z², Y/Z³); Z = 0 is the identity.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Jac<const N: usize> {
    pub x: Fe<N>,
    pub y: Fe<N>,
    pub z: Fe<N>,
}

impl<const N: usize> Jac<N> {
    /// `m ? b : a` for a mask m.
    #[inline(always)]
    pub fn select(a: &Self, b: &Self, m: u64) -> Self {
        use crate::bigint::select_n;
        Jac {
            x: select_n(&a.x, &b.x, m),
            y: select_n(&a.y, &b.y, m),
            z: select_n(&a.z, &b.z, m),
        }
    }
}

/// Odd multiples G, 3G, …, (2^(W_BASE−1) − 1)·G.
#[cfg(feature = "std")]
pub(crate) struct BaseTable<const N: usize> {
    odd: alloc::vec::Vec<Affine<N>>,
}

/// Room for the NAF of any scalar (≤ 512 bits, plus one carry digit).
pub(crate) const MAX_NAF: usize = 64 * 8 + 1;

/// Width-w NAF of a scalar (least significant digit first) and its length; no allocation.
pub(crate) fn wnaf<const N: usize>(k: &[u64; N], w: usize) -> ([i8; MAX_NAF], usize) {
    let mut buf = [0u64; 9];
    buf[..N].copy_from_slice(k);
    let k = &mut buf[..N + 1];
    let mut out = [0i8; MAX_NAF];
    let mut len = 0;
    let full = 1i64 << w;
    let half = 1i64 << (w - 1);
    while k.iter().any(|&l| l != 0) {
        let mut d = 0i64;
        if k[0] & 1 == 1 {
            d = (k[0] & (full as u64 - 1)) as i64;
            if d >= half {
                d -= full;
            }
            // k -= d
            if d > 0 {
                sub_small(k, d as u64);
            } else {
                add_small(k, (-d) as u64);
            }
        }
        out[len] = d as i8;
        len += 1;
        shr1(k);
    }
    (out, len)
}

fn sub_small(k: &mut [u64], v: u64) {
    let mut borrow = v;
    for limb in k.iter_mut() {
        let (r, b) = limb.overflowing_sub(borrow);
        *limb = r;
        borrow = b as u64;
        if borrow == 0 {
            break;
        }
    }
}

fn add_small(k: &mut [u64], v: u64) {
    let mut carry = v;
    for limb in k.iter_mut() {
        let (r, c) = limb.overflowing_add(carry);
        *limb = r;
        carry = c as u64;
        if carry == 0 {
            break;
        }
    }
}

fn shr1(k: &mut [u64]) {
    for i in 0..k.len() {
        let hi = if i + 1 < k.len() { k[i + 1] << 63 } else { 0 };
        k[i] = (k[i] >> 1) | hi;
    }
}

impl<const N: usize> CurveParams<N> {
    pub(crate) fn jac_identity(&self) -> Jac<N> {
        Jac {
            x: self.fp.one,
            y: self.fp.one,
            z: [0; N],
        }
    }

    pub(crate) fn jac_from_affine(&self, p: &Affine<N>) -> Jac<N> {
        Jac {
            x: p.x,
            y: p.y,
            z: self.fp.one,
        }
    }

    /// Fully reduced coordinates: the lazily reduced ones (see `field::vt`) stay inside this module.
    fn jac_canon(&self, p: &Jac<N>) -> Jac<N> {
        let f = &self.fp;
        Jac {
            x: f.canon_vt(&p.x),
            y: f.canon_vt(&p.y),
            z: f.canon_vt(&p.z),
        }
    }

    fn jac_is_identity(&self, p: &Jac<N>) -> bool {
        self.fp.is_zero_vt(&p.z)
    }

    /// 2P: dbl-2001-b for a = −3, dbl-2007-bl otherwise.
    pub(crate) fn jac_double(&self, p: &Jac<N>) -> Jac<N> {
        let f = &self.fp;
        if self.jac_is_identity(p) {
            return *p;
        }
        if self.a_is_minus_3 {
            let delta = f.square_vt(&p.z);
            let gamma = f.square_vt(&p.y);
            let beta = f.mul_vt(&p.x, &gamma);
            let t = f.mul_vt(&f.sub_vt(&p.x, &delta), &f.add_vt(&p.x, &delta));
            let alpha = f.add_vt(&f.dbl_vt(&t), &t);
            let beta4 = f.dbl_vt(&f.dbl_vt(&beta));
            let x3 = f.sub_vt(&f.square_vt(&alpha), &f.dbl_vt(&beta4));
            let yz = f.add_vt(&p.y, &p.z);
            let z3 = f.sub_vt(&f.sub_vt(&f.square_vt(&yz), &gamma), &delta);
            let g2 = f.square_vt(&gamma);
            let g8 = f.dbl_vt(&f.dbl_vt(&f.dbl_vt(&g2)));
            let y3 = f.sub_vt(&f.mul_vt(&alpha, &f.sub_vt(&beta4, &x3)), &g8);
            Jac {
                x: x3,
                y: y3,
                z: z3,
            }
        } else {
            let xx = f.square_vt(&p.x);
            let yy = f.square_vt(&p.y);
            let yyyy = f.square_vt(&yy);
            let zz = f.square_vt(&p.z);
            let t = f.add_vt(&p.x, &yy);
            let s = f.dbl_vt(&f.sub_vt(&f.sub_vt(&f.square_vt(&t), &xx), &yyyy));
            let m = f.add_vt(
                &f.add_vt(&f.dbl_vt(&xx), &xx),
                &self.mul_a(&f.square_vt(&zz)),
            );
            let x3 = f.sub_vt(&f.square_vt(&m), &f.dbl_vt(&s));
            let y8 = f.dbl_vt(&f.dbl_vt(&f.dbl_vt(&yyyy)));
            let y3 = f.sub_vt(&f.mul_vt(&m, &f.sub_vt(&s, &x3)), &y8);
            let yz = f.add_vt(&p.y, &p.z);
            let z3 = f.sub_vt(&f.sub_vt(&f.square_vt(&yz), &yy), &zz);
            Jac {
                x: x3,
                y: y3,
                z: z3,
            }
        }
    }

    /// P + Q for an affine Q (madd-2007-bl), with the special cases handled by branching.
    pub(crate) fn jac_add_affine(&self, p: &Jac<N>, q: &Affine<N>) -> Jac<N> {
        let f = &self.fp;
        if self.jac_is_identity(p) {
            return self.jac_from_affine(q);
        }
        let z1z1 = f.square_vt(&p.z);
        let u2 = f.mul_vt(&q.x, &z1z1);
        let s2 = f.mul_vt(&f.mul_vt(&q.y, &p.z), &z1z1);
        let h = f.sub_vt(&u2, &p.x);
        let r = f.dbl_vt(&f.sub_vt(&s2, &p.y));
        if f.is_zero_vt(&h) {
            return if f.is_zero_vt(&r) {
                self.jac_double(&self.jac_from_affine(q))
            } else {
                self.jac_identity()
            };
        }
        let hh = f.square_vt(&h);
        let i = f.dbl_vt(&f.dbl_vt(&hh));
        let j = f.mul_vt(&h, &i);
        let v = f.mul_vt(&p.x, &i);
        let x3 = f.sub_vt(&f.sub_vt(&f.square_vt(&r), &j), &f.dbl_vt(&v));
        let y3 = f.sub_vt(
            &f.mul_vt(&r, &f.sub_vt(&v, &x3)),
            &f.dbl_vt(&f.mul_vt(&p.y, &j)),
        );
        let zh = f.add_vt(&p.z, &h);
        let z3 = f.sub_vt(&f.sub_vt(&f.square_vt(&zh), &z1z1), &hh);
        Jac {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// P + Q, both Jacobian (add-2007-bl).
    pub(crate) fn jac_add(&self, p: &Jac<N>, q: &Jac<N>) -> Jac<N> {
        let f = &self.fp;
        if self.jac_is_identity(p) {
            return *q;
        }
        if self.jac_is_identity(q) {
            return *p;
        }
        let z1z1 = f.square_vt(&p.z);
        let z2z2 = f.square_vt(&q.z);
        let u1 = f.mul_vt(&p.x, &z2z2);
        let u2 = f.mul_vt(&q.x, &z1z1);
        let s1 = f.mul_vt(&f.mul_vt(&p.y, &q.z), &z2z2);
        let s2 = f.mul_vt(&f.mul_vt(&q.y, &p.z), &z1z1);
        let h = f.sub_vt(&u2, &u1);
        let r = f.dbl_vt(&f.sub_vt(&s2, &s1));
        if f.is_zero_vt(&h) {
            return if f.is_zero_vt(&r) {
                self.jac_double(p)
            } else {
                self.jac_identity()
            };
        }
        let i = f.square_vt(&f.dbl_vt(&h));
        let j = f.mul_vt(&h, &i);
        let v = f.mul_vt(&u1, &i);
        let x3 = f.sub_vt(&f.sub_vt(&f.square_vt(&r), &j), &f.dbl_vt(&v));
        let y3 = f.sub_vt(
            &f.mul_vt(&r, &f.sub_vt(&v, &x3)),
            &f.dbl_vt(&f.mul_vt(&s1, &j)),
        );
        let zz = f.add_vt(&p.z, &q.z);
        let z3 = f.mul_vt(&f.sub_vt(&f.sub_vt(&f.square_vt(&zz), &z1z1), &z2z2), &h);
        Jac {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    #[cfg(feature = "std")]
    fn build_wnaf_table(&self) -> BaseTable<N> {
        let g = self.projective(&self.generator());
        let g2 = self.double(&g);
        let mut pts = alloc::vec![g];
        for i in 1..(1 << (W_BASE - 2)) {
            let next = self.add(&pts[i - 1], &g2);
            pts.push(next);
        }
        BaseTable {
            odd: self.batch_to_affine(&pts),
        }
    }

    /// Odd multiples P, 3P, …, 15P in affine form (one variable-time inversion).
    fn odd_multiples_vartime(&self, p: &Affine<N>) -> [Affine<N>; VAR_TABLE] {
        let pj = self.jac_from_affine(p);
        let p2 = self.jac_double(&pj);
        let mut tab = [pj; VAR_TABLE];
        for i in 1..VAR_TABLE {
            tab[i] = self.jac_add(&tab[i - 1], &p2);
        }
        // One inversion turns every later full addition (11M + 5S) into a mixed one (7M + 4S).
        self.jac_batch_to_affine_vartime(&tab)
    }

    /// u1·G + u2·Q in variable time (public inputs only).
    #[cfg(feature = "std")]
    pub(crate) fn double_mul_vartime(&self, u1: &[u64; N], u2: &[u64; N], q: &Affine<N>) -> Jac<N> {
        let base = self.wnaf_table.get_or_init(|| self.build_wnaf_table());
        let qtab = self.odd_multiples_vartime(q);
        let (n1, len1) = wnaf(u1, W_BASE);
        let (n2, len2) = wnaf(u2, W_VAR);
        let mut acc = self.jac_identity();
        for i in (0..len1.max(len2)).rev() {
            acc = self.jac_double(&acc);
            if n1[i] != 0 {
                acc = self.jac_add_affine(&acc, &self.signed(&base.odd, n1[i]));
            }
            if n2[i] != 0 {
                acc = self.jac_add_affine(&acc, &self.signed(&qtab, n2[i]));
            }
        }
        self.jac_canon(&acc)
    }

    /// Without `std` there is no table cache: two separate multiplications.
    #[cfg(not(feature = "std"))]
    pub(crate) fn double_mul_vartime(&self, u1: &[u64; N], u2: &[u64; N], q: &Affine<N>) -> Jac<N> {
        self.jac_canon(&self.jac_add(
            &self.mul_vartime(u1, &self.generator()),
            &self.mul_vartime(u2, q),
        ))
    }

    /// ±(odd multiple) for a nonzero NAF digit d.
    #[inline(always)]
    fn signed(&self, odd: &[Affine<N>], d: i8) -> Affine<N> {
        let p = odd[(d.unsigned_abs() as usize) / 2];
        if d < 0 {
            Affine {
                x: p.x,
                y: self.fp.neg_vt(&p.y),
            }
        } else {
            p
        }
    }

    /// Affine forms of Jacobian points (none of them O), with one variable-time inversion.
    fn jac_batch_to_affine_vartime(&self, pts: &[Jac<N>; VAR_TABLE]) -> [Affine<N>; VAR_TABLE] {
        let f = &self.fp;
        let mut prefix = [f.one; VAR_TABLE];
        let mut acc = f.one;
        for (slot, p) in prefix.iter_mut().zip(pts) {
            *slot = acc;
            acc = f.mul_vt(&acc, &p.z);
        }
        let mut inv = f.invert_vartime(&f.canon_vt(&acc));
        let mut out = [Affine {
            x: [0; N],
            y: [0; N],
        }; VAR_TABLE];
        for i in (0..VAR_TABLE).rev() {
            let zi = f.mul_vt(&inv, &prefix[i]);
            inv = f.mul_vt(&inv, &pts[i].z);
            let zi2 = f.square_vt(&zi);
            out[i] = Affine {
                x: f.mul_vt(&pts[i].x, &zi2),
                y: f.mul_vt(&pts[i].y, &f.mul_vt(&zi2, &zi)),
            };
        }
        out
    }

    /// k·P in variable time (public k and P: the subgroup check of a public key).
    pub(crate) fn mul_vartime(&self, k: &[u64; N], p: &Affine<N>) -> Jac<N> {
        let tab = self.odd_multiples_vartime(p);
        let (n, len) = wnaf(k, W_VAR);
        let mut acc = self.jac_identity();
        for &d in n[..len].iter().rev() {
            acc = self.jac_double(&acc);
            if d != 0 {
                acc = self.jac_add_affine(&acc, &self.signed(&tab, d));
            }
        }
        self.jac_canon(&acc)
    }

    /// True when P is the identity.
    pub(crate) fn jac_is_zero(&self, p: &Jac<N>) -> bool {
        self.jac_is_identity(p)
    }
}

#[cfg(test)]
mod tests {
    use super::wnaf;

    #[test]
    fn wnaf_recomposes_and_is_sparse() {
        let k: [u64; 4] = [0x1234_5678_9ABC_DEF1, 0xFFFF_0000_FFFF_0000, 7, 1 << 63];
        let (n, len) = wnaf(&k, 5);
        let n = &n[..len];
        let mut acc = [0i128; 5];
        for (i, d) in n.iter().enumerate() {
            acc[i / 64] += (*d as i128) << (i % 64);
            if *d != 0 {
                assert!(d % 2 != 0 && d.unsigned_abs() < 16);
            }
        }
        for i in 0..4 {
            let c = acc[i] >> 64;
            acc[i] -= c << 64;
            acc[i + 1] += c;
        }
        for i in 0..4 {
            assert_eq!(acc[i] as u64, k[i]);
        }
        // Nonzero digits are separated by at least w − 1 zeros.
        let nz: Vec<usize> = n
            .iter()
            .enumerate()
            .filter(|(_, d)| **d != 0)
            .map(|(i, _)| i)
            .collect();
        assert!(nz.windows(2).all(|w| w[1] - w[0] >= 5));
    }
}
