//! The twisted-Edwards parameter sets, TC26-256-A and TC26-512-C (RFC 7836 §5.2):
//! e·u² + v² = 1 + d·u²v² with e = 1 and d not a square.
//!
//! The standard signs and verifies on their short Weierstrass form, but the Edwards form is the
//! same group with cheaper and complete formulas (8 multiplications per mixed addition against 16
//! for Weierstrass with a general a). tamga computes k·G and u1·G + u2·Q here and maps the result
//! back with (u, v) ↦ x = s(1 + v)/(1 − v) + t, s = (e − d)/4, t = (e + d)/6.

#[cfg(feature = "std")]
use alloc::vec::Vec;

use crate::bigint::select_n;
use crate::curve::CurveParams;
use crate::field::Fe;
use crate::point::{Affine, Proj};

/// The Edwards constants, in the field's representation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EdParams<const N: usize> {
    pub d: Fe<N>,
    pub s: Fe<N>,
    pub t: Fe<N>,
}

/// Extended coordinates (X : Y : Z : T): u = X/Z, v = Y/Z, T = XY/Z.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ext<const N: usize> {
    pub x: Fe<N>,
    pub y: Fe<N>,
    pub z: Fe<N>,
    pub t: Fe<N>,
}

/// An affine point with d·u·v precomputed, as tables store it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Niels<const N: usize> {
    pub u: Fe<N>,
    pub v: Fe<N>,
    pub duv: Fe<N>,
}

impl<const N: usize> Niels<N> {
    #[inline(always)]
    fn select(a: &Self, b: &Self, m: u64) -> Self {
        Niels {
            u: select_n(&a.u, &b.u, m),
            v: select_n(&a.v, &b.v, m),
            duv: select_n(&a.duv, &b.duv, m),
        }
    }
}

/// Rows of j·2^(w·i)·G, j = 1..2^(w−1), for the constant-time fixed-base multiplication, row
/// after row (w = `fixed_base::window(N)`).
#[cfg(feature = "std")]
pub(crate) struct EdTable<const N: usize> {
    points: Vec<Niels<N>>,
}

const W_BASE: usize = 8;
const W_VAR: usize = 5;
const VAR_TABLE: usize = 1 << (W_VAR - 2);

impl<const N: usize> CurveParams<N> {
    fn ed_identity(&self) -> Ext<N> {
        Ext {
            x: [0; N],
            y: self.fp.one,
            z: self.fp.one,
            t: [0; N],
        }
    }

    fn niels_identity(&self) -> Niels<N> {
        Niels {
            u: [0; N],
            v: self.fp.one,
            duv: [0; N],
        }
    }

    fn ext_from_niels(&self, p: &Niels<N>) -> Ext<N> {
        Ext {
            x: p.u,
            y: p.v,
            z: self.fp.one,
            t: self.fp.mul(&p.u, &p.v),
        }
    }

    /// P + Q for an affine Q (8M; complete).
    #[inline(always)]
    pub(crate) fn ed_add_niels<const VT: bool>(&self, p: &Ext<N>, q: &Niels<N>) -> Ext<N> {
        let f = &self.fp;
        let a = f.mul_k::<VT>(&p.x, &q.u);
        let b = f.mul_k::<VT>(&p.y, &q.v);
        let c = f.mul_k::<VT>(&p.t, &q.duv);
        let e = f.sub_k::<VT>(
            &f.sub_k::<VT>(
                &f.mul_k::<VT>(&f.add_k::<VT>(&p.x, &p.y), &f.add_k::<VT>(&q.u, &q.v)),
                &a,
            ),
            &b,
        );
        let ff = f.sub_k::<VT>(&p.z, &c);
        let g = f.add_k::<VT>(&p.z, &c);
        let h = f.sub_k::<VT>(&b, &a);
        Ext {
            x: f.mul_k::<VT>(&e, &ff),
            y: f.mul_k::<VT>(&g, &h),
            t: f.mul_k::<VT>(&e, &h),
            z: f.mul_k::<VT>(&ff, &g),
        }
    }

