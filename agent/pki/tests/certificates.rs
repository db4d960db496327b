//! Certificates from third-party fixtures: every one parses and verifies against its issuer's key
//! in the layout its maker uses; a flipped bit in the TBS or the signature fails; the other
//! layout fails.

mod common;

use common::*;
use tamga_pki::{Certificate, HashAlg, KeyUsages, OidFamily, PkiError, SigEncoding};

/// (certificate, issuer certificate) pairs made by OpenSSL and the RFC 9215 authors.
const RFC9215_SIGNED: &[(&str, &str)] = &[
    ("pki-gost/ca_cert.der", "pki-gost/ca_cert.der"),
    ("pki-gost/ee256_cert.der", "pki-gost/ca_cert.der"),
    ("pki-gost/ee256a_cert.der", "pki-gost/ca_cert.der"),
    ("pki-gost/ee512_cert.der", "pki-gost/ca_cert.der"),
    ("pki-gost/revoked_cert.der", "pki-gost/ca_cert.der"),
    ("pki-gost/ss512_cert.der", "pki-gost/ss512_cert.der"),
    ("pki-gost/ee256_cert.pem", "pki-gost/ca_cert.pem"),
    ("rfc9215/t2001_cert.der", "rfc9215/t2001_cert.der"),
    ("rfc9215/tc26a256_cert.der", "rfc9215/tc26a256_cert.der"),
    ("rfc9215/t512_cert.der", "rfc9215/t512_cert.der"),
    (
        "rfc9215-vectors/d1-gost2001-testparamset-256.crt.pem",
        "rfc9215-vectors/d1-gost2001-testparamset-256.crt.pem",
    ),
    (
        "rfc9215-vectors/d2-tc26-256-paramSetA.crt.pem",
        "rfc9215-vectors/d2-tc26-256-paramSetA.crt.pem",
    ),
    (
        "rfc9215-vectors/d3-tc26-512-paramSetTest.crt.pem",
        "rfc9215-vectors/d3-tc26-512-paramSetTest.crt.pem",
    ),
    (
        "openssl-gost/tc26-256-A.crt.der",
        "openssl-gost/tc26-256-A.crt.der",
    ),
    (
        "openssl-gost/tc26-256-B.crt.der",
        "openssl-gost/tc26-256-B.crt.der",
    ),
    (
        "openssl-gost/cryptopro-256-A.crt.der",
        "openssl-gost/cryptopro-256-A.crt.der",
    ),
    (
        "openssl-gost/tc26-512-A.crt.der",
        "openssl-gost/tc26-512-A.crt.der",
    ),
    (
        "openssl-gost/tc26-512-C.crt.der",
        "openssl-gost/tc26-512-C.crt.der",
    ),
];

