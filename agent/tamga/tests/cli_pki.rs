//! `tamga cms sign|verify`, `pfx inspect`, `cert verify` and `crl verify` on third-party data
//! (tamga-pki's copies of `shared/fixtures`, read from `../pki/tests/data`): OpenSSL + gost
//! engine CMS, keys, PFX, CA, CRL; Kalkan's `.p12` and certificate. Live: tamga-made CMS passes
//! `openssl cms -verify -engine gost` (fails without the engine unless TAMGA_SKIP_OPENSSL=1).

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::sandbox::{json, stderr, stdout, Sandbox};
use common::{expect_code, text};

/// A fixture of tamga-pki's tests.
fn pki(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../pki/tests/data")
        .join(rel)
        .display()
        .to_string()
}

const DOC: &str = "pki-gost/document.txt";
const CA: &str = "pki-gost/ca_cert.pem";
const EE256_KEY: &str = "pki-gost/ee256_key.pem";
const EE256_CERT: &str = "pki-gost/ee256_cert.pem";
const EE512_CERT: &str = "pki-gost/ee512_cert.pem";
const EE512_PFX: &str = "pfx/gost-pfx/ee512.gost89.md_gost12_512.pfx";
const KALKAN_P12: &str = "pfx/kz-nca/gokalkan_gost1.p12";
const KALKAN_CERT: &str = "kz-nca/gokalkan_gost1.cer";
const NCA_CA: &str = "kz-nca/ncanode_nca_gost2015_test.cer";
/// A self-signed OpenSSL certificate: a CA that issued none of the pki-gost certificates.
const OTHER_CA: &str = "openssl-gost/tc26-256-A.crt.der";

fn run(s: &Sandbox, args: &[&str]) -> Output {
    s.tamga_bare(args, &[])
}

fn cms_sign(s: &Sandbox, key: &str, cert: &str, out: &str, extra: &[&str]) -> Output {
    let doc = pki(DOC);
    let mut args = vec![
        "cms", "sign", "--key", key, "--cert", cert, "--in", &doc, "--out", out,
    ];
    args.extend_from_slice(extra);
    run(s, &args)
}

fn cms_verify(s: &Sandbox, sig: &str, extra: &[&str]) -> Output {
    let mut args = vec!["cms", "verify", "--sig", sig];
    args.extend_from_slice(extra);
    run(s, &args)
}

#[track_caller]
fn has(out: &Output, needle: &str) {
    let all = format!("{}{}", stdout(out), stderr(out));
    assert!(all.contains(needle), "{needle:?} not in {}", text(out));
}

#[test]
fn cms_with_a_pkcs8_key_verifies_and_rejects_changes() {
    let s = Sandbox::new();
    let sig = s.path("doc.p7s");
    let sig = sig.to_str().unwrap();
    let doc = pki(DOC);
    expect_code(
        &cms_sign(&s, &pki(EE256_KEY), &pki(EE256_CERT), sig, &[]),
        0,
    );

    let out = cms_verify(&s, sig, &["--in", &doc]);
    expect_code(&out, 0);
    has(&out, "CN=EE GOST 2012-256 TCA");
    has(&out, "signed at 2");
    has(&out, "rfc9215");
    // Chained to the pki-gost CA at the current time; another CA is refused.
    let ca = pki(CA);
    expect_code(&cms_verify(&s, sig, &["--in", &doc, "--ca", &ca]), 0);
    let out = cms_verify(&s, sig, &["--in", &doc, "--ca", &pki(OTHER_CA)]);
    expect_code(&out, 1);
    has(&out, "no chain of trust");
    // Changed content: checked and rejected.
    let changed = s.write("changed.txt", b"another document\n");
    let out = cms_verify(&s, sig, &["--in", changed.to_str().unwrap()]);
    expect_code(&out, 1);
    has(&out, "content was changed");
    // A detached signature without its content cannot be checked at all.
    let out = cms_verify(&s, sig, &[]);
    expect_code(&out, 2);
    has(&out, "--in");
    // A flipped bit in the signature value (the last bytes of the file).
    let mut bytes = std::fs::read(sig).unwrap();
    let n = bytes.len();
    bytes[n - 3] ^= 0x10;
    let bad = s.write("bad.p7s", &bytes);
    expect_code(&cms_verify(&s, bad.to_str().unwrap(), &["--in", &doc]), 1);

    // --json: one object per run, the signer in it.
    let out = cms_verify(&s, sig, &["--in", &doc, "--ca", &ca, "--json"]);
    expect_code(&out, 0);
    let v = json(&out);
    assert_eq!(v["ok"], true);
    assert_eq!(v["chain_checked"], true);
    assert_eq!(v["signers"][0]["verified"], true);
    assert_eq!(v["signers"][0]["digest"], "streebog256");
    assert!(v["signers"][0]["signing_time"].is_string());
    let out = cms_verify(
        &s,
        sig,
        &["--in", changed.to_str().unwrap(), "--json", "--lang", "ru"],
    );
    expect_code(&out, 1);
    let v = json(&out);
    assert_eq!(v["ok"], false);
    assert_eq!(v["exit"], 1);
    assert_eq!(v["error"]["code"], "pki.digest_mismatch");
    assert_eq!(v["signers"][0]["verified"], false);
}

