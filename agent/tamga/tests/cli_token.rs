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
