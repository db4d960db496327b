//! GOST R 34.10-2012 against the published examples: RFC 7091 §7 (= GOST R 34.10-2012 A.1) and
//! GOST R 34.10-2012 A.2, with their fixed k, through the public API.

mod common;
use common::*;
use tamga_gost::{Curve, PublicKey, SecretKey, SigEncoding};

fn example(idx: usize) -> std::collections::HashMap<String, String> {
    records(&data("gost3410_2012_sign_examples.txt")).swap_remove(idx)
}

fn run_example(idx: usize, curve: Curve) {
    let v = example(idx);
    let l = curve.scalar_len();
    let sk = SecretKey::from_be_bytes(curve, &be_fixed(&v["d"], l)).unwrap();
    let pk = sk.public_key();
    assert_eq!(pk.x_be(), be_fixed(&v["Qx"], l), "Q.x");
    assert_eq!(pk.y_be(), be_fixed(&v["Qy"], l), "Q.y");
    assert_eq!(
        pk.to_bytes(),
        unhex(&v["pubkey_octets_rfc4491"]),
        "X‖Y little-endian"
    );
    // e is given as an integer; the digest bytes are its little-endian encoding.
    let digest = rev(&be_fixed(&v["e"], l));
    let sig = sk
        .sign_digest_with_nonce(&digest, &be_fixed(&v["k"], l))
        .unwrap();
    assert_eq!(sig.r_be(), be_fixed(&v["r"], l));
    assert_eq!(sig.s_be(), be_fixed(&v["s"], l));
    let wire = sig.to_bytes(SigEncoding::Rfc9215);
    assert_eq!(wire, unhex(&v["sig_rfc4491"]));
    pk.verify_digest(&digest, &wire, SigEncoding::Rfc9215)
        .unwrap();
    pk.verify_digest(&digest, &wire, SigEncoding::Auto).unwrap();
    // The Kazakh layout is the same bytes reversed as a whole.
    let kz = sig.to_bytes(SigEncoding::Kz);
    assert_eq!(kz, rev(&wire));
    pk.verify_digest(&digest, &kz, SigEncoding::Kz).unwrap();
    assert_eq!(pk.detect_encoding(&digest, &kz).unwrap(), SigEncoding::Kz);
    // The other plausible orders fail: r‖s big-endian, the digest read big-endian, the wrong layout.
    let mut r_s = wire[l..].to_vec();
    r_s.extend_from_slice(&wire[..l]);
    assert!(pk
        .verify_digest(&digest, &r_s, SigEncoding::Rfc9215)
        .is_err());
    assert!(pk
        .verify_digest(&rev(&digest), &wire, SigEncoding::Rfc9215)
        .is_err());
    assert!(pk.verify_digest(&digest, &wire, SigEncoding::Kz).is_err());
    // Every single-bit flip of the signature is rejected.
    for i in 0..wire.len() * 8 {
        let mut bad = wire.clone();
        bad[i / 8] ^= 1 << (i % 8);
        assert!(
            pk.verify_digest(&digest, &bad, SigEncoding::Rfc9215)
                .is_err(),
            "bit {i}"
        );
    }
}

#[test]
fn rfc7091_example_256() {
    run_example(0, Curve::Test2001);
}

#[test]
fn gost_a2_example_512() {
    run_example(1, Curve::Test512);
}

#[test]
fn random_sign_verify_every_curve() {
    for curve in tamga_gost::ALL_CURVES {
        let sk = SecretKey::generate(curve).unwrap();
        let pk = sk.public_key();
        let again = PublicKey::from_bytes(curve, &pk.to_bytes()).unwrap();
        assert_eq!(pk, again);
        for i in 0..5u8 {
            let digest = vec![i.wrapping_mul(37) ^ 0x5a; curve.digest_len()];
            for enc in [SigEncoding::Rfc9215, SigEncoding::Kz] {
                let sig = sk.sign_digest(&digest, enc).unwrap();
                pk.verify_digest(&digest, &sig, enc).unwrap();
                pk.verify_digest(&digest, &sig, SigEncoding::Auto).unwrap();
                let mut other = digest.clone();
                other[0] ^= 1;
                assert!(pk.verify_digest(&other, &sig, enc).is_err(), "{curve}");
            }
        }
        // Two signatures of one digest differ: the nonce is fresh each time.
        let d = vec![7u8; curve.digest_len()];
        assert_ne!(
            sk.sign_digest(&d, SigEncoding::Rfc9215).unwrap(),
            sk.sign_digest(&d, SigEncoding::Rfc9215).unwrap()
        );
    }
}
