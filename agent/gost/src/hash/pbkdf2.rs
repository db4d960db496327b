//! PBKDF2 (RFC 8018 §5.2) with an HMAC-GOST PRF, as R 50.1.111-2016 / RFC 9337 define it for
//! password-protected containers (PFX of RFC 9548 use HMAC-Streebog-512).

use core::fmt;

use zeroize::Zeroize;

use super::hmac::Hmac;
use super::streebog::{Streebog256, Streebog512};
use super::GostHash;

/// Why PBKDF2 refused its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pbkdf2Error {
    /// The iteration count c must be at least 1.
    ZeroIterations,
    /// dkLen must be at least 1.
    EmptyOutput,
    /// dkLen exceeds (2^32 − 1) · hLen.
    OutputTooLong,
}

impl fmt::Display for Pbkdf2Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Pbkdf2Error::ZeroIterations => "PBKDF2 iteration count is zero",
            Pbkdf2Error::EmptyOutput => "PBKDF2 output length is zero",
            Pbkdf2Error::OutputTooLong => "PBKDF2 output length exceeds (2^32 - 1) * hLen",
        })
    }
}

impl core::error::Error for Pbkdf2Error {}

/// Largest hash output supported (Streebog-512).
const MAX_OUT: usize = 64;

/// PBKDF2 with PRF = HMAC-`H`: fills `out` with the key derived from `password` and `salt`.
///
/// The HMAC is keyed once; each of the `iterations` PRF calls clones that keyed state, so a call
/// costs the two finalisations and nothing for the key blocks.
///
/// `H` = `streebog::ct::Streebog512Ct` gives a derivation free of password-dependent memory
/// access, at about 100x the time (seconds for a PFX's 2000+ iterations); the named functions
/// below use the table-driven Streebog, like OpenSSL.
pub fn pbkdf2<H: GostHash>(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    out: &mut [u8],
) -> Result<(), Pbkdf2Error> {
    const {
        assert!(H::OUTPUT_LEN <= MAX_OUT);
    }
    if iterations == 0 {
        return Err(Pbkdf2Error::ZeroIterations);
    }
    if out.is_empty() {
        return Err(Pbkdf2Error::EmptyOutput);
    }
    let h_len = H::OUTPUT_LEN;
    if (out.len() - 1) / h_len >= u32::MAX as usize {
        return Err(Pbkdf2Error::OutputTooLong);
    }

    let prf = Hmac::<H>::new(password);
    let mut u = [0u8; MAX_OUT];
    let mut t = [0u8; MAX_OUT];
    for (i, chunk) in (1u32..).zip(out.chunks_mut(h_len)) {
        let mut m = prf.clone();
        m.update(salt);
        m.update(&i.to_be_bytes());
        finalize(m, &mut u[..h_len]);
        t[..h_len].copy_from_slice(&u[..h_len]);
        for _ in 1..iterations {
            let mut m = prf.clone();
            m.update(&u[..h_len]);
            finalize(m, &mut u[..h_len]);
            for (t, u) in t.iter_mut().zip(&u[..h_len]) {
                *t ^= u;
            }
        }
        chunk.copy_from_slice(&t[..chunk.len()]);
    }
    u.zeroize();
    t.zeroize();
    Ok(())
}

/// The full-length tag into `out`, whose length is always `H::OUTPUT_LEN` here.
#[inline]
fn finalize<H: GostHash>(m: Hmac<H>, out: &mut [u8]) {
    // Cannot fail: callers pass exactly OUTPUT_LEN bytes.
    let _ = m.finalize_into(out);
}

/// PBKDF2-HMAC-Streebog-512 (R 50.1.111-2016, RFC 9337; the PRF of GOST PFX files).
pub fn pbkdf2_hmac_streebog512(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    out: &mut [u8],
) -> Result<(), Pbkdf2Error> {
    pbkdf2::<Streebog512>(password, salt, iterations, out)
}

/// PBKDF2-HMAC-Streebog-256 (used by OpenSSL's gost engine for `-macalg md_gost12_256`).
pub fn pbkdf2_hmac_streebog256(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    out: &mut [u8],
) -> Result<(), Pbkdf2Error> {
    pbkdf2::<Streebog256>(password, salt, iterations, out)
}
