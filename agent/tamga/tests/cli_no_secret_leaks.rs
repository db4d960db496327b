//! Every token, PIN and profile scenario of the command line runs again at `--log-level trace`,
//! plus a signature with a private-key file and CMS signatures and inspections with PFX
//! passwords (`cms sign`, `pfx inspect`, a wrong password too); then everything tamga printed (stdout and stderr,
//! where the log goes) is searched for every secret the scenarios used, as text, hex (either case,
//! with or without spaces, either byte order) and base64.

mod common;

use base64ct::{Base64, Encoding};
use common::sandbox::Sandbox;
use common::scenarios::{ALL, SECRETS};

fn hex(bytes: &[u8], upper: bool, sep: &str) -> String {
    bytes
        .iter()
        .map(|b| {
            if upper {
                format!("{b:02X}")
            } else {
                format!("{b:02x}")
            }
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// Every spelling of `secret` a log line could plausibly hold.
fn spellings(secret: &[u8]) -> Vec<String> {
    let mut reversed = secret.to_vec();
    reversed.reverse();
    let mut buf = vec![0u8; secret.len().div_ceil(3) * 4];
    let base64 = Base64::encode(secret, &mut buf).unwrap().to_owned();
    let mut out = vec![String::from_utf8_lossy(secret).into_owned(), base64];
    for bytes in [secret, &reversed[..]] {
        for upper in [false, true] {
            for sep in ["", " ", ":"] {
                out.push(hex(bytes, upper, sep));
            }
        }
    }
    out
}

/// The fixtures' PFX passwords (`PKI-FIXTURES-README.md`) and a wrong one.
const PFX_PASSWORD: &str = "Test1234";
const KALKAN_PASSWORD: &str = "Qwerty12";
const WRONG_PASSWORD: &str = "Wr0ngPfxPass";
const PFX: &str = "pfx/gost-pfx/ee512.gost89.md_gost12_512.pfx";

#[test]
fn no_pin_password_or_key_reaches_any_output_at_trace_level() {
    let mut transcript = Vec::new();
    for (name, scenario) in ALL {
        let s = Sandbox::traced();
        scenario(&s);
        let t = s.transcript();
        assert!(!t.is_empty(), "{name} printed nothing");
        transcript.extend(t);
    }

    // A private key from a file, used at trace level.
    let s = Sandbox::traced();
    let key = common::ossl("tc26-256-A.key.der");
    let sig = s.path("sig");
    let out = s.tamga_bare(
        &[
            "gost",
            "sign",
            "--key",
            key.to_str().unwrap(),
            "--in",
            common::ossl("message.txt").to_str().unwrap(),
            "--out",
            sig.to_str().unwrap(),
        ],
        &[],
    );
    common::expect_code(&out, 0);
    transcript.extend(s.transcript());
    // PFX passwords (a GOST PFX and Kalkan's .p12) in `cms sign` and `pfx inspect`.
    let pki = |rel: &str| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../pki/tests/data")
            .join(rel)
            .display()
            .to_string()
    };
    let pw = s.secret("pfx-pw", PFX_PASSWORD);
    let kpw = s.secret("kalkan-pw", KALKAN_PASSWORD);
    let wrong = s.secret("wrong-pw", WRONG_PASSWORD);
    let doc = pki("pki-gost/document.txt");
    let p7s = s.path("doc.p7s");
    for (pfx, cert, password, code) in [
        (PFX, "pki-gost/ee512_cert.pem", &pw, 0),
        (
            "pfx/kz-nca/gokalkan_gost1.p12",
            "kz-nca/gokalkan_gost1.cer",
            &kpw,
            0,
        ),
        (PFX, "pki-gost/ee512_cert.pem", &wrong, 2),
    ] {
        let (pfx, cert) = (pki(pfx), pki(cert));
        let out = s.tamga_bare(
            &[
                "cms",
                "sign",
                "--key",
                &pfx,
                "--password-file",
                password,
                "--cert",
                &cert,
                "--in",
                &doc,
                "--out",
                p7s.to_str().unwrap(),
                "--attached",
            ],
            &[],
        );
        common::expect_code(&out, code);
        for json in [&[][..], &["--json"]] {
            let mut args = vec!["pfx", "inspect", "--in", &pfx, "--password-file", password];
            args.extend_from_slice(json);
            common::expect_code(&s.tamga_bare(&args, &[]), code);
        }
    }
    transcript.extend(s.transcript());
    let pfx_key = std::fs::read(pki("pfx/pki-gost/ee512_key.der")).unwrap();
    let pfx_scalar = &pfx_key[pfx_key.len() - 64..];
    let kalkan_key = std::fs::read(pki("pfx/kz-nca/gokalkan_gost1.key.pkcs8.der")).unwrap();
    let kalkan_scalar = &kalkan_key[kalkan_key.len() - 64..];

    // A control: a value tamga does print (a profile's name) is found by the same search.
    let canary = s.write(
        "canary.ron",
        b"(name: \"canary7Qz\", drivers: [KaztokenCcid()])",
    );
    common::expect_code(
        &s.tamga_bare(&["profile", "check", canary.to_str().unwrap()], &[]),
        0,
    );
    transcript.extend(s.transcript());
    let der = std::fs::read(&key).unwrap();
    // The PKCS#8 of the gost engine ends with the 32-byte private scalar.
    let scalar = &der[der.len() - 32..];

    // The Kalkan test certificate's subject (printed by `pfx inspect`, as it should be) holds
    // the public test IIN 123456789011, which contains the factory PIN 12345678 of the scenarios.
    let text = String::from_utf8_lossy(&transcript).replace("IIN123456789011", "IIN<test IIN>");
    // The search means something only if trace logging ran and logged the PIN commands' headers.
    assert!(text.contains("[TRACE]"), "no trace output");
    assert!(
        text.contains("APDU 00 20 00 02"),
        "VERIFY of the user PIN was not traced"
    );
    assert!(
        text.contains("APDU 00 24"),
        "CHANGE REFERENCE DATA was not traced"
    );

    assert!(spellings(b"canary7Qz")
        .iter()
        .any(|sp| text.contains(sp.as_str())));
    let mut checked = 0;
    // The PFX runs were logged too.
    assert!(
        text.contains("pfx") || text.contains("PFX"),
        "no PFX run in the transcript"
    );
    let passwords = [PFX_PASSWORD, KALKAN_PASSWORD, WRONG_PASSWORD].map(str::as_bytes);
    for secret in SECRETS
        .iter()
        .map(|s| s.as_bytes())
        .chain([scalar, pfx_scalar, kalkan_scalar])
        .chain(passwords)
    {
        for spelling in spellings(secret) {
            assert!(
                !text.contains(&spelling),
                "a secret appears in the output as {spelling:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100);
}

#[path = "bank/mod.rs"]
mod bank;

/// The bank commands at `--log-level trace`: enroll (with the OTP PIN typed in lower case so the
/// variants run), a resumed enroll after an abort, login, pay, a wrong OTP PIN, and `tamga
/// demo`; then every output is searched for the OTP PINs (which are also the PFX passwords), the
/// token passwords and the init keys' private scalars.
#[test]
fn no_otp_pin_token_password_or_key_reaches_any_output_of_the_bank_commands() {
    use tamga_pki::pfx::Pfx;
    use tamga_pki::private_key::PrivateKey;

    let b = bank::TestBank::start();
    let client = b.client("leaks", "", "");
    let customer = b.customer();
    let otp = bank::file(&customer.otp_pin_path).trim().to_owned();
    let mut transcript = Vec::new();
    let trace = |args: Vec<String>| -> Vec<String> {
        let mut all = vec!["--log-level".to_owned(), "trace".to_owned()];
        all.extend(args);
        all
    };
    let run = |args: &[String], env: &[(&str, &str)], transcript: &mut Vec<u8>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = client.tamga(&args, env);
        transcript.extend_from_slice(&out.stdout);
        transcript.extend_from_slice(&out.stderr);
        out
    };
    // A wrong OTP PIN first (nothing reaches the token), then lower case, aborted half-way, resumed.
    std::fs::write(client.path("wrong-otp.txt"), "WRONGOTP123\n").unwrap();
    let mut wrong = client.enroll_args(&customer);
    wrong[5] = client.path("wrong-otp.txt").display().to_string();
    assert_eq!(
        run(&trace(wrong), &[], &mut transcript).status.code(),
        Some(1)
    );
    std::fs::write(
        client.path("lower-otp.txt"),
        format!("{}\n", otp.to_lowercase()),
    )
    .unwrap();
    let mut args = client.enroll_args(&customer);
    args[5] = client.path("lower-otp.txt").display().to_string();
    let aborted = run(
        &trace(args.clone()),
        &[("TAMGA_TEST_ABORT_AT", "journal-certs:1")],
        &mut transcript,
    );
    assert!(!aborted.status.success());
    let done = run(&trace(args), &[], &mut transcript);
    assert_eq!(done.status.code(), Some(0), "{}", bank::text(&done));
    let pin = client.path("new-pin.txt").display().to_string();
    let login = run(
        &trace(vec!["login".into(), "--pin-file".into(), pin.clone()]),
        &[],
        &mut transcript,
    );
    assert_eq!(login.status.code(), Some(0), "{}", bank::text(&login));
    let order = client.path("order.json");
    {
        use tamga_payment_order::{bin_check_digit, iik_for};
        let bin = |f: &str| format!("{f}{}", bin_check_digit(f).unwrap());
        let o = serde_json::json!({
            "number": "1", "date": "2026-11-27", "amount": "5.00", "currency": "KZT",
            "payer": {"name": "A", "iik": iik_for("125KZT5004100100"), "bin": bin("94064000012")},
            "recipient": {"name": "B", "iik": iik_for("722S000012345678"), "bin": bin("10034000555"), "bank_bic": "CASPKZKA"},
            "knp": "710", "purpose": "x"
        });
        std::fs::write(&order, o.to_string()).unwrap();
    }
    let pay = run(
        &trace(vec![
            "pay".into(),
            order.display().to_string(),
            "--yes".into(),
            "--pin-file".into(),
            pin,
        ]),
        &[],
        &mut transcript,
    );
    assert_eq!(pay.status.code(), Some(0), "{}", bank::text(&pay));

    // The demo, its secrets kept in its work directory.
    let workdir = client.path("demo");
    let demo = run(
        &trace(vec![
            "demo".into(),
            "--workdir".into(),
            workdir.display().to_string(),
        ]),
        &[],
        &mut transcript,
    );
    assert_eq!(demo.status.code(), Some(0), "{}", bank::text(&demo));
    let demo_password = bank::file(&workdir.join("token-password.txt"))
        .trim()
        .to_owned();
    let demo_customer = std::fs::read_dir(workdir.join("bank").join("customers"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let demo_otp = bank::file(&demo_customer.join("otp-pin.txt"))
        .trim()
        .to_owned();

    let mut secrets: Vec<Vec<u8>> = vec![
        otp.clone().into_bytes(),
        otp.to_lowercase().into_bytes(),
        bank::NEW_PIN.as_bytes().to_vec(),
        demo_password.into_bytes(),
        demo_otp.clone().into_bytes(),
    ];
    for (pfx, password) in [
        (&customer.pfx_path, &otp),
        (&demo_customer.join("GOST.pfx"), &demo_otp),
    ] {
        let container = Pfx::parse(&std::fs::read(pfx).unwrap())
            .unwrap()
            .open(password)
            .unwrap();
        for k in container.keys {
            if let PrivateKey::Gost(g) = k.key {
                secrets.push(g.secret().to_le_bytes().to_vec());
            }
        }
    }
    let text = String::from_utf8_lossy(&transcript).into_owned();
    assert!(text.contains("[TRACE]"), "no trace output");
    let mut checked = 0;
    for secret in &secrets {
        for spelling in spellings(secret) {
            assert!(
                !text.contains(&spelling),
                "a secret reached the output as `{spelling}`"
            );
            checked += 1;
        }
    }
    assert!(checked >= 7 * 13, "{checked}");
}
