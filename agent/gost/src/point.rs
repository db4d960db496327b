//! Points in homogeneous projective coordinates with the complete addition formulas of
//! Renes, Costello and Batina (EUROCRYPT 2016, Algorithms 1–3, any a).
//!
//! The formulas have no exceptional cases for points of odd order, so every secret-dependent
//! computation (key generation, signing, VKO) runs the same instruction sequence whatever the
//! scalar. The cofactor-4 curves are safe too: tamga only adds points of the prime-order subgroup.

use crate::bigint::{mask, select_n};
use crate::curve::CurveParams;
use crate::field::Fe;

/// A projective point (X : Y : Z); the identity is (0 : 1 : 0).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Proj<const N: usize> {
    pub x: Fe<N>,
    pub y: Fe<N>,
    pub z: Fe<N>,
}

/// An affine point, never the identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Affine<const N: usize> {
    pub x: Fe<N>,
    pub y: Fe<N>,
}

impl<const N: usize> Affine<N> {
    /// `m ? b : a` for a mask m.
    #[inline(always)]
    pub fn select(a: &Self, b: &Self, m: u64) -> Self {
        Affine {
            x: select_n(&a.x, &b.x, m),
            y: select_n(&a.y, &b.y, m),
        }
    }
}

impl<const N: usize> Proj<N> {
    /// `m ? b : a` for a mask m.
    #[inline(always)]
    pub fn select(a: &Self, b: &Self, m: u64) -> Self {
        Proj {
            x: select_n(&a.x, &b.x, m),
            y: select_n(&a.y, &b.y, m),
            z: select_n(&a.z, &b.z, m),
        }
    }
}

impl<const N: usize> CurveParams<N> {
    pub(crate) fn identity(&self) -> Proj<N> {
        Proj {
            x: [0; N],
            y: self.fp.one,
            z: [0; N],
        }
    }

    pub(crate) fn generator(&self) -> Affine<N> {
        Affine {
            x: self.gx,
            y: self.gy,
        }
    }

    pub(crate) fn projective(&self, p: &Affine<N>) -> Proj<N> {
        Proj {
            x: p.x,
            y: p.y,
            z: self.fp.one,
        }
    }

