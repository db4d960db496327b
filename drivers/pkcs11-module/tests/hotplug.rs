//! Tokens plugged in and pulled while one application keeps the module loaded, as a browser
//! does for hours. The virtual KAZTOKEN is pulled by a file `<state>.unplugged` beside its state
//! (what `tamga serve`'s hot-plug tests use). Through cryptoki, as an application calls: slot
//! IDs, CKF_TOKEN_PRESENT, the errors of a pulled token's sessions, C_WaitForSlotEvent with and
//! without CKF_DONT_BLOCK, C_Finalize ending a wait; and through the fallback driver: a token
//! pulled mid-use, put back, logged in to and signing again, with a new `Pkcs11Token` and with
//! the one kept open; another token in its place not used.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::session::{assert_closed_by_removal, fresh_login, rv};
use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::RvError;
use cryptoki::session::UserType;
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use tamga_gost::{Curve, SigEncoding};
use tamga_pkcs11::{PinPolicy, Pkcs11Config, Pkcs11Token, TokenSelector};
use tamga_token::{
    Attempt, GostAlgorithm, KeyRef, KeySpec, Pin, PinStatus, Role, Token, TokenError,
};

/// The module reads its environment at C_Initialize: one test at a time sets it.
static ENV: Mutex<()> = Mutex::new(());

/// Longer than the module waits before a session call lists the drivers again.
const RECHECK: Duration = Duration::from_millis(400);

/// A profile with two virtual KAZTOKENs, `a.state` and `b.state`.
fn two_tokens(dir: &Path) -> PathBuf {
    let p = dir.join("profile.ron");
    let token = |name: &str, serial: u32| {
        format!(
            r#"VirtualKaztoken(state: Relative("{name}.state"), user_retries: 3, admin_retries: 3,
                label: "KAZTOKEN {name}", serial: {serial})"#
        )
    };
    std::fs::write(
        &p,
        format!(
            r#"(name: "pkcs11-hotplug-test", drivers: [{}, {}])"#,
            token("a", 1001),
            token("b", 1002)
        ),
    )
    .unwrap();
    p
}

fn pull(dir: &Path, state: &str) {
    std::fs::write(dir.join(format!("{state}.unplugged")), "").unwrap();
}

fn put_back(dir: &Path, state: &str) {
    std::fs::remove_file(dir.join(format!("{state}.unplugged"))).unwrap();
}

fn initialize(profile: &Path, module: &Path) -> Pkcs11 {
    let _guard = ENV.lock().unwrap_or_else(|p| p.into_inner());
    std::env::set_var("TAMGA_PROFILE", profile);
    std::env::remove_var("TAMGA_PKCS11_FAULT");
    let ctx = Pkcs11::new(module).unwrap();
    ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
        .unwrap();
    ctx
}

fn ids(slots: Vec<Slot>) -> Vec<u64> {
    slots.iter().map(Slot::id).collect()
}

