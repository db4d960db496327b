//! A token pulled in the middle of a call, as a real KAZTOKEN is: the USB transfers fail, not a
//! listing. The virtual reader's test hook (`TAMGA_VIRTUAL_UNPLUG_AFTER=N`, read by debug builds
//! whenever the token is opened) unplugs it after N transfers. A test binary of its own: the
//! variable is the whole process's.

mod common;

use common::session::{assert_closed_by_removal, fresh_login, rv};
use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::RvError;

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
    let session = fresh_login(&ctx, slot);

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
    assert_closed_by_removal(&session);
    assert_eq!(ctx.get_slot_event().unwrap(), Some(slot));

    // Still listed, so back at once in the same slot: afresh, nobody logged in.
    assert_eq!(ctx.get_slots_with_token().unwrap(), [slot]);
    fresh_login(&ctx, slot);
}
