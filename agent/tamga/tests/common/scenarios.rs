//! The token, PIN and profile scenarios of the command line, against the virtual KAZTOKEN
//! through the CCID stack. Each test file runs some of them; `cli_no_secret_leaks.rs` runs all of
//! them again at trace level and searches everything printed for the secrets in [`SECRETS`].

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use super::expect_code;
use super::sandbox::{expect_error, json, stderr, stdout, Sandbox};

pub const USER_PIN: &str = "12345678";
pub const ADMIN_PIN: &str = "87654321";
pub const NEW_USER_PIN: &str = "Q1w2e3r4t5";
pub const OTHER_USER_PIN: &str = "Zx9Yw8Vu7";
pub const NEW_ADMIN_PIN: &str = "Adm1nPin9q";
pub const WRONG_PIN: &str = "wrong0pin9";
/// Shaped like the bank's OTP-card PIN (11 upper-case characters), used here as a PIN.
pub const OTP_LIKE_PIN: &str = "QW7ER8TY9UP";

/// Every secret the scenarios type (8 characters or more, so that a match is not chance).
pub const SECRETS: &[&str] = &[
    USER_PIN,
    ADMIN_PIN,
    NEW_USER_PIN,
    OTHER_USER_PIN,
    NEW_ADMIN_PIN,
    WRONG_PIN,
    OTP_LIKE_PIN,
    "q1w2e3r4!",
    "пароль12ab",
    "13572468",
    "qwerasdf",
    "x9w8678q",
    "q1AbC2w3",
    "q1w2cba9",
    "q1w2e3r4",
    "q1w2e3r5",
];

/// A scenario: a name and what it does with a fresh sandbox.
pub type Scenario = (&'static str, fn(&Sandbox));

pub const ALL: &[Scenario] = &[
    ("token_list_and_info", token_list_and_info),
    ("change_user_pin", change_user_pin),
    ("password_rules", password_rules),
    (
        "wrong_pin_lockout_and_unblock",
        wrong_pin_lockout_and_unblock,
    ),
    ("last_try_with_the_right_pin", last_try_with_the_right_pin),
    ("admin_pin", admin_pin),
    ("secret_files", secret_files),
    ("pinentry", pinentry),
    ("languages", languages),
    ("profiles", profiles),
];

fn pin(s: &Sandbox, name: &str, value: &str) -> String {
    s.secret(name, value)
}

/// `pin status --json` → (user remaining or state, admin …) as JSON values.
fn counters(s: &Sandbox) -> serde_json::Value {
    let out = s.tamga(&["pin", "status", "--json"]);
    expect_code(&out, 0);
    json(&out)["counters"].clone()
}

#[track_caller]
fn user_tries(s: &Sandbox, want: u64) {
    assert_eq!(counters(s)["user"]["remaining"], want);
}

fn change(s: &Sandbox, old: &str, new: &str, extra: &[&str]) -> std::process::Output {
    let (old, new) = (pin(s, "old", old), pin(s, "new", new));
    let mut args = vec![
        "pin",
        "change",
        "--pin-file",
        &old,
        "--new-pin-file",
        &new,
        "--json",
    ];
    args.extend_from_slice(extra);
    s.tamga(&args)
}

pub fn token_list_and_info(s: &Sandbox) {
    let out = s.tamga(&["token", "list"]);
    expect_code(&out, 0);
    assert!(
        stdout(&out).contains("virtual KAZTOKEN"),
        "{}",
        stdout(&out)
    );
    let out = s.tamga(&["token", "list", "--json"]);
    expect_code(&out, 0);
    let list = json(&out);
    assert_eq!(list["ok"], true);
    assert_eq!(list["tokens"][0]["driver"], "virtual-kaztoken");
    let id = list["tokens"][0]["id"].as_str().unwrap().to_owned();
    assert!(
        id.starts_with("virtual:") && id.ends_with("token.state"),
        "{id}"
    );

    let out = s.tamga(&["token", "info", "--json", "--token", &id]);
    expect_code(&out, 0);
    let info = json(&out);
    assert_eq!(info["token"]["label"], "KAZTOKEN");
    assert_eq!(info["token"]["serial"], "4242");
    assert_eq!(info["token"]["model"], "KAZTOKEN");
    assert_eq!(info["token"]["state"], "empty");
    assert_eq!(info["token"]["id"], id.as_str());
    assert_eq!(info["counters"]["user"]["remaining"], 3);
    assert_eq!(info["counters"]["admin"]["state"], "not_verified");

    let out = s.tamga(&["token", "info", "--lang", "ru"]);
    expect_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("Серийный номер: 4242"), "{text}");
    assert!(
        text.contains("Пароль пользователя: осталось попыток: 3"),
        "{text}"
    );

    let out = s.tamga(&["token", "info", "--json", "--token", "usb:dead:beef:0"]);
    expect_error(&out, 6, "token.not_found");

    // A USB-only profile that selects no device: no token (or no USB bus at all).
    let usb = s.write(
        "usb.ron",
        b"(name: \"usb\", drivers: [KaztokenCcid(any_ccid_class: false, vendors: [], devices: [(vendor: 0xffff, product: 0xfffe)])])",
    );
    let out = s.tamga_bare(
        &[
            "--profile",
            usb.to_str().unwrap(),
            "token",
            "info",
            "--json",
        ],
        &[],
    );
    expect_code(&out, 6);
    let code = json(&out)["error"]["code"].as_str().unwrap().to_owned();
    assert!(code == "token.absent" || code == "driver.failed", "{code}");
}

