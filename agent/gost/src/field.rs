//! Arithmetic modulo an odd prime of N 64-bit limbs, in constant time.
//!
//! One type serves every GOST prime, the field primes p and the group orders q. Two reductions:
//! pseudo-Mersenne primes 2^(64N) − c (p of TC26-256-A/B, CryptoPro-A and all TC26-512 sets) fold
//! the high half back with one small multiplication per limb, which is what makes those curves fast;
//! every other modulus uses Montgomery multiplication. Elements are kept in the modulus's own
//! representation (Montgomery form or plain), and `from_*`/`to_*` convert at the edges only.

mod vt;

use crate::bigint::{adc, add_n, is_zero_n, lt_n, mac, mask, sbb, select_n, sub_n};

/// An element of Z/mZ in the representation of its [`Modulus`]. Always fully reduced (< m).
pub(crate) type Fe<const N: usize> = [u64; N];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reduction {
    /// m = 2^(64N) − c with c < 2^32; elements are plain integers.
    PseudoMersenne { c: u64 },
    /// Montgomery form with R = 2^(64N); `inv` = −m⁻¹ mod 2^64.
    Montgomery { inv: u64 },
}

/// A modulus with everything precomputed at compile time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Modulus<const N: usize> {
    pub m: [u64; N],
    red: Reduction,
    /// R² mod m (Montgomery) — converts plain integers into the representation.
    r2: [u64; N],
    /// The representation of 1.
    pub one: [u64; N],
    /// m − 2, the exponent of Fermat inversion.
    m_minus_2: [u64; N],
}