    /// P + Q, both extended, with d·T of Q given (9M; complete).
    #[inline(always)]
    fn ed_add_dt<const VT: bool>(&self, p: &Ext<N>, q: &Ext<N>, q_dt: &Fe<N>) -> Ext<N> {
        let f = &self.fp;
        let a = f.mul_k::<VT>(&p.x, &q.x);
        let b = f.mul_k::<VT>(&p.y, &q.y);
        let c = f.mul_k::<VT>(&p.t, q_dt);
        let dd = f.mul_k::<VT>(&p.z, &q.z);
        let e = f.sub_k::<VT>(
            &f.sub_k::<VT>(
                &f.mul_k::<VT>(&f.add_k::<VT>(&p.x, &p.y), &f.add_k::<VT>(&q.x, &q.y)),
                &a,
            ),
            &b,
        );
        let ff = f.sub_k::<VT>(&dd, &c);
        let g = f.add_k::<VT>(&dd, &c);
        let h = f.sub_k::<VT>(&b, &a);
        Ext {
            x: f.mul_k::<VT>(&e, &ff),
            y: f.mul_k::<VT>(&g, &h),
            t: f.mul_k::<VT>(&e, &h),
            z: f.mul_k::<VT>(&ff, &g),
        }
    }

    /// 2P (4M + 4S); `with_t = false` skips T when the next step is another doubling.
    // Not `inline(always)`: forced into the verification loop beside the additions, the 512-bit
    // body spilled registers and verification ran 20% slower.
    #[inline]
    fn ed_double<const VT: bool>(&self, p: &Ext<N>, with_t: bool) -> Ext<N> {
        let f = &self.fp;
        let a = f.square_k::<VT>(&p.x);
        let b = f.square_k::<VT>(&p.y);
        let zz = f.square_k::<VT>(&p.z);
        let c = f.add_k::<VT>(&zz, &zz);
        let e = f.sub_k::<VT>(
            &f.sub_k::<VT>(&f.square_k::<VT>(&f.add_k::<VT>(&p.x, &p.y)), &a),
            &b,
        );
        let g = f.add_k::<VT>(&a, &b);
        let ff = f.sub_k::<VT>(&g, &c);
        let h = f.sub_k::<VT>(&a, &b);
        let t = if with_t {
            f.mul_k::<VT>(&e, &h)
        } else {
            [0; N]
        };
        Ext {
            x: f.mul_k::<VT>(&e, &ff),
            y: f.mul_k::<VT>(&g, &h),
            t,
            z: f.mul_k::<VT>(&ff, &g),
        }
    }

    fn ed_neg_niels(&self, p: &Niels<N>) -> Niels<N> {
        Niels {
            u: self.fp.neg(&p.u),
            v: p.v,
            duv: self.fp.neg(&p.duv),
        }
    }

    /// The Weierstrass affine point of an Edwards point ≠ O, (0, −1): one inversion, constant time.
    pub(crate) fn ed_to_weierstrass(
        &self,
        ed: &EdParams<N>,
        p: &Ext<N>,
        blind: Option<&Fe<N>>,
    ) -> Affine<N> {
        let f = &self.fp;
        // x' = s(Z + Y)/(Z − Y) and y = x'/u = s(Z + Y)Z/((Z − Y)X), sharing 1/((Z − Y)X).
        let inv = f.invert_secret(&f.mul(&f.sub(&p.z, &p.y), &p.x), blind);
        let w = f.mul(&f.mul(&ed.s, &f.add(&p.z, &p.y)), &inv);
        Affine {
            x: f.add(&f.mul(&w, &p.x), &ed.t),
            y: f.mul(&w, &p.z),
        }
    }

    /// The Edwards form of a Weierstrass point of the prime-order subgroup (public data).
    pub(crate) fn ed_from_weierstrass(&self, ed: &EdParams<N>, p: &Affine<N>) -> Option<Niels<N>> {
        let f = &self.fp;
        let xs = f.sub(&p.x, &ed.t);
        let plus = f.add(&xs, &ed.s);
        let den = f.mul(&p.y, &plus);
        if f.is_zero(&den) == 1 {
            return None;
        }
        let inv = f.invert_vartime(&den);
        let u = f.mul(&f.mul(&xs, &plus), &inv);
        let v = f.mul(&f.mul(&f.sub(&xs, &ed.s), &p.y), &inv);
        Some(Niels {
            u,
            v,
            duv: f.mul(&ed.d, &f.mul(&u, &v)),
        })
    }

