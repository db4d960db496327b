//! Issue #8's proof line: the fallback driver runs the GOST enrollment flow through tamga's own
//! PKCS#11 module, including the PIN lockout and the SO unblock that SoftHSM2 cannot show.
//!
//! `tamga` runs as a child process with a profile whose only driver is `Pkcs11(module: …)`:
//! `Token` → tamga-pkcs11 → cryptoki → libtamga_pkcs11_module.so → tamga-core's virtual driver →
//! the virtual KAZTOKEN, whose state file the module finds through `$TAMGA_PROFILE` (the CLI's
//! own profile is `--profile`, which wins over the variable, so each side reads its own). The
//! bank is the sandbox bank in this process, as in bank_flow.rs.

mod bank;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tamga_test_support::openssl;

use bank::{json, order, text, Client, TestBank};
use tamga_sandbox_bank::CustomerFiles;

const USER_PIN: &str = "12345678";
const ADMIN_PIN: &str = "87654321";
const WRONG_PIN: &str = "wrong0pin9";
const UNBLOCKED_PIN: &str = "Hy6Lp2Ws9Dk";
const CHANGED_PIN: &str = "Tr5Gb8Nm2Qa";
const LABEL: &str = "KAZTOKEN p11";

thread_local! {
    /// Everything `run` saw tamga print in this test's thread, searched for secrets at the end.
    static TRANSCRIPT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// tamga-pkcs11-module is a dev-dependency of tamga, so its cdylib is built beside this test.
fn module() -> PathBuf {
    tamga_test_support::cdylib::beside_test_binary("libtamga_pkcs11_module.so")
}

/// The module's own profile: one virtual KAZTOKEN, 3 tries per PIN, state beside it.
fn module_profile(dir: &Path) -> PathBuf {
    let p = dir.join("module-profile.ron");
    std::fs::write(
        &p,
        format!(
            r#"(
    name: "module",
    drivers: [
        VirtualKaztoken(
            state: Relative("token.state"),
            user_retries: 3,
            admin_retries: 3,
            label: "{LABEL}",
            serial: 4242,
        ),
    ],
)
"#
        ),
    )
    .unwrap();
    p
}

/// The bank test client with its virtual token replaced by the PKCS#11 driver over the module,
/// naming the GOST mechanisms the module advertises (C_GetMechanismList) rather than relying on
/// the defaults.
fn pkcs11_client(b: &TestBank, name: &str) -> (Client, PathBuf) {
    let client = b.client(name, "", "detached: false");
    let virtual_driver = r#"VirtualKaztoken(state: Relative("token.state"), serial: 4242)"#;
    let pkcs11_driver = format!(
        r#"Pkcs11(
            module: "{module}",
            token_label: "{LABEL}",
            mechanisms: (
                gost2012_256: (generate: 0x1200, sign: 0x1201, key_type: 0x30),
                gost2012_512: (generate: 0xD4321005, sign: 0xD4321006, key_type: 0xD4321003),
            ),
            pin: (tries: 3),
            gost_signature: Rfc9215,
        )"#,
        module = module().display()
    );
    let profile = std::fs::read_to_string(&client.profile).unwrap();
    assert!(profile.contains(virtual_driver), "{profile}");
    std::fs::write(
        &client.profile,
        profile.replace(virtual_driver, &pkcs11_driver),
    )
    .unwrap();
    let inner = module_profile(&client.dir);
    (client, inner)
}

/// `tamga … --log-level trace`, the module serving `inner`; the output kept for the leak check.
fn run(client: &Client, inner: &Path, args: &[&str]) -> Output {
    let mut args = args.to_vec();
    args.extend(["--log-level", "trace"]);
    let out = client.tamga(&args, &[("TAMGA_PROFILE", inner.to_str().unwrap())]);
    TRANSCRIPT.with(|t| {
        let mut t = t.borrow_mut();
        t.push_str(&String::from_utf8_lossy(&out.stdout));
        t.push_str(&String::from_utf8_lossy(&out.stderr));
    });
    out
}

fn enroll(client: &Client, inner: &Path, customer: &CustomerFiles) -> Output {
    let args = client.enroll_args(customer);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(client, inner, &args)
}

/// No PIN, OTP PIN or password in anything tamga printed at trace level, as text or hex.
fn assert_no_secret_printed(secrets: &[&str]) {
    TRANSCRIPT.with(|t| {
        let t = t.borrow();
        assert!(
            t.contains("[TRACE]") || t.contains("[DEBUG]"),
            "no log: {t}"
        );
        for secret in secrets {
            let hex: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
            for spelling in [secret.to_string(), hex.clone(), hex.to_uppercase()] {
                if let Some(i) = t.find(&spelling) {
                    let (mut from, mut to) = (i.saturating_sub(300), (i + 100).min(t.len()));
                    while !t.is_char_boundary(from) {
                        from -= 1;
                    }
                    while !t.is_char_boundary(to) {
                        to += 1;
                    }
                    panic!("{secret:?} printed as {spelling}: …{}…", &t[from..to]);
                }
            }
        }
    });
}

