//! Rough sign/verify/keygen rates per curve (wall clock): `cargo run --release --example quickbench`.
use std::time::Instant;
use tamga_gost::{Curve, SecretKey, SigEncoding};

fn rate(mut f: impl FnMut(), secs: f64) -> f64 {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < secs {
        for _ in 0..16 {
            f();
        }
        n += 16;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let names: Vec<String> = std::env::args().skip(1).collect();
    let curves: Vec<Curve> = if names.is_empty() {
        vec![
            Curve::Tc26_256A,
            Curve::CryptoProA,
            Curve::Tc26_512A,
            Curve::Tc26_512C,
        ]
    } else {
        names.iter().map(|n| Curve::from_name(n).unwrap()).collect()
    };
    for c in curves {
        let sk = SecretKey::generate(c).unwrap();
        let pk = sk.public_key();
        let d = vec![0x42u8; c.digest_len()];
        let sig = sk.sign_digest(&d, SigEncoding::Rfc9215).unwrap();
        let kg = rate(|| drop(SecretKey::generate(c).unwrap().public_key()), 0.5);
        let s = rate(
            || drop(sk.sign_digest(&d, SigEncoding::Rfc9215).unwrap()),
            0.5,
        );
        let v = rate(
            || pk.verify_digest(&d, &sig, SigEncoding::Rfc9215).unwrap(),
            0.5,
        );
        println!(
            "{:<14} keygen/s {:>9.0} sign/s {:>9.0} verify/s {:>9.0}",
            c.name(),
            kg,
            s,
            v
        );
    }
}
