//! Registration, login and payments end to end: `tamga enroll`, `login` and `pay` as child
//! processes against the sandbox bank in this process; the guide's error texts; the OTP PIN's
//! I/1, O/0 variants; refusals on resume; a tampered order refused by IB; OpenSSL with the gost
//! engine verifying the payment's CMS and the issued certificates against the sandbox CA.

mod bank;

use std::process::Command;

use bank::{json, order, text, TestBank};
use tamga_core::token::{FormatRequest, JournalCheck, TokenError};
use tamga_core::{Attempt, Pin};
use tamga_sandbox_bank::CustomerOptions;
use tamga_test_support::openssl;

#[test]
fn enroll_login_pay_and_a_tampered_order_is_refused() {
    let b = TestBank::start();
    for detached in [false, true] {
        let client = b.client(
            &format!("flow-{detached}"),
            "",
            &format!("detached: {detached}"),
        );
        let customer = b.customer();
        let out = client.enroll(&customer, &[]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let v = json(&out);
        assert_eq!(v["enrolled"], true);
        assert_eq!(v["user_id"], customer.user_id.as_str());
        assert!(v["resumed_from"].is_null());
        // Running it again is harmless: the token says it is enrolled.
        let again = client.enroll(&customer, &[]);
        assert_eq!(again.status.code(), Some(0), "{}", text(&again));
        assert_eq!(json(&again)["already"], true);
        let (journal, keys) = client.token_state();
        let j = journal.unwrap();
        // The token name became the token's label (the profile's name in the applet's list).
        let info = client.tamga(&["token", "info", "--json"], &[]);
        assert!(
            String::from_utf8_lossy(&info.stdout).contains("\"label\":\"Test\""),
            "{}",
            text(&info)
        );
        assert_eq!(keys, vec![j.sign_key.get(), j.auth_key.get()]);

        let session = client.login(&[]);

        let order_path = order(&client.dir, "150000.00");
        let cms = client.path("payment.p7s");
        let pay = client.pay(&order_path, &cms, &[]);
        assert_eq!(pay.status.code(), Some(0), "{}", text(&pay));
        let v = json(&pay);
        assert_eq!(v["status"], "accepted");
        assert_eq!(v["detached"], detached);
        // The order was shown before signing (standard error, no terminal here).
        let shown = String::from_utf8_lossy(&pay.stderr);
        assert!(
            shown.contains("150 000.00 KZT") && shown.contains("KNP: 710"),
            "{shown}"
        );

        b.assert_only_the_signed_order_accepted(&session, &order_path, &cms);

        // OpenSSL + gost engine: the payment's CMS and both certificates against the CA.
        let Some(cnf) = openssl::openssl_config(&client.dir) else {
            continue;
        };
        let ca = b.bank.ca_certificate_path();
        let mut cmd = Command::new("openssl");
        cmd.args([
            "cms", "-verify", "-engine", "gost", "-binary", "-inform", "DER", "-in",
        ])
        .arg(&cms)
        .arg("-CAfile")
        .arg(&ca)
        .args(["-purpose", "any", "-out", "/dev/null"])
        .env("OPENSSL_CONF", &cnf);
        if detached {
            cmd.arg("-content").arg(&order_path);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "openssl cms -verify: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for der in [j.sign_cert.as_ref().unwrap(), j.auth_cert.as_ref().unwrap()] {
            let pem = client.path("cert.pem");
            std::fs::write(
                &pem,
                tamga_pki::Certificate::from_der(der).unwrap().to_pem(),
            )
            .unwrap();
            let out = Command::new("openssl")
                .args(["verify", "-engine", "gost", "-CAfile"])
                .arg(&ca)
                .arg(&pem)
                .env("OPENSSL_CONF", &cnf)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "openssl verify: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let state = b.bank.state().unwrap();
    assert_eq!(state.active_registrations, 2);
    assert_eq!(state.payments, 4);
}

#[test]
fn the_guides_errors_and_the_otp_pin_variants() {
    let b = TestBank::start();
    // A wrong OTP PIN: the guide's message and checklist, nothing on the token.
    let client = b.client("wrong-otp", "", "");
    let customer = b.customer();
    std::fs::write(client.path("bad-otp.txt"), "ZZZZZZZZZZZ\n").unwrap();
    let mut args = client.enroll_args(&customer);
    args[5] = client.path("bad-otp.txt").display().to_string();
    args.retain(|a| a != "--json");
    let mut ru = vec!["--lang".to_owned(), "ru".to_owned()];
    ru.extend(args.iter().cloned());
    let out = client.tamga(&ru.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Неверный пароль или ключевой контейнер"),
        "{err}"
    );
    assert!(
        err.contains("вместо aq набрано ag") && err.contains("11 символов"),
        "{err}"
    );
    let (journal, keys) = client.token_state();
    assert!(journal.is_none() && keys.is_empty());

    // The OTP PIN typed with I/1 and O/0 swapped (and in lower case): the variant that opens
    // the key file is found offline and the user told.
    let client = b.client("variants", "", "");
    let customer = b.customer_with(CustomerOptions {
        ambiguous_pin: Some(true),
        ..CustomerOptions::default()
    });
    let real = bank::file(&customer.otp_pin_path).trim().to_owned();
    let typed = lookalikes_swapped(&real, true);
    assert_ne!(typed, real);
    std::fs::write(client.path("typed-otp.txt"), format!("{typed}\n")).unwrap();
    let mut args = client.enroll_args(&customer);
    args[5] = client.path("typed-otp.txt").display().to_string();
    let out = client.tamga(&args.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(json(&out)["otp_pin_corrected"], true);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("opened with a corrected PIN"), "{err}");
    assert!(
        !err.contains(&real) && !err.contains(&typed),
        "the PIN was printed: {err}"
    );

    // A user ID that is not the key file's: caught before the CA, with the guide's hint.
    let client = b.client("other-user", "", "");
    let a = b.customer();
    let other = b.customer();
    let mut args = client.enroll_args(&a);
    args[3] = other.user_id.clone();
    let out = client.tamga(&args.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert_eq!(json(&out)["error"]["code"], "enroll.key_file_user");
    // A user ID of the wrong shape.
    args[3] = "qq11111_qwertyui".into();
    let out = client.tamga(&args.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    assert_eq!(
        json(&out)["error"]["code"],
        "enroll.user_id",
        "{}",
        text(&out)
    );
    // A new password against the bank's rules: refused before the token is touched.
    std::fs::write(client.path("weak.txt"), "12345678\n").unwrap();
    let mut args = client.enroll_args(&a);
    let last = args.len() - 1;
    args[last] = client.path("weak.txt").display().to_string();
    let out = client.tamga(&args.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    let (journal, keys) = client.token_state();
    assert!(journal.is_none() && keys.is_empty());
}

#[test]
fn an_unfinished_enrollment_is_resumed_by_its_owner_only_and_blocks_formatting() {
    let b = TestBank::start();
    let client = b.client("resume", "", "");
    let customer = b.customer();
    let out = client.enroll(&customer, &[("TAMGA_TEST_ABORT_AT", "journal-keys:1")]);
    assert!(!out.status.success(), "{}", text(&out));

    // Another user's inputs: a clear refusal.
    let other = b.customer();
    let out = client.enroll(&other, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert_eq!(json(&out)["error"]["code"], "enroll.resume_mismatch");

    // Formatting is refused while the journal says "in progress".
    {
        let mut token = client.open_token();
        let info = token.info().unwrap();
        assert_eq!(
            info.state,
            tamga_core::token::ProfileState::EnrollmentInProgress
        );
        let refused = token.format(
            &Pin::from("87654321"),
            &FormatRequest::factory("x"),
            JournalCheck::Respect,
            Attempt::SpareLast,
        );
        assert_eq!(refused, Err(TokenError::EnrollmentInProgress));
    }
    // `tamga token info` says so too.
    let info = client.tamga(&["token", "info", "--json"], &[]);
    assert!(
        String::from_utf8_lossy(&info.stdout).contains("in_progress")
            || String::from_utf8_lossy(&info.stdout).contains("progress"),
        "{}",
        text(&info)
    );

    let out = client.enroll(&customer, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(json(&out)["resumed_from"], "keys-generated");
    assert_eq!(
        b.bank.state().unwrap().issued.get(&customer.user_id),
        Some(&2)
    );
}

#[test]
fn payment_orders_are_checked_and_confirmed_before_signing() {
    let b = TestBank::start();
    let client = b.client("orders", "", "");
    let customer = b.customer();
    assert_eq!(client.enroll(&customer, &[]).status.code(), Some(0));
    let pin = client.path("new-pin.txt").display().to_string();
    let good = order(&client.dir, "10.00");
    // No terminal and no --yes: nothing is signed.
    let out = client.tamga(
        &["pay", good.to_str().unwrap(), "--json", "--pin-file", &pin],
        &[],
    );
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    assert_eq!(json(&out)["error"]["code"], "sign.not_confirmed");
    // A broken IIK is named.
    let text_order = std::fs::read_to_string(&good).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text_order).unwrap();
    let iik = v["recipient"]["iik"].as_str().unwrap();
    let broken = text_order.replace(iik, &format!("{}9{}", &iik[..19 - 1], &iik[19..]));
    let bad = client.path("bad.json");
    std::fs::write(&bad, broken).unwrap();
    let out = client.tamga(
        &[
            "pay",
            bad.to_str().unwrap(),
            "--yes",
            "--json",
            "--pin-file",
            &pin,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert_eq!(json(&out)["error"]["code"], "sign.order_invalid");
    assert_eq!(json(&out)["error"]["details"]["field"], "recipient.iik");
    assert_eq!(b.bank.state().unwrap().payments, 0);
}

/// The wizard on a terminal (util-linux `script` gives tamga one), in the guide's order: the
/// token password, the user ID (a wrong shape explained and asked again, the right one shown
/// back), the OTP PIN, the key file, "password matches PIN", the token name, the new password
/// twice, the term (Enter takes the default), the confirmation screen. Secrets are not echoed.
/// Skipped where `script` is missing.
#[test]
fn the_wizard_on_a_terminal_asks_in_the_guides_order() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("no script(1): skipped");
        return;
    }
    let b = TestBank::start();
    let client = b.client("wizard", "", "");
    let customer = b.customer();
    let otp = bank::file(&customer.otp_pin_path).trim().to_owned();
    let cmd = format!(
        "{} --profile {} --lang en enroll",
        env!("CARGO_BIN_EXE_tamga"),
        client.profile.display()
    );
    let answers = [
        "12345678",
        "qq1_wrong",
        customer.user_id.as_str(),
        otp.as_str(),
        customer.pfx_path.to_str().unwrap(),
        "y",
        "Office",
        bank::NEW_PIN,
        bank::NEW_PIN,
        "",
        "y",
    ];
    let typing: String = answers
        .iter()
        .map(|a| format!("sleep 0.7; printf '%s\\r' '{a}'; "))
        .collect::<String>()
        + "sleep 3";
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("({typing}) | script -qec \"$TAMGA_CMD\" /dev/null"))
        .env("TAMGA_CMD", cmd)
        .env("PINENTRY", "")
        .env("HOME", &client.dir)
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    let order = [
        "Profile: KAZTOKEN",
        "Token password (factory default 12345678): ",
        "User ID: ",
        "the user ID must look like aa999999_aaaaaaaa",
        "PIN from the OTP card",
        "Key file (GOST.pfx or Key.pfx): ",
        "Does the key file's password match the PIN? [y/N]",
        "Token name (Latin, optional)",
        "New token password: ",
        "Repeat the new password: ",
        "Certificate term in months (from the contract) [12]: ",
        "Check the registration data:",
        "The data is correct; continue? [y/N]",
        "Enrollment complete.",
    ];
    let mut at = 0;
    for step in order {
        let found = screen[at..]
            .find(step)
            .unwrap_or_else(|| panic!("`{step}` missing or out of order: {screen}"));
        at += found + step.len();
    }
    assert!(
        screen.contains(&format!("User ID: {}", customer.user_id)),
        "{screen}"
    );
    for secret in [otp.as_str(), bank::NEW_PIN, "12345678\r"] {
        assert!(!screen.contains(secret), "`{secret}` echoed: {screen}");
    }
    assert_eq!(b.bank.state().unwrap().active_registrations, 1);
}

/// PBM protection (the OTP PIN as the shared secret, PROTOCOL.md) instead of the init key's
/// signature; the OTP PIN typed with 1/I swapped still works because the corrected variant is
/// what the MAC uses.
#[test]
fn enrollment_with_pbm_protection() {
    let b = TestBank::start();
    let client = b.client("pbm", "protection: Pbm,", "");
    let customer = b.customer_with(CustomerOptions {
        ambiguous_pin: Some(true),
        ..CustomerOptions::default()
    });
    let real = bank::file(&customer.otp_pin_path).trim().to_owned();
    let typed = lookalikes_swapped(&real, false);
    std::fs::write(client.path("typed.txt"), format!("{typed}\n")).unwrap();
    let mut args = client.enroll_args(&customer);
    args[5] = client.path("typed.txt").display().to_string();
    let out = client.tamga(&args.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        b.bank.state().unwrap().issued.get(&customer.user_id),
        Some(&2)
    );
}

/// The OTP PIN as a person misreads it from the card: I/1 and O/0 swapped, and with
/// `lower_case` every other letter in lower case.
fn lookalikes_swapped(real: &str, lower_case: bool) -> String {
    real.chars()
        .map(|c| match c {
            'I' => '1',
            '1' => 'I',
            'O' => '0',
            '0' => 'O',
            other if lower_case => other.to_ascii_lowercase(),
            other => other,
        })
        .collect()
}
