//! `PublicKey::from_bytes` (X ‖ Y little-endian) and `PublicKey::from_coordinates` (big-endian
//! x, y) on every parameter set; on a key that parses, the encodings round-trip and VKO with the
//! curve's fixed private key runs (never panics).
//!
//! Input: `[sel, key bytes…]`. The key bytes are given to `from_bytes` whole; for
//! `from_coordinates` they are split in half when `sel` is even, else at `sel >> 1`. The VKO UKM is
//! the first `min(sel >> 1, L + 1)` key bytes (lengths 0 and L + 1 are errors).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamga_gost::{vko_point, Curve, PublicKey, ALL_CURVES};

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, key)) = data.split_first() else {
        return;
    };
    let split = if sel & 1 == 0 {
        key.len() / 2
    } else {
        usize::from(sel >> 1).min(key.len())
    };
    for curve in ALL_CURVES {
        if let Ok(pk) = PublicKey::from_bytes(curve, key) {
            assert_eq!(pk.to_bytes(), key, "{curve}: from_bytes/to_bytes");
            check(curve, &pk, key, sel);
        }
        let (x, y) = key.split_at(split);
        if let Ok(pk) = PublicKey::from_coordinates(curve, x, y) {
            assert_eq!(
                (pk.x_be(), pk.y_be()),
                (x.to_vec(), y.to_vec()),
                "{curve}: coordinates"
            );
            check(curve, &pk, key, sel);
        }
    }
});

fn check(curve: Curve, pk: &PublicKey, key: &[u8], sel: u8) {
    assert_eq!(pk.curve(), curve);
    let again = PublicKey::from_bytes(curve, &pk.to_bytes()).expect("a parsed key re-parses");
    assert_eq!(&again, pk);
    let again =
        PublicKey::from_coordinates(curve, &pk.x_be(), &pk.y_be()).expect("coordinates re-parse");
    assert_eq!(&again, pk);
    let ukm = &key[..usize::from(sel >> 1)
        .min(curve.scalar_len() + 1)
        .min(key.len())];
    let _ = vko_point(&common::fixed_secret(curve), pk, ukm);
}
