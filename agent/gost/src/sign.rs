//! GOST R 34.10-2012 signing and verification (§6.1, §6.2).

use alloc::vec;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use crate::bigint::{from_be_bytes, from_le_bytes, is_zero_n, lt_n, to_be_bytes, to_le_bytes};
use crate::curve::{Curve, CurveParams};
use crate::encoding::SigEncoding;
use crate::keys::{dispatch, limbs, widen, PublicKey, SecretKey};
use crate::Error;

/// A signature (r, s), independent of its byte layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    curve: Curve,
    r: [u64; 8],
    s: [u64; 8],
}

impl Signature {
    /// Parses 2L bytes in the given layout (`Auto` reads RFC 9215). Range is checked at
    /// verification, not here, so that a caller can still inspect a malformed value.
    pub fn from_bytes(curve: Curve, bytes: &[u8], enc: SigEncoding) -> Result<Self, Error> {
        let l = curve.scalar_len();
        if bytes.len() != 2 * l {
            return Err(Error::Length {
                expected: 2 * l,
                got: bytes.len(),
            });
        }
        let mut r = [0u64; 8];
        let mut s = [0u64; 8];
        match enc {
            SigEncoding::Rfc9215 | SigEncoding::Auto => {
                fill_be(&mut s, &bytes[..l]);
                fill_be(&mut r, &bytes[l..]);
            }
            SigEncoding::Kz => {
                fill_le(&mut r, &bytes[..l]);
                fill_le(&mut s, &bytes[l..]);
            }
        }
        Ok(Signature { curve, r, s })
    }

    /// The 2L-byte encoding in the given layout (`Auto` writes RFC 9215).
    pub fn to_bytes(&self, enc: SigEncoding) -> Vec<u8> {
        let l = self.curve.scalar_len();
        let mut out = vec![0u8; 2 * l];
        match enc {
            SigEncoding::Rfc9215 | SigEncoding::Auto => {
                out[..l].copy_from_slice(&be(&self.s, l));
                out[l..].copy_from_slice(&be(&self.r, l));
            }
            SigEncoding::Kz => {
                out[..l].copy_from_slice(&le(&self.r, l));
                out[l..].copy_from_slice(&le(&self.s, l));
            }
        }
        out
    }

    /// r, big-endian, L bytes.
    pub fn r_be(&self) -> Vec<u8> {
        be(&self.r, self.curve.scalar_len())
    }

    /// s, big-endian, L bytes.
    pub fn s_be(&self) -> Vec<u8> {
        be(&self.s, self.curve.scalar_len())
    }

    /// The parameter set.
    pub fn curve(&self) -> Curve {
        self.curve
    }
}

fn fill_be(dst: &mut [u64; 8], src: &[u8]) {
    let mut buf = [0u8; 64];
    buf[64 - src.len()..].copy_from_slice(src);
    *dst = from_be_bytes(&buf);
}

fn fill_le(dst: &mut [u64; 8], src: &[u8]) {
    let mut buf = [0u8; 64];
    buf[..src.len()].copy_from_slice(src);
    *dst = from_le_bytes(&buf);
}

fn be(v: &[u64; 8], l: usize) -> Vec<u8> {
    let mut b = [0u8; 64];
    to_be_bytes(v, &mut b);
    b[64 - l..].to_vec()
}

fn le(v: &[u64; 8], l: usize) -> Vec<u8> {
    let mut b = [0u8; 64];
    to_le_bytes(v, &mut b);
    b[..l].to_vec()
}

fn check_digest(curve: Curve, digest: &[u8]) -> Result<(), Error> {
    let l = curve.digest_len();
    if digest.len() != l {
        return Err(Error::Length {
            expected: l,
            got: digest.len(),
        });
    }
    Ok(())
}

/// One signing attempt with nonce k (plain integer, 0 < k < q). `None` when r or s is 0.
fn sign_with_k<const N: usize>(
    c: &CurveParams<N>,
    d: &[u64; N],
    digest: &[u8],
    k: &[u64; N],
    blind: Option<&[u64; N]>,
) -> Option<([u64; N], [u64; N])> {
    let e = c.digest_to_e(digest);
    let pt = c.mul_base_affine(k, blind);
    // r and s are published: they may be branched on once computed.
    let r = crate::ct::declassified(c.x_mod_q(&c.fp.int(&pt.x)));
    if is_zero_n(&r) == 1 {
        return None;
    }
    let s = crate::ct::declassified(c.sign_equation(&r, d, k, &e));
    if is_zero_n(&s) == 1 {
        return None;
    }
    Some((r, s))
}

impl SecretKey {
    /// Signs a digest (L bytes, as the hash outputs it) with a fresh hedged nonce, and encodes the
    /// signature. Constant time in the key and the nonce.
    #[cfg(feature = "os-rng")]
    pub fn sign_digest(&self, digest: &[u8], enc: SigEncoding) -> Result<Vec<u8>, Error> {
        Ok(self.sign_digest_raw(digest)?.to_bytes(enc))
    }

