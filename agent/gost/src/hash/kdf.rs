//! The key derivation functions of RFC 7836 §4.4 and §4.5, on HMAC-Streebog-256.
//!
//! Both run HMAC over the constant-time Streebog (`streebog::ct`): their input key is typically
//! a KEK or a session key (the output of VKO, whose hash is constant-time for the same reason),
//! and a derivation costs well under a millisecond even so.

use core::fmt;

use super::hmac::Hmac;
use super::streebog::ct::Streebog256Ct;

/// HMAC-Streebog-256 that makes no key- or data-dependent memory access.
type Prf = Hmac<Streebog256Ct>;

/// Why KDF_TREE refused its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KdfError {
    /// R (the byte length of the counter) must be 1, 2, 3 or 4.
    BadCounterLength,
    /// The output must be a non-zero multiple of 32 bytes that the counter and the 32-bit
    /// length field can describe.
    BadOutputLength,
}

impl fmt::Display for KdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KdfError::BadCounterLength => "KDF_TREE counter length R must be 1..=4",
            KdfError::BadOutputLength => "KDF_TREE output length is not a usable multiple of 32",
        })
    }
}

impl core::error::Error for KdfError {}

/// KDF_GOSTR3411_2012_256(K_in, label, seed) = HMAC256(K_in, 0x01 ‖ label ‖ 0x00 ‖ seed ‖ 0x01 0x00)
/// (RFC 7836 §4.4).
pub fn kdf_gostr3411_2012_256(key: &[u8], label: &[u8], seed: &[u8]) -> [u8; 32] {
    let mut m = Prf::new(key);
    m.update(&[0x01]);
    m.update(label);
    m.update(&[0x00]);
    m.update(seed);
    m.update(&[0x01, 0x00]);
    m.finalize()
}

/// KDF_TREE_GOSTR3411_2012_256(K_in, label, seed, R) of RFC 7836 §4.5, filling all of `out`:
/// `K(i) = HMAC256(K_in, [i]_b ‖ label ‖ 0x00 ‖ seed ‖ [L]_b)`, out = K(1) ‖ K(2) ‖ …
///
/// `[i]_b` is i big-endian in exactly `r` bytes; `[L]_b` is L = 8·`out.len()` big-endian in the
/// fewest bytes (0x02 0x00 for 512 bits), as gost-engine's `gost_kdftree2012_256` does and as
/// the RFC's example (L = 512, R = 1) confirms. Like gost-engine, only whole 32-byte blocks are
/// produced, so `out.len()` must be a multiple of 32.
pub fn kdf_tree_gostr3411_2012_256(
    key: &[u8],
    label: &[u8],
    seed: &[u8],
    r: usize,
    out: &mut [u8],
) -> Result<(), KdfError> {
    if !(1..=4).contains(&r) {
        return Err(KdfError::BadCounterLength);
    }
    let blocks = out.len() / 32;
    let max_blocks = (1u64 << (8 * r)) - 1;
    let bits = u32::try_from(out.len())
        .ok()
        .and_then(|n| n.checked_mul(8))
        .ok_or(KdfError::BadOutputLength)?;
    if out.is_empty() || out.len() % 32 != 0 || blocks as u64 > max_blocks {
        return Err(KdfError::BadOutputLength);
    }
    let l_be = bits.to_be_bytes();
    let l_minimal = &l_be[(bits.leading_zeros() / 8) as usize..];

    let prf = Prf::new(key);
    for (i, chunk) in (1u32..).zip(out.chunks_exact_mut(32)) {
        let mut m = prf.clone();
        m.update(&i.to_be_bytes()[4 - r..]);
        m.update(label);
        m.update(&[0x00]);
        m.update(seed);
        m.update(l_minimal);
        // Straight into `out`: no stray copy of key material on the stack.
        m.finalize_into(chunk)
            .map_err(|_| KdfError::BadOutputLength)?;
    }
    Ok(())
}
