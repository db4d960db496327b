//! The fallback driver over tamga's own module: `Token` → tamga-pkcs11 → cryptoki →
//! libtamga_pkcs11_module.so → tamga-core's virtual driver → tamga-ccid → the virtual KAZTOKEN.
//! What SoftHSM2 cannot show: GOST keys, a PIN that locks, the last-try guard, the SO unblock of
//! a locked PIN. And modules that answer errors or garbage lengths: errors, no crash.

mod common;

use std::path::Path;
use std::sync::Mutex;

use tamga_gost::{Curve, SigEncoding};
use tamga_pkcs11::{PinPolicy, Pkcs11Config, Pkcs11Token};
use tamga_token::{
    Attempt, GostAlgorithm, JournalHeader, JournalState, KeyRef, KeySpec, ObjectId, Pin, PinStatus,
    ProfileState, Role, Token, TokenError,
};

/// The module reads its environment at C_Initialize: one test at a time sets it.
static ENV: Mutex<()> = Mutex::new(());

fn open(dir: &Path, fault: Option<&str>) -> Result<Pkcs11Token, TokenError> {
    let _guard = ENV.lock().unwrap_or_else(|p| p.into_inner());
    std::env::set_var("TAMGA_PROFILE", common::profile(dir));
    match fault {
        Some(f) => std::env::set_var("TAMGA_PKCS11_FAULT", f),
        None => std::env::remove_var("TAMGA_PKCS11_FAULT"),
    }
    let mut config = Pkcs11Config::new(common::module_copy(dir));
    config.pin = PinPolicy { tries: 3 };
    Pkcs11Token::open(config, None)
}

#[test]
fn gost_keys_objects_and_the_lockout() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = open(dir.path(), None).unwrap();
    let info = t.info().unwrap();
    assert_eq!(
        (info.label.as_str(), info.serial.as_str(), info.state),
        ("KAZTOKEN p11", "4242", ProfileState::Empty)
    );

    // GOST keys, generated on the token through two PKCS#11 layers.
    let user = Pin::from("12345678");
    assert_eq!(
        t.generate_key(
            KeyRef::new(1).unwrap(),
            KeySpec::new(GostAlgorithm::Gost2012_256, Curve::Tc26_256A).unwrap()
        )
        .unwrap_err(),
        TokenError::NotLoggedIn
    );
    t.login(Role::User, &user, Attempt::SpareLast).unwrap();
    assert_eq!(t.pin_counters().unwrap().user, PinStatus::Verified);
    for (n, algorithm, curve) in [
        (1, GostAlgorithm::Gost2012_256, Curve::Tc26_256A),
        (2, GostAlgorithm::Gost2012_512, Curve::Tc26_512A),
        (3, GostAlgorithm::Gost2012_256, Curve::CryptoProA),
    ] {
        let k = KeyRef::new(n).unwrap();
        let pk = t
            .generate_key(k, KeySpec::new(algorithm, curve).unwrap())
            .unwrap();
        // The module names the curve by its OID; PKCS#11 cannot carry it back through cryptoki,
        // so the driver finds it from the point: CryptoPro-A and TC26-256-B are one curve.
        assert!(pk.curve().same_curve(curve), "{:?}", pk.curve());
        assert_eq!(t.public_key(k).unwrap().unwrap().to_bytes(), pk.to_bytes());
        let digest = vec![0x5a; curve.digest_len()];
        let sig = t.sign_digest(k, &digest).unwrap();
        pk.verify_digest(&digest, &sig, SigEncoding::Rfc9215)
            .unwrap();
    }
    assert_eq!(t.public_key(KeyRef::new(4).unwrap()).unwrap(), None);
    assert_eq!(
        t.sign_digest(KeyRef::new(4).unwrap(), &[0; 32])
            .unwrap_err(),
        TokenError::KeyNotFound(KeyRef::new(4).unwrap())
    );

    // The enrollment journal and a certificate as token objects.
    let journal = JournalHeader {
        state: JournalState::InProgress,
    }
    .encode();
    t.write_object(ObjectId::JOURNAL, &journal).unwrap();
    assert_eq!(t.info().unwrap().state, ProfileState::EnrollmentInProgress);
    let cert = include_bytes!("../../../agent/gost/tests/data/openssl-gost/tc26-256-A.crt.der");
    let cert_id = ObjectId::new(0x0101).unwrap();
    t.write_object(cert_id, cert).unwrap();
    assert_eq!(t.read_object(cert_id).unwrap(), cert);
    assert_eq!(t.list_objects().unwrap(), vec![cert_id, ObjectId::JOURNAL]);
    let done = JournalHeader {
        state: JournalState::Complete,
    }
    .encode();
    t.write_object(ObjectId::JOURNAL, &done).unwrap();
    assert_eq!(t.info().unwrap().state, ProfileState::Enrolled);
    t.delete_object(cert_id).unwrap();
    assert_eq!(t.list_objects().unwrap(), vec![ObjectId::JOURNAL]);

    // The lockout: two wrong tries, then the last one is refused without consent; spent with
    // it, the PIN locks; the right PIN is refused; the SO unblocks; the keys are still there.
    t.logout().unwrap();
    let wrong = Pin::from("00000000");
    assert_eq!(
        t.login(Role::User, &wrong, Attempt::SpareLast).unwrap_err(),
        TokenError::WrongPin {
            role: Role::User,
            remaining: 2
        }
    );
    assert_eq!(
        t.login(Role::User, &wrong, Attempt::SpareLast).unwrap_err(),
        TokenError::WrongPin {
            role: Role::User,
            remaining: 1
        }
    );
    assert_eq!(
        t.pin_counters().unwrap().user,
        PinStatus::NotVerified { remaining: 1 }
    );
    assert_eq!(
        t.login(Role::User, &user, Attempt::SpareLast).unwrap_err(),
        TokenError::LastAttempt(Role::User)
    );
    assert_eq!(
        t.login(Role::User, &wrong, Attempt::MaySpendLast)
            .unwrap_err(),
        TokenError::PinBlocked(Role::User)
    );
    assert_eq!(t.pin_counters().unwrap().user, PinStatus::Blocked);
    assert_eq!(
        t.login(Role::User, &user, Attempt::MaySpendLast)
            .unwrap_err(),
        TokenError::PinBlocked(Role::User)
    );
    t.unblock_user_pin(
        &Pin::from("87654321"),
        &Pin::from("a1b2c3d4"),
        Attempt::SpareLast,
    )
    .unwrap();
    assert_eq!(
        t.pin_counters().unwrap().user,
        PinStatus::NotVerified { remaining: 3 }
    );
    t.login(Role::User, &Pin::from("a1b2c3d4"), Attempt::SpareLast)
        .unwrap();
    let pk = t.public_key(KeyRef::new(1).unwrap()).unwrap().unwrap();
    let sig = t.sign_digest(KeyRef::new(1).unwrap(), &[7; 32]).unwrap();
    pk.verify_digest(&[7; 32], &sig, SigEncoding::Rfc9215)
        .unwrap();

    // PIN changes, user and admin.
    t.change_pin(
        Role::User,
        &Pin::from("a1b2c3d4"),
        &Pin::from("e5f6g7h8"),
        Attempt::SpareLast,
    )
    .unwrap();
    t.login(Role::User, &Pin::from("e5f6g7h8"), Attempt::SpareLast)
        .unwrap();
    t.change_pin(
        Role::Admin,
        &Pin::from("87654321"),
        &Pin::from("z9y8x7w6"),
        Attempt::SpareLast,
    )
    .unwrap();
    assert_eq!(
        t.login(Role::Admin, &Pin::from("87654321"), Attempt::SpareLast)
            .unwrap_err(),
        TokenError::WrongPin {
            role: Role::Admin,
            remaining: 2
        }
    );
    t.login(Role::Admin, &Pin::from("z9y8x7w6"), Attempt::SpareLast)
        .unwrap();
}

