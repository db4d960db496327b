//! A pulled token's sessions as an application sees them through cryptoki, checked the same way
//! by every hot-plug test.

use cryptoki::context::Pkcs11;
use cryptoki::error::{Error, RvError};
use cryptoki::session::{Session, SessionState, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;

/// The return value of a call that had to fail.
pub fn rv<T: std::fmt::Debug>(r: Result<T, Error>) -> RvError {
    match r {
        Err(Error::Pkcs11(rv, _)) => rv,
        other => panic!("{other:?}"),
    }
}

/// A session whose token was pulled: the first call learns why, later ones find it closed.
pub fn assert_closed_by_removal(session: &Session) {
    assert_eq!(rv(session.get_session_info()), RvError::DeviceRemoved);
    assert_eq!(
        rv(session.get_session_info()),
        RvError::SessionHandleInvalid
    );
}

/// A new read-only session on `slot`, public until the user PIN logs it in; the token carries
/// no login over from before (a token put back starts afresh).
pub fn fresh_login(ctx: &Pkcs11, slot: Slot) -> Session {
    let session = ctx.open_ro_session(slot).unwrap();
    assert_eq!(
        session.get_session_info().unwrap().session_state(),
        SessionState::RoPublic
    );
    session
        .login(UserType::User, Some(&AuthPin::from("12345678")))
        .unwrap();
    assert_eq!(
        session.get_session_info().unwrap().session_state(),
        SessionState::RoUser
    );
    session
}
