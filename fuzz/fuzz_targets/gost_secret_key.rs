//! `SecretKey::from_le_bytes` / `from_be_bytes` (and `from_seed`) on arbitrary bytes; a key that
//! parses round-trips, signs what its public key verifies, and agrees with the curve's fixed key on
//! a VKO shared point.
//!
//! Input: `[sel, mode, key bytes…]`. The curve is `common::curve(sel)`. Mode bit 0: parse as
//! big-endian (else little-endian); bit 1: also sign and verify; bit 2: also run VKO both ways;
//! bit 3: also derive a key with `from_seed` from the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamga_gost::{vko_point, SecretKey};

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let [sel, mode, bytes @ ..] = data else {
        return;
    };
    let curve = common::curve(*sel);
    let l = curve.scalar_len();
    let le: Vec<u8> = if mode & 1 == 0 {
        bytes.to_vec()
    } else {
        bytes.iter().rev().copied().collect()
    };
    let parsed = if mode & 1 == 0 {
        SecretKey::from_le_bytes(curve, bytes)
    } else {
        SecretKey::from_be_bytes(curve, bytes)
    };
    // The two byte orders agree.
    let other = SecretKey::from_le_bytes(curve, &le);
    assert_eq!(parsed.is_ok(), other.is_ok(), "{curve}: le/be disagree");
    let Ok(key) = parsed else {
        if mode & 8 != 0 {
            let _ = SecretKey::from_seed(curve, bytes).public_key();
        }
        return;
    };
    assert_eq!(key.curve(), curve);
    let mut padded = le.clone();
    padded.resize(l, 0);
    assert_eq!(&key.to_le_bytes()[..], &padded[..], "{curve}: round trip");
    assert_eq!(&other.unwrap().to_le_bytes()[..], &padded[..]);

    if mode & 6 == 0 {
        return;
    }
    let public = key.public_key();
    if mode & 2 != 0 {
        let digest = common::fixed_digest(curve);
        let sig = key
            .sign_digest_hedged(&digest, &common::FIXED_EXTRA)
            .expect("digest has the right length")
            .expect("r = 0 or s = 0 has probability 2^-250");
        public
            .verify(&digest, &sig)
            .expect("a fresh signature verifies");
    }
    if mode & 4 != 0 {
        // (cof·ukm·d)·Q' = (cof·ukm·d')·Q
        let ukm = [0x2A, 0x01];
        let ours = vko_point(&key, common::fixed_public(curve), &ukm).expect("valid keys");
        let theirs = vko_point(&common::fixed_secret(curve), &public, &ukm).expect("valid keys");
        assert_eq!(&ours[..], &theirs[..], "{curve}: VKO is not symmetric");
    }
});
