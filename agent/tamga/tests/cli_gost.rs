//! `tamga gost sign/verify` against signatures, keys and certificates made by third parties:
//! OpenSSL 3 + gost engine (tests/data/openssl-gost) and Kalkan (tests/data/kz-nca).

mod common;

use common::*;

#[test]
fn openssl_signatures_verify_with_pubkey_and_certificates() {
    let msg = ossl("message.txt");
    for (stem, curve, hash) in SETS {
        let sig = ossl(&format!("{stem}.message.sig"));
        for (opt, file) in [
            ("--pubkey", format!("{stem}.pub.pem")),
            ("--cert", format!("{stem}.crt.pem")),
            ("--cert", format!("{stem}.crt.der")),
        ] {
            for enc in [&[][..], &["--encoding", "rfc9215"], &["--encoding", "auto"]] {
                let out = verify(opt, &ossl(&file), &msg, &sig, enc);
                expect_code(&out, 0);
                let stdout = String::from_utf8_lossy(&out.stdout);
                assert!(stdout.starts_with("Verified OK"), "{stdout}");
                assert!(
                    stdout.contains(curve) && stdout.contains(hash),
                    "{stem}: {stdout}"
                );
            }
            // Read as the Kazakh layout, the same bytes are a different (wrong) signature.
            expect_code(
                &verify(opt, &ossl(&file), &msg, &sig, &["--encoding", "kz"]),
                1,
            );
        }
    }
}

#[test]
fn a_flipped_bit_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let msg = ossl("message.txt");
    for (n, (stem, _, _)) in SETS.iter().enumerate() {
        let sig = ossl(&format!("{stem}.message.sig"));
        let pubkey = ossl(&format!("{stem}.pub.pem"));
        let cert = ossl(&format!("{stem}.crt.der"));
        // A few positions: both halves (s and r), first and last bytes.
        for (byte, bit) in [(0, 0), (7 + n, 3), (40, 7), (usize::MAX, 1)] {
            let bad_sig = flipped(dir.path(), &sig, byte, bit);
            expect_code(&verify("--pubkey", &pubkey, &msg, &bad_sig, &[]), 1);
            expect_code(&verify("--cert", &cert, &msg, &bad_sig, &[]), 1);
            let bad_msg = flipped(dir.path(), &msg, byte, bit);
            expect_code(&verify("--pubkey", &pubkey, &bad_msg, &sig, &[]), 1);
        }
    }
}

#[test]
fn tamga_signs_with_openssl_keys_in_both_layouts() {
    let dir = tempfile::tempdir().unwrap();
    let msg = ossl("message.txt");
    for (stem, _, _) in SETS {
        let pubkey = ossl(&format!("{stem}.pub.pem"));
        let cert = ossl(&format!("{stem}.crt.pem"));
        for key_file in [format!("{stem}.key.pem"), format!("{stem}.key.der")] {
            let key = ossl(&key_file);
            let rfc = dir.path().join(format!("{key_file}.rfc.sig"));
            expect_code(&sign(&key, &msg, &rfc, &[]), 0);
            expect_code(&verify("--pubkey", &pubkey, &msg, &rfc, &[]), 0);
            expect_code(
                &verify("--cert", &cert, &msg, &rfc, &["--encoding", "rfc9215"]),
                0,
            );
            expect_code(
                &verify("--pubkey", &pubkey, &msg, &rfc, &["--encoding", "kz"]),
                1,
            );

            let kz = dir.path().join(format!("{key_file}.kz.sig"));
            expect_code(&sign(&key, &msg, &kz, &["--encoding", "kz"]), 0);
            let out = verify("--pubkey", &pubkey, &msg, &kz, &[]);
            expect_code(&out, 0);
            assert!(String::from_utf8_lossy(&out.stdout).contains("kz layout"));
            expect_code(
                &verify("--pubkey", &pubkey, &msg, &kz, &["--encoding", "kz"]),
                0,
            );
            expect_code(
                &verify("--pubkey", &pubkey, &msg, &kz, &["--encoding", "rfc9215"]),
                1,
            );

            // The kz layout is the RFC 9215 one reversed as a whole.
            let mut reversed = std::fs::read(&kz).unwrap();
            reversed.reverse();
            let rev = dir.path().join(format!("{key_file}.kz.reversed"));
            std::fs::write(&rev, reversed).unwrap();
            expect_code(
                &verify("--pubkey", &pubkey, &msg, &rev, &["--encoding", "rfc9215"]),
                0,
            );
        }
    }
}