pub fn change_user_pin(s: &Sandbox) {
    let out = change(s, USER_PIN, NEW_USER_PIN, &[]);
    expect_code(&out, 0);
    let v = json(&out);
    assert_eq!(
        (v["ok"].clone(), v["role"].clone(), v["changed"].clone()),
        (true.into(), "user".into(), true.into())
    );
    assert_eq!(v["counters"]["user"]["state"], "verified");
    // The old PIN no longer works and costs a try; the new one does.
    let out = change(s, USER_PIN, OTHER_USER_PIN, &[]);
    let e = expect_error(&out, 1, "pin.wrong");
    assert_eq!(e["error"]["details"]["remaining"], 2);
    let out = change(s, NEW_USER_PIN, OTHER_USER_PIN, &[]);
    expect_code(&out, 0);
    user_tries(s, 3);
    // A file written on Windows ends in CRLF.
    let crlf = s.write("crlf", format!("{OTHER_USER_PIN}\r\n").as_bytes());
    let new = pin(s, "new", NEW_USER_PIN);
    let out = s.tamga(&[
        "pin",
        "change",
        "--pin-file",
        crlf.to_str().unwrap(),
        "--new-pin-file",
        &new,
    ]);
    expect_code(&out, 0);
    assert!(
        stdout(&out).contains("User PIN changed."),
        "{}",
        stdout(&out)
    );
}

