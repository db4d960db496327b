//! The GOST parameter sets: public names and OIDs, and the internal curve constants.

use crate::bigint::hex_limbs;
use crate::field::{Fe, Modulus};
use crate::Error;

/// How the standard defines a curve. Twisted-Edwards sets (cofactor 4) are given in Weierstrass form
/// too, and tamga computes on that form; the difference matters for the subgroup check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CurveForm {
    /// A short Weierstrass curve of prime order.
    Weierstrass,
    /// A twisted-Edwards curve (RFC 7836 §5.2) with cofactor 4.
    TwistedEdwards,
}

/// A GOST R 34.10 parameter set, by the name a user or a certificate gives it.
///
/// Several names denote the same curve (TC26-256-B = CryptoPro-A = CryptoPro-XchA, and so on); they
/// stay distinct here because certificates must be written back with the OID they came with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Curve {
    /// id-tc26-gost-3410-2012-256-paramSetA (twisted Edwards).
    Tc26_256A,
    /// id-tc26-gost-3410-2012-256-paramSetB (the CryptoPro-A curve).
    Tc26_256B,
    /// id-tc26-gost-3410-2012-256-paramSetC (the CryptoPro-B curve).
    Tc26_256C,
    /// id-tc26-gost-3410-2012-256-paramSetD (the CryptoPro-C curve).
    Tc26_256D,
    /// id-tc26-gost-3410-12-512-paramSetA.
    Tc26_512A,
    /// id-tc26-gost-3410-12-512-paramSetB.
    Tc26_512B,
    /// id-tc26-gost-3410-2012-512-paramSetC (twisted Edwards).
    Tc26_512C,
    /// id-GostR3410-2001-CryptoPro-A-ParamSet (Kazakhstan's 2004 curve).
    CryptoProA,
    /// id-GostR3410-2001-CryptoPro-B-ParamSet.
    CryptoProB,
    /// id-GostR3410-2001-CryptoPro-C-ParamSet.
    CryptoProC,
    /// id-GostR3410-2001-CryptoPro-XchA-ParamSet (the CryptoPro-A curve).
    CryptoProXchA,
    /// id-GostR3410-2001-CryptoPro-XchB-ParamSet (the CryptoPro-C curve).
    CryptoProXchB,
    /// id-GostR3410-2001-TestParamSet (RFC 7091 examples).
    Test2001,
    /// id-tc26-gost-3410-2012-512-paramSetTest (GOST R 34.10-2012 Appendix A.2).
    Test512,
}

/// Every parameter set, in the order the CLI lists them.
pub const ALL_CURVES: [Curve; 14] = [
    Curve::Tc26_256A,
    Curve::Tc26_256B,
    Curve::Tc26_256C,
    Curve::Tc26_256D,
    Curve::Tc26_512A,
    Curve::Tc26_512B,
    Curve::Tc26_512C,
    Curve::CryptoProA,
    Curve::CryptoProB,
    Curve::CryptoProC,
    Curve::CryptoProXchA,
    Curve::CryptoProXchB,
    Curve::Test2001,
    Curve::Test512,
];

