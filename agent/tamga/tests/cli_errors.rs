//! Bad input gives exit status 2 (1 only when a signature was checked and failed) and a one-line
//! message, never a panic.

mod common;

use std::path::Path;

use common::*;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn stderr_has(out: &std::process::Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(needle), "{needle:?} not in {}", text(out));
    assert_eq!(stderr.trim().lines().count(), 1, "{}", text(out));
}

#[test]
fn bad_key_files() {
    let dir = tempfile::tempdir().unwrap();
    let msg = ossl("message.txt");
    let sig = dir.path().join("out.sig");
    let pem = std::fs::read(ossl("tc26-512-A.key.pem")).unwrap();
    let der = std::fs::read(ossl("tc26-512-A.key.der")).unwrap();
    let mut garbage: Vec<u8> = (0..300u32).map(|i| (i * 151 + 7) as u8).collect();
    garbage[0] = 0x42;
    let mut der_garbage = garbage.clone();
    der_garbage[0] = 0x30;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("garbage", garbage, "neither PEM nor DER"),
        ("garbage-der", der_garbage, "malformed"),
        (
            "truncated.pem",
            pem[..pem.len() / 2].to_vec(),
            "truncated PEM",
        ),
        (
            "truncated.der",
            der[..der.len() - 10].to_vec(),
            "malformed DER",
        ),
        ("empty", Vec::new(), "empty"),
    ];
    for (name, bytes, needle) in cases {
        let key = write(dir.path(), name, &bytes);
        let out = sign(&key, &msg, &sig, &[]);
        expect_code(&out, 2);
        stderr_has(&out, needle);
        assert!(!sig.exists(), "{name}: a signature was written");
    }
    let out = sign(&data("other/ec_p256_key.pem"), &msg, &sig, &[]);
    expect_code(&out, 2);
    stderr_has(&out, "not a GOST key");
    let out = sign(&data("other/ec_p256_key.enc.p8.der"), &msg, &sig, &[]);
    expect_code(&out, 2);
    stderr_has(&out, "encrypted");
    // A public key or certificate where a private key belongs, and the other way round.
    let out = sign(&ossl("tc26-256-A.pub.pem"), &msg, &sig, &[]);
    expect_code(&out, 2);
    stderr_has(&out, "found PEM PUBLIC KEY");
    let out = sign(&ossl("tc26-256-A.crt.der"), &msg, &sig, &[]);
    expect_code(&out, 2);
    let s = ossl("tc26-256-A.message.sig");
    let out = verify("--pubkey", &ossl("tc26-256-A.crt.pem"), &msg, &s, &[]);
    expect_code(&out, 2);
    stderr_has(&out, "found PEM CERTIFICATE");
    let out = verify("--cert", &ossl("tc26-256-A.pub.pem"), &msg, &s, &[]);
    expect_code(&out, 2);
    let out = verify("--cert", &ossl("tc26-256-A.key.pem"), &msg, &s, &[]);
    expect_code(&out, 2);
    let out = sign(&dir.path().join("missing.pem"), &msg, &sig, &[]);
    expect_code(&out, 2);
    stderr_has(&out, "cannot read");
}

#[test]
fn bad_certificates_and_public_keys() {
    let dir = tempfile::tempdir().unwrap();
    let msg = ossl("message.txt");
    let sig = ossl("tc26-256-A.message.sig");
    let cert = std::fs::read(ossl("tc26-256-A.crt.der")).unwrap();
    let truncated = write(dir.path(), "t.der", &cert[..cert.len() / 2]);
    expect_code(&verify("--cert", &truncated, &msg, &sig, &[]), 2);
    let pem = std::fs::read(ossl("tc26-256-A.crt.pem")).unwrap();
    let truncated = write(dir.path(), "t.pem", &pem[..pem.len() - 30]);
    let out = verify("--cert", &truncated, &msg, &sig, &[]);
    expect_code(&out, 2);
    stderr_has(&out, "truncated PEM");
    // A public key whose point is off the curve: flip a bit in the last byte of Y.
    let pub_pem = std::fs::read_to_string(ossl("tc26-256-A.pub.pem")).unwrap();
    let b64: String = pub_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let mut der = decode_b64(&b64);
    let n = der.len();
    der[n - 1] ^= 0x01;
    let bad_pub = write(dir.path(), "bad.pub.der", &der);
    let out = verify("--pubkey", &bad_pub, &msg, &sig, &[]);
    expect_code(&out, 2);
    stderr_has(&out, "invalid public key");
}