#[test]
fn cms_with_a_gost_pfx_attached_and_without_attributes() {
    let s = Sandbox::new();
    let pw = s.secret("pw", "Test1234");
    let pfx = pki(EE512_PFX);
    let cert = pki(EE512_CERT);
    let sig = s.path("att.p7s");
    let sig = sig.to_str().unwrap();
    let out = cms_sign(
        &s,
        &pfx,
        &cert,
        sig,
        &["--password-file", &pw, "--attached"],
    );
    expect_code(&out, 0);
    // Attached: no --in needed.
    let out = cms_verify(&s, sig, &["--ca", &pki(CA)]);
    expect_code(&out, 0);
    has(&out, "streebog512");

    // No attributes, no certificate: the verifier needs --certfile.
    let bare = s.path("bare.p7s");
    let bare = bare.to_str().unwrap();
    let out = cms_sign(
        &s,
        &pfx,
        &cert,
        bare,
        &["--password-file", &pw, "--no-attrs", "--no-cert"],
    );
    expect_code(&out, 0);
    let doc = pki(DOC);
    let out = cms_verify(&s, bare, &["--in", &doc]);
    expect_code(&out, 1);
    has(&out, "certificate was not found");
    let out = cms_verify(&s, bare, &["--in", &doc, "--certfile", &cert]);
    expect_code(&out, 0);
    assert!(!stdout(&out).contains("signed at"), "{}", text(&out));

    // The key and the certificate must belong together.
    let out = cms_sign(
        &s,
        &pki(EE256_KEY),
        &cert,
        s.path("x").to_str().unwrap(),
        &[],
    );
    expect_code(&out, 2);
    has(&out, "does not belong to the certificate");
    assert!(!s.path("x").exists());
    let out = cms_sign(
        &s,
        &pfx,
        &pki(EE256_CERT),
        s.path("x").to_str().unwrap(),
        &["--password-file", &pw],
    );
    expect_code(&out, 2);
    has(&out, "does not belong to the certificate");
}

#[test]
fn openssl_made_cms_verifies() {
    let s = Sandbox::new();
    let doc = pki(DOC);
    let ca = pki(CA);
    for p7s in [
        "pki-gost/document.ee256.attrs.p7s",
        "pki-gost/document.ee256.noattr.p7s",
        "pki-gost/document.ee512.attrs.p7s",
    ] {
        let out = cms_verify(&s, &pki(p7s), &["--in", &doc, "--ca", &ca]);
        expect_code(&out, 0);
        has(&out, "CN=EE GOST 2012-");
    }
    let nocerts = pki("pki-gost/document.ee512.noattr.nocerts.p7s");
    expect_code(&cms_verify(&s, &nocerts, &["--in", &doc]), 1);
    let out = cms_verify(
        &s,
        &nocerts,
        &["--in", &doc, "--certfile", &pki(EE512_CERT)],
    );
    expect_code(&out, 0);
    has(&out, "CN=EE GOST 2012-512");
    let changed = s.write("changed.txt", b"x");
    expect_code(
        &cms_verify(
            &s,
            &pki("pki-gost/document.ee256.attrs.p7s"),
            &["--in", changed.to_str().unwrap()],
        ),
        1,
    );
    // Not a CMS at all.
    let out = cms_verify(&s, &pki(EE256_CERT), &["--in", &doc]);
    expect_code(&out, 2);
}

