//! Shared by the fuzz targets and `seedgen`, so that the seeds use the same input layouts and the
//! same fixed keys as the targets that read them.
#![allow(dead_code)]

use std::sync::OnceLock;

use tamga_gost::{Curve, PublicKey, SecretKey, SigEncoding, ALL_CURVES};

/// The curve an input's selector byte picks: every parameter set, aliases included.
pub fn curve(selector: u8) -> Curve {
    ALL_CURVES[selector as usize % ALL_CURVES.len()]
}

/// The selector byte of a curve (the inverse of [`curve`]).
pub fn selector(c: Curve) -> u8 {
    ALL_CURVES
        .iter()
        .position(|&x| x == c)
        .expect("every curve is in ALL_CURVES") as u8
}

/// The fixed private key of a curve (derived from a constant seed).
pub fn fixed_secret(c: Curve) -> SecretKey {
    let seed: [u8; 128] = core::array::from_fn(|i| (i as u8).wrapping_mul(131).wrapping_add(7));
    SecretKey::from_seed(c, &seed)
}

/// The public key of [`fixed_secret`], computed once per curve.
pub fn fixed_public(c: Curve) -> &'static PublicKey {
    static KEYS: [OnceLock<PublicKey>; ALL_CURVES.len()] =
        [const { OnceLock::new() }; ALL_CURVES.len()];
    KEYS[selector(c) as usize].get_or_init(|| fixed_secret(c).public_key())
}

/// A digest of the right length for `c` (any bytes: GOST signs digests as integers).
pub fn fixed_digest(c: Curve) -> Vec<u8> {
    (0..c.digest_len())
        .map(|i| (i as u8).wrapping_mul(37).wrapping_add(11))
        .collect()
}

/// The hedged-nonce randomness the deterministic signatures use.
pub const FIXED_EXTRA: [u8; 32] = [0xA5; 32];

/// The encoding of a signature input's mode bits 0–1 (3 = `detect_encoding`).
pub fn encoding(mode: u8) -> Option<SigEncoding> {
    match mode & 3 {
        0 => Some(SigEncoding::Rfc9215),
        1 => Some(SigEncoding::Kz),
        2 => Some(SigEncoding::Auto),
        _ => None,
    }
}
