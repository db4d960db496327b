//! Constant-time proof: key generation, signing and VKO run under valgrind's memcheck with every
//! secret byte marked undefined (the "ctgrind" technique). Memcheck then reports any conditional
//! branch or memory address computed from a secret; the test fails on the first report.
//!
//! The parent test re-runs this same binary under valgrind, selecting the `child_*` tests, which do
//! nothing when run normally. A deliberately leaky child proves the harness can fail.

use std::process::Command;

use tamga_gost::ct::{declassify, poison};
use tamga_gost::{Curve, SecretKey};

const CHILD_ENV: &str = "TAMGA_CTGRIND_CHILD";
const CURVES: [Curve; 4] = [
    Curve::Tc26_256A,
    Curve::CryptoProA,
    Curve::Tc26_512A,
    Curve::Tc26_512C,
];

fn in_child() -> bool {
    std::env::var_os(CHILD_ENV).is_some()
}

/// Runs one child test under memcheck; returns (exit code, valgrind's report).
fn run_under_valgrind(test: &str) -> (i32, String) {
    let exe = std::env::current_exe().expect("test binary path");
    let out = Command::new("valgrind")
        .args([
            "--tool=memcheck",
            "--error-exitcode=99",
            "--track-origins=yes",
            "--num-callers=30",
        ])
        .arg(&exe)
        .args(["--exact", test, "--test-threads=1", "--nocapture"])
        .env(CHILD_ENV, "1")
        .output();
    match out {
        Ok(o) => (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        ),
        Err(e) => {
            if std::env::var_os("TAMGA_SKIP_CTGRIND").is_some() {
                eprintln!("!!! SKIPPING the constant-time test: valgrind not runnable ({e})");
                return (0, String::new());
            }
            panic!("valgrind is needed for the constant-time test ({e}); install it (apt-get install valgrind) or set TAMGA_SKIP_CTGRIND=1");
        }
    }
}

#[test]
fn secret_paths_have_no_secret_dependent_branch_or_index() {
    if in_child() {
        return;
    }
    let (code, report) = run_under_valgrind("child_secret_paths");
    assert_eq!(
        code, 0,
        "memcheck found a secret-dependent branch or index:\n{report}"
    );
}

#[test]
fn harness_catches_a_leak() {
    if in_child() || std::env::var_os("TAMGA_SKIP_CTGRIND").is_some() {
        return;
    }
    let (code, report) = run_under_valgrind("child_leaky_control");
    assert_eq!(
        code, 99,
        "the deliberately leaky code was not caught:\n{report}"
    );
    assert!(report.contains("uninitialised"), "{report}");
}

#[test]
fn harness_sees_through_library_calls() {
    if in_child() || std::env::var_os("TAMGA_SKIP_CTGRIND").is_some() {
        return;
    }
    // Verification is variable-time by design: fed a "secret" signature it must be reported,
    // which proves that poisoned inputs reach the library's code paths.
    let (code, report) = run_under_valgrind("child_vartime_verify_control");
    assert_eq!(
        code, 99,
        "variable-time verification was not flagged:\n{report}"
    );
}

#[test]
fn child_vartime_verify_control() {
    if !in_child() {
        return;
    }
    let curve = Curve::CryptoProA;
    let sk = SecretKey::from_seed(curve, &[3u8; 128]);
    let pk = sk.public_key();
    let digest = [0x11u8; 32];
    let sig = sk
        .sign_digest_hedged(&digest, &[4u8; 64])
        .expect("sign")
        .expect("nonzero");
    let bytes = sig.to_bytes(tamga_gost::SigEncoding::Rfc9215);
    poison(&bytes[..]);
    let ok = pk
        .verify_digest(
            &digest,
            std::hint::black_box(&bytes[..]),
            tamga_gost::SigEncoding::Rfc9215,
        )
        .is_ok();
    declassify(&ok);
}

#[test]
fn child_secret_paths() {
    if !in_child() {
        return;
    }
    for curve in CURVES {
        // Warm the fixed-base tables: they are built from public data only.
        let warm = SecretKey::from_seed(curve, &[1u8; 128]);
        let _ = warm.public_key();

        // Key generation from secret randomness.
        let seed = [0x5Au8; 128];
        poison(&seed);
        let sk = SecretKey::from_seed(curve, std::hint::black_box(&seed));
        let pk = sk.public_key();

        // Signing: the key and the hedging randomness are secret; the digest is public.
        let sk = SecretKey::from_le_bytes(curve, &{
            let b = sk.to_le_bytes();
            let v: Vec<u8> = b.to_vec();
            v
        });
        let sk = match sk {
            Ok(k) => k,
            Err(e) => panic!("{e}"),
        };
        let digest = vec![0x33u8; curve.digest_len()];
        let extra = [0xC3u8; 64];
        poison(&extra);
        let sig = sk
            .sign_digest_hedged(&digest, std::hint::black_box(&extra))
            .expect("sign");
        let sig = sig.expect("r and s nonzero");
        let bytes = sig.to_bytes(tamga_gost::SigEncoding::Rfc9215);
        declassify(&bytes[..]);
        pk.verify_digest(&digest, &bytes, tamga_gost::SigEncoding::Rfc9215)
            .expect("verifies");

        // VKO with a secret key against a public peer key.
        let peer = SecretKey::from_seed(curve, &[9u8; 128]).public_key();
        let ukm = [1u8, 2, 3, 4, 5, 6, 7, 8];
        let kek = if curve.bits() == 256 {
            tamga_gost::vko_2012_256(&sk, &peer, &ukm)
                .expect("vko")
                .to_vec()
        } else {
            tamga_gost::vko_2012_512(&sk, &peer, &ukm)
                .expect("vko")
                .to_vec()
        };
        declassify(&kek[..]);
        assert_ne!(kek, vec![0u8; kek.len()]);
    }
}

#[test]
fn child_leaky_control() {
    if !in_child() {
        return;
    }
    let secret = [7u8; 32];
    poison(&secret);
    // A table lookup indexed by a secret byte (what a naive S-box or window lookup does), and a
    // branch on one: exactly what the real test must never see.
    // Read through black_box(&…) so that LLVM cannot fold the known constant past the request.
    let secret = std::hint::black_box(&secret);
    let table: Vec<u64> = (0..256).collect();
    let v = table[secret[3] as usize];
    if secret[5] > 5 {
        println!("branch taken {v}");
    } else {
        println!("branch not taken {v}");
    }
}