#[test]
fn kalkan_p12_round_trip_in_the_kazakh_profile() {
    let s = Sandbox::new();
    let pw = s.secret("kpw", "Qwerty12");
    let cert = pki(KALKAN_CERT);
    for (name, extra) in [
        ("kz.p7s", &["--encoding", "kz"][..]),
        ("default.p7s", &[][..]),
    ] {
        let sig = s.path(name);
        let sig = sig.to_str().unwrap();
        let mut args = vec!["--password-file", pw.as_str()];
        args.extend_from_slice(extra);
        expect_code(&cms_sign(&s, &pki(KALKAN_P12), &cert, sig, &args), 0);
        let out = cms_verify(&s, sig, &["--in", &pki(DOC), "--certfile", &cert]);
        expect_code(&out, 0);
        has(&out, "ТЕСТОВ ТЕСТ");
        // The Kazakh family signs in the Kazakh layout unless told otherwise.
        has(&out, "(kz, streebog512)");
        // The Kalkan certificate expired in 2024: a chain check at the current time fails.
        let out = cms_verify(&s, sig, &["--in", &pki(DOC), "--ca", &pki(NCA_CA)]);
        expect_code(&out, 1);
        has(&out, "not valid at that time");
    }
    // The RFC 9215 layout on request, with the same Kazakh OIDs.
    let sig = s.path("rfc.p7s");
    let sig = sig.to_str().unwrap();
    let out = cms_sign(
        &s,
        &pki(KALKAN_P12),
        &cert,
        sig,
        &["--password-file", &pw, "--encoding", "rfc9215"],
    );
    expect_code(&out, 0);
    let out = cms_verify(&s, sig, &["--in", &pki(DOC)]);
    expect_code(&out, 0);
    has(&out, "(rfc9215, streebog512)");
}

#[test]
fn pfx_inspect_shows_keys_and_certificates() {
    let s = Sandbox::new();
    let pw = s.secret("pw", "Test1234");
    let kpw = s.secret("kpw", "Qwerty12");
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "pfx/std-pfx/ec_p256.default.pfx",
            &pw,
            &["EC P-256", "Certificate 1"],
        ),
        (
            "pfx/std-pfx/rsa2048.legacy.pfx",
            &pw,
            &["RSA", "CN=RSA-2048 self-signed"],
        ),
        (
            "pfx/gost-pfx/ee256.gost89.md_gost12_512.pfx",
            &pw,
            &[
                "tc26-256-a",
                "Russian (TC26",
                "CN=EE GOST 2012-256 TCA",
                "[key 1]",
            ],
        ),
        (
            "pfx/gost-pfx/ee256.kuznyechik-ctr-acpkm.md_gost12_512.pfx",
            &pw,
            &["tc26-256-a", "CN=GOST 2012-256 Test Root CA"],
        ),
        (
            "pfx/gost-pfx/ee512.magma-ctr-acpkm.md_gost12_512.pfx",
            &pw,
            &["tc26-512-a", "streebog512"],
        ),
        (
            KALKAN_P12,
            &kpw,
            &[
                "GOST R 34.10-2015 512-bit (KZ)",
                "Kazakh (NCA)",
                "ТЕСТОВ ТЕСТ",
                "[key 1]",
            ],
        ),
    ];
    for (file, password, needles) in cases {
        let out = run(
            &s,
            &[
                "pfx",
                "inspect",
                "--in",
                &pki(file),
                "--password-file",
                password,
            ],
        );
        expect_code(&out, 0);
        for n in *needles {
            has(&out, n);
        }
    }
    // Every GOST PFX of the fixtures opens.
    for entry in std::fs::read_dir(pki("pfx/gost-pfx")).unwrap() {
        let path = entry.unwrap().path();
        let out = run(
            &s,
            &[
                "pfx",
                "inspect",
                "--in",
                path.to_str().unwrap(),
                "--password-file",
                &pw,
                "--json",
            ],
        );
        expect_code(&out, 0);
        let v = json(&out);
        assert_eq!(v["keys"][0]["type"], "gost", "{}", text(&out));
        assert_eq!(v["keys"][0]["family"], "tc26");
        assert_eq!(v["keys"][0]["certificates"][0], 1, "{}", text(&out));
        assert_eq!(v["certificates"][0]["key"], 1);
    }
    let out = run(
        &s,
        &[
            "pfx",
            "inspect",
            "--in",
            &pki(KALKAN_P12),
            "--password-file",
            &kpw,
            "--json",
        ],
    );
    let v = json(&out);
    assert_eq!(v["keys"][0]["family"], "kz");
    assert_eq!(v["keys"][0]["curve_oid"], "1.2.643.7.1.2.1.2.1");
    assert_eq!(v["keys"][0]["bits"], 512);
}