pub fn password_rules(s: &Sandbox) {
    let cases: &[(&str, &str, &[&str])] = &[
        ("a1b2c3", "a1b2c3", &["too_short"]),
        ("q1w2e3r4!", "q1w2e3r4!", &["not_latin_or_digit"]),
        ("пароль12ab", "пароль12ab", &["not_latin_or_digit"]),
        ("13572468", "13572468", &["no_letter"]),
        ("qwerasdf", "qwerasdf", &["no_digit"]),
        ("x9w8678q", "x9w8678q", &["sequence"]),
        ("q1AbC2w3", "q1AbC2w3", &["sequence"]),
        ("q1w2cba9", "q1w2cba9", &["sequence"]),
        ("q1w2e3r4", "q1w2e3r5", &["mismatch"]),
        (
            "123",
            "124",
            &["too_short", "no_letter", "sequence", "mismatch"],
        ),
    ];
    let old = pin(s, "old", USER_PIN);
    for (new, repeat, want) in cases {
        let (new, repeat) = (pin(s, "new", new), pin(s, "repeat", repeat));
        let args = [
            "pin",
            "change",
            "--pin-file",
            &old,
            "--new-pin-file",
            &new,
            "--repeat-pin-file",
            &repeat,
        ];
        let out = s.tamga(&[&args[..], &["--json"]].concat());
        let e = expect_error(&out, 4, "pin.password_rules");
        assert_eq!(
            e["error"]["details"]["violations"],
            serde_json::json!(want),
            "{want:?}"
        );
        // Each broken rule is named, one a line.
        assert_eq!(
            stderr(&out).matches("\n  - ").count(),
            want.len(),
            "{}",
            stderr(&out)
        );
    }
    let (new, repeat) = (pin(s, "new", "123"), pin(s, "repeat", "124"));
    let args = [
        "pin",
        "change",
        "--pin-file",
        &old,
        "--new-pin-file",
        &new,
        "--repeat-pin-file",
        &repeat,
    ];
    let out = s.tamga(&[&args[..], &["--lang", "ru"]].concat());
    expect_code(&out, 4);
    for rule in [
        "не короче 8 символов",
        "хотя бы одна латинская буква",
        "без последовательностей из 3 символов подряд (123, 678, abc, cba)",
        "подтверждение должно совпадать с новым паролем",
    ] {
        assert!(stderr(&out).contains(rule), "{rule}: {}", stderr(&out));
    }
    let out = s.tamga(&args);
    for rule in [
        "at least 8 characters",
        "at least one Latin letter",
        "no ascending or descending run of 3",
    ] {
        assert!(stderr(&out).contains(rule), "{rule}: {}", stderr(&out));
    }
    // The rules are checked before the token sees any PIN: no try was spent.
    user_tries(s, 3);
}

pub fn wrong_pin_lockout_and_unblock(s: &Sandbox) {
    let out = change(s, WRONG_PIN, NEW_USER_PIN, &[]);
    let e = expect_error(&out, 1, "pin.wrong");
    assert_eq!(
        e["error"]["details"],
        serde_json::json!({"role": "user", "remaining": 2})
    );
    assert!(
        stderr(&out).contains("wrong user PIN: 2 tries left"),
        "{}",
        stderr(&out)
    );
    user_tries(s, 2);
    let out = change(s, WRONG_PIN, NEW_USER_PIN, &["--lang", "ru"]);
    expect_code(&out, 1);
    assert!(
        stderr(&out).contains("Неверный пароль пользователя. Осталось попыток: 1."),
        "{}",
        stderr(&out)
    );
    user_tries(s, 1);
    // The last try is not spent without an explicit confirmation, and scripts learn how to give it.
    let out = change(s, WRONG_PIN, NEW_USER_PIN, &[]);
    expect_error(&out, 5, "pin.last_attempt");
    assert!(
        stderr(&out).contains("--confirm-last-attempt"),
        "{}",
        stderr(&out)
    );
    user_tries(s, 1);
    let out = change(s, WRONG_PIN, NEW_USER_PIN, &["--confirm-last-attempt"]);
    expect_error(&out, 3, "pin.blocked");
    assert_eq!(counters(s)["user"]["state"], "blocked");
    // Blocked: refused before any PIN is asked for, even the right one.
    let out = change(s, USER_PIN, NEW_USER_PIN, &[]);
    expect_error(&out, 3, "pin.blocked");
    assert!(
        stderr(&out).contains("unblock it with the admin PIN"),
        "{}",
        stderr(&out)
    );
    let out = change(s, USER_PIN, NEW_USER_PIN, &["--lang", "ru"]);
    assert!(
        stderr(&out).contains("Разблокируйте его паролем администратора"),
        "{}",
        stderr(&out)
    );
    // Unblock under the same password rules, then the new PIN works.
    let (admin, bad) = (pin(s, "admin", ADMIN_PIN), pin(s, "bad", "abc"));
    let out = s.tamga(&[
        "pin",
        "unblock",
        "--admin-pin-file",
        &admin,
        "--new-pin-file",
        &bad,
        "--json",
    ]);
    expect_error(&out, 4, "pin.password_rules");
    let new = pin(s, "new", OTHER_USER_PIN);
    let out = s.tamga(&[
        "pin",
        "unblock",
        "--admin-pin-file",
        &admin,
        "--new-pin-file",
        &new,
        "--json",
    ]);
    expect_code(&out, 0);
    let v = json(&out);
    assert_eq!(v["unblocked"], true);
    assert_eq!(v["counters"]["user"]["remaining"], 3);
    let out = change(s, OTHER_USER_PIN, NEW_USER_PIN, &[]);
    expect_code(&out, 0);
}