    /// The Edwards form of a Weierstrass point in extended projective coordinates, without an
    /// inversion: with x' = x − t, u = x'(x' + s)/D and v = (x' − s)y/D for D = y(x' + s), so
    /// (X : Y : Z : T) = (x'(x' + s)·D : (x' − s)y·D : D² : x'(x' + s)(x' − s)y). Public data.
    pub(crate) fn ed_ext_from_weierstrass(
        &self,
        ed: &EdParams<N>,
        p: &Affine<N>,
    ) -> Option<Ext<N>> {
        let f = &self.fp;
        let xs = f.sub(&p.x, &ed.t);
        let plus = f.add(&xs, &ed.s);
        let den = f.mul(&p.y, &plus);
        if f.is_zero(&den) == 1 {
            return None;
        }
        let un = f.mul(&xs, &plus);
        let vn = f.mul(&f.sub(&xs, &ed.s), &p.y);
        Some(Ext {
            x: f.mul(&un, &den),
            y: f.mul(&vn, &den),
            z: f.square(&den),
            t: f.mul(&un, &vn),
        })
    }

    fn ed_generator(&self, ed: &EdParams<N>) -> Option<Niels<N>> {
        self.ed_from_weierstrass(ed, &self.generator())
    }

    /// Normalises extended points (none of them O) into tables entries, with one inversion.
    #[cfg(feature = "std")]
    fn ed_batch_niels(&self, ed: &EdParams<N>, pts: &[Ext<N>]) -> Vec<Niels<N>> {
        let proj: Vec<Proj<N>> = pts
            .iter()
            .map(|p| Proj {
                x: p.x,
                y: p.y,
                z: p.z,
            })
            .collect();
        self.batch_to_affine(&proj)
            .into_iter()
            .map(|a| Niels {
                u: a.x,
                v: a.y,
                duv: self.fp.mul(&ed.d, &self.fp.mul(&a.x, &a.y)),
            })
            .collect()
    }

    #[cfg(feature = "std")]
    fn build_ed_table(&self, ed: &EdParams<N>) -> EdTable<N> {
        let w = crate::fixed_base::window(N);
        let row = 1 << (w - 1);
        let count = 64 * N / w + 1;
        let g = self
            .ed_generator(ed)
            .map(|g| self.ext_from_niels(&g))
            .unwrap_or(self.ed_identity());
        let mut pts = Vec::with_capacity(count * row);
        let mut base = g;
        for _ in 0..count {
            let base_dt = self.fp.mul(&ed.d, &base.t);
            let mut acc = base;
            pts.push(acc);
            for _ in 1..row {
                acc = self.ed_add_dt::<false>(&acc, &base, &base_dt);
                pts.push(acc);
            }
            for _ in 0..w {
                base = self.ed_double::<false>(&base, true);
            }
        }
        EdTable {
            points: self.ed_batch_niels(ed, &pts),
        }
    }

    /// k·G in constant time on the Edwards form, mapped to the Weierstrass affine point.
    #[cfg(feature = "std")]
    pub(crate) fn ed_mul_base(
        &self,
        ed: &EdParams<N>,
        k: &[u64; N],
        blind: Option<&Fe<N>>,
    ) -> Affine<N> {
        let table = self.ed_table.get_or_init(|| self.build_ed_table(ed));
        let w = crate::fixed_base::window(N);
        let (digits, count) = crate::fixed_base::signed_digits(k, w);
        let mut acc = self.ed_identity();
        for (row, d) in table
            .points
            .chunks_exact(1 << (w - 1))
            .zip(&digits[..count])
        {
            let (abs, neg) = crate::fixed_base::digit_abs(*d);
            // The identity is a valid table entry here, so a zero digit needs no special case.
            let mut t = self.niels_identity();
            for (j, entry) in row.iter().enumerate() {
                t = Niels::select(&t, entry, crate::ct::eq_mask(j as u64 + 1, abs));
            }
            t = Niels::select(&t, &self.ed_neg_niels(&t), neg);
            acc = self.ed_add_niels::<false>(&acc, &t);
        }
        self.ed_to_weierstrass(ed, &acc, blind)
    }