#[test]
fn a_wrong_password_is_the_guides_message_in_both_languages() {
    let s = Sandbox::new();
    let wrong = s.secret("wrong", "Test1235");
    for file in [EE512_PFX, KALKAN_P12, "pfx/std-pfx/rsa2048.default.pfx"] {
        let pfx = pki(file);
        let out = run(
            &s,
            &["pfx", "inspect", "--in", &pfx, "--password-file", &wrong],
        );
        expect_code(&out, 2);
        has(&out, "Wrong password or key container");
        has(&out, "Caps Lock");
        let out = run(
            &s,
            &[
                "--lang",
                "ru",
                "pfx",
                "inspect",
                "--in",
                &pfx,
                "--password-file",
                &wrong,
            ],
        );
        expect_code(&out, 2);
        has(&out, "Неверный пароль или ключевой контейнер");
        has(&out, "Caps Lock");
        has(&out, "буква O и цифра 0");
        let out = cms_sign(
            &s,
            &pfx,
            &pki(EE512_CERT),
            s.path("x").to_str().unwrap(),
            &["--password-file", &wrong],
        );
        expect_code(&out, 2);
        has(&out, "Wrong password or key container");
    }
    let out = run(
        &s,
        &[
            "pfx",
            "inspect",
            "--in",
            &pki(EE512_PFX),
            "--password-file",
            &wrong,
            "--json",
        ],
    );
    expect_code(&out, 2);
    assert_eq!(json(&out)["error"]["code"], "pki.wrong_password");
    // No password anywhere: no terminal, no pinentry.
    let out = run(&s, &["pfx", "inspect", "--in", &pki(EE512_PFX)]);
    expect_code(&out, 2);
    has(&out, "--password-file");
    // A damaged file is not a wrong password.
    let bytes = std::fs::read(pki(EE512_PFX)).unwrap();
    let cut = s.write("cut.pfx", &bytes[..bytes.len() / 2]);
    let pw = s.secret("pw", "Test1234");
    for lang in ["en", "ru"] {
        let out = run(
            &s,
            &[
                "--lang",
                lang,
                "pfx",
                "inspect",
                "--in",
                cut.to_str().unwrap(),
                "--password-file",
                &pw,
            ],
        );
        expect_code(&out, 2);
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            !all.contains("Wrong password") && !all.contains("Неверный пароль"),
            "{}",
            text(&out)
        );
        has(
            &out,
            if lang == "en" {
                "damaged data"
            } else {
                "Файл повреждён"
            },
        );
    }
}