    /// Like [`SecretKey::sign_digest`], returning the (r, s) pair.
    #[cfg(feature = "os-rng")]
    pub fn sign_digest_raw(&self, digest: &[u8]) -> Result<Signature, Error> {
        let mut extra = Zeroizing::new([0u8; 64]);
        loop {
            getrandom::fill(&mut extra[..]).map_err(|_| Error::Rng)?;
            if let Some(sig) = self.sign_digest_hedged(digest, &extra[..])? {
                return Ok(sig);
            }
        }
    }

    /// Signs with a nonce derived from the key, the digest and caller-supplied randomness
    /// (`extra`, at least 32 fresh random bytes). `Ok(None)` in the ~2^-250 case of r = 0 or
    /// s = 0: call again with new randomness.
    pub fn sign_digest_hedged(
        &self,
        digest: &[u8],
        extra: &[u8],
    ) -> Result<Option<Signature>, Error> {
        check_digest(self.curve(), digest)?;
        let key = self.to_le_bytes();
        Ok(dispatch!(self.curve(), c => {
            let d = Zeroizing::new(limbs(&self.d));
            let nonce = crate::nonce::derive(c, &key, digest, extra);
            sign_with_k(c, &d, digest, &nonce.k, Some(&nonce.blind))
                .map(|(r, s)| Signature { curve: self.curve(), r: widen(&r), s: widen(&s) })
        }))
    }

    /// Signs with a given nonce k (big-endian integer). Only for reproducing published test
    /// examples: a nonce used twice reveals the key.
    #[doc(hidden)]
    pub fn sign_digest_with_nonce(&self, digest: &[u8], k_be: &[u8]) -> Result<Signature, Error> {
        check_digest(self.curve(), digest)?;
        let k = SecretKey::from_be_bytes(self.curve(), k_be)?;
        dispatch!(self.curve(), c => {
            let d = Zeroizing::new(limbs(&self.d));
            let kk = Zeroizing::new(limbs(&k.d));
            sign_with_k(c, &d, digest, &kk, None)
                .map(|(r, s)| Signature { curve: self.curve(), r: widen(&r), s: widen(&s) })
                .ok_or(Error::SignatureRange)
        })
    }
}

impl PublicKey {
    /// Verifies an encoded signature over a digest. With [`SigEncoding::Auto`] both layouts are
    /// tried. Variable time (public data only).
    pub fn verify_digest(&self, digest: &[u8], sig: &[u8], enc: SigEncoding) -> Result<(), Error> {
        match enc {
            SigEncoding::Auto => self
                .verify_digest(digest, sig, SigEncoding::Rfc9215)
                .or_else(|_| self.verify_digest(digest, sig, SigEncoding::Kz)),
            _ => self.verify(digest, &Signature::from_bytes(self.curve(), sig, enc)?),
        }
    }

    /// Which layout an encoded signature verifies in, if any (RFC 9215 tried first).
    pub fn detect_encoding(&self, digest: &[u8], sig: &[u8]) -> Result<SigEncoding, Error> {
        self.verify_digest(digest, sig, SigEncoding::Rfc9215)
            .map(|_| SigEncoding::Rfc9215)
            .or_else(|_| {
                self.verify_digest(digest, sig, SigEncoding::Kz)
                    .map(|_| SigEncoding::Kz)
            })
    }

    /// Verifies (r, s) over a digest.
    pub fn verify(&self, digest: &[u8], sig: &Signature) -> Result<(), Error> {
        check_digest(self.curve(), digest)?;
        if !sig.curve.same_curve(self.curve()) {
            return Err(Error::BadSignature);
        }
        dispatch!(self.curve(), c => verify_inner(c, self, digest, &limbs(&sig.r), &limbs(&sig.s)))
    }
}

fn verify_inner<const N: usize>(
    c: &CurveParams<N>,
    key: &PublicKey,
    digest: &[u8],
    r: &[u64; N],
    s: &[u64; N],
) -> Result<(), Error> {
    if c.scalar_in_range(r) == 0 || c.scalar_in_range(s) == 0 {
        return Err(Error::SignatureRange);
    }
    let e = c.digest_to_e(digest);
    let (z1, z2) = c.verify_multipliers(r, s, &e);
    let q = key.affine(c);
    #[cfg(feature = "std")]
    if let Some(ed) = &c.ed {
        let qe = c
            .ed_ext_from_weierstrass(ed, &q)
            .ok_or(Error::InvalidPublicKey)?;
        let pt = c.ed_double_mul_vartime(ed, &z1, &z2, &qe);
        return if c.ed_x_matches(ed, &pt, r) {
            Ok(())
        } else {
            Err(Error::BadSignature)
        };
    }
    let pt = c.double_mul_vartime(&z1, &z2, &q);
    if c.jac_is_zero(&pt) {
        return Err(Error::BadSignature);
    }
    // x(C) = X/Z²; compare without inverting: any x ≡ r (mod q) below p, times Z², must equal X.
    let f = &c.fp;
    let zz = f.square(&pt.z);
    let mut cand = *r;
    loop {
        if f.mul(&f.rep(&cand), &zz) == pt.x {
            return Ok(());
        }
        let (next, carry) = crate::bigint::add_n(&cand, &c.q);
        if carry == 1 || lt_n(&next, &c.fp.m) == 0 {
            return Err(Error::BadSignature);
        }
        cand = next;
    }
}