/// (curve, canonical CLI name, Russian OID, other OIDs that name the same parameter set).
const NAMES: [(Curve, &str, &str, &[&str]); 14] = [
    // The Kazakh NCA's GOST R 34.10-2015 256-bit paramSetA.
    (
        Curve::Tc26_256A,
        "tc26-256-a",
        "1.2.643.7.1.2.1.1.1",
        &["1.2.398.3.10.1.1.2.1.1"],
    ),
    (Curve::Tc26_256B, "tc26-256-b", "1.2.643.7.1.2.1.1.2", &[]),
    (Curve::Tc26_256C, "tc26-256-c", "1.2.643.7.1.2.1.1.3", &[]),
    (Curve::Tc26_256D, "tc26-256-d", "1.2.643.7.1.2.1.1.4", &[]),
    // The Kazakh NCA's GOST R 34.10-2015 512-bit paramSetA (pinned by the Kalkan vectors).
    (
        Curve::Tc26_512A,
        "tc26-512-a",
        "1.2.643.7.1.2.1.2.1",
        &["1.2.398.3.10.1.1.2.2.1"],
    ),
    (Curve::Tc26_512B, "tc26-512-b", "1.2.643.7.1.2.1.2.2", &[]),
    (Curve::Tc26_512C, "tc26-512-c", "1.2.643.7.1.2.1.2.3", &[]),
    // Kazakh GOST 34.310-2004 paramSetA, and Gamma/Tumar's sign and exchange keys "G_A".
    (
        Curve::CryptoProA,
        "cryptopro-a",
        "1.2.643.2.2.35.1",
        &[
            "1.2.398.3.10.1.1.1.1.1",
            "1.3.6.1.4.1.6801.1.5.8",
            "1.3.6.1.4.1.6801.1.8.8",
        ],
    ),
    (
        Curve::CryptoProB,
        "cryptopro-b",
        "1.2.643.2.2.35.2",
        &["1.3.6.1.4.1.6801.1.5.14", "1.3.6.1.4.1.6801.1.8.14"],
    ),
    (
        Curve::CryptoProC,
        "cryptopro-c",
        "1.2.643.2.2.35.3",
        &["1.3.6.1.4.1.6801.1.5.15"],
    ),
    (
        Curve::CryptoProXchA,
        "cryptopro-xcha",
        "1.2.643.2.2.36.0",
        &[],
    ),
    (
        Curve::CryptoProXchB,
        "cryptopro-xchb",
        "1.2.643.2.2.36.1",
        &[],
    ),
    (Curve::Test2001, "test-2001", "1.2.643.2.2.35.0", &[]),
    (Curve::Test512, "test-512", "1.2.643.7.1.2.1.2.0", &[]),
];

impl Curve {
    fn entry(self) -> &'static (Curve, &'static str, &'static str, &'static [&'static str]) {
        // NAMES is in the order of the enum's declaration.
        &NAMES[self as usize]
    }

    /// The canonical CLI name (`tc26-256-a`, …, `cryptopro-xchb`).
    pub fn name(self) -> &'static str {
        self.entry().1
    }

    /// The Russian (TC26 / CryptoPro) OID, dotted.
    pub fn oid(self) -> &'static str {
        self.entry().2
    }

    /// Kazakh NCA and Gamma OIDs that denote the same parameter set.
    pub fn other_oids(self) -> &'static [&'static str] {
        self.entry().3
    }

    /// Looks up a canonical name; case-insensitive, `_` accepted for `-`.
    pub fn from_name(name: &str) -> Result<Curve, Error> {
        let wanted = name.trim().as_bytes();
        let same = |canon: &str| {
            canon.len() == wanted.len()
                && canon.bytes().zip(wanted).all(|(c, w)| {
                    let w = if *w == b'_' {
                        b'-'
                    } else {
                        w.to_ascii_lowercase()
                    };
                    c == w
                })
        };
        NAMES
            .iter()
            .find(|e| same(e.1))
            .map(|e| e.0)
            .ok_or(Error::UnknownCurve)
    }

    /// Looks up a dotted OID: Russian, Kazakh NCA or Gamma.
    pub fn from_oid(oid: &str) -> Result<Curve, Error> {
        NAMES
            .iter()
            .find(|e| e.2 == oid || e.3.contains(&oid))
            .map(|e| e.0)
            .ok_or(Error::UnknownCurve)
    }

    /// Field (and key) size: 256 or 512 bits.
    pub fn bits(self) -> usize {
        match self.params() {
            Params::P256(_) => 256,
            Params::P512(_) => 512,
        }
    }

    /// Bytes of one coordinate, of r, of s and of a private key: 32 or 64.
    pub fn scalar_len(self) -> usize {
        self.bits() / 8
    }

    /// Bytes of a digest this curve signs (32 for 256-bit sets, 64 for 512-bit sets).
    pub fn digest_len(self) -> usize {
        self.scalar_len()
    }

    /// How the standard defines the curve.
    pub fn form(self) -> CurveForm {
        match self {
            Curve::Tc26_256A | Curve::Tc26_512C => CurveForm::TwistedEdwards,
            _ => CurveForm::Weierstrass,
        }
    }

    /// The group order divided by q.
    pub fn cofactor(self) -> u64 {
        match self.params() {
            Params::P256(c) => c.cofactor,
            Params::P512(c) => c.cofactor,
        }
    }

    /// True when both names denote the same curve (e.g. TC26-256-B and CryptoPro-A).
    pub fn same_curve(self, other: Curve) -> bool {
        match (self.params(), other.params()) {
            (Params::P256(a), Params::P256(b)) => core::ptr::eq(a, b),
            (Params::P512(a), Params::P512(b)) => core::ptr::eq(a, b),
            _ => false,
        }
    }

    pub(crate) fn params(self) -> Params {
        use crate::curve_params as cp;
        match self {
            Curve::Tc26_256A => Params::P256(&cp::TC26_256A),
            Curve::Tc26_256B | Curve::CryptoProA | Curve::CryptoProXchA => Params::P256(&cp::CP_A),
            Curve::Tc26_256C | Curve::CryptoProB => Params::P256(&cp::CP_B),
            Curve::Tc26_256D | Curve::CryptoProC | Curve::CryptoProXchB => Params::P256(&cp::CP_C),
            Curve::Tc26_512A => Params::P512(&cp::TC26_512A),
            Curve::Tc26_512B => Params::P512(&cp::TC26_512B),
            Curve::Tc26_512C => Params::P512(&cp::TC26_512C),
            Curve::Test2001 => Params::P256(&cp::TEST_2001),
            Curve::Test512 => Params::P512(&cp::TEST_512),
        }
    }
}