    /// P + Q (RCB Algorithm 1).
    pub(crate) fn add(&self, p: &Proj<N>, q: &Proj<N>) -> Proj<N> {
        let f = &self.fp;
        let (x1, y1, z1) = (&p.x, &p.y, &p.z);
        let (x2, y2, z2) = (&q.x, &q.y, &q.z);
        let mut t0 = f.mul(x1, x2);
        let mut t1 = f.mul(y1, y2);
        let mut t2 = f.mul(z1, z2);
        let mut t3 = f.add(x1, y1);
        let mut t4 = f.add(x2, y2);
        t3 = f.mul(&t3, &t4);
        t4 = f.add(&t0, &t1);
        t3 = f.sub(&t3, &t4);
        t4 = f.add(x1, z1);
        let mut t5 = f.add(x2, z2);
        t4 = f.mul(&t4, &t5);
        t5 = f.add(&t0, &t2);
        t4 = f.sub(&t4, &t5);
        t5 = f.add(y1, z1);
        let mut x3 = f.add(y2, z2);
        t5 = f.mul(&t5, &x3);
        x3 = f.add(&t1, &t2);
        t5 = f.sub(&t5, &x3);
        let mut z3 = self.mul_a(&t4);
        x3 = f.mul(&self.b3, &t2);
        z3 = f.add(&x3, &z3);
        x3 = f.sub(&t1, &z3);
        z3 = f.add(&t1, &z3);
        let mut y3 = f.mul(&x3, &z3);
        t1 = f.add(&t0, &t0);
        t1 = f.add(&t1, &t0);
        t2 = self.mul_a(&t2);
        t4 = f.mul(&self.b3, &t4);
        t1 = f.add(&t1, &t2);
        t2 = f.sub(&t0, &t2);
        t2 = self.mul_a(&t2);
        t4 = f.add(&t4, &t2);
        t0 = f.mul(&t1, &t4);
        y3 = f.add(&y3, &t0);
        t0 = f.mul(&t5, &t4);
        x3 = f.mul(&t3, &x3);
        x3 = f.sub(&x3, &t0);
        t0 = f.mul(&t3, &t1);
        z3 = f.mul(&t5, &z3);
        z3 = f.add(&z3, &t0);
        Proj {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// P + Q for an affine Q ≠ O (RCB Algorithm 2).
    pub(crate) fn add_mixed(&self, p: &Proj<N>, q: &Affine<N>) -> Proj<N> {
        let f = &self.fp;
        let (x1, y1, z1) = (&p.x, &p.y, &p.z);
        let (x2, y2) = (&q.x, &q.y);
        let mut t0 = f.mul(x1, x2);
        let mut t1 = f.mul(y1, y2);
        let mut t3 = f.add(x2, y2);
        let mut t4 = f.add(x1, y1);
        t3 = f.mul(&t3, &t4);
        t4 = f.add(&t0, &t1);
        t3 = f.sub(&t3, &t4);
        t4 = f.mul(x2, z1);
        t4 = f.add(&t4, x1);
        let mut t5 = f.mul(y2, z1);
        t5 = f.add(&t5, y1);
        let mut z3 = self.mul_a(&t4);
        let mut x3 = f.mul(&self.b3, z1);
        z3 = f.add(&x3, &z3);
        x3 = f.sub(&t1, &z3);
        z3 = f.add(&t1, &z3);
        let mut y3 = f.mul(&x3, &z3);
        t1 = f.add(&t0, &t0);
        t1 = f.add(&t1, &t0);
        let mut t2 = self.mul_a(z1);
        t4 = f.mul(&self.b3, &t4);
        t1 = f.add(&t1, &t2);
        t2 = f.sub(&t0, &t2);
        t2 = self.mul_a(&t2);
        t4 = f.add(&t4, &t2);
        t0 = f.mul(&t1, &t4);
        y3 = f.add(&y3, &t0);
        t0 = f.mul(&t5, &t4);
        x3 = f.mul(&t3, &x3);
        x3 = f.sub(&x3, &t0);
        t0 = f.mul(&t3, &t1);
        z3 = f.mul(&t5, &z3);
        z3 = f.add(&z3, &t0);
        Proj {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// 2P (RCB Algorithm 3).
    pub(crate) fn double(&self, p: &Proj<N>) -> Proj<N> {
        let f = &self.fp;
        let (x, y, z) = (&p.x, &p.y, &p.z);
        let mut t0 = f.square(x);
        let t1 = f.square(y);
        let mut t2 = f.square(z);
        let mut t3 = f.mul(x, y);
        t3 = f.dbl(&t3);
        let mut z3 = f.mul(x, z);
        z3 = f.dbl(&z3);
        let mut x3 = self.mul_a(&z3);
        let mut y3 = f.mul(&self.b3, &t2);
        y3 = f.add(&x3, &y3);
        x3 = f.sub(&t1, &y3);
        y3 = f.add(&t1, &y3);
        y3 = f.mul(&x3, &y3);
        x3 = f.mul(&t3, &x3);
        z3 = f.mul(&self.b3, &z3);
        t2 = self.mul_a(&t2);
        t3 = f.sub(&t0, &t2);
        t3 = self.mul_a(&t3);
        t3 = f.add(&t3, &z3);
        z3 = f.add(&t0, &t0);
        t0 = f.add(&z3, &t0);
        t0 = f.add(&t0, &t2);
        t0 = f.mul(&t0, &t3);
        y3 = f.add(&y3, &t0);
        t2 = f.mul(y, z);
        t2 = f.dbl(&t2);
        t0 = f.mul(&t2, &t3);
        x3 = f.sub(&x3, &t0);
        z3 = f.mul(&t2, &t1);
        z3 = f.dbl(&z3);
        z3 = f.dbl(&z3);
        Proj {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// −P.
    #[inline(always)]
    pub(crate) fn neg(&self, p: &Proj<N>) -> Proj<N> {
        Proj {
            x: p.x,
            y: self.fp.neg(&p.y),
            z: p.z,
        }
    }

    /// Affine coordinates and a mask that is all ones when P is the identity (then x = y = 0).
    /// Constant time: one Fermat inversion.
    pub(crate) fn to_affine(&self, p: &Proj<N>) -> (Affine<N>, u64) {
        self.to_affine_blinded(p, None)
    }

    /// [`Self::to_affine`] with the inversion blinded by a secret random β (see `invert_secret`).
    pub(crate) fn to_affine_blinded(&self, p: &Proj<N>, blind: Option<&Fe<N>>) -> (Affine<N>, u64) {
        let f = &self.fp;
        let zi = f.invert_secret(&p.z, blind);
        let inf = mask(f.is_zero(&p.z));
        (
            Affine {
                x: f.mul(&p.x, &zi),
                y: f.mul(&p.y, &zi),
            },
            inf,
        )
    }

    /// y² = x³ + ax + b for field elements in the representation (public data).
    pub(crate) fn is_on_curve(&self, p: &Affine<N>) -> bool {
        let f = &self.fp;
        let y2 = f.square(&p.y);
        let x3 = f.mul(&f.square(&p.x), &p.x);
        let rhs = f.add(&f.add(&x3, &self.mul_a(&p.x)), &self.b);
        y2 == rhs
    }

    /// k·P for a secret scalar k < 2^(64N) and a public P of the prime-order subgroup, in constant
    /// time: signed 4-bit windows over a table of 1P..8P, every entry scanned on each lookup.
    pub(crate) fn mul_ct(&self, k: &[u64; N], p: &Affine<N>) -> Proj<N> {
        let mut table = [self.projective(p); 8];
        table[1] = self.double(&table[0]);
        for i in 2..8 {
            table[i] = self.add(&table[i - 1], &table[0]);
        }
        let (digits, count) = crate::fixed_base::signed_digits(k, 4);
        let mut acc = self.identity();
        for d in digits[..count].iter().rev() {
            for _ in 0..4 {
                acc = self.double(&acc);
            }
            let (abs, neg) = crate::fixed_base::digit_abs(*d);
            let mut t = self.identity();
            for (j, entry) in table.iter().enumerate() {
                let hit = crate::ct::eq_mask((j + 1) as u64, abs);
                t = Proj::select(&t, entry, hit);
            }
            let tn = self.neg(&t);
            t = Proj::select(&t, &tn, neg);
            acc = self.add(&acc, &t);
        }
        acc
    }
}
