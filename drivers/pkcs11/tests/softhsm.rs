//! The fallback driver against SoftHSM2, a PKCS#11 module nobody here wrote: token info, login,
//! EC P-256 and RSA keys, signatures checked with the `p256` crate, data objects and
//! certificates, PIN change, SO unblock (C_InitPIN), format. SoftHSM2 has no GOST and never locks
//! a PIN; the module tests (drivers/pkcs11-module) show those over tamga's own module.

mod common;

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::ecdsa::{Signature, VerifyingKey};
use sha2::{Digest, Sha256};
use tamga_gost::Curve;
use tamga_pkcs11::{Pkcs11Config, Pkcs11Token, TokenSelector};
use tamga_token::{
    Attempt, FormatRequest, GostAlgorithm, JournalCheck, JournalHeader, JournalState, KeyPairSpec,
    KeyRef, KeySpec, ObjectId, Pin, PinStatus, ProfileState, Role, Token, TokenError,
    TokenPublicKey,
};

const USER: &str = "12345678";
const SO: &str = "87654321";

fn verify_ec(key: &TokenPublicKey, digest: &[u8], sig: &[u8]) {
    let TokenPublicKey::EcP256(point) = key else {
        panic!("not an EC key: {key:?}")
    };
    let vk = VerifyingKey::from_sec1_bytes(point.as_sec1()).unwrap();
    let sig = Signature::from_slice(sig).unwrap();
    vk.verify_prehash(digest, &sig)
        .expect("ECDSA signature verifies with p256");
}

