//! CMP round trips between tamga-pki's client side and the sandbox CA: both protections,
//! waiting and polling, retransmission, and every refusal with its CMP failInfo.

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use der::{Decode, Encode};
use tamga_pki::cmp::{asn1, CertReq, FailInfo};
use tamga_pki::{oid, verify_chain, ChainOptions, Crl, KeyUsages, SigEncoding};
use tamga_sandbox_bank::{CustomerOptions, FaultSpec};

fn chain(ca: &tamga_pki::Certificate) -> ChainOptions {
    let _ = ca;
    ChainOptions {
        time: SystemTime::now(),
        encoding: SigEncoding::Auto,
    }
}

#[test]
fn pbm_enrollment_issues_sign_and_auth() {
    let t = bank();
    let c = customer(&t.bank);
    let ca = t.bank.ca_certificate().clone();
    let (s, a) = (key(b"sign"), key(b"auth"));
    let mut send = |m: &[u8]| t.bank.handle_cmp(m).unwrap();
    let mut tx = transaction(&c.user_id, &ca, random(16));
    let certs = enroll(
        &mut send,
        &ca,
        &mut tx,
        requests(&c.user_id, &[&s, &a], 730),
        &Auth::Pbm(&c.otp_pin),
    )
    .unwrap();
    assert_eq!(certs.len(), 2);
    for cert in &certs {
        assert_eq!(cert.subject(), format!("CN={}", c.user_id));
        verify_chain(cert, &[], std::slice::from_ref(&ca), &chain(&ca)).unwrap();
        let days = cert
            .not_after()
            .duration_since(cert.not_before())
            .unwrap()
            .as_secs()
            / 86_400;
        assert!((729..=731).contains(&days), "term {days} days");
    }
    assert_eq!(certs[0].public_key().unwrap().key, *s.gost_public_key());
    assert_eq!(certs[1].public_key().unwrap().key, *a.gost_public_key());
    certs[0]
        .require_key_usage(KeyUsages::NonRepudiation)
        .unwrap();
    assert!(certs[1].has_eku(&oid::EKU_CLIENT_AUTH));
    let state = t.bank.state().unwrap();
    assert_eq!(state.issued[&c.user_id], 2);
    assert_eq!(state.transactions["confirmed"], 1);
}

#[test]
fn signature_protection_with_the_init_key() {
    let t = bank();
    let c = t
        .bank
        .add_customer(&CustomerOptions {
            curve: tamga_sandbox_bank::InitCurve::CryptoProA,
            ..Default::default()
        })
        .unwrap();
    let ca = t.bank.ca_certificate().clone();
    let (ik, ic) = init_key(&c);
    let mut send = |m: &[u8]| t.bank.handle_cmp(m).unwrap();
    let mut tx = transaction(&c.user_id, &ca, random(16));
    tx.sender_kid = None;
    let certs = enroll(
        &mut send,
        &ca,
        &mut tx,
        requests(&c.user_id, &[&key(b"s"), &key(b"a")], 365),
        &Auth::Sig(&ik, &ic),
    )
    .unwrap();
    assert_eq!(certs.len(), 2);
}

#[test]
fn waiting_then_polling() {
    let t = bank();
    let c = customer(&t.bank);
    let ca = t.bank.ca_certificate().clone();
    t.bank.set_faults(FaultSpec {
        cmp_waiting: 3,
        ..Default::default()
    });
    let mut seen = Vec::new();
    let mut send = |m: &[u8]| {
        seen.push(parse(m).body.name());
        t.bank.handle_cmp(m).unwrap()
    };
    let mut tx = transaction(&c.user_id, &ca, random(16));
    let certs = enroll(
        &mut send,
        &ca,
        &mut tx,
        requests(&c.user_id, &[&key(b"s"), &key(b"a")], 365),
        &Auth::Pbm(&c.otp_pin),
    )
    .unwrap();
    assert_eq!(certs.len(), 2);
    assert_eq!(seen, ["ir", "pollReq", "pollReq", "pollReq", "certConf"]);
}

#[test]
fn retransmission_answers_the_same_certificates() {
    let t = bank();
    let c = customer(&t.bank);
    let ca = t.bank.ca_certificate().clone();
    let tx_id = random(16);
    let (s, a) = (key(b"s"), key(b"a"));
    let salt = random(16);
    let auth = Auth::Pbm(&c.otp_pin);
    let mut first = Vec::new();
    // The same ir three times (a lost answer, a crash before certConf, after certConf).
    for round in 0..3 {
        let mut tx = transaction(&c.user_id, &ca, tx_id.clone());
        let ir = tx
            .ir(
                requests(&c.user_id, &[&s, &a], 365),
                random(16),
                SystemTime::now(),
                &auth.protect(&salt),
            )
            .unwrap();
        let ans = tx
            .accept(&t.bank.handle_cmp(&ir).unwrap(), &trust(&ca))
            .unwrap();
        let tamga_pki::cmp::Answer::Certificates(reps) = tamga_pki::cmp::Answer::of(&ans).unwrap()
        else {
            panic!()
        };
        let ders: Vec<Vec<u8>> = reps
            .iter()
            .map(|r| r.certificate.as_ref().unwrap().to_der().to_vec())
            .collect();
        if round == 0 {
            first = ders;
        } else {
            assert_eq!(ders, first, "round {round}");
        }
        if round == 1 {
            let mut send = |m: &[u8]| t.bank.handle_cmp(m).unwrap();
            let mut tx = transaction(&c.user_id, &ca, tx_id.clone());
            enroll(
                &mut send,
                &ca,
                &mut tx,
                requests(&c.user_id, &[&s, &a], 365),
                &auth,
            )
            .unwrap();
        }
    }
    assert_eq!(t.bank.state().unwrap().issued_total, 2);

    // The same transactionID with other keys is refused.
    let mut tx = transaction(&c.user_id, &ca, tx_id);
    let ir = tx
        .ir(
            requests(&c.user_id, &[&key(b"x"), &a], 365),
            random(16),
            SystemTime::now(),
            &auth.protect(&salt),
        )
        .unwrap();
    let e = tx
        .accept(&t.bank.handle_cmp(&ir).unwrap(), &trust(&ca))
        .unwrap_err();
    assert_eq!(e.fail, FailInfo::TransactionIdInUse);
    assert!(e.remote);
    assert_eq!(t.bank.state().unwrap().issued_total, 2);
}