#[test]
fn slots_stay_tokens_come_and_go() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // `a` is out when the application starts: `b` is the one slot.
    pull(d, "a.state");
    let ctx = initialize(&two_tokens(d), &common::module_copy(d));
    assert_eq!(ids(ctx.get_all_slots().unwrap()), [0]);
    assert_eq!(ids(ctx.get_slots_with_token().unwrap()), [0]);
    let b = ctx.get_slots_with_token().unwrap()[0];
    let info = ctx.get_slot_info(b).unwrap();
    assert!(info.token_present() && info.removable_device());
    assert_eq!(ctx.get_token_info(b).unwrap().serial_number(), "1002");
    // What is there at C_Initialize is no event.
    assert_eq!(ctx.get_slot_event().unwrap(), None);

    // A session, logged in.
    let session = fresh_login(&ctx, b);

    // `a` comes: a new slot, after `b`'s; `b`'s ID stays.
    put_back(d, "a.state");
    let a = ctx.get_slot_event().unwrap().expect("a's insertion");
    assert_eq!(a.id(), 1);
    assert_eq!(ctx.get_slot_event().unwrap(), None);
    assert_eq!(ids(ctx.get_all_slots().unwrap()), [0, 1]);
    assert_eq!(ids(ctx.get_slots_with_token().unwrap()), [0, 1]);
    assert_eq!(ctx.get_token_info(a).unwrap().serial_number(), "1001");

    // `b` goes: its slot stays, empty; its session is closed.
    pull(d, "b.state");
    assert_eq!(ids(ctx.get_slots_with_token().unwrap()), [1]);
    assert_eq!(ids(ctx.get_all_slots().unwrap()), [0, 1]);
    let info = ctx.get_slot_info(b).unwrap();
    assert!(!info.token_present() && info.removable_device());
    assert_eq!(rv(ctx.get_token_info(b)), RvError::TokenNotPresent);
    assert_eq!(rv(ctx.open_ro_session(b)), RvError::TokenNotPresent);
    assert_eq!(rv(ctx.get_mechanism_list(b)), RvError::TokenNotPresent);
    assert_closed_by_removal(&session);
    assert_eq!(ctx.get_slot_event().unwrap(), Some(b));
    assert_eq!(ctx.get_slot_event().unwrap(), None);
    // `a` is untouched.
    let on_a = ctx.open_rw_session(a).unwrap();
    on_a.login(UserType::User, Some(&AuthPin::from("12345678")))
        .unwrap();

    // A blocking wait sees `b` come back.
    let waiting = {
        let ctx = ctx.clone();
        std::thread::spawn(move || ctx.wait_for_slot_event())
    };
    std::thread::sleep(Duration::from_millis(300));
    put_back(d, "b.state");
    assert_eq!(waiting.join().unwrap().unwrap(), b);

    // Back in the same slot, nobody logged in: a new session logs in.
    assert_eq!(ids(ctx.get_slots_with_token().unwrap()), [0, 1]);
    assert_eq!(ctx.get_token_info(b).unwrap().serial_number(), "1002");
    let again = fresh_login(&ctx, b);

    // A session call notices a pull without C_GetSlotList.
    pull(d, "a.state");
    std::thread::sleep(RECHECK);
    assert_eq!(rv(on_a.get_session_info()), RvError::DeviceRemoved);
    drop(on_a);
    assert_eq!(ctx.get_slot_event().unwrap(), Some(a));
    assert!(again.get_session_info().is_ok());

    // C_Finalize ends a blocking wait.
    drop((session, again));
    let waiting = {
        let ctx = ctx.clone();
        std::thread::spawn(move || ctx.wait_for_slot_event())
    };
    std::thread::sleep(Duration::from_millis(300));
    let finalized = Instant::now();
    ctx.finalize().unwrap();
    assert_eq!(rv(waiting.join().unwrap()), RvError::CryptokiNotInitialized);
    assert!(finalized.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_pulled_token_signs_again_once_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let open = || {
        let _guard = ENV.lock().unwrap_or_else(|p| p.into_inner());
        std::env::set_var("TAMGA_PROFILE", common::profile(d));
        std::env::remove_var("TAMGA_PKCS11_FAULT");
        let mut config = Pkcs11Config::new(d.join("libtamga_pkcs11_module.so"));
        config.pin = PinPolicy { tries: 3 };
        Pkcs11Token::open(config, None)
    };
    common::module_copy(d);
    let user = Pin::from("12345678");
    let k = KeyRef::new(1).unwrap();
    let mut t = open().unwrap();
    t.login(Role::User, &user, Attempt::SpareLast).unwrap();
    let pk = t
        .generate_key(
            k,
            KeySpec::new(GostAlgorithm::Gost2012_256, Curve::Tc26_256A).unwrap(),
        )
        .unwrap();
    t.sign_digest(k, &[1; 32]).unwrap();

    // Pulled mid-use: the open token says so; no new one opens.
    pull(d, "token.state");
    std::thread::sleep(RECHECK);
    assert_eq!(
        t.sign_digest(k, &[2; 32]).unwrap_err(),
        TokenError::TokenRemoved
    );
    assert!(t.sign_digest(k, &[2; 32]).is_err());
    assert_eq!(open().err(), Some(TokenError::NoToken));

    // Back: the same slot, logged out; login and signing work.
    put_back(d, "token.state");
    let mut t2 = open().unwrap();
    assert_eq!(t2.slot(), t.slot());
    drop(t);
    assert_eq!(
        t2.pin_counters().unwrap().user,
        PinStatus::NotVerified { remaining: 3 }
    );
    t2.login(Role::User, &user, Attempt::SpareLast).unwrap();
    assert_eq!(t2.public_key(k).unwrap().unwrap().to_bytes(), pk.to_bytes());
    let sig = t2.sign_digest(k, &[3; 32]).unwrap();
    pk.verify_digest(&[3; 32], &sig, SigEncoding::Rfc9215)
        .unwrap();
}

/// The fallback driver over `module`, on the token labelled `label` of `profile`.
fn fallback(profile: &Path, module: &Path, label: &str) -> Result<Pkcs11Token, TokenError> {
    let _guard = ENV.lock().unwrap_or_else(|p| p.into_inner());
    std::env::set_var("TAMGA_PROFILE", profile);
    std::env::remove_var("TAMGA_PKCS11_FAULT");
    let mut config = Pkcs11Config::new(module);
    config.pin = PinPolicy { tries: 3 };
    config.token = TokenSelector::Label(label.to_owned());
    Pkcs11Token::open(config, None)
}

fn gost256() -> KeySpec {
    KeySpec::new(GostAlgorithm::Gost2012_256, Curve::Tc26_256A).unwrap()
}

fn logged_out(t: &mut Pkcs11Token, k: KeyRef) {
    assert_eq!(
        t.pin_counters().unwrap().user,
        PinStatus::NotVerified { remaining: 3 }
    );
    // No PIN was replayed: the private key stays out of reach.
    let e = t.sign_digest(k, &[9; 32]).unwrap_err();
    assert!(
        matches!(e, TokenError::NotLoggedIn | TokenError::KeyNotFound(_)),
        "{e:?}"
    );
}

