//! Variable-time, lazily reduced arithmetic for public data (signature verification).
//!
//! For a pseudo-Mersenne m = 2^(64N) − c every N-limb value below 2^(64N) is a valid
//! representative: 2^(64N) ≡ c, so a carry out of the top limb folds back as a small addition to
//! the lowest limb and a borrow as a small subtraction. Results are therefore only reduced below
//! 2^(64N), not below m. That drops the trial subtraction and the masked corrections (and their
//! optimisation barriers) from every operation; the rare carries that ripple past the lowest
//! limb are handled by a branch, which public data allows. Montgomery moduli keep the canonical
//! arithmetic. Values leave this representation through [`Modulus::canon_vt`].

use super::{mul_wide, square_wide, Fe, Modulus, Reduction};
use crate::bigint::{add_n, sub_n};

/// r += k for a single-limb k, returning the carry out of the top limb.
#[inline(always)]
fn add_small<const N: usize>(r: &mut [u64; N], k: u64) -> bool {
    let carry;
    (r[0], carry) = r[0].overflowing_add(k);
    // Taken with probability about k / 2^64.
    if carry {
        for limb in r.iter_mut().skip(1) {
            *limb = limb.wrapping_add(1);
            if *limb != 0 {
                return false;
            }
        }
        return true;
    }
    false
}

/// r −= k for a single-limb k, returning the borrow out of the top limb.
#[inline(always)]
fn sub_small<const N: usize>(r: &mut [u64; N], k: u64) -> bool {
    let borrow;
    (r[0], borrow) = r[0].overflowing_sub(k);
    if borrow {
        for limb in r.iter_mut().skip(1) {
            let was_zero = *limb == 0;
            *limb = limb.wrapping_sub(1);
            if !was_zero {
                return false;
            }
        }
        return true;
    }
    false
}

impl<const N: usize> Modulus<N> {
    /// a + b for public data.
    #[inline(always)]
    pub fn add_vt(&self, a: &Fe<N>, b: &Fe<N>) -> Fe<N> {
        match self.red {
            Reduction::PseudoMersenne { c } => {
                let (mut s, carry) = add_n(a, b);
                // A mask, not a branch: the carry is a coin toss.
                let mut k = c & 0u64.wrapping_sub(carry);
                while add_small(&mut s, k) {
                    k = c;
                }
                s
            }
            Reduction::Montgomery { .. } => self.add_masked(a, b, |bit| 0u64.wrapping_sub(bit)),
        }
    }

    /// 2a for public data.
    #[inline(always)]
    pub fn dbl_vt(&self, a: &Fe<N>) -> Fe<N> {
        self.add_vt(a, a)
    }

    /// a − b for public data.
    #[inline(always)]
    pub fn sub_vt(&self, a: &Fe<N>, b: &Fe<N>) -> Fe<N> {
        match self.red {
            Reduction::PseudoMersenne { c } => {
                let (mut d, borrow) = sub_n(a, b);
                let mut k = c & 0u64.wrapping_sub(borrow);
                while sub_small(&mut d, k) {
                    k = c;
                }
                d
            }
            Reduction::Montgomery { .. } => self.sub_masked(a, b, |bit| 0u64.wrapping_sub(bit)),
        }
    }

    /// −a for public data.
    #[inline(always)]
    pub fn neg_vt(&self, a: &Fe<N>) -> Fe<N> {
        self.sub_vt(&[0; N], a)
    }

    /// a · b for public data.
    #[inline(always)]
    pub fn mul_vt(&self, a: &Fe<N>, b: &Fe<N>) -> Fe<N> {
        self.reduce_wide_vt(&mul_wide(a, b))
    }

    /// a² for public data.
    #[inline(always)]
    pub fn square_vt(&self, a: &Fe<N>) -> Fe<N> {
        self.reduce_wide_vt(&square_wide(a))
    }

    #[inline(always)]
    fn reduce_wide_vt(&self, t: &[u64; 16]) -> Fe<N> {
        match self.red {
            Reduction::PseudoMersenne { c } => {
                let mut r = [0u64; N];
                let mut carry = 0u64;
                for i in 0..N {
                    (r[i], carry) = crate::bigint::mac(t[i], t[N + i], c, carry);
                }
                // carry ≤ c < 2^32, so carry·c fits a limb.
                let mut k = carry * c;
                while add_small(&mut r, k) {
                    k = c;
                }
                r
            }
            Reduction::Montgomery { .. } => self.reduce_wide(t),
        }
    }