impl core::fmt::Display for Curve {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

impl core::str::FromStr for Curve {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Curve::from_name(s).or_else(|_| Curve::from_oid(s))
    }
}

/// The curve constants, by limb count.
#[derive(Clone, Copy)]
pub(crate) enum Params {
    P256(&'static CurveParams<4>),
    P512(&'static CurveParams<8>),
}

/// One curve's constants, in the field's representation where they enter formulas.
pub(crate) struct CurveParams<const N: usize> {
    pub fp: Modulus<N>,
    pub fq: Modulus<N>,
    /// q as a plain integer.
    pub q: [u64; N],
    pub a: Fe<N>,
    /// a = −3: multiplications by a become two additions and a negation.
    pub a_is_minus_3: bool,
    pub b: Fe<N>,
    /// 3b, the constant of the complete formulas.
    pub b3: Fe<N>,
    pub gx: Fe<N>,
    pub gy: Fe<N>,
    pub cofactor: u64,
    /// The twisted-Edwards form, for the two sets defined that way (faster, complete formulas).
    pub ed: Option<crate::edwards::EdParams<N>>,
    /// The fixed-base table, built on first use.
    #[cfg(feature = "std")]
    pub(crate) table: std::sync::OnceLock<crate::fixed_base::Table<N>>,
    #[cfg(feature = "std")]
    pub(crate) wnaf_table: std::sync::OnceLock<crate::wnaf::BaseTable<N>>,
    #[cfg(feature = "std")]
    pub(crate) ed_table: std::sync::OnceLock<crate::edwards::EdTable<N>>,
    #[cfg(feature = "std")]
    pub(crate) ed_wnaf_table: std::sync::OnceLock<Vec<crate::edwards::Niels<N>>>,
}

impl<const N: usize> CurveParams<N> {
    // One argument per column of the parameter table in `curve_params.rs`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) const fn new(
        p: &str,
        q: &str,
        a: &str,
        b: &str,
        x: &str,
        y: &str,
        cofactor: u64,
        ed: Option<[&str; 3]>,
    ) -> Self {
        let fp = Modulus::new(hex_limbs::<N>(p));
        let a_int = hex_limbs::<N>(a);
        let b_int = hex_limbs::<N>(b);
        // a = p − 3 ⇔ a + 3 = p (no overflow: a < p).
        let mut a3 = a_int;
        a3[0] = a3[0].wrapping_add(3);
        let mut a_is_minus_3 = a3[0] == fp.m[0];
        let mut i = 1;
        while i < N {
            if a3[i] != fp.m[i] {
                a_is_minus_3 = false;
            }
            i += 1;
        }
        let b_rep = fp.rep_const(b_int);
        let b3 = fp.add_const(&fp.add_const(&b_rep, &b_rep), &b_rep);
        CurveParams {
            fp,
            fq: Modulus::new(hex_limbs::<N>(q)),
            q: hex_limbs::<N>(q),
            a: fp.rep_const(a_int),
            a_is_minus_3,
            b: b_rep,
            b3,
            gx: fp.rep_const(hex_limbs::<N>(x)),
            gy: fp.rep_const(hex_limbs::<N>(y)),
            cofactor,
            ed: match ed {
                Some([d, s, t]) => Some(crate::edwards::EdParams {
                    d: fp.rep_const(hex_limbs::<N>(d)),
                    s: fp.rep_const(hex_limbs::<N>(s)),
                    t: fp.rep_const(hex_limbs::<N>(t)),
                }),
                None => None,
            },
            #[cfg(feature = "std")]
            table: std::sync::OnceLock::new(),
            #[cfg(feature = "std")]
            wnaf_table: std::sync::OnceLock::new(),
            #[cfg(feature = "std")]
            ed_table: std::sync::OnceLock::new(),
            #[cfg(feature = "std")]
            ed_wnaf_table: std::sync::OnceLock::new(),
        }
    }

    /// x · a.
    #[inline(always)]
    pub(crate) fn mul_a(&self, x: &Fe<N>) -> Fe<N> {
        if self.a_is_minus_3 {
            // The branch is on a public curve constant.
            let f = &self.fp;
            f.neg(&f.add(&f.dbl(x), x))
        } else {
            self.fp.mul(x, &self.a)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::dispatch;

    fn check<const N: usize>(c: &CurveParams<N>) {
        let g = c.generator();
        assert!(c.is_on_curve(&g));
        // q·G = O: the generator has order q.
        assert!(c.jac_is_zero(&c.mul_vartime(&c.q, &g)));
        // The constant-time paths agree with the variable-time ones.
        let k: [u64; N] =
            core::array::from_fn(|i| 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(i as u64 + 3));
        let k = c.fq.reduce_limbs(&k);
        let (a, _) = c.to_affine(&c.mul_base(&k));
        let (b, _) = c.to_affine(&c.mul_ct(&k, &g));
        let j = c.mul_vartime(&k, &g);
        let f = &c.fp;
        let zi = f.invert(&j.z);
        let zi2 = f.square(&zi);
        assert_eq!(a, b);
        // The Edwards path (where there is one) lands on the same Weierstrass point.
        assert_eq!(c.mul_base_affine(&k, None), a);
        let blind = c.fp.rep(&c.gy);
        assert_eq!(c.mul_base_affine(&k, Some(&blind)), a);
        assert_eq!(a.x, f.mul(&j.x, &zi2));
        assert_eq!(a.y, f.mul(&j.y, &f.mul(&zi2, &zi)));
        assert!(c.is_on_curve(&a));
        // (q − 1)·G = −G, and the complete formulas reach the identity at q·G.
        let mut qm1 = c.q;
        qm1[0] -= 1;
        let (m, inf) = c.to_affine(&c.mul_base(&qm1));
        assert_eq!(inf, 0);
        assert_eq!(c.mul_base_affine(&qm1, None), m);
        assert_eq!(m.x, g.x);
        assert_eq!(m.y, f.neg(&g.y));
        let (_, inf) = c.to_affine(&c.mul_ct(&c.q, &g));
        assert_eq!(inf, u64::MAX);
        // Scalars that stress the fast fixed-base path: long runs of zero digits, single digits
        // in the last rows, values near q and q/2.
        let mut specials: Vec<[u64; N]> = Vec::new();
        for v in [1u64, 2, 15, 16, 17, 31, 32, 33] {
            let mut x = [0u64; N];
            x[0] = v;
            specials.push(x);
            let mut hi = [0u64; N];
            hi[N - 1] = v << 50;
            specials.push(c.fq.reduce_limbs(&hi));
        }
        let mut half = c.q;
        for i in 0..N {
            half[i] = (half[i] >> 1) | if i + 1 < N { half[i + 1] << 63 } else { 0 };
        }
        specials.push(half);
        let mut qm2 = c.q;
        qm2[0] -= 2;
        specials.push(qm2);
        for k in &specials {
            let expect = c.mul_vartime(k, &g);
            let zi = f.invert(&expect.z);
            let zi2 = f.square(&zi);
            let (a, inf) = c.to_affine(&c.mul_base(k));
            assert_eq!(inf, 0);
            assert_eq!(a.x, f.mul(&expect.x, &zi2), "{k:x?}");
            assert_eq!(c.mul_base_affine(k, None), a, "{k:x?}");
        }
    }

    #[test]
    fn every_parameter_set_is_sound() {
        for curve in ALL_CURVES {
            dispatch!(curve, c => check(c));
            assert_eq!(Curve::from_name(curve.name()), Ok(curve));
            assert_eq!(Curve::from_oid(curve.oid()), Ok(curve));
            for o in curve.other_oids() {
                assert!(Curve::from_oid(o).unwrap().same_curve(curve));
            }
        }
        assert!(Curve::Tc26_256B.same_curve(Curve::CryptoProA));
        assert!(Curve::CryptoProXchB.same_curve(Curve::Tc26_256D));
        assert!(!Curve::Tc26_256A.same_curve(Curve::CryptoProA));
        assert_eq!(Curve::Tc26_256A.cofactor(), 4);
        assert_eq!(Curve::Tc26_512C.cofactor(), 4);
        assert_eq!(Curve::from_name("TC26_512_A"), Ok(Curve::Tc26_512A));
        assert!(Curve::from_name("p256").is_err());
    }

    #[test]
    fn field_inverse_and_reduction() {
        for curve in ALL_CURVES {
            dispatch!(curve, c => {
                let f = &c.fp;
                let x = f.rep(&c.gy);
                let xi = f.invert(&x);
                assert_eq!(f.mul(&x, &xi), f.one);
                assert_eq!(f.int(&f.rep(&c.q)), c.fp.reduce_limbs(&c.q));
                // rep_wide agrees with rep on a value < m.
                assert_eq!(f.rep_wide(&c.gy, &[0; _]), f.rep(&c.gy));
                let s = f.square(&x);
                assert_eq!(s, f.mul(&x, &x));
            });
        }
    }
}

#[cfg(test)]
mod speed_probe {
    use super::*;
    use crate::keys::dispatch;

    /// Rough ns per field operation: `cargo test --release -p tamga-gost field_speed -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn field_speed() {
        for curve in [
            Curve::CryptoProA,
            Curve::Tc26_256A,
            Curve::CryptoProC,
            Curve::Tc26_512A,
        ] {
            dispatch!(curve, c => {
                let f = &c.fp;
                let mut x = c.gx;
                let y = c.gy;
                let n = 2_000_000;
                let t = std::time::Instant::now();
                for _ in 0..n { x = f.mul(&x, &y); }
                let mul = t.elapsed().as_nanos() as f64 / n as f64;
                let t = std::time::Instant::now();
                for _ in 0..n { x = f.square(&x); }
                let sq = t.elapsed().as_nanos() as f64 / n as f64;
                let t = std::time::Instant::now();
                for _ in 0..n { x = f.add(&x, &y); }
                let add = t.elapsed().as_nanos() as f64 / n as f64;
                let t = std::time::Instant::now();
                for _ in 0..1000 { x = f.invert(&x); }
                let inv = t.elapsed().as_nanos() as f64 / 1000.0;
                let t = std::time::Instant::now();
                for _ in 0..1000 { x = f.invert_vartime(&x); x[0] |= 1; }
                let vinv = t.elapsed().as_nanos() as f64 / 1000.0;
                println!("{curve}: mul {mul:.1} ns, sqr {sq:.1} ns, add {add:.1} ns, inv {inv:.0} ns, vartime inv {vinv:.0} ns {}", x[0] & 1);
            });
        }
    }
}

#[cfg(test)]
mod inversion_tests {
    use super::*;
    use crate::keys::dispatch;

    #[test]
    fn vartime_inverse_matches_fermat() {
        for curve in ALL_CURVES {
            dispatch!(curve, c => {
                for f in [&c.fp, &c.fq] {
                    let mut x = f.rep(&c.gx);
                    for _ in 0..50 {
                        assert_eq!(f.invert_vartime(&x), f.invert(&x));
                        x = f.add(&f.square(&x), &f.one);
                    }
                    assert_eq!(f.invert_vartime(&f.one), f.one);
                    assert_eq!(f.invert_vartime(&[0; _]), [0; _]);
                }
            });
        }
    }
}