#[test]
fn one_open_token_comes_back_logged_out() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let module = common::module_copy(d);
    let mut t = fallback(&two_tokens(d), &module, "KAZTOKEN a").unwrap();
    let slot = t.slot();
    let user = Pin::from("12345678");
    let k = KeyRef::new(1).unwrap();
    t.login(Role::User, &user, Attempt::SpareLast).unwrap();
    let pk = t.generate_key(k, gost256()).unwrap();
    let sig = t.sign_digest(k, &[1; 32]).unwrap();
    pk.verify_digest(&[1; 32], &sig, SigEncoding::Rfc9215)
        .unwrap();

    // Pulled: the first call says so; the next ones, that no token is there.
    pull(d, "a.state");
    std::thread::sleep(RECHECK);
    assert_eq!(
        t.sign_digest(k, &[2; 32]).unwrap_err(),
        TokenError::TokenRemoved
    );
    assert_eq!(t.sign_digest(k, &[2; 32]).unwrap_err(), TokenError::NoToken);
    assert_eq!(t.pin_counters().unwrap_err(), TokenError::NoToken);
    assert_eq!(t.info().unwrap_err(), TokenError::NoToken);
    assert_eq!(
        t.login(Role::User, &user, Attempt::SpareLast).unwrap_err(),
        TokenError::NoToken
    );

    // Back: the same `Pkcs11Token` reaches it again in its slot, logged out.
    put_back(d, "a.state");
    logged_out(&mut t, k);
    assert_eq!(t.slot(), slot);
    assert_eq!(t.info().unwrap().serial, "1001");
    t.login(Role::User, &user, Attempt::SpareLast).unwrap();
    assert_eq!(t.public_key(k).unwrap().unwrap().to_bytes(), pk.to_bytes());
    let sig = t.sign_digest(k, &[3; 32]).unwrap();
    pk.verify_digest(&[3; 32], &sig, SigEncoding::Rfc9215)
        .unwrap();

    // Pulled and put back between two calls: the call still hears of it.
    pull(d, "a.state");
    std::thread::sleep(RECHECK);
    assert!(t.info().is_err());
    put_back(d, "a.state");
    logged_out(&mut t, k);
    t.login(Role::User, &user, Attempt::SpareLast).unwrap();
    let sig = t.sign_digest(k, &[4; 32]).unwrap();
    pk.verify_digest(&[4; 32], &sig, SigEncoding::Rfc9215)
        .unwrap();
}

#[test]
fn another_token_in_its_place_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let module = common::module_copy(d);
    let profile = two_tokens(d);
    let user = Pin::from("12345678");
    let k = KeyRef::new(1).unwrap();
    let mut t = fallback(&profile, &module, "KAZTOKEN a").unwrap();
    t.login(Role::User, &user, Attempt::SpareLast).unwrap();
    let pk = t.generate_key(k, gost256()).unwrap();
    let (slot_a, a_card) = (t.slot(), std::fs::read(d.join("a.state")).unwrap());
    // `b` has a key in the same slot number.
    let slot_b = {
        let mut b = fallback(&profile, &module, "KAZTOKEN b").unwrap();
        b.login(Role::User, &user, Attempt::SpareLast).unwrap();
        b.generate_key(k, gost256()).unwrap();
        b.logout().unwrap();
        b.slot()
    };
    assert_ne!(slot_a, slot_b);

    // `a` is pulled and `b`'s card goes in its place (`b`'s state where `a`'s was).
    pull(d, "a.state");
    std::thread::sleep(RECHECK);
    assert_eq!(
        t.sign_digest(k, &[1; 32]).unwrap_err(),
        TokenError::TokenRemoved
    );
    std::fs::copy(d.join("b.state"), d.join("a.state")).unwrap();
    put_back(d, "a.state");
    // The slot has a token, not the one opened: it is not used, not even to log in.
    assert_eq!(t.info().unwrap_err(), TokenError::NoToken);
    assert_eq!(
        t.login(Role::User, &user, Attempt::SpareLast).unwrap_err(),
        TokenError::NoToken
    );
    assert_eq!(t.sign_digest(k, &[1; 32]).unwrap_err(), TokenError::NoToken);
    assert_eq!(t.slot(), slot_a);

    // `a`'s card turns up in `b`'s slot (its state where `b`'s was, `a`'s slot empty): it is
    // found there by its label and serial, logged out.
    pull(d, "a.state");
    pull(d, "b.state");
    // (A call lists the slots: the module sees `b` go before its card changes.)
    assert_eq!(t.info().unwrap_err(), TokenError::NoToken);
    std::fs::write(d.join("b.state"), &a_card).unwrap();
    put_back(d, "b.state");
    logged_out(&mut t, k);
    assert_eq!(t.slot(), slot_b);
    let info = t.info().unwrap();
    assert_eq!(
        (info.label.as_str(), info.serial.as_str()),
        ("KAZTOKEN a", "1001")
    );
    t.login(Role::User, &user, Attempt::SpareLast).unwrap();
    let sig = t.sign_digest(k, &[2; 32]).unwrap();
    pk.verify_digest(&[2; 32], &sig, SigEncoding::Rfc9215)
        .unwrap();
}
