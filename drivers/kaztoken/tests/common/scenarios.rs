//! Token-level scenarios, run unchanged over every stack the tests build (the virtual card
//! directly, and through the CCID driver at each exchange level).

use tamga_gost::{hash::streebog, Curve, SigEncoding};
use tamga_token::{
    Attempt, FormatRequest, GostAlgorithm, JournalCheck, JournalHeader, JournalState, KeyRef,
    KeySpec, ObjectId, Pin, PinStatus, ProfileState, Role, Token, TokenError,
};

pub fn user() -> Pin {
    Pin::from("12345678")
}

pub fn admin() -> Pin {
    Pin::from("87654321")
}

fn key(n: u8) -> KeyRef {
    KeyRef::new(n).unwrap()
}

fn digest_for(curve: Curve, msg: &[u8]) -> Vec<u8> {
    if curve.digest_len() == 64 {
        streebog::streebog512(msg).to_vec()
    } else {
        streebog::streebog256(msg).to_vec()
    }
}

/// A fresh token: info, counters, the default PINs.
pub fn fresh_token(t: &mut impl Token) {
    let info = t.info().unwrap();
    assert_eq!(info.model, "KAZTOKEN");
    assert_eq!(info.state, ProfileState::Empty);
    assert!(!info.serial.is_empty());
    let c = t.pin_counters().unwrap();
    assert_eq!(c.user, PinStatus::NotVerified { remaining: 10 });
    assert_eq!(c.admin, PinStatus::NotVerified { remaining: 10 });
    t.login(Role::User, &user(), Attempt::SpareLast).unwrap();
    assert_eq!(t.pin_counters().unwrap().user, PinStatus::Verified);
    t.logout().unwrap();
    assert_eq!(
        t.pin_counters().unwrap().user,
        PinStatus::NotVerified { remaining: 10 }
    );
}

/// Keys of every family: generate, read back, sign, and check the signature from outside in the
/// RFC 9215 layout (and that the reversed layout does not pass, so the order is really pinned).
pub fn keys_and_signatures(t: &mut impl Token) {
    // Signing needs a login.
    let spec = KeySpec::new(GostAlgorithm::Gost2012_256, Curve::Tc26_256A).unwrap();
    assert_eq!(
        t.generate_key(key(1), spec).unwrap_err(),
        TokenError::NotLoggedIn
    );
    t.login(Role::User, &user(), Attempt::SpareLast).unwrap();
    let specs = [
        (GostAlgorithm::Gost2001, Curve::CryptoProA),
        (GostAlgorithm::Gost2012_256, Curve::Tc26_256A),
        (GostAlgorithm::Gost2012_256, Curve::Tc26_256B),
        (GostAlgorithm::Gost2012_512, Curve::Tc26_512A),
        (GostAlgorithm::Gost2012_512, Curve::Tc26_512C),
    ];
    for (i, (alg, curve)) in specs.into_iter().enumerate() {
        let slot = key(i as u8 + 1);
        let spec = KeySpec::new(alg, curve).unwrap();
        let public = t.generate_key(slot, spec).unwrap();
        assert_eq!(t.public_key(slot).unwrap().as_ref(), Some(&public));
        for msg in [&b"payment order 1"[..], b"", &[0xA5; 300]] {
            let digest = digest_for(curve, msg);
            let sig = t.sign_digest(slot, &digest).unwrap();
            assert_eq!(sig.len(), 2 * curve.scalar_len());
            public
                .verify_digest(&digest, &sig, SigEncoding::Rfc9215)
                .unwrap();
            assert!(public
                .verify_digest(&digest, &sig, SigEncoding::Kz)
                .is_err());
        }
        // A digest of the wrong size is refused before it reaches the card.
        assert!(t.sign_digest(slot, &[1; 48]).is_err());
    }
    assert_eq!(t.public_key(key(9)).unwrap(), None);
    assert_eq!(
        t.sign_digest(key(9), &[1; 32]).unwrap_err(),
        TokenError::KeyNotFound(key(9))
    );
    assert_eq!(t.info().unwrap().state, ProfileState::Enrolled);
    t.logout().unwrap();
    let digest = digest_for(Curve::Tc26_256A, b"x");
    assert_eq!(
        t.sign_digest(key(2), &digest).unwrap_err(),
        TokenError::NotLoggedIn
    );
}

/// Data objects: large ones (many APDUs), replace, list, delete.
pub fn objects(t: &mut impl Token) {
    let cert = ObjectId::new(0x0101).unwrap();
    let other = ObjectId::new(0x0102).unwrap();
    assert_eq!(
        t.read_object(cert).unwrap_err(),
        TokenError::ObjectNotFound(cert)
    );
    let big: Vec<u8> = (0..1500u32).map(|i| (i * 7 + 3) as u8).collect();
    assert_eq!(
        t.write_object(cert, &big).unwrap_err(),
        TokenError::NotLoggedIn
    );
    t.login(Role::User, &user(), Attempt::SpareLast).unwrap();
    t.write_object(cert, &big).unwrap();
    assert_eq!(t.read_object(cert).unwrap(), big);
    t.write_object(cert, b"short").unwrap();
    assert_eq!(t.read_object(cert).unwrap(), b"short");
    t.write_object(cert, &[]).unwrap();
    assert_eq!(t.read_object(cert).unwrap(), b"");
    t.write_object(other, &big[..300]).unwrap();
    assert_eq!(t.list_objects().unwrap(), vec![cert, other]);
    t.delete_object(cert).unwrap();
    assert_eq!(t.list_objects().unwrap(), vec![other]);
    assert_eq!(
        t.delete_object(cert).unwrap_err(),
        TokenError::ObjectNotFound(cert)
    );
    // Objects are public to read, even without a login.
    t.logout().unwrap();
    assert_eq!(t.read_object(other).unwrap(), &big[..300]);
}

