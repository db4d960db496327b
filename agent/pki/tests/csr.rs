//! PKCS#10: the fixtures' requests verify (tampered ones fail); tamga-made requests in both
//! profiles verify in their own layout only and carry what was asked.

mod common;

use common::*;
use tamga_pki::extensions::{extended_key_usage, key_usage};
use tamga_pki::name::parse_name;
use tamga_pki::{oid, CertificationRequest, KeyUsages, OidFamily, PkiError, Profile, SigEncoding};

#[test]
fn fixture_requests_verify() {
    let files = [
        "pki-gost/ee256.csr.der",
        "pki-gost/ee256a.csr.der",
        "pki-gost/ee512.csr.der",
        "pki-gost/revoked.csr.der",
        "pki-gost/ee256.csr",
        "rfc9215/t2001_csr.der",
        "rfc9215/tc26a256_csr.der",
        "rfc9215/t512_csr.der",
        "rfc9215-vectors/d1-gost2001-testparamset-256.csr.pem",
        "rfc9215-vectors/d2-tc26-256-paramSetA.csr.pem",
        "rfc9215-vectors/d3-tc26-512-paramSetTest.csr.pem",
    ];
    for f in files {
        let csr = CertificationRequest::parse(&data(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_eq!(
            csr.verify(SigEncoding::Auto),
            Ok(SigEncoding::Rfc9215),
            "{f}"
        );
        assert_eq!(
            csr.verify(SigEncoding::Kz),
            Err(PkiError::BadSignature),
            "{f}"
        );
        let der = csr.to_der();
        let bad = CertificationRequest::from_der(&flipped(der, der.len() - 1)).unwrap();
        assert_eq!(
            bad.verify(SigEncoding::Auto),
            Err(PkiError::BadSignature),
            "{f}"
        );
        // A bit of the subject name: still parses, no longer verifies.
        let tbs_pos = 4 + 3 + 2 + 5;
        match CertificationRequest::from_der(&flipped(der, tbs_pos + 10)) {
            Ok(bad) => assert!(bad.verify(SigEncoding::Auto).is_err(), "{f}"),
            Err(e) => assert!(matches!(e, PkiError::Corrupt(_)), "{f}"),
        }
    }
}

#[test]
fn built_requests_verify_in_their_profile() {
    let keys = [
        "openssl-gost/tc26-256-A.key.der",
        "openssl-gost/cryptopro-256-A.key.der",
        "openssl-gost/tc26-512-A.key.der",
    ];
    let subject = parse_name("CN=Тестов Тест Тестович,O=ҚАЗАҚСТАН банкі,C=KZ").unwrap();
    let exts = [
        key_usage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation).unwrap(),
        extended_key_usage(&[oid::EKU_CLIENT_AUTH]).unwrap(),
    ];
    for k in keys {
        let signer = signer(k);
        for profile in [Profile::TC26, Profile::KZ] {
            let csr = CertificationRequest::build(&subject, &exts, &signer, &profile)
                .unwrap_or_else(|e| panic!("{k} {profile:?}: {e}"));
            let back = CertificationRequest::parse(csr.to_pem().as_bytes()).unwrap();
            assert_eq!(back, csr);
            assert_eq!(back.verify(SigEncoding::Auto), Ok(profile.encoding), "{k}");
            let other = match profile.encoding {
                SigEncoding::Kz => SigEncoding::Rfc9215,
                _ => SigEncoding::Kz,
            };
            assert_eq!(back.verify(other), Err(PkiError::BadSignature));
            assert_eq!(
                back.subject(),
                "CN=Тестов Тест Тестович, O=ҚАЗАҚСТАН банкі, C=KZ"
            );
            let pk = back.public_key().unwrap();
            assert_eq!(&pk.key, signer.gost_public_key());
            assert_eq!(pk.algorithm.family, profile.family);
            assert_eq!(back.extensions().unwrap(), exts.to_vec());
        }
    }
}

#[test]
fn no_extensions_means_no_extension_request() {
    let signer = signer("openssl-gost/tc26-256-A.key.der");
    let subject = parse_name("CN=x").unwrap();
    let csr = CertificationRequest::build(&subject, &[], &signer, &Profile::TC26).unwrap();
    assert!(csr.info().attributes.is_empty());
    assert!(csr.extensions().unwrap().is_empty());
    csr.verify(SigEncoding::Rfc9215).unwrap();
    // Mixed profile: Russian OIDs, Kazakh layout.
    let mixed = Profile::new(OidFamily::Tc26, SigEncoding::Kz).unwrap();
    let csr = CertificationRequest::build(&subject, &[], &signer, &mixed).unwrap();
    assert_eq!(csr.verify(SigEncoding::Auto), Ok(SigEncoding::Kz));
}

#[test]
fn curves_without_a_kazakh_oid_are_refused_in_the_kazakh_profile() {
    let signer = signer("openssl-gost/tc26-512-C.key.der");
    let subject = parse_name("CN=x").unwrap();
    assert!(matches!(
        CertificationRequest::build(&subject, &[], &signer, &Profile::KZ),
        Err(PkiError::Unsupported(_))
    ));
}
