//! Private and public keys.

use alloc::vec;
use alloc::vec::Vec;

use zeroize::{Zeroize, Zeroizing};

use crate::bigint::{from_be_bytes, from_le_bytes, to_be_bytes, to_le_bytes};
use crate::curve::{Curve, CurveParams};
use crate::point::Affine;
use crate::Error;

/// Runs `$body` with `$c` bound to the curve constants of either size.
macro_rules! dispatch {
    ($curve:expr, $c:ident => $body:expr) => {
        match $curve.params() {
            crate::curve::Params::P256($c) => $body,
            crate::curve::Params::P512($c) => $body,
        }
    };
}
pub(crate) use dispatch;

/// The first N limbs of an 8-limb buffer.
#[inline(always)]
pub(crate) fn limbs<const N: usize>(a: &[u64; 8]) -> [u64; N] {
    let mut r = [0u64; N];
    r.copy_from_slice(&a[..N]);
    r
}

/// An N-limb value widened to 8 limbs.
#[inline(always)]
pub(crate) fn widen<const N: usize>(a: &[u64; N]) -> [u64; 8] {
    let mut r = [0u64; 8];
    r[..N].copy_from_slice(a);
    r
}

/// A GOST R 34.10 private key: a scalar 0 < d < q. Wiped from memory when dropped; its `Debug`
/// output shows the curve only.
#[derive(Clone)]
pub struct SecretKey {
    curve: Curve,
    /// d as a plain little-endian integer, zero-padded to 8 limbs.
    pub(crate) d: [u64; 8],
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        self.d.zeroize();
    }
}

impl core::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SecretKey")
            .field("curve", &self.curve)
            .finish_non_exhaustive()
    }
}

impl SecretKey {
    /// A new random key from the operating system's generator, in constant time.
    #[cfg(feature = "os-rng")]
    pub fn generate(curve: Curve) -> Result<Self, Error> {
        let mut seed = Zeroizing::new([0u8; 128]);
        getrandom::fill(&mut seed[..]).map_err(|_| Error::Rng)?;
        Ok(Self::from_seed(curve, &seed[..]))
    }

    /// Derives a key from 2L bytes of uniform randomness (L = 32 or 64): the bytes are reduced
    /// mod q, so the key is uniform to within 2^-256. Constant time. Extra bytes are ignored; fewer
    /// are zero-padded, so give at least 2L.
    pub fn from_seed(curve: Curve, seed: &[u8]) -> Self {
        let mut buf = Zeroizing::new([0u8; 128]);
        let n = seed.len().min(128);
        buf[..n].copy_from_slice(&seed[..n]);
        let d = dispatch!(curve, c => widen(&seed_to_scalar(c, &buf[..])));
        SecretKey { curve, d }
    }

    /// The raw little-endian scalar (OpenSSL's PKCS#8 `privateKey` content). Shorter input is
    /// zero-extended; the value must satisfy 0 < d < q.
    pub fn from_le_bytes(curve: Curve, bytes: &[u8]) -> Result<Self, Error> {
        let l = curve.scalar_len();
        if bytes.is_empty() || bytes.len() > l {
            return Err(Error::Length {
                expected: l,
                got: bytes.len(),
            });
        }
        let mut buf = Zeroizing::new([0u8; 64]);
        buf[..bytes.len()].copy_from_slice(bytes);
        let d = dispatch!(curve, c => {
            let mut v = from_le_bytes::<_>(&buf[..l]);
            // Whether a key is valid is not secret; its value is.
            let ok = crate::ct::declassified(c.scalar_in_range(&v));
            if ok == 0 {
                v.zeroize();
                return Err(Error::InvalidSecretKey);
            }
            let d = widen(&v);
            v.zeroize();
            d
        });
        Ok(SecretKey { curve, d })
    }

    /// The scalar as a big-endian integer (the mathematical notation of the standards).
    pub fn from_be_bytes(curve: Curve, bytes: &[u8]) -> Result<Self, Error> {
        let mut le = Zeroizing::new(bytes.to_vec());
        le.reverse();
        Self::from_le_bytes(curve, &le)
    }

    /// The raw little-endian scalar, L bytes.
    pub fn to_le_bytes(&self) -> Zeroizing<Vec<u8>> {
        let l = self.curve.scalar_len();
        let mut out = Zeroizing::new(vec![0u8; l]);
        to_le_bytes(&self.d, &mut out[..]);
        out
    }

    /// The parameter set.
    pub fn curve(&self) -> Curve {
        self.curve
    }

    /// Q = d·G, computed in constant time.
    pub fn public_key(&self) -> PublicKey {
        dispatch!(self.curve, c => {
            let d = Zeroizing::new(limbs(&self.d));
            let q = c.mul_base_affine(&d, None);
            let x = crate::ct::declassified(c.fp.int(&q.x));
            let y = crate::ct::declassified(c.fp.int(&q.y));
            PublicKey { curve: self.curve, x: widen(&x), y: widen(&y) }
        })
    }
}

