//! Issue #8's proof line: the whole enrollment → login → payment flow with an EC P-256 key on
//! SoftHSM2 (a PKCS#11 module nobody here wrote) against the sandbox bank in this process.
//! `tamga enroll`, `login` and `pay` run as child processes over the PKCS#11 driver; the keys are
//! generated on the token, the CA issues P-256 certificates after checking the ECDSA proofs of
//! possession, IB verifies the ECDSA login and payment signatures, and refuses a changed order.
//! OpenSSL checks the result independently: both certificates against the (GOST) sandbox CA, the
//! payment's CMS with the whole chain (gost engine) and its ECDSA signature with plain OpenSSL.
//!
//! `tamga demo --softhsm` runs the same flow on its own (its own bank, its own SoftHSM2 token in
//! the work directory).
//!
//! SoftHSM2 is required: `apt-get install -y softhsm2`. Without it the test fails; it is skipped
//! only with TAMGA_SKIP_PKCS11=1, and never when CI=true.

mod bank;

use std::path::Path;
use std::process::Command;
use tamga_test_support::openssl;

use bank::{json, order, text, Client, ClientToken, TestBank};
use tamga_core::token::TokenPublicKey;
use tamga_pkcs11::softhsm;
use tamga_pki::{Certificate, SubjectKey};
use tamga_plugin_enroll::journal::Journal;

const MODULE: &str = softhsm::MODULE;
const LABEL: &str = "tamga-p256";
/// The factory PINs the enrollment expects on a fresh token.
const USER_PIN: &str = "12345678";
const SO_PIN: &str = "87654321";

/// Whether SoftHSM2 is here; `false` (after a loud notice) only when skipping is allowed.
fn softhsm_present() -> bool {
    if softhsm::installed(Path::new(MODULE)) {
        return true;
    }
    let ci = std::env::var("CI").as_deref() == Ok("true");
    if !ci && std::env::var("TAMGA_SKIP_PKCS11").as_deref() == Ok("1") {
        eprintln!("\n*** SKIPPED: SoftHSM2 missing (TAMGA_SKIP_PKCS11=1) ***\n");
        return false;
    }
    panic!(
        "SoftHSM2 is missing: apt-get install -y softhsm2 (TAMGA_SKIP_PKCS11=1 skips, not in CI)"
    );
}

/// The journal, and the public keys of its two slots, read from the token in this process.
fn token_state(client: &Client) -> (Journal, [TokenPublicKey; 2]) {
    let mut token = client.open_token();
    let j = tamga_plugin_enroll::store::read(token.as_mut())
        .unwrap()
        .expect("a journal on the token");
    let mut public = |k| {
        token
            .key_pair_public(k)
            .unwrap()
            .expect("a key in the slot")
    };
    let keys = [public(j.sign_key), public(j.auth_key)];
    (j, keys)
}

/// What `openssl ARGS` printed; it must have succeeded.
fn openssl_stdout(args: &[&str]) -> String {
    String::from_utf8_lossy(&openssl::ok(args, None).stdout).into_owned()
}

