//! `tamga token` and `tamga pin` against the virtual KAZTOKEN through the CCID stack: every
//! command and every error, in text and `--json`, in Russian, English and Kazakh.

mod common;

use common::sandbox::{json, Sandbox};
use common::scenarios;

macro_rules! scenario_tests {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            scenarios::$name(&Sandbox::new());
        }
    )*};
}

scenario_tests!(
    token_list_and_info,
    change_user_pin,
    password_rules,
    wrong_pin_lockout_and_unblock,
    last_try_with_the_right_pin,
    admin_pin,
    secret_files,
    pinentry,
    languages,
    profiles,
);

#[test]
fn every_scenario_is_run_here() {
    assert_eq!(scenarios::ALL.len(), 10);
}

/// The same PIN change on each exchange level of the virtual reader.
#[test]
fn pin_change_on_every_reader_level() {
    for reader in ["Tpdu", "ExtendedApdu(74)"] {
        let s = Sandbox::with_reader(reader);
        let out = s.tamga(&["pin", "status", "--json"]);
        common::expect_code(&out, 0);
        assert_eq!(json(&out)["counters"]["user"]["remaining"], 3, "{reader}");
        scenarios::change_user_pin(&s);
    }
}

/// The no-echo prompt on a terminal (util-linux `script` gives tamga one): the PINs typed are not
/// echoed, and the change happens. Skipped where `script` is missing.
#[test]
fn terminal_prompt_reads_pins_without_echo() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("no script(1): skipped");
        return;
    }
    let s = Sandbox::new();
    let cmd = format!(
        "{} --profile {} --lang en pin change",
        env!("CARGO_BIN_EXE_tamga"),
        s.profile.display()
    );
    let typing = format!(
        "sleep 1; printf '{}\\r'; sleep 1; printf '{p}\\r'; sleep 1; printf '{p}\\r'; sleep 2",
        scenarios::USER_PIN,
        p = scenarios::NEW_USER_PIN
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("({typing}) | script -qec \"$TAMGA_CMD\" /dev/null"))
        .env("TAMGA_CMD", cmd)
        .env("PINENTRY", "")
        .env("HOME", s.path("home"))
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(screen.contains("User PIN: "), "{screen}");
    assert!(screen.contains("Repeat the new user PIN: "), "{screen}");
    assert!(screen.contains("User PIN changed."), "{screen}");
    for pin in [scenarios::USER_PIN, scenarios::NEW_USER_PIN] {
        assert!(!screen.contains(pin), "{pin} echoed: {screen}");
    }
    let new = s.secret("new", scenarios::OTHER_USER_PIN);
    let old = s.secret("old", scenarios::NEW_USER_PIN);
    let out = s.tamga(&["pin", "change", "--pin-file", &old, "--new-pin-file", &new]);
    common::expect_code(&out, 0);
}