#[test]
fn sign_reads_stdin_and_writes_stdout() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tamga"))
        .args(["gost", "sign", "--in", "-", "--out", "-", "--key"])
        .arg(ossl("tc26-512-C.key.pem"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let message = std::fs::read(ossl("message.txt")).unwrap();
    child.stdin.take().unwrap().write_all(&message).unwrap();
    let out = child.wait_with_output().unwrap();
    expect_code(&out, 0);
    assert_eq!(out.stdout.len(), 128);
    let sig = dir.path().join("stdout.sig");
    std::fs::write(&sig, &out.stdout).unwrap();
    let cert = ossl("tc26-512-C.crt.der");
    expect_code(&verify("--cert", &cert, &ossl("message.txt"), &sig, &[]), 0);
}

#[test]
fn hash_override() {
    let msg = ossl("message.txt");
    let sig = ossl("tc26-256-A.message.sig");
    let pubkey = ossl("tc26-256-A.pub.pem");
    expect_code(
        &verify("--pubkey", &pubkey, &msg, &sig, &["--hash", "streebog256"]),
        0,
    );
    // Another 32-byte hash: the signature is checked and fails.
    expect_code(
        &verify("--pubkey", &pubkey, &msg, &sig, &["--hash", "gost34311"]),
        1,
    );
    // A 64-byte hash cannot be used with a 256-bit key.
    let out = verify("--pubkey", &pubkey, &msg, &sig, &["--hash", "streebog512"]);
    expect_code(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("streebog512"));

    // Signing with GOST 34.311-95 on a 256-bit key, and verifying with the same override.
    let dir = tempfile::tempdir().unwrap();
    let out_sig = dir.path().join("g.sig");
    let key = ossl("tc26-256-B.key.pem");
    expect_code(&sign(&key, &msg, &out_sig, &["--hash", "gost34311"]), 0);
    let cert = ossl("tc26-256-B.crt.pem");
    expect_code(
        &verify("--cert", &cert, &msg, &out_sig, &["--hash", "gost34311"]),
        0,
    );
    expect_code(&verify("--cert", &cert, &msg, &out_sig, &[]), 1);
}

#[test]
fn kalkan_key_signs_and_its_certificate_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let key = data("kz-nca/gokalkan_gost1.key.pkcs8.der");
    let msg = dir.path().join("документ.txt");
    std::fs::write(&msg, "Қазақстан Республикасы — тест\n".repeat(100)).unwrap();
    let sig = dir.path().join("doc.sig");
    expect_code(&sign(&key, &msg, &sig, &["--encoding", "kz"]), 0);
    assert_eq!(std::fs::read(&sig).unwrap().len(), 128);
    for cert in [
        data("kz-nca/gokalkan_gost1.cer.der"),
        data("kz-nca/gokalkan_gost1.cer"),
    ] {
        let out = verify("--cert", &cert, &msg, &sig, &[]);
        expect_code(&out, 0);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("kz layout") && stdout.contains("streebog512"),
            "{stdout}"
        );
        expect_code(
            &verify("--cert", &cert, &msg, &sig, &["--encoding", "kz"]),
            0,
        );
        expect_code(
            &verify("--cert", &cert, &msg, &sig, &["--encoding", "rfc9215"]),
            1,
        );
        let bad = flipped(dir.path(), &sig, 77, 5);
        expect_code(&verify("--cert", &cert, &msg, &bad, &[]), 1);
    }
    // The Kalkan key is not the OpenSSL fixtures' key.
    let other = ossl("tc26-512-A.crt.der");
    expect_code(&verify("--cert", &other, &msg, &sig, &[]), 1);
}

#[test]
fn other_third_party_keys() {
    let dir = tempfile::tempdir().unwrap();
    let msg = ossl("message.txt");
    let sig = dir.path().join("s.sig");
    // A PKCS#8 v2 key (RFC 5958, with [1] publicKey), and CA-issued OpenSSL certificates.
    for (key, cert, curve) in [
        (
            "rfc9548/rfc9548_A1_ee512_key.pkcs8.der",
            "rfc9548/rfc9548_A1_ee512_cert.der",
            "tc26-512-a",
        ),
        (
            "pki-gost/ee256_key.der",
            "pki-gost/ee256_cert.pem",
            "tc26-256-a",
        ),
        (
            "pki-gost/revoked_key.pem",
            "pki-gost/revoked_cert.pem",
            "cryptopro-b",
        ),
    ] {
        expect_code(&sign(&data(key), &msg, &sig, &[]), 0);
        let out = verify("--cert", &data(cert), &msg, &sig, &[]);
        expect_code(&out, 0);
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(curve),
            "{}",
            text(&out)
        );
    }
    // A masked key (R 50.1.112-2016, k′ ‖ mask): unmasked by tamga-pki, so it signs what its
    // certificate verifies.
    let out = sign(
        &data("rfc9548/r50_1_112_2016_example.expected_pkcs8.der"),
        &msg,
        &sig,
        &[],
    );
    expect_code(&out, 0);
    let cert = data("rfc9548/r50_1_112_2016_example.cert.der");
    expect_code(&verify("--cert", &cert, &msg, &sig, &[]), 0);
}