    /// u1·G + u2·Q in variable time; returns the Edwards result (public inputs only).
    #[cfg(feature = "std")]
    pub(crate) fn ed_double_mul_vartime(
        &self,
        ed: &EdParams<N>,
        u1: &[u64; N],
        u2: &[u64; N],
        q1: &Ext<N>,
    ) -> Ext<N> {
        let base = self.ed_wnaf_table.get_or_init(|| {
            let g = self
                .ed_generator(ed)
                .map(|g| self.ext_from_niels(&g))
                .unwrap_or(self.ed_identity());
            let g2 = self.ed_double::<false>(&g, true);
            let g2dt = self.fp.mul(&ed.d, &g2.t);
            let mut pts = alloc::vec![g];
            for i in 1..(1 << (W_BASE - 2)) {
                let next = self.ed_add_dt::<false>(&pts[i - 1], &g2, &g2dt);
                pts.push(next);
            }
            self.ed_batch_niels(ed, &pts)
        });
        // Odd multiples of Q, extended, with d·T alongside.
        // From here on the coordinates are lazily reduced (`field::vt`) until `ed_canon`.
        let q1 = *q1;
        let q2 = self.ed_double::<true>(&q1, true);
        let q2dt = self.fp.mul_vt(&ed.d, &q2.t);
        let mut qtab = [q1; VAR_TABLE];
        for i in 1..VAR_TABLE {
            qtab[i] = self.ed_add_dt::<true>(&qtab[i - 1], &q2, &q2dt);
        }
        let qdt: [Fe<N>; VAR_TABLE] = core::array::from_fn(|i| self.fp.mul_vt(&ed.d, &qtab[i].t));
        let (n1, len1) = crate::wnaf::wnaf(u1, W_BASE);
        let (n2, len2) = crate::wnaf::wnaf(u2, W_VAR);
        let len = len1.max(len2);
        let mut acc = self.ed_identity();
        for i in (0..len).rev() {
            let (d1, d2) = (n1[i], n2[i]);
            acc = self.ed_double::<true>(&acc, d1 != 0 || d2 != 0);
            if d1 != 0 {
                let p = base[(d1.unsigned_abs() as usize) / 2];
                let p = if d1 < 0 { self.ed_neg_niels(&p) } else { p };
                acc = self.ed_add_niels::<true>(&acc, &p);
            }
            if d2 != 0 {
                let idx = (d2.unsigned_abs() as usize) / 2;
                let (mut p, mut dt) = (qtab[idx], qdt[idx]);
                if d2 < 0 {
                    p.x = self.fp.neg_vt(&p.x);
                    p.t = self.fp.neg_vt(&p.t);
                    dt = self.fp.neg_vt(&dt);
                }
                acc = self.ed_add_dt::<true>(&acc, &p, &dt);
            }
        }
        self.ed_canon(&acc)
    }

    /// Fully reduced coordinates, as every caller outside the verification loop expects.
    fn ed_canon(&self, p: &Ext<N>) -> Ext<N> {
        let f = &self.fp;
        Ext {
            x: f.canon_vt(&p.x),
            y: f.canon_vt(&p.y),
            z: f.canon_vt(&p.z),
            t: f.canon_vt(&p.t),
        }
    }

    /// Does the Weierstrass x of the Edwards point P reduce to r mod q? (P ≠ O; no inversion:
    /// x = s(Z + Y)/(Z − Y) + t ⇔ (x − t)(Z − Y) = s(Z + Y), for each x ≡ r below p.)
    pub(crate) fn ed_x_matches(&self, ed: &EdParams<N>, p: &Ext<N>, r: &[u64; N]) -> bool {
        let f = &self.fp;
        if f.is_zero(&p.x) == 1 {
            return false; // O or the point of order 2: never a valid result
        }
        let zmy = f.sub(&p.z, &p.y);
        let rhs = f.mul(&ed.s, &f.add(&p.z, &p.y));
        let mut cand = *r;
        loop {
            let lhs = f.mul(&f.sub(&f.rep(&cand), &ed.t), &zmy);
            if lhs == rhs {
                return true;
            }
            let (next, carry) = crate::bigint::add_n(&cand, &self.q);
            if carry == 1 || crate::bigint::lt_n(&next, &self.fp.m) == 0 {
                return false;
            }
            cand = next;
        }
    }
}
