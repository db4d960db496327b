use std::time::{Duration, SystemTime};

use tamga_gost::{Curve, SecretKey};

use super::*;
use crate::name::parse_name;
use crate::{Profile, SoftwareSigner};

fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
}

fn request(seed: &[u8], id: i64) -> CertReq {
    let signer = SoftwareSigner::new(SecretKey::from_seed(Curve::Tc26_256A, seed));
    let spec = CertReqSpec {
        cert_req_id: id,
        subject: parse_name("CN=qq111111_qwertyui").unwrap(),
        not_before: Some(t0()),
        not_after: Some(t0() + Duration::from_secs(365 * 86400)),
        extensions: Vec::new(),
    };
    CertReq::build(&spec, &signer, &Profile::TC26).unwrap()
}

fn pbm<'a>(secret: &'a [u8]) -> Protect<'a> {
    Protect::Pbm {
        secret,
        salt: b"0123456789abcdef",
        iterations: 500,
        mac: PbmMac::HmacSha256,
    }
}

#[test]
fn ir_with_pbm_round_trips_and_pop_verifies() {
    let mut tx = ClientTransaction::new(
        vec![1; 16],
        parse_name("CN=qq111111_qwertyui").unwrap(),
        parse_name("CN=Sandbox CA").unwrap(),
        Some(b"qq111111_qwertyui".to_vec()),
    );
    let der = tx
        .ir(
            vec![request(b"s", 0), request(b"a", 1)],
            vec![2; 16],
            t0(),
            &pbm(b"ABCDEFGHIJK"),
        )
        .unwrap();
    let msg = CmpMessage::parse(&der).unwrap();
    assert_eq!(msg.protection(), ProtectionKind::Pbm { iterations: 500 });
    msg.verify_pbm(b"ABCDEFGHIJK").unwrap();
    let wrong = msg.verify_pbm(b"ABCDEFGHIJ1").unwrap_err();
    assert_eq!(wrong.fail, FailInfo::BadMessageCheck);
    assert_eq!(msg.header.transaction_id, vec![1; 16]);
    assert_eq!(
        msg.header.sender_kid.as_deref(),
        Some(&b"qq111111_qwertyui"[..])
    );
    let Body::Ir(reqs) = &msg.body else { panic!() };
    assert_eq!(reqs.len(), 2);
    for (i, r) in reqs.iter().enumerate() {
        assert_eq!(r.cert_req_id(), i as i64);
        r.verify_gost_pop().unwrap();
        let (nb, na) = r.validity();
        assert_eq!(nb, Some(t0()));
        assert_eq!(na, Some(t0() + Duration::from_secs(365 * 86400)));
    }

    // The CA's answer: waiting, PBM-protected (as openssl's mock server does).
    let reply = Reply {
        request: &msg.header,
        sender: parse_name("CN=Sandbox CA").unwrap(),
        sender_nonce: vec![3; 16],
        time: t0(),
    };
    let ip = reply
        .ip(
            vec![CertResponse {
                cert_req_id: 0,
                status: StatusInfo::waiting(),
                certificate: None,
            }],
            &pbm(b"ABCDEFGHIJK"),
        )
        .unwrap();
    let trust = ResponseTrust {
        ca: None,
        pbm_secret: Some(b"ABCDEFGHIJK"),
    };
    let got = tx.accept(&ip, &trust).unwrap();
    assert_eq!(
        Answer::of(&got).unwrap(),
        Answer::Waiting { check_after: 0 }
    );
    // The next request echoes the CA's nonce.
    let poll = tx
        .poll_req(vec![0, 1], vec![4; 16], t0(), &pbm(b"ABCDEFGHIJK"))
        .unwrap();
    let poll = CmpMessage::parse(&poll).unwrap();
    assert_eq!(poll.header.recip_nonce, Some(vec![3; 16]));
    assert_eq!(poll.body, Body::PollReq(vec![0, 1]));
    // An answer to an older nonce is refused.
    assert_eq!(
        tx.accept(&ip, &trust).unwrap_err().fail,
        FailInfo::BadRecipientNonce
    );
}

#[test]
fn tampered_pop_is_bad_pop() {
    let r = request(b"s", 0);
    let mut msg = r.msg.clone();
    let Some(asn1::ProofOfPossession::Signature(p)) = &mut msg.popo else {
        panic!()
    };
    let mut sig = p.signature.raw_bytes().to_vec();
    sig[5] ^= 1;
    p.signature = der::asn1::BitString::from_bytes(&sig).unwrap();
    let bad = CertReq::from_asn1(msg).unwrap();
    assert_eq!(bad.verify_gost_pop().unwrap_err().fail, FailInfo::BadPop);
}

#[test]
fn error_messages_carry_fail_info() {
    let h = Header::new(
        parse_name("CN=a").unwrap(),
        parse_name("CN=b").unwrap(),
        vec![9; 16],
        vec![8; 16],
        t0(),
    );
    let reply = Reply {
        request: &h,
        sender: parse_name("CN=b").unwrap(),
        sender_nonce: vec![7; 16],
        time: t0(),
    };
    let err = CmpError::new(FailInfo::TransactionIdInUse, "transactionIdInUse");
    let der = reply.error(&err, &Protect::None).unwrap();
    let msg = CmpMessage::parse(&der).unwrap();
    let Body::Error(e) = &msg.body else { panic!() };
    let back = e.to_error();
    assert_eq!(back.fail, FailInfo::TransactionIdInUse);
    assert!(back.remote);
    assert_eq!(msg.header.recip_nonce, Some(vec![8; 16]));
    for bit in 0..27 {
        let f = FailInfo::from_bit(bit).unwrap();
        let bs = error::bits_to_bitstring(&[f]).unwrap();
        assert_eq!(error::bitstring_to_bits(&bs), vec![f]);
    }
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    for input in [
        &b""[..],
        b"\x30\x00",
        b"\x30\x80",
        &[0x30, 0x03, 0x02, 0x01, 0x02],
    ] {
        assert!(CmpMessage::parse(input).is_err());
        assert!(CmpMessage::peek_header(input).is_none());
    }
}