#[test]
fn softhsm_end_to_end() {
    let Some(module) = common::softhsm() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    common::init_token(dir.path(), "tamga-softhsm", SO, USER);
    let mut config = Pkcs11Config::new(module);
    config.token = TokenSelector::Label("tamga-softhsm".into());

    // Slots and token info.
    let tokens = tamga_pkcs11::list(&config).unwrap();
    assert_eq!(tokens.len(), 1, "{tokens:?}");
    assert_eq!(tokens[0].label, "tamga-softhsm");
    let mut t = Pkcs11Token::open(config.clone(), None).unwrap();
    let info = t.info().unwrap();
    assert_eq!(info.label, "tamga-softhsm");
    assert!(info.model.contains("SoftHSM"), "{info:?}");
    assert_eq!(info.state, ProfileState::Empty);
    let c = t.pin_counters().unwrap();
    assert_eq!(c.user, PinStatus::NotVerified { remaining: 10 });
    assert_eq!(c.admin, PinStatus::NotVerified { remaining: 10 });

    // Login: a wrong PIN is counted (SoftHSM2 sets only COUNT_LOW), the right one verifies.
    let wrong = t.login(Role::User, &Pin::from("00000000"), Attempt::SpareLast);
    assert_eq!(
        wrong.unwrap_err(),
        TokenError::WrongPin {
            role: Role::User,
            remaining: 9
        }
    );
    assert_eq!(
        t.pin_counters().unwrap().user,
        PinStatus::NotVerified { remaining: 9 }
    );
    t.login(Role::User, &Pin::from(USER), Attempt::SpareLast)
        .unwrap();
    assert_eq!(t.pin_counters().unwrap().user, PinStatus::Verified);

    // EC P-256: generate, sign a SHA-256 digest, verify with p256.
    let k1 = KeyRef::new(1).unwrap();
    let public = t.generate_key_pair(k1, KeyPairSpec::EcP256).unwrap();
    assert_eq!(t.key_pair_public(k1).unwrap().as_ref(), Some(&public));
    assert_eq!(
        t.public_key(k1).unwrap_err(),
        TokenError::UnsupportedAlgorithm
    );
    let digest = Sha256::digest(b"payment order 1");
    let sig = t.sign_digest(k1, &digest).unwrap();
    assert_eq!(sig.len(), 64);
    verify_ec(&public, &digest, &sig);
    assert!(matches!(
        t.sign_digest(k1, &digest[..31]),
        Err(TokenError::InvalidArgument(_))
    ));
    assert_eq!(
        t.sign_digest(KeyRef::new(9).unwrap(), &digest).unwrap_err(),
        TokenError::KeyNotFound(KeyRef::new(9).unwrap())
    );
    // Replacing the pair in a slot.
    let again = t.generate_key_pair(k1, KeyPairSpec::EcP256).unwrap();
    assert_ne!(again, public);
    verify_ec(&again, &digest, &t.sign_digest(k1, &digest).unwrap());

    // RSA: PKCS#1 v1.5 over the SHA-256 DigestInfo.
    let k2 = KeyRef::new(2).unwrap();
    let rsa = t
        .generate_key_pair(k2, KeyPairSpec::Rsa { bits: 2048 })
        .unwrap();
    let TokenPublicKey::Rsa { modulus, exponent } = &rsa else {
        panic!("{rsa:?}")
    };
    assert_eq!(
        (modulus.len(), exponent.as_slice()),
        (256, &[1u8, 0, 1][..])
    );
    assert_eq!(t.sign_digest(k2, &digest).unwrap().len(), 256);

    // GOST: SoftHSM2 (Debian) has none; the driver says so plainly.
    let gost = KeySpec::new(GostAlgorithm::Gost2012_256, Curve::Tc26_256A).unwrap();
    assert_eq!(
        t.generate_key(KeyRef::new(3).unwrap(), gost).unwrap_err(),
        TokenError::UnsupportedAlgorithm
    );

    // Data objects: the journal, a replacement, a certificate, deletion.
    let journal = JournalHeader {
        state: JournalState::InProgress,
    }
    .encode();
    t.write_object(ObjectId::JOURNAL, &journal).unwrap();
    assert_eq!(t.info().unwrap().state, ProfileState::EnrollmentInProgress);
    let done = JournalHeader {
        state: JournalState::Complete,
    }
    .encode();
    t.write_object(ObjectId::JOURNAL, &done).unwrap();
    assert_eq!(t.read_object(ObjectId::JOURNAL).unwrap(), done);
    let cert_id = ObjectId::new(0x0101).unwrap();
    let cert = include_bytes!("../../../agent/gost/tests/data/openssl-gost/tc26-256-A.crt.der");
    t.write_object(cert_id, cert).unwrap();
    assert_eq!(t.read_object(cert_id).unwrap(), cert);
    assert_eq!(t.list_objects().unwrap(), vec![cert_id, ObjectId::JOURNAL]);
    t.delete_object(cert_id).unwrap();
    assert_eq!(
        t.read_object(cert_id).unwrap_err(),
        TokenError::ObjectNotFound(cert_id)
    );
    assert_eq!(
        t.delete_object(cert_id).unwrap_err(),
        TokenError::ObjectNotFound(cert_id)
    );
    assert_eq!(t.info().unwrap().state, ProfileState::Enrolled);

    // PIN change (C_SetPIN): the old PIN stops working, the new one works.
    t.change_pin(
        Role::User,
        &Pin::from(USER),
        &Pin::from("11112222"),
        Attempt::SpareLast,
    )
    .unwrap();
    assert!(matches!(
        t.login(Role::User, &Pin::from(USER), Attempt::SpareLast),
        Err(TokenError::WrongPin { .. })
    ));
    t.login(Role::User, &Pin::from("11112222"), Attempt::SpareLast)
        .unwrap();
    // A wrong old PIN is a wrong PIN, not a change.
    assert!(matches!(
        t.change_pin(
            Role::User,
            &Pin::from("99999999"),
            &Pin::from("55556666"),
            Attempt::SpareLast
        ),
        Err(TokenError::WrongPin {
            role: Role::User,
            ..
        })
    ));

    // SO unblock (C_InitPIN) sets a new user PIN; the key is found again by CKA_ID after the
    // re-login that invalidated SoftHSM2's handles.
    t.unblock_user_pin(&Pin::from(SO), &Pin::from("33334444"), Attempt::SpareLast)
        .unwrap();
    t.login(Role::User, &Pin::from("33334444"), Attempt::SpareLast)
        .unwrap();
    verify_ec(&again, &digest, &t.sign_digest(k1, &digest).unwrap());
    assert!(matches!(
        t.unblock_user_pin(
            &Pin::from("00000000"),
            &Pin::from("55556666"),
            Attempt::SpareLast
        ),
        Err(TokenError::WrongPin {
            role: Role::Admin,
            ..
        })
    ));

    // Admin PIN change, there and back.
    t.change_pin(
        Role::Admin,
        &Pin::from(SO),
        &Pin::from("87650000"),
        Attempt::SpareLast,
    )
    .unwrap();
    t.change_pin(
        Role::Admin,
        &Pin::from("87650000"),
        &Pin::from(SO),
        Attempt::SpareLast,
    )
    .unwrap();

    // Format: refused while the journal says "in progress", then done (C_InitToken, C_InitPIN,
    // C_SetPIN as SO).
    t.write_object(ObjectId::JOURNAL, &journal).unwrap();
    let request = FormatRequest::factory("tamga-fresh");
    assert_eq!(
        t.format(
            &Pin::from(SO),
            &request,
            JournalCheck::Respect,
            Attempt::SpareLast
        )
        .unwrap_err(),
        TokenError::EnrollmentInProgress
    );
    t.format(
        &Pin::from(SO),
        &request,
        JournalCheck::AdminOverride,
        Attempt::SpareLast,
    )
    .unwrap();
    let info = t.info().unwrap();
    assert_eq!(
        (info.label.as_str(), info.state),
        ("tamga-fresh", ProfileState::Empty)
    );
    t.login(Role::User, &Pin::from("12345678"), Attempt::SpareLast)
        .unwrap();
    assert_eq!(t.key_pair_public(k1).unwrap(), None);
    t.logout().unwrap();
    assert_ne!(t.pin_counters().unwrap().user, PinStatus::Verified);
}