/// PIN change, lockout with the last-try guard, unblock by the admin.
pub fn pins(t: &mut impl Token) {
    let new = Pin::from("Qwerty12");
    t.change_pin(Role::User, &user(), &new, Attempt::SpareLast)
        .unwrap();
    t.logout().unwrap();
    assert!(matches!(
        t.login(Role::User, &user(), Attempt::SpareLast),
        Err(TokenError::WrongPin {
            role: Role::User,
            remaining: 9
        })
    ));
    t.login(Role::User, &new, Attempt::SpareLast).unwrap();
    t.logout().unwrap();
    // A new PIN outside the card's rules is refused and the old one stays.
    assert_eq!(
        t.change_pin(Role::User, &new, &Pin::from("123"), Attempt::SpareLast)
            .unwrap_err(),
        TokenError::PinRejected
    );
    t.logout().unwrap();
    t.login(Role::User, &new, Attempt::SpareLast).unwrap();
    t.logout().unwrap();

    let wrong = Pin::from("00000000");
    for left in (1..=9).rev() {
        let e = t.login(Role::User, &wrong, Attempt::SpareLast).unwrap_err();
        assert_eq!(
            e,
            TokenError::WrongPin {
                role: Role::User,
                remaining: left
            }
        );
    }
    // One try left: not spent unless the caller says so, even with the right PIN.
    assert_eq!(
        t.login(Role::User, &new, Attempt::SpareLast).unwrap_err(),
        TokenError::LastAttempt(Role::User)
    );
    assert_eq!(
        t.pin_counters().unwrap().user,
        PinStatus::NotVerified { remaining: 1 }
    );
    assert_eq!(
        t.login(Role::User, &wrong, Attempt::MaySpendLast)
            .unwrap_err(),
        TokenError::PinBlocked(Role::User)
    );
    assert_eq!(t.pin_counters().unwrap().user, PinStatus::Blocked);
    assert_eq!(
        t.login(Role::User, &new, Attempt::MaySpendLast)
            .unwrap_err(),
        TokenError::PinBlocked(Role::User)
    );
    // The wrong admin PIN costs an admin try; the right one unblocks.
    assert!(matches!(
        t.unblock_user_pin(&wrong, &user(), Attempt::SpareLast),
        Err(TokenError::WrongPin {
            role: Role::Admin,
            remaining: 9
        })
    ));
    t.unblock_user_pin(&admin(), &user(), Attempt::SpareLast)
        .unwrap();
    let c = t.pin_counters().unwrap();
    assert_eq!(c.user, PinStatus::NotVerified { remaining: 10 });
    // The unblock ends the admin session; the admin counter is full again.
    assert_eq!(c.admin, PinStatus::NotVerified { remaining: 10 });
    t.login(Role::User, &user(), Attempt::SpareLast).unwrap();
    t.logout().unwrap();
}

/// An unfinished enrollment protects the token from formatting; the admin can override.
pub fn journal_and_format(t: &mut impl Token) {
    t.login(Role::User, &user(), Attempt::SpareLast).unwrap();
    let spec = KeySpec::new(GostAlgorithm::Gost2012_512, Curve::Tc26_512A).unwrap();
    t.generate_key(key(1), spec).unwrap();
    let mut journal = JournalHeader {
        state: JournalState::InProgress,
    }
    .encode()
    .to_vec();
    journal.extend_from_slice(b"step 3 of 7");
    t.write_object(ObjectId::JOURNAL, &journal).unwrap();
    assert_eq!(t.info().unwrap().state, ProfileState::EnrollmentInProgress);
    let req = FormatRequest::factory("Bank token");
    assert_eq!(
        t.format(&admin(), &req, JournalCheck::Respect, Attempt::SpareLast)
            .unwrap_err(),
        TokenError::EnrollmentInProgress
    );
    // The refusal came before the admin PIN was presented: no admin try was spent.
    assert_eq!(
        t.pin_counters().unwrap().admin,
        PinStatus::NotVerified { remaining: 10 }
    );
    // Finished enrollment: formatting is allowed again.
    let done = JournalHeader {
        state: JournalState::Complete,
    }
    .encode();
    t.write_object(ObjectId::JOURNAL, &done).unwrap();
    assert_eq!(t.info().unwrap().state, ProfileState::Enrolled);
    t.write_object(ObjectId::JOURNAL, &journal).unwrap();
    t.format(
        &admin(),
        &req,
        JournalCheck::AdminOverride,
        Attempt::SpareLast,
    )
    .unwrap();
    let info = t.info().unwrap();
    assert_eq!(
        (info.label.as_str(), info.state),
        ("Bank token", ProfileState::Empty)
    );
    assert_eq!(t.public_key(key(1)).unwrap(), None);
    assert_eq!(t.list_objects().unwrap(), vec![]);
    // Formatting logged everyone out and set the factory PINs.
    assert_eq!(
        t.pin_counters().unwrap().user,
        PinStatus::NotVerified { remaining: 10 }
    );
    t.login(Role::User, &user(), Attempt::SpareLast).unwrap();
    t.logout().unwrap();
}