#[test]
fn enroll_login_pay_with_a_p256_key_on_softhsm() {
    if !softhsm_present() {
        return;
    }
    let b = TestBank::start();
    let driver = format!(r#"Pkcs11(module: "{MODULE}", token_label: "{LABEL}")"#);
    let token = ClientToken {
        driver: &driver,
        key: r#"(algorithm: EcP256, curve: "prime256v1")"#,
    };
    let client = b.client_on("softhsm-client", &token, "", "");
    let conf = softhsm::init_token(&client.path("softhsm"), LABEL, USER_PIN, SO_PIN)
        .unwrap_or_else(|e| panic!("{e}"));
    // The in-process reads below load the module too; it must see the same tokens.
    std::env::set_var("SOFTHSM2_CONF", &conf);
    let conf = conf.display().to_string();
    let env = [("SOFTHSM2_CONF", conf.as_str())];
    let customer = b.customer();

    // Enrollment: keys generated on SoftHSM2, P-256 certificates from the CA, registration.
    let out = client.enroll(&customer, &env);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v = json(&out);
    assert_eq!(v["enrolled"], true, "{v}");
    assert_eq!(v["user_id"], customer.user_id.as_str());
    let again = client.enroll(&customer, &env);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert_eq!(json(&again)["already"], true);

    let (journal, keys) = token_state(&client);
    let certs: Vec<Certificate> = [&journal.sign_cert, &journal.auth_cert]
        .iter()
        .map(|d| Certificate::from_der(d.as_deref().unwrap()).unwrap())
        .collect();
    let ca = Certificate::parse(&std::fs::read(b.bank.ca_certificate_path()).unwrap()).unwrap();
    for (cert, key) in certs.iter().zip(&keys) {
        // The certificate carries the very key generated on the token, and the CA issued it.
        let TokenPublicKey::EcP256(point) = key else {
            panic!("not a P-256 key on the token: {key:?}")
        };
        let SubjectKey::EcP256(issued) = cert.subject_key().unwrap() else {
            panic!("not a P-256 certificate")
        };
        assert_eq!(issued.to_sec1(), point.as_sec1());
        cert.verify_issued_by(&ca, tamga_pki::SigEncoding::Auto)
            .unwrap();
    }

    // Login: the challenge signed by the AUTH key (ECDSA), a session from IB.
    let session = client.login(&env);

    // Payment: the order CMS-signed by the SIGN key, accepted by IB.
    let order_path = order(&client.dir, "150000.00");
    let cms_path = client.path("payment.p7s");
    let pay = client.pay(&order_path, &cms_path, &env);
    assert_eq!(pay.status.code(), Some(0), "{}", text(&pay));
    let v = json(&pay);
    assert_eq!(v["status"], "accepted", "{v}");

    // The same signature over a changed order: IB refuses it; the untouched one goes through.
    b.assert_only_the_signed_order_accepted(&session, &order_path, &cms_path);
    let signed = std::fs::read(&order_path).unwrap();
    let cms_der = std::fs::read(&cms_path).unwrap();
    let state = b.bank.state().unwrap();
    assert_eq!((state.active_registrations, state.payments), (1, 2));

    // OpenSSL, without the engine: the certificates hold P-256 keys, the CMS is
    // ecdsa-with-SHA256 over SHA-256 and its signature verifies (-noverify: the chain is GOST).
    let ca_path = b.bank.ca_certificate_path();
    let cms_arg = cms_path.to_str().unwrap();
    for (i, cert) in certs.iter().enumerate() {
        let pem = client.path(&format!("cert{i}.pem"));
        std::fs::write(&pem, cert.to_pem()).unwrap();
        let shown = openssl_stdout(&["x509", "-noout", "-text", "-in", pem.to_str().unwrap()]);
        assert!(
            shown.contains("id-ecPublicKey") && shown.contains("prime256v1"),
            "{shown}"
        );
    }
    let printed = openssl_stdout(&["cms", "-cmsout", "-print", "-inform", "DER", "-in", cms_arg]);
    assert!(
        printed.contains("ecdsa-with-SHA256") && printed.contains("sha256"),
        "{printed}"
    );
    let verify_noverify = |cms: &Path, out: &Path| {
        openssl::run(
            &[
                "cms",
                "-verify",
                "-noverify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                cms.to_str().unwrap(),
                "-out",
                out.to_str().unwrap(),
            ],
            None,
        )
    };
    let content = client.path("content.out");
    let verified = verify_noverify(&cms_path, &content);
    assert!(
        verified.status.success(),
        "openssl cms -verify -noverify: {}",
        String::from_utf8_lossy(&verified.stderr)
    );
    assert_eq!(std::fs::read(&content).unwrap(), signed);
    let bad = client.path("bad.p7s");
    let mut flipped = cms_der.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    std::fs::write(&bad, flipped).unwrap();
    let refused = verify_noverify(&bad, Path::new("/dev/null"));
    assert!(!refused.status.success(), "openssl accepted a tampered CMS");

    // With the gost engine: both certificates chain to the sandbox CA, and the CMS verifies
    // with the whole chain.
    let Some(cnf) = openssl::openssl_config(&client.dir) else {
        return;
    };
    for i in 0..certs.len() {
        let pem = client.path(&format!("cert{i}.pem"));
        openssl::ok(
            &[
                "verify",
                "-engine",
                "gost",
                "-CAfile",
                ca_path.to_str().unwrap(),
                pem.to_str().unwrap(),
            ],
            Some(&cnf),
        );
    }
    openssl::ok(
        &[
            "cms",
            "-verify",
            "-engine",
            "gost",
            "-binary",
            "-inform",
            "DER",
            "-in",
            cms_arg,
            "-CAfile",
            ca_path.to_str().unwrap(),
            "-purpose",
            "any",
            "-out",
            "/dev/null",
        ],
        Some(&cnf),
    );
}

#[test]
fn the_demo_runs_on_softhsm_with_p256_keys() {
    if !softhsm_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let workdir = dir.path().join("demo");
    let out = Command::new(env!("CARGO_BIN_EXE_tamga"))
        .args(["demo", "--softhsm", "--json", "--workdir"])
        .arg(&workdir)
        .env_remove("TAMGA_PROFILE")
        .env_remove("SOFTHSM2_CONF")
        .env("HOME", dir.path())
        .env("LANG", "C.UTF-8")
        .env("PINENTRY", "")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v = json(&out);
    assert_eq!(v["token"], "softhsm-p256", "{v}");
    assert_eq!(v["payment_status"], "accepted", "{v}");
    // The profile it wrote drives the PKCS#11 driver with P-256 keys, and the certificates
    // carry P-256 keys; the token lives in the work directory.
    let profile = std::fs::read_to_string(workdir.join("profile.ron")).unwrap();
    assert!(
        profile.contains("Pkcs11(") && profile.contains("EcP256"),
        "{profile}"
    );
    for name in ["sign-cert.pem", "auth-cert.pem"] {
        let cert = Certificate::parse(&std::fs::read(workdir.join(name)).unwrap()).unwrap();
        assert!(matches!(cert.subject_key().unwrap(), SubjectKey::EcP256(_)));
    }
    assert!(workdir.join("softhsm").join("softhsm2.conf").is_file());
}
