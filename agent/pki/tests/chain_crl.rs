//! Chains to trust anchors and revocation by CRL, on the OpenSSL-made pki-gost fixtures and the
//! RFC 9215 example CRLs.

mod common;

use common::*;
use tamga_pki::{
    verify_chain, Certificate, ChainOptions, Crl, PkiError, RevocationStatus, SigEncoding,
};

fn cert(rel: &str) -> Certificate {
    Certificate::parse(&data(rel)).unwrap()
}

fn opts(time: std::time::SystemTime) -> ChainOptions {
    ChainOptions {
        time,
        encoding: SigEncoding::Auto,
    }
}

#[test]
fn chain_to_the_anchor() {
    let ca = cert("pki-gost/ca_cert.der");
    for ee in ["ee256", "ee256a", "ee512", "revoked"] {
        let leaf = cert(&format!("pki-gost/{ee}_cert.der"));
        let path =
            verify_chain(&leaf, &[], std::slice::from_ref(&ca), &opts(fixture_time())).unwrap();
        assert_eq!(path.len(), 2);
        assert_eq!(path[1], ca);
    }
    // The anchor itself, and an intermediate that is offered but not needed.
    let path = verify_chain(&ca, &[], std::slice::from_ref(&ca), &opts(fixture_time())).unwrap();
    assert_eq!(path.len(), 1);
    let leaf = cert("pki-gost/ee256_cert.der");
    let unrelated = cert("openssl-gost/tc26-512-A.crt.der");
    let path = verify_chain(
        &leaf,
        &[unrelated],
        std::slice::from_ref(&ca),
        &opts(fixture_time()),
    )
    .unwrap();
    assert_eq!(path.len(), 2);
}

#[test]
fn chain_through_an_untrusted_intermediate() {
    // ca_cert as an intermediate below itself would loop; instead: the CA is offered as an
    // intermediate and the anchor is the same CA — the path ends at the anchor.
    let ca = cert("pki-gost/ca_cert.der");
    let leaf = cert("pki-gost/ee512_cert.der");
    let path = verify_chain(
        &leaf,
        std::slice::from_ref(&ca),
        std::slice::from_ref(&ca),
        &opts(fixture_time()),
    )
    .unwrap();
    assert_eq!(path.last().unwrap(), &ca);
    // Without the anchor, the intermediate alone does not make it trusted.
    assert!(matches!(
        verify_chain(&leaf, &[ca], &[], &opts(fixture_time())),
        Err(PkiError::Untrusted { .. })
    ));
}

#[test]
fn wrong_anchor_fails() {
    let leaf = cert("pki-gost/ee256_cert.der");
    let other = cert("openssl-gost/tc26-256-A.crt.der");
    let err = verify_chain(&leaf, &[], &[other], &opts(fixture_time())).unwrap_err();
    // No issuer among the anchors is "no chain of trust", not a missing signer.
    assert!(matches!(err, PkiError::Untrusted { .. }), "{err:?}");
}

#[test]
fn expired_or_not_yet_valid_fails() {
    let ca = cert("pki-gost/ca_cert.der");
    let leaf = cert("pki-gost/ee256_cert.der");
    // ee certs live 730 days, the CA 3650.
    for time in [at("2020-01-01"), fixture_time() + days(800)] {
        assert!(matches!(
            verify_chain(&leaf, &[], std::slice::from_ref(&ca), &opts(time)),
            Err(PkiError::NotValidAt { .. })
        ));
    }
    // The CA expires after the leaf would: check the anchor's own period is enforced too.
    let late = fixture_time() + days(3700);
    assert!(verify_chain(&ca, &[], std::slice::from_ref(&ca), &opts(late)).is_err());
}

#[test]
fn a_self_signed_certificate_is_its_own_anchor() {
    let ss = cert("pki-gost/ss512_cert.der");
    let path = verify_chain(&ss, &[], std::slice::from_ref(&ss), &opts(fixture_time())).unwrap();
    assert_eq!(path.len(), 1);
    let ca = cert("pki-gost/ca_cert.der");
    assert!(verify_chain(&ss, &[], &[ca], &opts(fixture_time())).is_err());
}