#[test]
fn cert_verify_chain_time_and_revocation() {
    let s = Sandbox::new();
    let ca = pki(CA);
    let crl = pki("pki-gost/ca.crl.pem");
    for cert in [EE256_CERT, EE512_CERT, "pki-gost/ee256a_cert.der"] {
        let out = run(&s, &["cert", "verify", "--ca", &ca, &pki(cert)]);
        expect_code(&out, 0);
        has(&out, "Certificate OK");
        let out = run(
            &s,
            &["cert", "verify", "--ca", &ca, "--crl", &crl, &pki(cert)],
        );
        expect_code(&out, 0);
    }
    let revoked = pki("pki-gost/revoked_cert.pem");
    expect_code(&run(&s, &["cert", "verify", "--ca", &ca, &revoked]), 0);
    let out = run(
        &s,
        &["cert", "verify", "--ca", &ca, "--crl", &crl, &revoked],
    );
    expect_code(&out, 1);
    has(&out, "revoked (keyCompromise)");
    let out = run(
        &s,
        &[
            "--lang", "ru", "cert", "verify", "--ca", &ca, "--crl", &crl, &revoked,
        ],
    );
    expect_code(&out, 1);
    has(&out, "Сертификат отозван (keyCompromise)");
    let out = run(
        &s,
        &[
            "cert", "verify", "--ca", &ca, "--crl", &crl, "--json", &revoked,
        ],
    );
    assert_eq!(json(&out)["error"]["code"], "pki.revoked");
    // Another CA.
    let out = run(
        &s,
        &["cert", "verify", "--ca", &pki(OTHER_CA), &pki(EE256_CERT)],
    );
    expect_code(&out, 1);
    has(&out, "no chain of trust");
    // Expired (the Kalkan test certificate ended in 2024), through its NCA issuer.
    let out = run(
        &s,
        &["cert", "verify", "--ca", &pki(NCA_CA), &pki(KALKAN_CERT)],
    );
    expect_code(&out, 1);
    has(&out, "not valid at that time");
    // A CRL whose signature is broken cannot vouch for anything.
    let mut bytes = std::fs::read(pki("pki-gost/ca.crl.der")).unwrap();
    let n = bytes.len();
    bytes[n - 2] ^= 0x01;
    let bad_crl = s.write("bad.crl", &bytes);
    let out = run(
        &s,
        &[
            "cert",
            "verify",
            "--ca",
            &ca,
            "--crl",
            bad_crl.to_str().unwrap(),
            &pki(EE256_CERT),
        ],
    );
    expect_code(&out, 1);
    // Not a certificate.
    expect_code(&run(&s, &["cert", "verify", "--ca", &ca, &crl]), 2);
    // --ca is required.
    expect_code(&run(&s, &["cert", "verify", &pki(EE256_CERT)]), 2);
}

#[test]
fn crl_verify_signature_and_currency() {
    let s = Sandbox::new();
    let ca = pki(CA);
    for crl in ["pki-gost/ca.crl.pem", "pki-gost/ca.crl.der"] {
        let out = run(&s, &["crl", "verify", "--ca", &ca, &pki(crl)]);
        expect_code(&out, 0);
        has(&out, "CRL OK");
        has(&out, "Revoked certificates: 1");
    }
    let mut bytes = std::fs::read(pki("pki-gost/ca.crl.der")).unwrap();
    let n = bytes.len();
    bytes[n - 2] ^= 0x01;
    let bad = s.write("bad.crl", &bytes);
    let out = run(&s, &["crl", "verify", "--ca", &ca, bad.to_str().unwrap()]);
    expect_code(&out, 1);
    has(&out, "the CRL is not valid");
    has(&out, "the signature does not verify");
    let out = run(
        &s,
        &[
            "--lang",
            "ru",
            "crl",
            "verify",
            "--ca",
            &ca,
            bad.to_str().unwrap(),
        ],
    );
    expect_code(&out, 1);
    has(&out, "Подпись неверна");
    // Another CA did not issue it.
    let out = run(
        &s,
        &[
            "crl",
            "verify",
            "--ca",
            &pki(OTHER_CA),
            &pki("pki-gost/ca.crl.der"),
        ],
    );
    expect_code(&out, 1);
    // Truncated: not a CRL at all.
    let cut = s.write("cut.crl", &bytes[..n / 2]);
    expect_code(
        &run(&s, &["crl", "verify", "--ca", &ca, cut.to_str().unwrap()]),
        2,
    );
}

