//! `Signature::from_bytes` in each encoding, and `PublicKey::verify_digest` /
//! `detect_encoding` / `verify` of arbitrary digests and signatures against the curve's fixed valid
//! key: errors on bad input, never a panic.
//!
//! Input: `[sel, mode, rest…]`. The curve is `common::curve(sel)`; mode bits 0–1 pick the encoding
//! verified (rfc9215, kz, auto, or `detect_encoding`); with bit 2 set the digest length is the first
//! byte of `rest` (any length, mostly wrong), else the curve's. The digest is taken from `rest`,
//! the signature is the remainder. Bits 3–7 shift the curve the signature is parsed for, to check
//! that a signature of another curve is refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamga_gost::{SigEncoding, Signature};

#[path = "../common.rs"]
mod common;

const ENCODINGS: [SigEncoding; 3] = [SigEncoding::Rfc9215, SigEncoding::Kz, SigEncoding::Auto];

fuzz_target!(|data: &[u8]| {
    let [sel, mode, rest @ ..] = data else { return };
    let curve = common::curve(*sel);
    let (dlen, rest) = match (mode & 4 != 0, rest) {
        (true, [n, tail @ ..]) => (usize::from(*n), tail),
        (true, []) => return,
        (false, _) => (curve.digest_len(), rest),
    };
    let (digest, sig) = rest.split_at(dlen.min(rest.len()));

    // Decoding: any 2L bytes parse (range is checked at verification) and round-trip.
    for enc in ENCODINGS {
        match Signature::from_bytes(curve, sig, enc) {
            Ok(s) => {
                assert_eq!(sig.len(), 2 * curve.scalar_len());
                assert_eq!(s.to_bytes(enc), sig, "{curve} {enc}: round trip");
                assert_eq!(s.curve(), curve);
                assert_eq!(
                    (s.r_be().len(), s.s_be().len()),
                    (curve.scalar_len(), curve.scalar_len())
                );
            }
            Err(_) => assert_ne!(
                sig.len(),
                2 * curve.scalar_len(),
                "{curve} {enc}: 2L bytes refused"
            ),
        }
    }

    // Verification against a valid key.
    let pk = common::fixed_public(curve);
    match common::encoding(*mode) {
        Some(enc) => {
            if pk.verify_digest(digest, sig, enc).is_ok() {
                // What verifies in one layout verifies with `auto` and is detected.
                assert!(pk.verify_digest(digest, sig, SigEncoding::Auto).is_ok());
                assert!(pk.detect_encoding(digest, sig).is_ok());
            }
        }
        None => {
            if let Ok(enc) = pk.detect_encoding(digest, sig) {
                assert!(
                    pk.verify_digest(digest, sig, enc).is_ok(),
                    "{curve}: detected {enc} fails"
                );
            }
        }
    }

    // A signature parsed for another parameter set.
    let other = common::curve(sel.wrapping_add(mode >> 3));
    if let Ok(s) = Signature::from_bytes(other, sig, SigEncoding::Rfc9215) {
        let verdict = pk.verify(digest, &s);
        if !other.same_curve(curve) {
            assert!(verdict.is_err(), "{curve}: accepted a {other} signature");
        }
    }
});
