//! Multiplication of the base point by a secret scalar, with a precomputed table.
//!
//! The scalar is recoded into signed W-bit digits d_i ∈ [−2^(W−1), 2^(W−1)], so
//! k·G = Σ d_i·(2^(W·i)·G): one table row per digit position holds 1..2^(W−1) times that power of G,
//! in affine form. No doublings are needed, just one mixed addition per digit; every lookup scans
//! its whole row, so neither the digit nor its sign shows in the memory access pattern.

use crate::curve::CurveParams;
use crate::point::{Affine, Proj};
use crate::wnaf::Jac;

/// Digit width of the fixed-base table for N-limb scalars. 256-bit curves: 5 bits, 52 rows of 16
/// points (53 KiB); wider rows cost as much in constant-time scanning as they save in additions.
/// 512-bit curves: 6 bits, 86 rows of 32 points (352 KiB), because there an addition costs four
/// times as much and the scan only twice.
pub(crate) const fn window(n: usize) -> usize {
    if n >= 8 {
        6
    } else {
        5
    }
}

/// The most digits any scalar (≤ 512 bits) recodes into, at the smallest width used (4 bits).
pub(crate) const MAX_DIGITS: usize = 512 / 4 + 2;

/// Signed-digit recoding of a scalar < 2^(64N), constant time. Returns the digits (least
/// significant first) and how many there are: 64N/w + 1, enough to absorb the final carry.
pub(crate) fn signed_digits<const N: usize>(k: &[u64; N], w: usize) -> ([i8; MAX_DIGITS], usize) {
    let count = 64 * N / w + 1;
    let mut out = [0i8; MAX_DIGITS];
    let half = 1u64 << (w - 1);
    let mut carry = 0u64;
    for (i, slot) in out.iter_mut().enumerate().take(count) {
        // Positions are public; only the extracted bits are secret.
        let pos = i * w;
        let (limb, off) = (pos / 64, pos % 64);
        let mut bits = if limb < N { k[limb] >> off } else { 0 };
        if off + w > 64 && limb + 1 < N {
            bits |= k[limb + 1] << (64 - off);
        }
        bits &= (1 << w) - 1;
        // Wrapping arithmetic throughout: an overflow check is a branch on the secret.
        let v = bits.wrapping_add(carry);
        // carry = (v > half), computed arithmetically and hidden from the optimiser.
        carry = core::hint::black_box(v.wrapping_add(half - 1) >> w);
        *slot = v.wrapping_sub(carry << w) as i8;
    }
    (out, count)
}

/// |d| and a mask that is all ones when d < 0, without branching.
#[inline(always)]
pub(crate) fn digit_abs(d: i8) -> (u64, u64) {
    let d = d as i64;
    let m = d >> 63;
    ((d ^ m).wrapping_sub(m) as u64, m as u64)
}

/// The precomputed rows for one curve, row after row, 2^(w−1) points each.
#[cfg(feature = "std")]
pub(crate) struct Table<const N: usize> {
    points: alloc::vec::Vec<Affine<N>>,
}

impl<const N: usize> CurveParams<N> {
    /// Builds the table: row i holds j·2^(W·i)·G for j = 1..2^(W−1).
    #[cfg(feature = "std")]
    pub(crate) fn build_table(&self) -> Table<N> {
        let w = window(N);
        let row = 1 << (w - 1);
        let count = 64 * N / w + 1;
        let mut proj = alloc::vec::Vec::with_capacity(count * row);
        let mut base = self.projective(&self.generator());
        for _ in 0..count {
            let mut acc = base;
            proj.push(acc);
            for _ in 1..row {
                acc = self.add(&acc, &base);
                proj.push(acc);
            }
            for _ in 0..w {
                base = self.double(&base);
            }
        }
        Table {
            points: self.batch_to_affine(&proj),
        }
    }

    /// Affine forms of many points with one inversion (Montgomery's trick). None may be O.
    #[cfg(feature = "std")]
    pub(crate) fn batch_to_affine(&self, pts: &[Proj<N>]) -> alloc::vec::Vec<Affine<N>> {
        let f = &self.fp;
        let mut prefix = alloc::vec::Vec::with_capacity(pts.len());
        let mut acc = f.one;
        for p in pts {
            prefix.push(acc);
            acc = f.mul(&acc, &p.z);
        }
        let mut inv = f.invert(&acc);
        let mut out = alloc::vec![
            Affine {
                x: [0; N],
                y: [0; N]
            };
            pts.len()
        ];
        for i in (0..pts.len()).rev() {
            let zi = f.mul(&inv, &prefix[i]);
            inv = f.mul(&inv, &pts[i].z);
            out[i] = Affine {
                x: f.mul(&pts[i].x, &zi),
                y: f.mul(&pts[i].y, &zi),
            };
        }
        out
    }

    #[cfg(feature = "std")]
    fn table(&self) -> &Table<N> {
        self.table.get_or_init(|| self.build_table())
    }

    /// The affine Weierstrass point k·G, in constant time, on whichever form is fastest; `blind`
    /// (a secret random field element ≠ 0) speeds up the final inversion.
    #[cfg(feature = "std")]
    pub(crate) fn mul_base_affine(
        &self,
        k: &[u64; N],
        blind: Option<&crate::field::Fe<N>>,
    ) -> Affine<N> {
        match &self.ed {
            Some(ed) => self.ed_mul_base(ed, k, blind),
            None => self.to_affine_blinded(&self.mul_base(k), blind).0,
        }
    }