impl<const N: usize> Modulus<N> {
    /// Precomputes the constants for an odd modulus given by its limbs.
    pub const fn new(m: [u64; N]) -> Self {
        // c = 2^(64N) − m when that is small: every limb above the first is all ones.
        let mut pm = m[0] > u64::MAX - (1 << 32);
        let mut i = 1;
        while i < N {
            if m[i] != u64::MAX {
                pm = false;
            }
            i += 1;
        }
        let mut m_minus_2 = m;
        m_minus_2[0] -= 2; // m is odd and > 2, so no borrow
        if pm {
            let mut one = [0u64; N];
            one[0] = 1;
            return Modulus {
                m,
                red: Reduction::PseudoMersenne {
                    c: m[0].wrapping_neg(),
                },
                r2: one,
                one,
                m_minus_2,
            };
        }
        // −m⁻¹ mod 2^64 by Newton iteration (each step doubles the correct low bits).
        let mut inv: u64 = 1;
        let mut k = 0;
        while k < 6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(m[0].wrapping_mul(inv)));
            k += 1;
        }
        let inv = inv.wrapping_neg();
        // R mod m and R² mod m by doubling, one bit at a time (compile time only).
        let mut r = [0u64; N]; // 1
        r[0] = 1;
        let mut bit = 0;
        let mut one = [0u64; N];
        while bit < 128 * N {
            r = const_add_mod(&r, &r, &m);
            bit += 1;
            if bit == 64 * N {
                one = r;
            }
        }
        Modulus {
            m,
            red: Reduction::Montgomery { inv },
            r2: r,
            one,
            m_minus_2,
        }
    }

    /// a + b.
    #[inline(always)]
    pub fn add(&self, a: &Fe<N>, b: &Fe<N>) -> Fe<N> {
        // The mask must be opaque: with a plain one, LTO builds turned this into a branch.
        self.add_masked(a, b, mask)
    }

    /// a + b − m, with m added back when that borrowed without an earlier carry; `to_mask`
    /// turns the 0/1 condition into a mask.
    #[inline(always)]
    fn add_masked(&self, a: &Fe<N>, b: &Fe<N>, to_mask: fn(u64) -> u64) -> Fe<N> {
        let (s, carry) = add_n(a, b);
        let (d, borrow) = sub_n(&s, &self.m);
        let mk = to_mask(borrow & !carry & 1);
        let fix: [u64; N] = core::array::from_fn(|i| self.m[i] & mk);
        add_n(&d, &fix).0
    }

    /// a − b, with m added back on a borrow.
    #[inline(always)]
    fn sub_masked(&self, a: &Fe<N>, b: &Fe<N>, to_mask: fn(u64) -> u64) -> Fe<N> {
        let (d, borrow) = sub_n(a, b);
        let mk = to_mask(borrow);
        let fix: [u64; N] = core::array::from_fn(|i| self.m[i] & mk);
        add_n(&d, &fix).0
    }

    /// a − b.
    #[inline(always)]
    pub fn sub(&self, a: &Fe<N>, b: &Fe<N>) -> Fe<N> {
        self.sub_masked(a, b, mask)
    }

    /// −a.
    #[inline(always)]
    pub fn neg(&self, a: &Fe<N>) -> Fe<N> {
        self.sub(&[0u64; N], a)
    }

    /// 2a.
    #[inline(always)]
    pub fn dbl(&self, a: &Fe<N>) -> Fe<N> {
        self.add(a, a)
    }

    /// a · b.
    #[inline(always)]
    pub fn mul(&self, a: &Fe<N>, b: &Fe<N>) -> Fe<N> {
        let t = mul_wide(a, b);
        self.reduce_wide(&t)
    }

    /// a².
    #[inline(always)]
    pub fn square(&self, a: &Fe<N>) -> Fe<N> {
        let t = square_wide(a);
        self.reduce_wide(&t)
    }

    /// Reduces a 2N-limb product (kept in a 16-limb buffer) in this modulus's representation.
    #[inline(always)]
    fn reduce_wide(&self, t: &[u64; 16]) -> Fe<N> {
        match self.red {
            Reduction::PseudoMersenne { c } => self.reduce_pm(t, c),
            Reduction::Montgomery { inv } => self.reduce_mont(t, inv),
        }
    }

    #[inline(always)]
    fn reduce_pm(&self, t: &[u64; 16], c: u64) -> Fe<N> {
        // t = hi·2^(64N) + lo ≡ lo + hi·c.
        let mut r = [0u64; N];
        let mut carry = 0u64;
        for i in 0..N {
            (r[i], carry) = mac(t[i], t[N + i], c, carry);
        }
        // carry < c + 1 < 2^33: fold it again; carry·c < 2^65 needs two limbs.
        let top = (carry as u128) * (c as u128);
        let (lo, hi) = (top as u64, (top >> 64) as u64);
        let mut cc;
        (r[0], cc) = adc(r[0], lo, 0);
        (r[1], cc) = adc(r[1], hi, cc);
        for limb in r.iter_mut().skip(2) {
            (*limb, cc) = adc(*limb, 0, cc);
        }
        // A final overflow means the value wrapped past 2^(64N): add c once more (cannot overflow again).
        let (r0, c2) = adc(r[0], c & mask(cc), 0);
        r[0] = r0;
        let mut cc2 = c2;
        for limb in r.iter_mut().skip(1) {
            (*limb, cc2) = adc(*limb, 0, cc2);
        }
        // Now r < 2^(64N) < 2m: subtract m once if r ≥ m, i.e. if r + c carries out.
        let mut s = [0u64; N];
        let mut k;
        (s[0], k) = adc(r[0], c, 0);
        for i in 1..N {
            (s[i], k) = adc(r[i], 0, k);
        }
        select_n(&r, &s, mask(k))
    }

    #[inline(always)]
    fn reduce_mont(&self, t: &[u64; 16], inv: u64) -> Fe<N> {
        let mut t = *t;
        let mut hi_carry = 0u64;
        for i in 0..N {
            let mq = t[i].wrapping_mul(inv);
            let mut carry = 0u64;
            for j in 0..N {
                (t[i + j], carry) = mac(t[i + j], mq, self.m[j], carry);
            }
            (t[i + N], hi_carry) = adc(t[i + N], carry, hi_carry);
        }
        let mut r = [0u64; N];
        r.copy_from_slice(&t[N..2 * N]);
        let (d, borrow) = sub_n(&r, &self.m);
        select_n(&d, &r, mask(borrow & !hi_carry & 1))
    }

    /// Converts a plain integer below m into the representation.
    pub fn rep(&self, a: &[u64; N]) -> Fe<N> {
        match self.red {
            Reduction::PseudoMersenne { .. } => *a,
            Reduction::Montgomery { .. } => self.mul(a, &self.r2),
        }
    }

    /// Converts out of the representation into a plain integer below m.
    pub fn int(&self, a: &Fe<N>) -> [u64; N] {
        match self.red {
            Reduction::PseudoMersenne { .. } => *a,
            Reduction::Montgomery { .. } => {
                let mut t = [0u64; 16];
                t[..N].copy_from_slice(a);
                self.reduce_wide(&t)
            }
        }
    }

    /// Reduces any N-limb integer into [0, m) — constant time (every N-limb value is below 5m
    /// for the GOST moduli).
    pub fn reduce_limbs(&self, a: &[u64; N]) -> [u64; N] {
        // The smallest GOST order, q of TC26-256-A, is just above 2^254: three subtractions suffice;
        // a fixed count keeps it branch-free.
        let mut x = *a;
        for _ in 0..4 {
            let (d, borrow) = sub_n(&x, &self.m);
            x = select_n(&d, &x, mask(borrow));
        }
        x
    }

    /// Reduces a 2N-limb little-endian integer modulo m, into the representation (constant time).
    pub fn rep_wide(&self, lo: &[u64; N], hi: &[u64; N]) -> Fe<N> {
        // lo + hi·2^(64N): with R = 2^(64N), that is rep(lo) + rep(hi)·R.
        let lo = self.rep(&self.reduce_limbs(lo));
        let hi = self.rep(&self.reduce_limbs(hi));
        let r_rep = self.rep(&self.r_mod());
        self.add(&lo, &self.mul(&hi, &r_rep))
    }

    /// 2^(64N) mod m as a plain integer.
    fn r_mod(&self) -> [u64; N] {
        match self.red {
            Reduction::PseudoMersenne { c } => {
                let mut r = [0u64; N];
                r[0] = c;
                r
            }
            // The Montgomery form of 1 is R mod m itself.
            Reduction::Montgomery { .. } => self.one,
        }
    }

    /// a⁻¹ (a⁻¹ of 0 is 0). Fermat's little theorem with a public exponent: constant time.
    pub fn invert(&self, a: &Fe<N>) -> Fe<N> {
        self.pow(a, &self.m_minus_2)
    }

    /// a⁻¹ for a secret a: constant-time Fermat, or, given a secret random β ≠ 0, the faster
    /// variable-time inversion of the blinded a·β (uniform, so public) times β.
    pub fn invert_secret(&self, a: &Fe<N>, blind: Option<&Fe<N>>) -> Fe<N> {
        match blind {
            Some(b) => {
                let ab = crate::ct::declassified(self.mul(a, b));
                self.mul(&self.invert_vartime(&ab), b)
            }
            None => self.invert(a),
        }
    }

    /// a⁻¹ in variable time, for public or blinded values only (a⁻¹ of 0 is 0).
    ///
    /// Binary extended Euclid on the plain integer, then one multiplication to return to the
    /// representation: in Montgomery form a = xR, and (xR)⁻¹·R³/R = x⁻¹R.
    pub fn invert_vartime(&self, a: &Fe<N>) -> Fe<N> {
        let inv = self.inv_int_vartime(a);
        match self.red {
            Reduction::PseudoMersenne { .. } => inv,
            Reduction::Montgomery { .. } => {
                let r3 = self.mul(&self.r2, &self.r2);
                self.mul(&inv, &r3)
            }
        }
    }

    /// x⁻¹ mod m for a plain integer x < m; variable time. Keeps x1·x ≡ u and x2·x ≡ v (mod m).
    fn inv_int_vartime(&self, x: &[u64; N]) -> [u64; N] {
        if is_zero_n(x) == 1 {
            return [0; N];
        }
        let mut one = [0u64; N];
        one[0] = 1;
        let (mut u, mut v) = (*x, self.m);
        let (mut x1, mut x2) = (one, [0u64; N]);
        loop {
            if u == one {
                return x1;
            }
            if v == one {
                return x2;
            }
            while u[0] & 1 == 0 {
                let k = u[0].trailing_zeros().min(63);
                shr_small(&mut u, k);
                for _ in 0..k {
                    x1 = self.halve(&x1);
                }
            }
            while v[0] & 1 == 0 {
                let k = v[0].trailing_zeros().min(63);
                shr_small(&mut v, k);
                for _ in 0..k {
                    x2 = self.halve(&x2);
                }
            }
            if lt_n(&u, &v) == 0 {
                u = sub_n(&u, &v).0;
                x1 = self.sub(&x1, &x2);
            } else {
                v = sub_n(&v, &u).0;
                x2 = self.sub(&x2, &x1);
            }
        }
    }

    /// x/2 mod m for a plain integer below m (variable time).
    #[inline(always)]
    fn halve(&self, x: &[u64; N]) -> [u64; N] {
        let (mut t, carry) = if x[0] & 1 == 1 {
            add_n(x, &self.m)
        } else {
            (*x, 0)
        };
        shr_small(&mut t, 1);
        t[N - 1] |= carry << 63;
        t
    }

    /// a^e for a public exponent e, fixed 4-bit windows (constant time in a).
    pub fn pow(&self, a: &Fe<N>, e: &[u64; N]) -> Fe<N> {
        let mut table = [self.one; 16];
        for i in 1..16 {
            table[i] = self.mul(&table[i - 1], a);
        }
        let mut acc = self.one;
        for i in (0..N).rev() {
            for nib in (0..16).rev() {
                for _ in 0..4 {
                    acc = self.square(&acc);
                }
                let idx = ((e[i] >> (nib * 4)) & 0xF) as usize;
                // The exponent is public, so indexing the table by it leaks nothing.
                acc = self.mul(&acc, &table[idx]);
            }
        }
        acc
    }

    /// 1 when a == 0, else 0.
    #[inline(always)]
    pub fn is_zero(&self, a: &Fe<N>) -> u64 {
        is_zero_n(a)
    }

    /// Plain integer `a` is a canonical element (a < m).
    pub fn is_canonical(&self, a: &[u64; N]) -> bool {
        lt_n(a, &self.m) == 1
    }
}