#[test]
fn wrong_curve_and_bad_signatures() {
    let dir = tempfile::tempdir().unwrap();
    let msg = ossl("message.txt");
    let sig256 = ossl("tc26-256-A.message.sig");
    // A 256-bit signature against a 512-bit certificate: a length error, not a failed check.
    let out = verify("--cert", &ossl("tc26-512-A.crt.pem"), &msg, &sig256, &[]);
    expect_code(&out, 2);
    stderr_has(&out, "needs 128");
    // The same size, another key: checked and rejected.
    let out = verify("--cert", &ossl("tc26-256-B.crt.pem"), &msg, &sig256, &[]);
    expect_code(&out, 1);
    stderr_has(
        &out,
        "signature does not verify / подпись не прошла проверку",
    );
    // Signing with one key, verifying with another set's certificate.
    let s = dir.path().join("s.sig");
    expect_code(&sign(&ossl("tc26-512-C.key.der"), &msg, &s, &[]), 0);
    expect_code(
        &verify("--cert", &ossl("tc26-512-A.crt.der"), &msg, &s, &[]),
        1,
    );

    let empty = write(dir.path(), "empty.sig", b"");
    let out = verify("--pubkey", &ossl("tc26-256-A.pub.pem"), &msg, &empty, &[]);
    expect_code(&out, 2);
    stderr_has(&out, "empty");
    let short = write(dir.path(), "short.sig", &[1u8; 63]);
    expect_code(
        &verify("--pubkey", &ossl("tc26-256-A.pub.pem"), &msg, &short, &[]),
        2,
    );
    // r = s = 0 and r, s ≥ q are out of range: checked and rejected.
    for fill in [0u8, 0xff] {
        let s = write(dir.path(), &format!("fill{fill}.sig"), &[fill; 64]);
        expect_code(
            &verify("--pubkey", &ossl("tc26-256-A.pub.pem"), &msg, &s, &[]),
            1,
        );
    }
    let out = verify(
        "--pubkey",
        &ossl("tc26-256-A.pub.pem"),
        &dir.path().join("no.txt"),
        &sig256,
        &[],
    );
    expect_code(&out, 2);
    stderr_has(&out, "cannot read");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["gost", "verify", "--in", "m", "--sig", "s"],
        vec![
            "gost", "verify", "--pubkey", "p", "--cert", "c", "--in", "m", "--sig", "s",
        ],
        vec!["gost", "sign", "--key", "k", "--in", "m"],
        vec![
            "gost",
            "sign",
            "--key",
            "k",
            "--in",
            "m",
            "--out",
            "o",
            "--encoding",
            "auto",
        ],
        vec![
            "gost", "sign", "--key", "k", "--in", "m", "--out", "o", "--hash", "sha256",
        ],
        vec!["speed", "--seconds", "0"],
        vec!["speed", "--seconds", "-1"],
        vec!["speed", "--seconds", "NaN"],
        vec!["speed", "--ops", "fly"],
        vec!["nonsense"],
    ] {
        expect_code(&tamga(&args), 2);
    }
    let out = tamga(["speed", "--curves", "tc26-256-a,nope", "--seconds", "0.01"]);
    expect_code(&out, 2);
    stderr_has(&out, "unknown curve `nope`");
    expect_code(&tamga(["--help"]), 0);
    expect_code(&tamga(["gost", "verify", "--help"]), 0);
}

fn decode_b64(s: &str) -> Vec<u8> {
    use base64ct::{Base64, Encoding};
    let mut buf = vec![0u8; s.len()];
    let n = Base64::decode(s, &mut buf).unwrap().len();
    buf.truncate(n);
    buf
}
