//! A token pulled in the middle of a call, as a real KAZTOKEN is: the USB transfers fail, not a
//! listing. The virtual reader's test hook (`TAMGA_VIRTUAL_UNPLUG_AFTER=N`, read by debug builds
//! whenever the token is opened) unplugs it after N transfers. A test binary of its own: the
//! variable is the whole process's.

mod common;

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error, RvError};
use cryptoki::session::{SessionState, UserType};
use cryptoki::types::AuthPin;

fn rv<T: std::fmt::Debug>(r: Result<T, Error>) -> RvError {
    match r {
        Err(Error::Pkcs11(rv, _)) => rv,
        other => panic!("{other:?}"),
    }
}

#[test]
fn pulled_during_a_call() {
    if !cfg!(debug_assertions) {
        eprintln!("the unplug hook is in debug builds only: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::env::set_var("TAMGA_PROFILE", common::profile(d));
    std::env::set_var("TAMGA_VIRTUAL_UNPLUG_AFTER", "60");
    let ctx = Pkcs11::new(common::module_copy(d)).unwrap();
    ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
        .unwrap();
    let slot = ctx.get_slots_with_token().unwrap()[0];
    let session = ctx.open_ro_session(slot).unwrap();
    session
        .login(UserType::User, Some(&AuthPin::from("12345678")))
        .unwrap();

    // Token calls until the reader goes.
    let mut calls = 0;
    let failed = loop {
        calls += 1;
        assert!(calls < 200, "the reader never went");
        match ctx.get_token_info(slot) {
            Ok(_) => continue,
            Err(e) => break rv::<()>(Err(e)),
        }
    };
    assert_eq!(failed, RvError::DeviceRemoved);
    assert_eq!(rv(session.get_session_info()), RvError::DeviceRemoved);
    assert_eq!(
        rv(session.get_session_info()),
        RvError::SessionHandleInvalid
    );
    assert_eq!(ctx.get_slot_event().unwrap(), Some(slot));

    // Still listed, so back at once in the same slot: afresh, nobody logged in.
    assert_eq!(ctx.get_slots_with_token().unwrap(), [slot]);
    let again = ctx.open_ro_session(slot).unwrap();
    assert_eq!(
        again.get_session_info().unwrap().session_state(),
        SessionState::RoPublic
    );
    again
        .login(UserType::User, Some(&AuthPin::from("12345678")))
        .unwrap();
    assert_eq!(
        again.get_session_info().unwrap().session_state(),
        SessionState::RoUser
    );
}