pub fn last_try_with_the_right_pin(s: &Sandbox) {
    for _ in 0..2 {
        expect_code(&change(s, WRONG_PIN, NEW_USER_PIN, &[]), 1);
    }
    user_tries(s, 1);
    let out = change(s, USER_PIN, NEW_USER_PIN, &["--confirm-last-attempt"]);
    expect_code(&out, 0);
    user_tries(s, 3);
}

pub fn admin_pin(s: &Sandbox) {
    let (admin, new_admin) = (
        pin(s, "admin", ADMIN_PIN),
        pin(s, "newadmin", NEW_ADMIN_PIN),
    );
    let out = s.tamga(&[
        "pin",
        "change",
        "--admin",
        "--admin-pin-file",
        &admin,
        "--new-pin-file",
        &new_admin,
        "--json",
    ]);
    expect_code(&out, 0);
    assert_eq!(json(&out)["role"], "admin");
    // The admin PIN follows the password rules too.
    let weak = pin(s, "weak", "87654321");
    let out = s.tamga(&[
        "pin",
        "change",
        "--admin",
        "--admin-pin-file",
        &new_admin,
        "--new-pin-file",
        &weak,
        "--json",
    ]);
    let e = expect_error(&out, 4, "pin.password_rules");
    assert_eq!(
        e["error"]["details"]["violations"],
        serde_json::json!(["no_letter", "sequence"])
    );
    // The old admin PIN is now wrong, and its counter goes down.
    let new = pin(s, "new", OTP_LIKE_PIN);
    let out = s.tamga(&[
        "pin",
        "unblock",
        "--admin-pin-file",
        &admin,
        "--new-pin-file",
        &new,
        "--json",
    ]);
    let e = expect_error(&out, 1, "pin.wrong");
    assert_eq!(
        e["error"]["details"],
        serde_json::json!({"role": "admin", "remaining": 2})
    );
    assert!(stderr(&out).contains("wrong admin PIN"), "{}", stderr(&out));
    let out = s.tamga(&[
        "pin",
        "unblock",
        "--admin-pin-file",
        &new_admin,
        "--new-pin-file",
        &new,
        "--json",
    ]);
    expect_code(&out, 0);
    expect_code(&change(s, OTP_LIKE_PIN, NEW_USER_PIN, &[]), 0);
}

pub fn secret_files(s: &Sandbox) {
    // No file, no terminal, no pinentry: nowhere to ask.
    let out = s.tamga(&["pin", "change", "--json"]);
    expect_error(&out, 2, "secret.no_source");
    let missing = s.path("missing").display().to_string();
    let out = s.tamga(&["pin", "change", "--pin-file", &missing, "--json"]);
    expect_error(&out, 2, "secret.file");
    let empty = s.write("empty", b"\n");
    let out = s.tamga(&[
        "pin",
        "change",
        "--pin-file",
        empty.to_str().unwrap(),
        "--json",
    ]);
    expect_error(&out, 2, "secret.empty");
    // A PIN on the command line itself is not an option.
    let out = s.tamga(&["pin", "change", "--pin", USER_PIN]);
    expect_code(&out, 2);
    user_tries(s, 3);
}

/// A pinentry stand-in speaking Assuan: the current PIN for "PIN" prompts, the new one for "New"
/// and "Repeat" prompts; `MODE` picks a misbehaviour.
const FAKE_PINENTRY: &str = r#"#!/bin/sh
[ "$MODE" = garbage ] && { echo "hello there"; exit 0; }
echo "OK Pleased to meet you"
desc=""
while IFS= read -r line; do
  case "$line" in
    SETDESC*) desc="$line"; echo OK ;;
    GETPIN)
      if [ "$MODE" = cancel ]; then echo "ERR 83886179 Operation cancelled <Pinentry>"; continue; fi
      echo "S PASSWORD_FROM_CACHE"
      case "$desc" in *New*|*Repeat*) echo "D $NEW" ;; *) echo "D $CUR" ;; esac
      echo OK ;;
    CONFIRM)
      if [ "$MODE" = yes ]; then echo OK; else echo "ERR 83886194 Not confirmed <Pinentry>"; fi ;;
    BYE) echo OK; exit 0 ;;
    *) echo OK ;;
  esac
