//! tamga-pki's X.509 parsers on arbitrary bytes: certificates, CRLs, PKCS#10 requests and
//! SubjectPublicKeyInfo (PEM or DER). Every input must give a value or an error, never a panic;
//! what parses is then displayed, its extensions read, and its signature checked against a fixed
//! key and its own (which must simply answer), GOST or EC P-256 (ECDSA) alike.
//!
//! Input: `[which, bytes…]`; `which % 4` picks the parser, `which / 4 % 2` the fixed key's size.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use libfuzzer_sys::fuzz_target;
use tamga_gost::{Curve, SigEncoding};
use tamga_pki::{
    verify_chain, Certificate, CertificationRequest, ChainOptions, Crl, GostPublicKey, KeyUsages,
    SubjectKey,
};

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let [which, bytes @ ..] = data else {
        return;
    };
    let curve = if which / 4 % 2 == 0 {
        Curve::Tc26_256A
    } else {
        Curve::Tc26_512A
    };
    let key = common::fixed_public(curve);
    let time = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    match which % 4 {
        0 => {
            if let Ok(cert) = Certificate::parse(bytes) {
                let _ = (
                    cert.subject(),
                    cert.issuer(),
                    cert.serial(),
                    cert.is_valid_at(time),
                );
                let _ = (cert.is_ca(), cert.key_usage(), cert.extended_key_usage());
                let _ = cert.require_key_usage(KeyUsages::DigitalSignature);
                let _ = (cert.subject_key_id(), cert.authority_key_id());
                let _ = cert.verify_signature(key, SigEncoding::Auto);
                let _ = cert.verify_issued_by(&cert, SigEncoding::Auto);
                let opts = ChainOptions {
                    time,
                    encoding: SigEncoding::Auto,
                };
                let _ = verify_chain(&cert, &[cert.clone()], &[cert.clone()], &opts);
                if let Ok(pk) = cert.public_key() {
                    assert_eq!(pk.key.curve().bits(), pk.algorithm.bits);
                }
                if let Ok(k) = cert.subject_key() {
                    let _ = cert.verify_signature_with(&k, SigEncoding::Auto);
                    if let SubjectKey::EcP256(ec) = &k {
                        assert_eq!(ec.to_sec1().len(), 65);
                    }
                }
                // What parsed re-parses to the same certificate.
                assert_eq!(
                    Certificate::from_der(cert.to_der()).ok().as_ref(),
                    Some(&cert)
                );
            }
        }
        1 => {
            if let Ok(crl) = Crl::parse(bytes) {
                let _ = (crl.issuer(), crl.is_current_at(time), crl.next_update());
                let _ = crl.verify_signature(key, SigEncoding::Auto);
                let _ = crl.status_of_serial(&[0x10, 0x04]);
            }
        }
        2 => {
            if let Ok(csr) = CertificationRequest::parse(bytes) {
                let _ = (csr.subject(), csr.extensions(), csr.public_key());
                let _ = csr.subject_key();
                let _ = csr.verify(SigEncoding::Auto);
            }
        }
        _ => {
            let _ = GostPublicKey::parse(bytes);
            let _ = SubjectKey::from_spki_der(bytes);
        }
    }
});