fn secret(client: &Client, name: &str, value: &str) -> String {
    let p = client.path(name);
    std::fs::write(&p, format!("{value}\n")).unwrap();
    p.display().to_string()
}

fn expect(out: &Output, code: i32) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(code), "{}", text(out));
    json(out)
}

fn expect_error(out: &Output, code: i32, error: &str) -> serde_json::Value {
    let v = expect(out, code);
    assert_eq!(v["error"]["code"], error, "{}", text(out));
    v
}

fn user_counter(client: &Client, inner: &Path) -> serde_json::Value {
    let v = expect(&run(client, inner, &["pin", "status", "--json"]), 0);
    v["counters"]["user"].clone()
}

fn login(client: &Client, inner: &Path, pin_file: &str, extra: &[&str]) -> Output {
    let mut args = vec!["login", "--json", "--pin-file", pin_file];
    args.extend_from_slice(extra);
    run(client, inner, &args)
}

fn pay(client: &Client, inner: &Path, pin_file: &str, amount: &str) -> PathBuf {
    let order_path = order(&client.dir, amount);
    let cms = client.path(&format!("payment-{amount}.p7s"));
    let out = run(
        client,
        inner,
        &[
            "pay",
            order_path.to_str().unwrap(),
            "--yes",
            "--json",
            "--pin-file",
            pin_file,
            "--out",
            cms.to_str().unwrap(),
        ],
    );
    let v = expect(&out, 0);
    assert_eq!(v["status"], "accepted", "{}", text(&out));
    cms
}