fn refused(
    t: &TestBank,
    user_id: &str,
    reqs: Vec<CertReq>,
    auth: &Auth<'_>,
) -> tamga_pki::cmp::CmpError {
    let ca = t.bank.ca_certificate().clone();
    let mut tx = transaction(user_id, &ca, random(16));
    if matches!(auth, Auth::Sig(..)) {
        tx.sender_kid = None;
    }
    let salt = random(16);
    let ir = tx
        .ir(reqs, random(16), SystemTime::now(), &auth.protect(&salt))
        .unwrap();
    let e = tx
        .accept(&t.bank.handle_cmp(&ir).unwrap(), &trust(&ca))
        .unwrap_err();
    assert!(e.remote, "{e}");
    e
}

#[test]
fn refusals_say_why() {
    let t = bank();
    let c = customer(&t.bank);
    let other = customer(&t.bank);
    let (s, a) = (key(b"s"), key(b"a"));
    let reqs = || requests(&c.user_id, &[&s, &a], 365);

    // A wrong OTP PIN (e.g. O typed for 0).
    let e = refused(&t, &c.user_id, reqs(), &Auth::Pbm("WRONGPIN123"));
    assert_eq!(e.fail, FailInfo::BadMessageCheck);
    assert!(e.detail.contains("OTP PIN"), "{e}");

    // The init certificate with a key that is not its own.
    let (_, ic) = init_key(&c);
    let e = refused(
        &t,
        &c.user_id,
        reqs(),
        &Auth::Sig(&key(b"not the init key"), &ic),
    );
    assert_eq!(e.fail, FailInfo::BadMessageCheck);

    // Another user's init key and certificate, sent as this user.
    let (ok, oc) = init_key(&other);
    let e = refused(&t, &c.user_id, reqs(), &Auth::Sig(&ok, &oc));
    assert_eq!(e.fail, FailInfo::NotAuthorized, "{e}");

    // An init certificate from another CA with the same user ID.
    let t2 = bank();
    let twin = t2
        .bank
        .add_customer(&CustomerOptions {
            user_id: Some(c.user_id.clone()),
            ..Default::default()
        })
        .unwrap();
    let (tk, tc) = init_key(&twin);
    let e = refused(&t, &c.user_id, reqs(), &Auth::Sig(&tk, &tc));
    assert_eq!(e.fail, FailInfo::SignerNotTrusted, "{e}");

    // A proof of possession that does not verify.
    let mut bad = reqs();
    let mut msg = asn1::CertReqMsg::from_der(&bad[0].to_der().unwrap()).unwrap();
    let Some(asn1::ProofOfPossession::Signature(p)) = &mut msg.popo else {
        panic!()
    };
    let mut sig = p.signature.raw_bytes().to_vec();
    sig[3] ^= 0x40;
    p.signature = der::asn1::BitString::from_bytes(&sig).unwrap();
    bad[0] = CertReq::from_der(&msg.to_der().unwrap()).unwrap();
    let e = refused(&t, &c.user_id, bad, &Auth::Pbm(&c.otp_pin));
    assert_eq!(e.fail, FailInfo::BadPop);

    // A term the contract does not offer; a subject that is someone else.
    let e = refused(
        &t,
        &c.user_id,
        requests(&c.user_id, &[&s, &a], 500),
        &Auth::Pbm(&c.otp_pin),
    );
    assert_eq!(e.fail, FailInfo::BadCertTemplate);
    assert!(e.detail.contains("500 days"), "{e}");
    let e = refused(
        &t,
        &c.user_id,
        requests(&other.user_id, &[&s, &a], 365),
        &Auth::Pbm(&c.otp_pin),
    );
    assert_eq!(e.fail, FailInfo::BadCertTemplate);

    // Nothing was issued by any of these.
    assert_eq!(t.bank.state().unwrap().issued_total, 0);
}

#[test]
fn revoked_init_certificate_and_the_crl() {
    let t = bank();
    let c = customer(&t.bank);
    let (ik, ic) = init_key(&c);
    t.bank.revoke(&ic, 1).unwrap();
    let e = refused(
        &t,
        &c.user_id,
        requests(&c.user_id, &[&key(b"s")], 365),
        &Auth::Sig(&ik, &ic),
    );
    assert_eq!(e.fail, FailInfo::CertRevoked);
    let crl = Crl::from_der(&t.bank.crl().unwrap()).unwrap();
    let ca = t.bank.ca_certificate();
    assert!(matches!(
        crl.check(
            &ic,
            ca,
            SystemTime::now() + Duration::from_secs(1),
            SigEncoding::Auto
        )
        .unwrap(),
        tamga_pki::RevocationStatus::Revoked { .. }
    ));
}

#[test]
fn garbage_gets_an_error_or_nothing() {
    let t = bank();
    assert!(t.bank.handle_cmp(b"").is_none());
    assert!(t.bank.handle_cmp(&[0x30, 0x82, 0xff, 0xff]).is_none());
}