#[test]
fn eku_and_key_usage_of_the_end_entity() {
    let ee = cert("pki-gost/ee256_cert.der");
    assert!(ee.has_eku(&tamga_pki::oid::EKU_CLIENT_AUTH));
    assert!(ee.has_eku(&tamga_pki::oid::EKU_EMAIL_PROTECTION));
    assert!(!ee.has_eku(&tamga_pki::oid::EKU_SERVER_AUTH));
    ee.require_key_usage(tamga_pki::KeyUsages::DigitalSignature)
        .unwrap();
    assert!(ee
        .require_key_usage(tamga_pki::KeyUsages::KeyCertSign)
        .is_err());
}

#[test]
fn crl_reports_the_revoked_certificate() {
    let crl = Crl::parse(&data("pki-gost/ca.crl.pem")).unwrap();
    assert_eq!(crl, Crl::from_der(&data("pki-gost/ca.crl.der")).unwrap());
    let ca = cert("pki-gost/ca_cert.der");
    let revoked = cert("pki-gost/revoked_cert.der");
    let good = cert("pki-gost/ee256_cert.der");
    assert_eq!(
        crl.verify_issued_by(&ca, SigEncoding::Auto),
        Ok(SigEncoding::Rfc9215)
    );
    let time = crl.this_update() + days(1);
    match crl.check(&revoked, &ca, time, SigEncoding::Auto).unwrap() {
        RevocationStatus::Revoked { reason, .. } => assert_eq!(reason, Some("keyCompromise")),
        s => panic!("{s:?}"),
    }
    assert_eq!(
        crl.require_not_revoked(&revoked, &ca, time, SigEncoding::Auto),
        Err(PkiError::Revoked {
            reason: Some("keyCompromise".into())
        })
    );
    assert_eq!(
        crl.check(&good, &ca, time, SigEncoding::Auto),
        Ok(RevocationStatus::Good)
    );
    // Before thisUpdate or after nextUpdate the CRL does not count.
    let before = crl.this_update() - days(1);
    assert_eq!(
        crl.check(&good, &ca, before, SigEncoding::Auto),
        Err(PkiError::CrlOutdated)
    );
    if let Some(next) = crl.next_update() {
        assert_eq!(
            crl.check(&good, &ca, next + days(1), SigEncoding::Auto),
            Err(PkiError::CrlOutdated)
        );
    }
    // Signed by someone else: refused.
    let other = cert("openssl-gost/tc26-256-A.crt.der");
    assert!(crl.verify_issued_by(&other, SigEncoding::Auto).is_err());
    assert_eq!(
        crl.verify_signature(&other.public_key().unwrap().key, SigEncoding::Auto),
        Err(PkiError::BadSignature)
    );
    // Tampered.
    let der = crl.to_der();
    let tbs_end = der
        .windows(crl.tbs_der().len())
        .position(|w| w == crl.tbs_der())
        .unwrap()
        + crl.tbs_der().len();
    for i in [der.len() - 1, tbs_end - 1, tbs_end - 30] {
        let bad = Crl::from_der(&flipped(der, i)).unwrap();
        assert_eq!(
            bad.verify_issued_by(&ca, SigEncoding::Auto),
            Err(PkiError::BadSignature),
            "byte {i}"
        );
    }
}

#[test]
fn rfc9215_example_crls_verify() {
    for stem in ["t2001", "tc26a256", "t512"] {
        let crl = Crl::from_der(&data(&format!("rfc9215/{stem}_crl.der"))).unwrap();
        let issuer = cert(&format!("rfc9215/{stem}_cert.der"));
        let key = issuer.public_key().unwrap().key;
        assert_eq!(
            crl.verify_signature(&key, SigEncoding::Rfc9215),
            Ok(SigEncoding::Rfc9215),
            "{stem}"
        );
        assert_eq!(
            crl.verify_signature(&key, SigEncoding::Kz),
            Err(PkiError::BadSignature)
        );
        let der = crl.to_der();
        let bad = Crl::from_der(&flipped(der, der.len() - 1)).unwrap();
        assert_eq!(
            bad.verify_signature(&key, SigEncoding::Auto),
            Err(PkiError::BadSignature)
        );
    }
    for pem in [
        "rfc9215-vectors/d1-gost2001-testparamset-256",
        "rfc9215-vectors/d2-tc26-256-paramSetA",
        "rfc9215-vectors/d3-tc26-512-paramSetTest",
    ] {
        let crl = Crl::parse(&data(&format!("{pem}.crl.pem"))).unwrap();
        let issuer = cert(&format!("{pem}.crt.pem"));
        assert_eq!(
            crl.verify_signature(&issuer.public_key().unwrap().key, SigEncoding::Auto),
            Ok(SigEncoding::Rfc9215)
        );
    }
}