fn seed_to_scalar<const N: usize>(c: &CurveParams<N>, seed: &[u8]) -> [u64; N] {
    let lo: Zeroizing<[u64; N]> = Zeroizing::new(from_le_bytes(&seed[..8 * N]));
    let hi: Zeroizing<[u64; N]> = Zeroizing::new(from_le_bytes(&seed[8 * N..16 * N]));
    let d = c.fq.int(&c.fq.rep_wide(&lo, &hi));
    let mut one = [0u64; N];
    one[0] = 1;
    // d = 0 has probability ~2^-256: map it to 1 instead of branching on a secret.
    crate::bigint::select_n(&d, &one, crate::bigint::mask(crate::bigint::is_zero_n(&d)))
}

/// A GOST R 34.10 public key: a point of the curve's prime-order subgroup, not the identity.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    curve: Curve,
    pub(crate) x: [u64; 8],
    pub(crate) y: [u64; 8],
}

impl core::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let l = self.curve.scalar_len();
        let mut xb = [0u8; 64];
        to_be_bytes(&self.x, &mut xb);
        write!(f, "PublicKey({}, x = ", self.curve)?;
        for b in &xb[64 - l..] {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

impl PublicKey {
    /// Parses `X ‖ Y`, each little-endian (the SubjectPublicKeyInfo OCTET STRING content of
    /// RFC 9215 §4.3), and validates the point.
    pub fn from_bytes(curve: Curve, xy_le: &[u8]) -> Result<Self, Error> {
        let l = curve.scalar_len();
        if xy_le.len() != 2 * l {
            return Err(Error::Length {
                expected: 2 * l,
                got: xy_le.len(),
            });
        }
        let mut xbe = xy_le[..l].to_vec();
        let mut ybe = xy_le[l..].to_vec();
        xbe.reverse();
        ybe.reverse();
        Self::from_coordinates(curve, &xbe, &ybe)
    }

    /// Builds a key from big-endian affine coordinates and validates it: coordinates below p, on
    /// the curve, in the subgroup of order q (the check that matters on cofactor-4 curves).
    pub fn from_coordinates(curve: Curve, x_be: &[u8], y_be: &[u8]) -> Result<Self, Error> {
        let l = curve.scalar_len();
        if x_be.len() != l || y_be.len() != l {
            return Err(Error::Length {
                expected: l,
                got: x_be.len().max(y_be.len()),
            });
        }
        let (x, y) = dispatch!(curve, c => {
            let xi = from_be_bytes(x_be);
            let yi = from_be_bytes(y_be);
            validate(c, &xi, &yi)?;
            (widen(&xi), widen(&yi))
        });
        Ok(PublicKey { curve, x, y })
    }

    /// `X ‖ Y`, each little-endian, 2L bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let l = self.curve.scalar_len();
        let mut out = vec![0u8; 2 * l];
        to_le_bytes(&self.x, &mut out[..]);
        let mut yb = [0u8; 64];
        to_le_bytes(&self.y, &mut yb);
        out[l..].copy_from_slice(&yb[..l]);
        out
    }

    /// The affine x coordinate, big-endian, L bytes.
    pub fn x_be(&self) -> Vec<u8> {
        let l = self.curve.scalar_len();
        let mut b = [0u8; 64];
        to_be_bytes(&self.x, &mut b);
        b[64 - l..].to_vec()
    }

    /// The affine y coordinate, big-endian, L bytes.
    pub fn y_be(&self) -> Vec<u8> {
        let l = self.curve.scalar_len();
        let mut b = [0u8; 64];
        to_be_bytes(&self.y, &mut b);
        b[64 - l..].to_vec()
    }

    /// The parameter set.
    pub fn curve(&self) -> Curve {
        self.curve
    }

    pub(crate) fn affine<const N: usize>(&self, c: &CurveParams<N>) -> Affine<N> {
        Affine {
            x: c.fp.rep(&limbs(&self.x)),
            y: c.fp.rep(&limbs(&self.y)),
        }
    }
}

fn validate<const N: usize>(c: &CurveParams<N>, x: &[u64; N], y: &[u64; N]) -> Result<(), Error> {
    if !c.fp.is_canonical(x) || !c.fp.is_canonical(y) {
        return Err(Error::InvalidPublicKey);
    }
    let p = Affine {
        x: c.fp.rep(x),
        y: c.fp.rep(y),
    };
    if !c.is_on_curve(&p) {
        return Err(Error::InvalidPublicKey);
    }
    // An affine point is never the identity; on cofactor-4 curves it must also have order q.
    if c.cofactor != 1 && !c.jac_is_zero(&c.mul_vartime(&c.q, &p)) {
        return Err(Error::InvalidPublicKey);
    }
    Ok(())
}