    /// Without `std` there is no table cache: the constant-time variable-base multiplication.
    #[cfg(not(feature = "std"))]
    pub(crate) fn mul_base_affine(
        &self,
        k: &[u64; N],
        blind: Option<&crate::field::Fe<N>>,
    ) -> Affine<N> {
        self.to_affine_blinded(&self.mul_ct(k, &self.generator()), blind)
            .0
    }

    /// k·G in constant time, for any k < 2^(64N).
    ///
    /// All rows but the last two use the cheaper Jacobian mixed addition (7M + 4S), which is
    /// wrong when both inputs are equal, opposite, or the identity. The identity is tracked with a
    /// mask. Equal or opposite inputs cannot occur there: before row i the accumulator is
    /// Σ_{j<i} d_j·2^(W·j)·G with |Σ| < 2^(W·i), and the entry is ±d_i·2^(W·i)·G with
    /// 2^(W·i) ≤ |d_i·2^(W·i)| ≤ 2^(W·i+W−1); both are multiples of G by integers of absolute
    /// value below q/2 until the last row, so they differ. The last two rows, where sums reach q,
    /// use the complete formulas.
    #[cfg(feature = "std")]
    pub(crate) fn mul_base(&self, k: &[u64; N]) -> Proj<N> {
        let table = self.table();
        let f = &self.fp;
        let w = window(N);
        let rows = table.points.chunks_exact(1 << (w - 1));
        let (digits, count) = signed_digits(k, w);
        let fast_rows = count - 2;
        let mut acc = Jac {
            x: f.one,
            y: f.one,
            z: [0; N],
        };
        let mut inf = u64::MAX;
        for (row, d) in rows.clone().zip(&digits[..fast_rows]) {
            let (zero, t) = self.lookup(row, *d);
            let sum = self.jac_madd_unchecked(&acc, &t);
            let entry = Jac {
                x: t.x,
                y: t.y,
                z: f.one,
            };
            let next = Jac::select(&sum, &entry, inf);
            acc = Jac::select(&next, &acc, zero);
            inf &= zero;
        }
        // Jacobian (X : Y : Z) is the homogeneous (XZ : Y : Z³).
        let z3 = f.mul(&f.square(&acc.z), &acc.z);
        let mut proj = Proj {
            x: f.mul(&acc.x, &acc.z),
            y: acc.y,
            z: z3,
        };
        proj = Proj::select(&proj, &self.identity(), inf);
        for (row, d) in rows.skip(fast_rows).zip(&digits[fast_rows..count]) {
            let (zero, t) = self.lookup(row, *d);
            let sum = self.add_mixed(&proj, &t);
            proj = Proj::select(&sum, &proj, zero);
        }
        proj
    }

    /// The row entry for digit d (row[0] as a stand-in when d = 0), with its sign applied, by a
    /// full scan of the row. Returns (mask of d = 0, point).
    #[cfg(feature = "std")]
    #[inline(always)]
    fn lookup(&self, row: &[Affine<N>], d: i8) -> (u64, Affine<N>) {
        let (abs, neg) = digit_abs(d);
        let mut t = row[0];
        for (j, entry) in row.iter().enumerate().skip(1) {
            t = Affine::select(&t, entry, crate::ct::eq_mask(j as u64 + 1, abs));
        }
        let ny = self.fp.neg(&t.y);
        t.y = crate::bigint::select_n(&t.y, &ny, neg);
        (crate::ct::eq_mask(abs, 0), t)
    }

    /// Jacobian P + affine Q (madd-2007-bl) with no special cases: P, Q ≠ O and P ≠ ±Q.
    #[cfg(feature = "std")]
    #[inline(always)]
    fn jac_madd_unchecked(&self, p: &Jac<N>, q: &Affine<N>) -> Jac<N> {
        let f = &self.fp;
        let z1z1 = f.square(&p.z);
        let u2 = f.mul(&q.x, &z1z1);
        let s2 = f.mul(&f.mul(&q.y, &p.z), &z1z1);
        let h = f.sub(&u2, &p.x);
        let hh = f.square(&h);
        let i = f.dbl(&f.dbl(&hh));
        let j = f.mul(&h, &i);
        let r = f.dbl(&f.sub(&s2, &p.y));
        let v = f.mul(&p.x, &i);
        let x3 = f.sub(&f.sub(&f.square(&r), &j), &f.dbl(&v));
        let y3 = f.sub(&f.mul(&r, &f.sub(&v, &x3)), &f.dbl(&f.mul(&p.y, &j)));
        let z3 = f.sub(&f.sub(&f.square(&f.add(&p.z, &h)), &z1z1), &hh);
        Jac {
            x: x3,
            y: y3,
            z: z3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_recompose() {
        let k: [u64; 4] = [
            0xFEDC_BA98_7654_3210,
            u64::MAX,
            0x8000_0000_0000_0001,
            u64::MAX,
        ];
        for w in [4, 5, 6] {
            let (d, count) = signed_digits(&k, w);
            // Σ d_i·2^(w·i) == k, checked with i128 limbs.
            let mut acc = [0i128; 6];
            for (i, di) in d[..count].iter().enumerate() {
                let bit = i * w;
                let v = (*di as i128) << (bit % 64);
                acc[bit / 64] += v;
            }
            for i in 0..5 {
                let carry = acc[i] >> 64;
                acc[i] -= carry << 64;
                acc[i + 1] += carry;
            }
            for i in 0..4 {
                assert_eq!(acc[i] as u64, k[i], "w = {w}");
            }
            assert_eq!(acc[4], 0);
            assert!(d[..count]
                .iter()
                .all(|x| (x.unsigned_abs() as usize) <= 1 << (w - 1)));
        }
    }
}