done
"#;

fn fake_pinentry(s: &Sandbox) -> PathBuf {
    let p = s.write("pinentry", FAKE_PINENTRY.as_bytes());
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

pub fn pinentry(s: &Sandbox) {
    let program = fake_pinentry(s);
    let program = program.to_str().unwrap();
    let run = |mode: &str, cur: &str, new: &str, extra: &[&str]| {
        let mut args = vec!["pin", "change", "--json"];
        args.extend_from_slice(extra);
        s.tamga_env(
            &args,
            &[
                ("PINENTRY", program),
                ("MODE", mode),
                ("CUR", cur),
                ("NEW", new),
            ],
        )
    };
    // %-escapes are decoded: "%31%32345678" is 12345678.
    let out = run("", "%31%32345678", NEW_USER_PIN, &[]);
    expect_code(&out, 0);
    let out = run("cancel", NEW_USER_PIN, USER_PIN, &[]);
    expect_error(&out, 5, "cancelled");
    let out = run("garbage", NEW_USER_PIN, USER_PIN, &[]);
    expect_error(&out, 2, "secret.pinentry");
    // The last-try question goes to pinentry too: "no" sends nothing, "yes" spends it.
    for _ in 0..2 {
        expect_code(&run("", WRONG_PIN, OTHER_USER_PIN, &[]), 1);
    }
    let out = run("", NEW_USER_PIN, OTHER_USER_PIN, &[]);
    expect_error(&out, 5, "cancelled");
    user_tries(s, 1);
    let out = run("yes", NEW_USER_PIN, OTHER_USER_PIN, &[]);
    expect_code(&out, 0);
    user_tries(s, 3);
}

pub fn languages(s: &Sandbox) {
    let status = |env: &[(&str, &str)], extra: &[&str]| {
        let out = s.tamga_env(&[&["pin", "status"][..], extra].concat(), env);
        expect_code(&out, 0);
        stdout(&out)
    };
    assert!(status(&[], &[]).contains("User PIN: 3 tries left"));
    assert!(status(&[("LANG", "ru_RU.UTF-8")], &[])
        .contains("Пароль пользователя: осталось попыток: 3"));
    assert!(
        status(&[("LANG", "ru_RU.UTF-8"), ("LC_ALL", "en_US.UTF-8")], &[]).contains("User PIN")
    );
    assert!(status(&[("LC_MESSAGES", "kk_KZ.UTF-8")], &[])
        .contains("Пайдаланушы паролі: қалған әрекеттер: 3"));
    assert!(status(&[("LANG", "ru_RU.UTF-8")], &["--lang", "en"]).contains("User PIN"));
    let out = change(s, WRONG_PIN, NEW_USER_PIN, &["--lang", "kk"]);
    expect_code(&out, 1);
    assert!(
        stderr(&out).contains("Қате пайдаланушы паролі"),
        "{}",
        stderr(&out)
    );
    let out = s.tamga(&["pin", "status", "--lang", "de"]);
    expect_code(&out, 2);
}

pub fn profiles(s: &Sandbox) {
    let repo = |p: &str| format!("{}/../../profiles/{p}", env!("CARGO_MANIFEST_DIR"));
    let out = s.tamga_bare(&["profile", "check", &repo("demo.ron"), "--json"], &[]);
    expect_code(&out, 0);
    let v = json(&out);
    assert_eq!(v["name"], "demo");
    assert_eq!(
        v["drivers"][0],
        serde_json::json!({"name": "virtual-kaztoken", "in_build": true})
    );
    assert_eq!(
        v["workflows"],
        serde_json::json!(["pin", "enroll", "login", "sign"])
    );
    let out = s.tamga_bare(&["profile", "check", &repo("default.ron")], &[]);
    expect_code(&out, 0);
    assert!(
        stdout(&out).contains("profile `kaztoken` is valid; drivers: kaztoken-ccid"),
        "{}",
        stdout(&out)
    );

    // A missing comma: the message points at the line and column, with the line and a caret.
    let bad = s.write("bad.ron", b"(\n    name: \"x\"\n    drivers: [],\n)\n");
    let bad = bad.to_str().unwrap();
    let out = s.tamga_bare(&["profile", "check", bad], &[]);
    expect_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains(&format!("{bad}:3:5: profile error:")), "{err}");
    assert!(err.contains("    drivers: [],\n        ^"), "{err}");
    let out = s.tamga_bare(&["profile", "check", bad, "--json"], &[]);
    let e = expect_error(&out, 2, "profile.syntax");
    assert_eq!(
        (
            e["error"]["details"]["line"].clone(),
            e["error"]["details"]["column"].clone()
        ),
        (3.into(), 5.into())
    );
    let out = s.tamga_bare(&["profile", "check", bad, "--lang", "ru"], &[]);
    assert!(
        stderr(&out).contains(":3:5: ошибка в профиле:"),
        "{}",
        stderr(&out)
    );
    // Every command reading the profile says the same.
    let out = s.tamga_bare(&["--profile", bad, "pin", "status"], &[]);
    expect_code(&out, 2);
    assert!(stderr(&out).contains(":3:5:"), "{}", stderr(&out));

    // An unknown field is named with the fields that were expected.
    let typo = s.write(
        "typo.ron",
        b"(name: \"x\",\n drivers: [VirtualKaztoken(state: Relative(\"t\"), user_retires: 3)])\n",
    );
    let out = s.tamga_bare(&["profile", "check", typo.to_str().unwrap()], &[]);
    expect_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("typo.ron:2:")
            && err.contains("user_retires")
            && err.contains("`user_retries`"),
        "{err}"
    );
    // A value out of range names its field.
    let range = s.write(
        "range.ron",
        b"(name: \"x\", drivers: [KaztokenCcid()], workflows: (pin: (user_password: (min_length: 0))))",
    );
    let out = s.tamga_bare(
        &["profile", "check", range.to_str().unwrap(), "--json"],
        &[],
    );
    let e = expect_error(&out, 2, "profile.invalid");
    assert_eq!(
        e["error"]["details"]["field"],
        "workflows.pin.user_password.min_length"
    );
    let out = s.tamga_bare(
        &["--profile", "/nonexistent/p.ron", "token", "list", "--json"],
        &[],
    );
    expect_error(&out, 2, "profile.not_found");

    // Lookup order: --profile, $TAMGA_PROFILE, ~/.config/tamga/profile.ron, then the built-in one.
    let which = |env: &[(&str, &str)], extra: &[&str]| {
        let out = s.tamga_bare(&[&["profile", "which", "--json"][..], extra].concat(), env);
        expect_code(&out, 0);
        json(&out)["source"].as_str().unwrap().to_owned()
    };
    let own = s.profile.to_str().unwrap();
    assert_eq!(which(&[], &[]), "builtin");
    let user = s.path("home/.config/tamga/profile.ron");
    std::fs::create_dir_all(user.parent().unwrap()).unwrap();
    std::fs::copy(&s.profile, &user).unwrap();
    assert_eq!(which(&[], &[]), "user");
    let xdg = s.path("xdg");
    assert_eq!(
        which(&[("XDG_CONFIG_HOME", xdg.to_str().unwrap())], &[]),
        "builtin"
    );
    assert_eq!(which(&[("TAMGA_PROFILE", own)], &[]), "environment");
    assert_eq!(
        which(&[("TAMGA_PROFILE", own)], &["--profile", own]),
        "option"
    );
    let out = s.tamga_bare(
        &["pin", "status", "--json"],
        &[("TAMGA_PROFILE", "/nonexistent.ron")],
    );
    expect_error(&out, 2, "profile.not_found");
}