#[test]
fn enroll_login_pay_lockout_and_so_unblock_through_the_module() {
    let b = TestBank::start();
    let (client, inner) = pkcs11_client(&b, "p11");
    let outer = client.profile.to_str().unwrap().to_owned();

    // The profile with the Pkcs11 driver is valid, and its token is the module's.
    let out = run(&client, &inner, &["profile", "check", &outer, "--json"]);
    expect(&out, 0);
    let v = expect(&run(&client, &inner, &["token", "list", "--json"]), 0);
    let listed = v.to_string();
    assert!(
        listed.contains("pkcs11:") && listed.contains(LABEL),
        "{listed}"
    );
    let v = expect(&run(&client, &inner, &["token", "info", "--json"]), 0);
    let info = v.to_string();
    assert!(
        info.contains(&format!("\"label\":\"{LABEL}\"")) && info.contains("\"serial\":\"4242\""),
        "{info}"
    );
    assert_eq!(user_counter(&client, &inner)["remaining"], 3);

    // Enrollment: both GOST keys generated on the token (C_GenerateKeyPair), the certificates and
    // the journal written as token objects (C_CreateObject), the PIN changed (C_SetPIN).
    let customer = b.customer();
    let out = enroll(&client, &inner, &customer);
    let v = expect(&out, 0);
    assert_eq!(v["enrolled"], true, "{}", text(&out));
    assert_eq!(v["user_id"], customer.user_id.as_str());
    let again = enroll(&client, &inner, &customer);
    assert_eq!(expect(&again, 0)["already"], true, "{}", text(&again));
    // Read back past PKCS#11, straight from the virtual token the module served.
    let direct = Client {
        dir: client.dir.clone(),
        profile: inner.clone(),
    };
    let (journal, keys) = direct.token_state();
    let j = journal.expect("the journal is on the token");
    assert_eq!(keys, vec![j.sign_key.get(), j.auth_key.get()]);
    for der in [j.sign_cert.as_ref(), j.auth_cert.as_ref()] {
        tamga_pki::Certificate::from_der(der.expect("a certificate on the token")).unwrap();
    }
    // PKCS#11 has no label write: the token name stays in the journal, the label unchanged.
    let info = expect(&run(&client, &inner, &["token", "info", "--json"]), 0).to_string();
    assert!(info.contains(&format!("\"label\":\"{LABEL}\"")), "{info}");

    // Login and a payment signed on the token through the module; the bank accepts it.
    let new_pin = client.path("new-pin.txt").display().to_string();
    let v = expect(&login(&client, &inner, &new_pin, &[]), 0);
    assert!(!v["session"].as_str().unwrap().is_empty());
    let cms = pay(&client, &inner, &new_pin, "150000.00");
    if let Some(cnf) = openssl::openssl_config(&client.dir) {
        let out = Command::new("openssl")
            .args([
                "cms", "-verify", "-engine", "gost", "-binary", "-inform", "DER",
            ])
            .arg("-in")
            .arg(&cms)
            .arg("-CAfile")
            .arg(b.bank.ca_certificate_path())
            .args(["-purpose", "any", "-out", "/dev/null"])
            .env("OPENSSL_CONF", &cnf)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openssl cms -verify: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // The lockout through the module: wrong PINs until the last try.
    let wrong = secret(&client, "wrong.txt", WRONG_PIN);
    for remaining in [2, 1] {
        let v = expect_error(&login(&client, &inner, &wrong, &[]), 1, "pin.wrong");
        assert_eq!(
            v["error"]["details"],
            serde_json::json!({"role": "user", "remaining": remaining})
        );
        assert_eq!(user_counter(&client, &inner)["remaining"], remaining);
    }
    // The last try is not spent without consent, not even with the right PIN; the message says
    // how to give it.
    for pin in [&wrong, &new_pin] {
        let out = login(&client, &inner, pin, &[]);
        expect_error(&out, 5, "pin.last_attempt");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--confirm-last-attempt"), "{err}");
        assert_eq!(user_counter(&client, &inner)["remaining"], 1);
    }
    // Spent with consent, the PIN locks (CKR_PIN_LOCKED), and the right one is refused too.
    let out = login(&client, &inner, &wrong, &["--confirm-last-attempt"]);
    expect_error(&out, 3, "pin.blocked");
    assert_eq!(user_counter(&client, &inner)["state"], "blocked");
    let out = login(&client, &inner, &new_pin, &["--confirm-last-attempt"]);
    expect_error(&out, 3, "pin.blocked");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unblock it with the admin PIN"), "{err}");
    let out = run(
        &client,
        &inner,
        &["--lang", "ru", "login", "--pin-file", &new_pin],
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Разблокируйте его паролем администратора"),
        "{err}"
    );

    // The SO unblock (C_Login as SO, C_InitPIN) sets a new user PIN; the keys survive and the new
    // PIN logs in and pays.
    let admin = secret(&client, "admin.txt", ADMIN_PIN);
    let unblocked = secret(&client, "unblocked.txt", UNBLOCKED_PIN);
    let out = run(
        &client,
        &inner,
        &[
            "pin",
            "unblock",
            "--admin-pin-file",
            &admin,
            "--new-pin-file",
            &unblocked,
            "--json",
        ],
    );
    let v = expect(&out, 0);
    assert_eq!(v["unblocked"], true, "{}", text(&out));
    assert_eq!(v["counters"]["user"]["remaining"], 3);
    expect_error(&login(&client, &inner, &new_pin, &[]), 1, "pin.wrong");
    let v = expect(&login(&client, &inner, &unblocked, &[]), 0);
    assert!(!v["session"].as_str().unwrap().is_empty());
    pay(&client, &inner, &unblocked, "2500.00");
    assert_eq!(direct.token_state().1, keys);

    // A user PIN change through the module (C_SetPIN) and the default user PIN is long gone.
    let changed = secret(&client, "changed.txt", CHANGED_PIN);
    let out = run(
        &client,
        &inner,
        &[
            "pin",
            "change",
            "--pin-file",
            &unblocked,
            "--new-pin-file",
            &changed,
            "--json",
        ],
    );
    expect(&out, 0);
    let default = secret(&client, "default.txt", USER_PIN);
    expect_error(&login(&client, &inner, &default, &[]), 1, "pin.wrong");
    expect(&login(&client, &inner, &changed, &[]), 0);

    assert_no_secret_printed(&[
        USER_PIN,
        ADMIN_PIN,
        WRONG_PIN,
        UNBLOCKED_PIN,
        CHANGED_PIN,
        bank::NEW_PIN,
        customer.otp_pin.as_str(),
    ]);

    let state = b.bank.state().unwrap();
    assert_eq!(state.active_registrations, 1);
    assert_eq!(state.payments, 2);
}

/// An enrollment through the module aborted at every step boundary: the rerun completes with
/// one registered pair and no key outside the journal's two slots. What the fallback driver
/// must get right here is PKCS#11-specific: the journal rewritten as objects (a new one created,
/// the old one destroyed), keys found again by CKA_ID, and a slot that already holds a pair
/// generated again although the module cannot delete keys (it failed with CKR_ACTION_PROHIBITED
/// from C_DestroyObject before the fix in tamga-pkcs11's keys.rs).
#[test]
fn an_enrollment_aborted_at_every_step_resumes_through_the_module() {
    let b = TestBank::start();
    let mut registered = 0;
    for (i, point) in tamga_plugin_enroll::hooks::POINTS.iter().enumerate() {
        let (client, inner) = pkcs11_client(&b, &format!("abort-{i}"));
        let module_env = ("TAMGA_PROFILE", inner.to_str().unwrap());
        let customer = b.customer();
        let spec = format!("{point}:1");
        let first = client.enroll(&customer, &[module_env, ("TAMGA_TEST_ABORT_AT", &spec)]);
        assert!(!first.status.success(), "{point}: {}", text(&first));
        let out = client.enroll(&customer, &[module_env]);
        let v = expect(&out, 0);
        assert_eq!(v["enrolled"], true, "{point}: {}", text(&out));
        registered += 1;
        let state = b.bank.state().unwrap();
        assert_eq!(state.issued.get(&customer.user_id), Some(&2), "{point}");
        assert_eq!(state.active_registrations, registered, "{point}");
        let direct = Client {
            dir: client.dir.clone(),
            profile: inner.clone(),
        };
        let (journal, keys) = direct.token_state();
        let j = journal.expect("a journal");
        assert_eq!(
            j.state,
            tamga_core::token::JournalState::Complete,
            "{point}"
        );
        assert_eq!(keys, vec![j.sign_key.get(), j.auth_key.get()], "{point}");
    }
}