/// x >>= k for 0 < k < 64.
#[inline(always)]
fn shr_small<const N: usize>(x: &mut [u64; N], k: u32) {
    if k == 0 {
        return;
    }
    for i in 0..N - 1 {
        x[i] = (x[i] >> k) | (x[i + 1] << (64 - k));
    }
    x[N - 1] >>= k;
}

/// a + b mod m for a, b < m (compile-time helper).
const fn const_add_mod<const N: usize>(a: &[u64; N], b: &[u64; N], m: &[u64; N]) -> [u64; N] {
    let mut s = [0u64; N];
    let mut carry = 0u64;
    let mut i = 0;
    while i < N {
        let (v, c) = adc(a[i], b[i], carry);
        s[i] = v;
        carry = c;
        i += 1;
    }
    let mut d = [0u64; N];
    let mut borrow = 0u64;
    i = 0;
    while i < N {
        let (v, bw) = sbb(s[i], m[i], borrow);
        d[i] = v;
        borrow = bw;
        i += 1;
    }
    if carry == 1 || borrow == 0 {
        d
    } else {
        s
    }
}

/// Schoolbook product into a 16-limb buffer (2N ≤ 16).
#[inline(always)]
fn mul_wide<const N: usize>(a: &[u64; N], b: &[u64; N]) -> [u64; 16] {
    let mut t = [0u64; 16];
    for i in 0..N {
        let mut carry = 0u64;
        for j in 0..N {
            (t[i + j], carry) = mac(t[i + j], a[i], b[j], carry);
        }
        t[i + N] = carry;
    }
    t
}