    /// a · b, constant-time (`VT = false`) or lazy for public data (`VT = true`): for point
    /// formulas shared by signing and verification. `VT` is a constant, so the choice costs nothing.
    #[inline(always)]
    pub fn mul_k<const VT: bool>(&self, a: &Fe<N>, b: &Fe<N>) -> Fe<N> {
        if VT {
            self.mul_vt(a, b)
        } else {
            self.mul(a, b)
        }
    }

    /// a², see [`Self::mul_k`].
    #[inline(always)]
    pub fn square_k<const VT: bool>(&self, a: &Fe<N>) -> Fe<N> {
        if VT {
            self.square_vt(a)
        } else {
            self.square(a)
        }
    }

    /// a + b, see [`Self::mul_k`].
    #[inline(always)]
    pub fn add_k<const VT: bool>(&self, a: &Fe<N>, b: &Fe<N>) -> Fe<N> {
        if VT {
            self.add_vt(a, b)
        } else {
            self.add(a, b)
        }
    }

    /// a − b, see [`Self::mul_k`].
    #[inline(always)]
    pub fn sub_k<const VT: bool>(&self, a: &Fe<N>, b: &Fe<N>) -> Fe<N> {
        if VT {
            self.sub_vt(a, b)
        } else {
            self.sub(a, b)
        }
    }

    /// The canonical representative (below m) of a lazily reduced value.
    #[inline(always)]
    pub fn canon_vt(&self, a: &Fe<N>) -> Fe<N> {
        match self.red {
            // a < 2^(64N) < 2m: at most one subtraction.
            Reduction::PseudoMersenne { .. } => {
                let (d, borrow) = sub_n(a, &self.m);
                if borrow == 0 {
                    d
                } else {
                    *a
                }
            }
            Reduction::Montgomery { .. } => *a,
        }
    }

    /// a ≡ 0 for a lazily reduced a.
    #[inline(always)]
    pub fn is_zero_vt(&self, a: &Fe<N>) -> bool {
        self.canon_vt(a) == [0; N]
    }
}

#[cfg(test)]
mod tests {
    use super::Modulus;

    /// Values that make the rare carry and borrow paths run, loose ones (≥ m) included.
    fn edge_values<const N: usize>(f: &Modulus<N>) -> Vec<[u64; N]> {
        let c = f.m[0].wrapping_neg();
        let mut v = vec![[0; N], [u64::MAX; N], f.m];
        for low in [1, 2, c - 1, c, c + 1, c.wrapping_neg(), u64::MAX - 1] {
            let mut x = [0; N];
            x[0] = low;
            v.push(x);
            let mut y = [u64::MAX; N];
            y[0] = low;
            v.push(y);
        }
        let mut x = [0x9e37_79b9_7f4a_7c15u64; N];
        for _ in 0..8 {
            v.push(x);
            x = f.mul(&x, &x);
            x[0] ^= 0xdead_beef;
        }
        v
    }

    fn check<const N: usize>(f: &Modulus<N>) {
        let vals = edge_values(f);
        let canon = |x: &[u64; N]| f.reduce_limbs(x);
        for a in &vals {
            assert_eq!(f.canon_vt(a), canon(a));
            assert_eq!(f.is_zero_vt(a), canon(a) == [0; N]);
            assert_eq!(f.canon_vt(&f.square_vt(a)), f.square(&canon(a)));
            assert_eq!(f.canon_vt(&f.neg_vt(a)), f.neg(&canon(a)));
            for b in &vals {
                let (ca, cb) = (canon(a), canon(b));
                assert_eq!(f.canon_vt(&f.add_vt(a, b)), f.add(&ca, &cb));
                assert_eq!(f.canon_vt(&f.sub_vt(a, b)), f.sub(&ca, &cb));
                assert_eq!(f.canon_vt(&f.mul_vt(a, b)), f.mul(&ca, &cb));
            }
        }
    }

    #[test]
    fn lazy_reduction_agrees_with_canonical() {
        // p of TC26-512-A (2^512 − 569) and of CryptoPro-A (2^256 − 617).
        let mut m512 = [u64::MAX; 8];
        m512[0] = 569u64.wrapping_neg();
        check(&Modulus::new(m512));
        let mut m256 = [u64::MAX; 4];
        m256[0] = 617u64.wrapping_neg();
        check(&Modulus::new(m256));
    }
}