/// tamga-made CMS, detached and attached, with and without attributes, 256 and 512 keys (from a
/// PKCS#8 file and a PFX): `openssl cms -verify -engine gost` accepts them against the CA.
#[test]
fn openssl_verifies_tamga_cms() {
    let s = Sandbox::new();
    let Some(cnf) = tamga_test_support::openssl::openssl_config(s.dir.path()) else {
        return;
    };
    let pw = s.secret("pw", "Test1234");
    let doc = pki(DOC);
    let ca = pki(CA);
    let mut checked = 0;
    for (key, cert, extra) in [
        (pki(EE256_KEY), pki(EE256_CERT), vec![]),
        (
            pki(EE512_PFX),
            pki(EE512_CERT),
            vec!["--password-file", pw.as_str()],
        ),
    ] {
        for flags in [
            &[][..],
            &["--attached"],
            &["--no-attrs"],
            &["--attached", "--no-attrs"],
        ] {
            let sig = s.path(&format!("o{checked}.p7s"));
            let sig = sig.to_str().unwrap();
            let mut args = extra.clone();
            args.extend_from_slice(flags);
            expect_code(&cms_sign(&s, &key, &cert, sig, &args), 0);
            let mut cmd = Command::new("openssl");
            cmd.args([
                "cms", "-verify", "-engine", "gost", "-binary", "-inform", "DER", "-in", sig,
            ])
            .args(["-CAfile", &ca, "-purpose", "any", "-out", "/dev/null"])
            .env("OPENSSL_CONF", &cnf);
            if !flags.contains(&"--attached") {
                cmd.args(["-content", &doc]);
            }
            let out = cmd.output().unwrap();
            assert!(
                out.status.success(),
                "openssl refused {key} {flags:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            // And a changed document is refused by OpenSSL too.
            if !flags.contains(&"--attached") {
                let changed = s.write("changed.txt", b"changed\n");
                let out = Command::new("openssl")
                    .args([
                        "cms", "-verify", "-engine", "gost", "-binary", "-inform", "DER", "-in",
                        sig,
                    ])
                    .args([
                        "-CAfile",
                        &ca,
                        "-purpose",
                        "any",
                        "-out",
                        "/dev/null",
                        "-content",
                    ])
                    .arg(&changed)
                    .env("OPENSSL_CONF", &cnf)
                    .output()
                    .unwrap();
                assert!(!out.status.success(), "openssl accepted changed content");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 8);
}

/// With neither a password file nor a terminal, the password comes from pinentry (an Assuan
/// stand-in here), asked with the container's name and a "Password:" label, not "PIN:".
#[cfg(unix)]
#[test]
fn the_password_can_come_from_pinentry() {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    let log = s.path("pinentry.log");
    let script = format!(
        "#!/bin/sh\necho OK\nwhile read -r line; do\n  echo \"$line\" >> '{}'\n  case \"$line\" in\n    GETPIN) echo 'D Test1234'; echo OK ;;\n    BYE) echo OK; exit 0 ;;\n    *) echo OK ;;\n  esac\ndone\n",
        log.display()
    );
    let pinentry = s.write("pinentry", script.as_bytes());
    std::fs::set_permissions(&pinentry, std::fs::Permissions::from_mode(0o755)).unwrap();
    let pfx = pki(EE512_PFX);
    let out = s.tamga_bare(
        &["pfx", "inspect", "--in", &pfx],
        &[("PINENTRY", pinentry.to_str().unwrap())],
    );
    expect_code(&out, 0);
    has(&out, "tc26-512-a");
    let asked = std::fs::read_to_string(&log).unwrap();
    assert!(asked.contains("SETPROMPT Password:"), "{asked}");
    assert!(asked.contains("ee512.gost89.md_gost12_512.pfx"), "{asked}");
    assert!(!asked.contains("Test1234"));
}