fn cert(rel: &str) -> Certificate {
    Certificate::parse(&data(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Offset of the last byte of the TBS inside the DER (the TBS is the first element).
fn last_tbs_byte(c: &Certificate) -> usize {
    let der = c.to_der();
    let pos = der
        .windows(c.tbs_der().len())
        .position(|w| w == c.tbs_der())
        .unwrap();
    pos + c.tbs_der().len() - 1
}

fn assert_rejected(der: &[u8], issuer: &Certificate, what: &str) {
    let key = issuer.public_key().unwrap().key;
    match Certificate::from_der(der) {
        Ok(c) => assert_eq!(
            c.verify_signature(&key, SigEncoding::Auto),
            Err(PkiError::BadSignature),
            "{what}"
        ),
        Err(PkiError::Corrupt(_)) => {}
        Err(e) => panic!("{what}: {e}"),
    }
}

#[test]
fn rfc9215_layout_certificates_verify_and_tampering_fails() {
    for &(c, i) in RFC9215_SIGNED {
        let subject = cert(c);
        let issuer = cert(i);
        let key = issuer.public_key().unwrap().key;
        assert_eq!(
            subject.verify_signature(&key, SigEncoding::Rfc9215),
            Ok(SigEncoding::Rfc9215),
            "{c}"
        );
        assert_eq!(
            subject.verify_issued_by(&issuer, SigEncoding::Auto),
            Ok(SigEncoding::Rfc9215),
            "{c}"
        );
        assert_eq!(
            subject.verify_signature(&key, SigEncoding::Kz),
            Err(PkiError::BadSignature),
            "{c}: the Kazakh layout must fail"
        );
        // The subject's own key parses and is not the issuer's (except self-signed).
        subject.public_key().unwrap();
        let der = subject.to_der();
        assert_rejected(
            &flipped(der, der.len() - 1),
            &issuer,
            &format!("{c}: signature"),
        );
        assert_rejected(
            &flipped(der, last_tbs_byte(&subject)),
            &issuer,
            &format!("{c}: TBS"),
        );
    }
}

#[test]
fn a_wrong_key_fails() {
    let ee = cert("pki-gost/ee256_cert.der");
    let other = cert("openssl-gost/tc26-256-B.crt.der")
        .public_key()
        .unwrap()
        .key;
    assert_eq!(
        ee.verify_signature(&other, SigEncoding::Auto),
        Err(PkiError::BadSignature)
    );
    let wrong_issuer = cert("openssl-gost/tc26-256-B.crt.der");
    assert_eq!(
        ee.verify_issued_by(&wrong_issuer, SigEncoding::Auto),
        Err(PkiError::SignerNotFound)
    );
    // A 512-bit key cannot check a Streebog-256 signature.
    let k512 = cert("pki-gost/ee512_cert.der").public_key().unwrap().key;
    assert!(ee.verify_signature(&k512, SigEncoding::Auto).is_err());
}

#[test]
fn key_parameters_and_hashes() {
    let cases = [
        (
            "pki-gost/ee256_cert.der",
            "tc26-256-a",
            HashAlg::Streebog256,
        ),
        (
            "pki-gost/ee256a_cert.der",
            "cryptopro-a",
            HashAlg::Streebog256,
        ),
        (
            "pki-gost/ee512_cert.der",
            "tc26-512-a",
            HashAlg::Streebog512,
        ),
        (
            "openssl-gost/tc26-512-C.crt.der",
            "tc26-512-c",
            HashAlg::Streebog512,
        ),
        ("rfc9215/t2001_cert.der", "test-2001", HashAlg::Streebog256),
        ("rfc9215/t512_cert.der", "test-512", HashAlg::Streebog512),
        (
            "kz-nca/gokalkan_gost1.cer",
            "tc26-512-a",
            HashAlg::Streebog512,
        ),
    ];
    for (c, curve, hash) in cases {
        let pk = cert(c).public_key().unwrap();
        assert_eq!(pk.key.curve().name(), curve, "{c}");
        assert_eq!(pk.hash, hash, "{c}");
    }
}

#[test]
fn subjects_read_as_text() {
    assert_eq!(
        cert("pki-gost/ee256_cert.der").subject(),
        "CN=EE GOST 2012-256 TCA, O=Fixture, C=KZ"
    );
    assert_eq!(
        cert("pki-gost/ee256_cert.der").issuer(),
        "CN=GOST 2012-256 Test Root CA, O=Fixture Test CA, C=KZ"
    );
    let kalkan = cert("kz-nca/gokalkan_gost1.cer");
    assert!(
        kalkan.subject().contains("CN=ТЕСТОВ ТЕСТ"),
        "{}",
        kalkan.subject()
    );
    assert!(
        kalkan.subject().contains("IIN123456789011"),
        "{}",
        kalkan.subject()
    );
    let nca = cert("kz-nca/ncanode_nca_gost2015_test.cer");
    assert!(
        nca.subject().contains("ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ"),
        "{}",
        nca.subject()
    );
}

#[test]
fn kalkan_certificate_verifies_in_the_kazakh_layout_only() {
    let user = cert("kz-nca/gokalkan_gost1.cer");
    let der_copy = cert("kz-nca/gokalkan_gost1.cer.der");
    assert_eq!(user, der_copy);
    let ca = cert("kz-nca/ncanode_nca_gost2015_test.cer");
    assert_eq!(ca.public_key().unwrap().algorithm.family, OidFamily::Kz);
    assert_eq!(user.issuer_name(), ca.subject_name());
    let key = ca.public_key().unwrap().key;
    assert_eq!(
        user.verify_signature(&key, SigEncoding::Kz),
        Ok(SigEncoding::Kz)
    );
    assert_eq!(
        user.verify_issued_by(&ca, SigEncoding::Auto),
        Ok(SigEncoding::Kz)
    );
    assert_eq!(
        user.verify_signature(&key, SigEncoding::Rfc9215),
        Err(PkiError::BadSignature)
    );
    // The NCA test CA is issued by a root that is not among the fixtures.
    assert!(!ca.is_self_issued());
    let der = user.to_der();
    assert_rejected(&flipped(der, der.len() - 1), &ca, "kalkan signature");
    assert_rejected(&flipped(der, last_tbs_byte(&user)), &ca, "kalkan TBS");
}

#[test]
fn extensions_for_workflows() {
    let ca = cert("pki-gost/ca_cert.der");
    assert!(ca.is_ca());
    let ee = cert("pki-gost/ee256_cert.der");
    assert!(!ee.is_ca());
    let kalkan = cert("kz-nca/gokalkan_gost1.cer");
    kalkan
        .require_key_usage(KeyUsages::DigitalSignature)
        .unwrap();
    assert!(kalkan.subject_key_id().is_some());
    assert!(kalkan.authority_key_id().is_some());
    let ossl = cert("openssl-gost/tc26-256-A.crt.der");
    ossl.require_key_usage(KeyUsages::KeyCertSign).unwrap();
    assert_eq!(
        ossl.require_key_usage(KeyUsages::KeyEncipherment),
        Err(PkiError::KeyUsage("keyEncipherment"))
    );
    assert!(!ossl.has_eku(&tamga_pki::oid::EKU_CLIENT_AUTH));
    println!("kalkan EKU: {:?}", kalkan.extended_key_usage().unwrap());
}

#[test]
fn validity_is_checked_at_the_given_time() {
    let ee = cert("pki-gost/ee256_cert.der");
    assert!(ee.is_valid_at(fixture_time()));
    assert!(!ee.is_valid_at(at("2020-01-01")));
    assert!(!ee.is_valid_at(fixture_time() + days(3 * 365)));
    assert!(matches!(
        ee.check_validity(at("2040-01-01")),
        Err(PkiError::NotValidAt { .. })
    ));
}

#[test]
fn garbage_is_an_error() {
    for bad in [
        &b""[..],
        b"hello",
        b"\x30\x03\x02\x01",
        b"-----BEGIN CERTIFICATE-----\nAAAA\n",
    ] {
        assert!(Certificate::parse(bad).is_err());
    }
    let der = data("pki-gost/ee256_cert.der");
    for cut in [1, 10, der.len() / 2, der.len() - 1] {
        assert!(Certificate::from_der(&der[..cut]).is_err());
    }
}

/// The Kalkan-made vectors (published by ncalayer-rs): a self-signed certificate given as TBS
/// bytes and a signature value, wrapped here into a Certificate with the Kazakh signature OID.
#[test]
fn kalkan_vector_certificate_verifies_in_the_kazakh_layout_only() {
    let text = String::from_utf8(data("kalkan/test_gost512.vectors")).unwrap();
    let field = |name: &str| {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{name}=")))
            .unwrap_or_else(|| panic!("{name}"));
        hex::decode(&line[name.len() + 1..]).unwrap()
    };
    let spki = tamga_pki::GostPublicKey::from_spki_der(&field("spki")).unwrap();
    assert_eq!(spki.algorithm.family, OidFamily::Kz);
    assert_eq!(spki.key.x_be(), field("qx"));
    assert_eq!(spki.key.y_be(), field("qy"));
    // Certificate ::= SEQUENCE { tbs, AlgorithmIdentifier { KZ sign-512, NULL }, BIT STRING }
    let tlv = |tag: u8, body: &[u8]| {
        let mut out = vec![tag];
        match body.len() {
            n @ 0..=0x7f => out.push(n as u8),
            n @ 0x80..=0xff => out.extend([0x81, n as u8]),
            n => out.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        out.extend_from_slice(body);
        out
    };
    let oid = der::asn1::ObjectIdentifier::new_unwrap("1.2.398.3.10.1.1.2.3.2");
    let mut alg = tlv(0x06, oid.as_bytes());
    alg.extend([0x05, 0x00]);
    let mut sig = vec![0u8];
    sig.extend(field("cert_sig"));
    let mut body = field("cert_tbs");
    body.extend(tlv(0x30, &alg));
    body.extend(tlv(0x03, &sig));
    let cert = Certificate::from_der(&tlv(0x30, &body)).unwrap();
    assert_eq!(cert.public_key().unwrap().key, spki.key);
    assert_eq!(
        cert.verify_signature(&spki.key, SigEncoding::Auto),
        Ok(SigEncoding::Kz)
    );
    assert_eq!(
        cert.verify_signature(&spki.key, SigEncoding::Rfc9215),
        Err(PkiError::BadSignature)
    );
    println!("{}", cert.subject());
}