#[test]
fn a_module_that_answers_errors() {
    let dir = tempfile::tempdir().unwrap();
    match open(dir.path(), Some("errors")) {
        Err(TokenError::Communication(m)) => assert!(m.contains("DeviceError"), "{m}"),
        other => panic!("{:?}", other.map(|_| ())),
    }
}

#[test]
fn a_module_that_answers_garbage_lengths() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = open(dir.path(), Some("garbage-lengths")).unwrap();
    t.login(Role::User, &Pin::from("12345678"), Attempt::SpareLast)
        .unwrap();
    let k = KeyRef::new(1).unwrap();
    // Attribute lengths are checked before cryptoki allocates them.
    assert!(matches!(
        t.generate_key(
            k,
            KeySpec::new(GostAlgorithm::Gost2012_256, Curve::Tc26_256A).unwrap()
        ),
        Err(TokenError::Protocol(_))
    ));
    t.write_object(ObjectId::new(0x0201).unwrap(), b"a data object long enough")
        .unwrap();
    assert!(matches!(
        t.read_object(ObjectId::new(0x0201).unwrap()),
        Err(TokenError::Protocol(_))
    ));
    // A signature length no buffer can have: cryptoki's panic becomes an error.
    assert!(matches!(
        t.sign_digest(k, &[1; 32]),
        Err(TokenError::Protocol(_))
    ));
}

/// Regression: generating into a slot that holds a pair (what a resumed enrollment does) failed
/// with "ActionProhibited to Function::DestroyObject": the driver deleted the old pair first, and
/// the KAZTOKEN behind the module has no key deletion. The module replaces the pair in place,
/// as the card does, and the driver now accepts that.
#[test]
fn a_slot_with_a_pair_is_regenerated() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = open(dir.path(), None).unwrap();
    t.login(Role::User, &Pin::from("12345678"), Attempt::SpareLast)
        .unwrap();
    let k = KeyRef::new(2).unwrap();
    let old = t
        .generate_key(
            k,
            KeySpec::new(GostAlgorithm::Gost2012_256, Curve::Tc26_256A).unwrap(),
        )
        .unwrap();
    let new = t
        .generate_key(
            k,
            KeySpec::new(GostAlgorithm::Gost2012_512, Curve::Tc26_512A).unwrap(),
        )
        .unwrap();
    assert_ne!(old.to_bytes(), new.to_bytes());
    assert_eq!(t.public_key(k).unwrap().unwrap().to_bytes(), new.to_bytes());
    let digest = [0x3c; 64];
    let sig = t.sign_digest(k, &digest).unwrap();
    new.verify_digest(&digest, &sig, SigEncoding::Rfc9215)
        .unwrap();
    assert_eq!(t.public_key(KeyRef::new(1).unwrap()).unwrap(), None);
}