/// Squaring: the off-diagonal products once, doubled, plus the squares.
#[inline(always)]
fn square_wide<const N: usize>(a: &[u64; N]) -> [u64; 16] {
    let mut t = [0u64; 16];
    for i in 0..N {
        let mut carry = 0u64;
        for j in (i + 1)..N {
            (t[i + j], carry) = mac(t[i + j], a[i], a[j], carry);
        }
        t[i + N] = carry;
    }
    // Double the cross terms.
    let mut top = 0u64;
    for limb in t.iter_mut().take(2 * N) {
        let next = *limb >> 63;
        *limb = (*limb << 1) | top;
        top = next;
    }
    // Add the squares a[i]² at position 2i.
    let mut carry = 0u64;
    for i in 0..N {
        let sq = (a[i] as u128) * (a[i] as u128);
        (t[2 * i], carry) = adc(t[2 * i], sq as u64, carry);
        (t[2 * i + 1], carry) = adc(t[2 * i + 1], (sq >> 64) as u64, carry);
    }
    t
}

impl<const N: usize> Modulus<N> {
    /// Compile-time conversion of a plain integer below m into the representation.
    pub const fn rep_const(&self, x: [u64; N]) -> [u64; N] {
        match self.red {
            Reduction::PseudoMersenne { .. } => x,
            Reduction::Montgomery { .. } => {
                let mut r = x;
                let mut i = 0;
                while i < 64 * N {
                    r = const_add_mod(&r, &r, &self.m);
                    i += 1;
                }
                r
            }
        }
    }

    /// Compile-time a + b mod m.
    pub const fn add_const(&self, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        const_add_mod(a, b, &self.m)
    }
}
