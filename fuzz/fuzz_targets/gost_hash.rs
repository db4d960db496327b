//! Differential: tamga-gost's table-driven Streebog, fed whole or in pieces, against its
//! constant-time Streebog and RustCrypto's `streebog`; GOST 34.311-95 whole against in pieces.
//! A mismatch is a wrong hash (a panic here is a bug report).
//!
//! Input: `[a, b, message…]`: the pieces of the incremental feeds end at offsets `a` and `a + b`
//! (clamped to the message).
#![no_main]

use libfuzzer_sys::fuzz_target;
use streebog::Digest;
use tamga_gost::hash::gost94::{gost34311, Gost34311};
use tamga_gost::hash::streebog::ct::{streebog256_ct, streebog512_ct};
use tamga_gost::hash::streebog::{streebog256, streebog512, Streebog256, Streebog512};

fuzz_target!(|data: &[u8]| {
    let [a, b, msg @ ..] = data else { return };
    let i = usize::from(*a).min(msg.len());
    let j = (i + usize::from(*b)).min(msg.len());
    let pieces = [&msg[..i], &msg[i..j], &msg[j..]];

    let h256 = streebog256(msg);
    let mut inc = Streebog256::new();
    pieces.iter().for_each(|p| inc.update(p));
    assert_eq!(inc.finalize(), h256, "Streebog-256 in pieces");
    assert_eq!(
        streebog::Streebog256::digest(msg)[..],
        h256[..],
        "Streebog-256 vs RustCrypto"
    );

    let h512 = streebog512(msg);
    let mut inc = Streebog512::new();
    pieces.iter().for_each(|p| inc.update(p));
    assert_eq!(inc.finalize(), h512, "Streebog-512 in pieces");
    assert_eq!(
        streebog::Streebog512::digest(msg)[..],
        h512[..],
        "Streebog-512 vs RustCrypto"
    );

    // The constant-time path is ~20x slower (far more under coverage instrumentation): compare on
    // messages of up to three blocks and a bit, which covers its padding and block boundaries.
    if msg.len() <= 200 {
        assert_eq!(streebog256_ct(msg), h256, "Streebog-256 ct");
        assert_eq!(streebog512_ct(msg), h512, "Streebog-512 ct");
    }

    let g = gost34311(msg);
    let mut inc = Gost34311::new();
    pieces.iter().for_each(|p| inc.update(p));
    assert_eq!(inc.finalize(), g, "GOST 34.311-95 in pieces");
});
