//! CMS SignedData: OpenSSL-made files verify (changed content or signature fails), and
//! tamga-made ones verify in every combination, including a co-signature.

mod common;

use common::*;
use tamga_pki::cms::{
    add_signer, sign, verify, SignOptions, SignedAttributesOptions, TrustOptions, VerifyOptions,
};
use tamga_pki::{Certificate, HashAlg, PkiError, Profile, SigEncoding};

fn cert(rel: &str) -> Certificate {
    Certificate::parse(&data(rel)).unwrap()
}

fn opts(certs: &[Certificate]) -> VerifyOptions<'_> {
    VerifyOptions {
        certificates: certs,
        ..VerifyOptions::default()
    }
}

/// (p7s, content, extra certificate needed, digest)
const OPENSSL_MADE: &[(&str, &str, Option<&str>, HashAlg)] = &[
    (
        "pki-gost/document.ee256.attrs.p7s",
        "pki-gost/document.txt",
        None,
        HashAlg::Streebog256,
    ),
    (
        "pki-gost/document.ee256.noattr.p7s",
        "pki-gost/document.txt",
        None,
        HashAlg::Streebog256,
    ),
    (
        "pki-gost/document.ee512.attrs.p7s",
        "pki-gost/document.txt",
        None,
        HashAlg::Streebog512,
    ),
    (
        "pki-gost/document.ee512.noattr.nocerts.p7s",
        "pki-gost/document.txt",
        Some("pki-gost/ee512_cert.der"),
        HashAlg::Streebog512,
    ),
    (
        "openssl-gost/tc26-256-A.message.p7s",
        "openssl-gost/message.txt",
        None,
        HashAlg::Streebog256,
    ),
    (
        "openssl-gost/tc26-256-B.message.p7s",
        "openssl-gost/message.txt",
        None,
        HashAlg::Streebog256,
    ),
    (
        "openssl-gost/cryptopro-256-A.message.p7s",
        "openssl-gost/message.txt",
        None,
        HashAlg::Streebog256,
    ),
    (
        "openssl-gost/tc26-512-A.message.p7s",
        "openssl-gost/message.txt",
        None,
        HashAlg::Streebog512,
    ),
    (
        "openssl-gost/tc26-512-C.message.p7s",
        "openssl-gost/message.txt",
        None,
        HashAlg::Streebog512,
    ),
];

#[test]
fn openssl_made_cms_verifies_and_tampering_fails() {
    for &(p7s, content, extra, digest) in OPENSSL_MADE {
        let cms = data(p7s);
        let content = data(content);
        let extra: Vec<Certificate> = extra.into_iter().map(cert).collect();
        let v =
            verify(&cms, Some(&content), &opts(&extra)).unwrap_or_else(|e| panic!("{p7s}: {e}"));
        assert!(v.all_valid(), "{p7s}: {:?}", v.signers[0].result);
        assert_eq!(v.signers.len(), 1);
        assert_eq!(v.signers[0].result, Ok(SigEncoding::Rfc9215), "{p7s}");
        assert_eq!(v.signers[0].digest, Some(digest), "{p7s}");
        assert!(v.signers[0].subject.as_deref().unwrap().starts_with("CN="));
        let strict_kz = VerifyOptions {
            encoding: SigEncoding::Kz,
            ..opts(&extra)
        };
        assert_eq!(
            verify(&cms, Some(&content), &strict_kz).unwrap().signers[0].result,
            Err(PkiError::BadSignature),
            "{p7s}"
        );
        // Changed content.
        let changed = flipped(&content, 3);
        let r = verify(&cms, Some(&changed), &opts(&extra)).unwrap().signers[0]
            .result
            .clone();
        let want = if v.signers[0].has_signed_attributes {
            PkiError::DigestMismatch
        } else {
            PkiError::BadSignature
        };
        assert_eq!(r, Err(want), "{p7s}");
        // Changed signature (the last bytes of these files are the signature value).
        let bad = flipped(&cms, cms.len() - 1);
        assert_eq!(
            verify(&bad, Some(&content), &opts(&extra)).unwrap().signers[0].result,
            Err(PkiError::BadSignature),
            "{p7s}"
        );
        // Detached without content.
        assert_eq!(
            verify(&cms, None, &opts(&extra)).unwrap_err(),
            PkiError::NoContent
        );
    }
}

#[test]
fn openssl_signed_attributes_are_hashed_as_sent() {
    // A flipped bit inside the signingTime value: messageDigest still matches, the signature
    // over the attributes must fail.
    let cms = data("pki-gost/document.ee256.attrs.p7s");
    let content = data("pki-gost/document.txt");
    let signing_time_oid = [
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05,
    ];
    let pos = cms
        .windows(signing_time_oid.len())
        .position(|w| w == signing_time_oid)
        .expect("signingTime");
    // OID, SET header, UTCTime header, then a digit of the year.
    let bad = flipped(&cms, pos + signing_time_oid.len() + 2 + 2 + 1);
    let v = verify(&bad, Some(&content), &VerifyOptions::default()).unwrap();
    assert_eq!(v.signers[0].result, Err(PkiError::BadSignature));
    let v = verify(&cms, Some(&content), &VerifyOptions::default()).unwrap();
    assert!(v.signers[0].signing_time.is_some());
}

#[test]
fn signer_certificate_is_required() {
    let cms = data("pki-gost/document.ee512.noattr.nocerts.p7s");
    let content = data("pki-gost/document.txt");
    let v = verify(&cms, Some(&content), &VerifyOptions::default()).unwrap();
    assert_eq!(v.signers[0].result, Err(PkiError::SignerNotFound));
    assert!(v.signers[0].subject.is_none());
    // Another certificate does not stand in.
    let wrong = [cert("pki-gost/ee256_cert.der")];
    let v = verify(&cms, Some(&content), &opts(&wrong)).unwrap();
    assert_eq!(v.signers[0].result, Err(PkiError::SignerNotFound));
}

#[test]
fn chain_check_of_signers() {
    let cms = data("pki-gost/document.ee256.attrs.p7s");
    let content = data("pki-gost/document.txt");
    let anchors = [cert("pki-gost/ca_cert.der")];
    let trusted = VerifyOptions {
        trust: Some(TrustOptions {
            anchors: &anchors,
            time: fixture_time(),
        }),
        ..VerifyOptions::default()
    };
    assert!(verify(&cms, Some(&content), &trusted).unwrap().all_valid());
    let expired = VerifyOptions {
        trust: Some(TrustOptions {
            anchors: &anchors,
            time: fixture_time() + days(800),
        }),
        ..VerifyOptions::default()
    };
    assert!(matches!(
        verify(&cms, Some(&content), &expired).unwrap().signers[0].result,
        Err(PkiError::NotValidAt { .. })
    ));
    let other = [cert("openssl-gost/tc26-256-A.crt.der")];
    let wrong = VerifyOptions {
        trust: Some(TrustOptions {
            anchors: &other,
            time: fixture_time(),
        }),
        ..VerifyOptions::default()
    };
    assert!(!verify(&cms, Some(&content), &wrong).unwrap().all_valid());
}

const KEYS: [&str; 3] = ["tc26-256-A", "cryptopro-256-A", "tc26-512-A"];

#[test]
fn tamga_made_cms_verifies_in_every_combination() {
    let content = "Қол қою / Подпись / signature\n".as_bytes();
    for stem in KEYS {
        let signer = signer(&format!("openssl-gost/{stem}.key.der"));
        let cert = cert(&format!("openssl-gost/{stem}.crt.der"));
        let attr_choices = [
            None,
            Some(SignedAttributesOptions::default()),
            Some(SignedAttributesOptions {
                signing_time: Some(fixture_time()),
                signing_certificate_v2: true,
            }),
        ];
        // Under the Kazakh profile the CryptoPro-A key signs as GOST 34.310-2004 (34.311-95).
        for profile in [Profile::TC26, Profile::KZ] {
            for detached in [true, false] {
                for signed_attributes in attr_choices {
                    for include_certificate in [true, false] {
                        let o = SignOptions {
                            profile,
                            detached,
                            signed_attributes,
                            include_certificate,
                        };
                        let cms = sign(content, &signer, &cert, &o)
                            .unwrap_or_else(|e| panic!("{stem} {o:?}: {e}"));
                        let extra: Vec<Certificate> = if include_certificate {
                            vec![]
                        } else {
                            vec![cert.clone()]
                        };
                        let given = detached.then_some(content);
                        let v = verify(&cms, given, &opts(&extra)).unwrap();
                        assert_eq!(v.signers[0].result, Ok(profile.encoding), "{stem} {o:?}");
                        assert_eq!(v.content.as_deref(), (!detached).then_some(content));
                        if let Some(a) = signed_attributes {
                            assert_eq!(v.signers[0].signing_time, a.signing_time);
                        }
                        let changed = flipped(content, 0);
                        let r = verify(&cms, Some(&changed), &opts(&extra));
                        match r {
                            Ok(v) => assert!(!v.all_valid(), "{stem} {o:?}"),
                            Err(e) => assert_eq!(e, PkiError::DigestMismatch),
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn co_signature_keeps_the_first_signer() {
    let content = data("pki-gost/document.txt");
    let first = data("pki-gost/document.ee256.attrs.p7s");
    let signer = signer("openssl-gost/tc26-512-A.key.der");
    let cert512 = cert("openssl-gost/tc26-512-A.crt.der");
    let options = SignOptions {
        signed_attributes: Some(SignedAttributesOptions {
            signing_time: Some(fixture_time()),
            signing_certificate_v2: true,
        }),
        ..SignOptions::default()
    };
    let both = add_signer(&first, Some(&content), &signer, &cert512, &options).unwrap();
    let v = verify(&both, Some(&content), &VerifyOptions::default()).unwrap();
    assert_eq!(v.signers.len(), 2);
    assert!(v.all_valid(), "{:?}", v.signers);
    let subjects: Vec<_> = v
        .signers
        .iter()
        .map(|s| s.subject.clone().unwrap())
        .collect();
    assert!(
        subjects.iter().any(|s| s.contains("EE GOST 2012-256 TCA")),
        "{subjects:?}"
    );
    assert!(
        subjects.iter().any(|s| s.contains("tc26-512-A")),
        "{subjects:?}"
    );
    // A third, Kazakh-profile signer on an attached tamga-made SignedData.
    let attached = sign(
        &content,
        &signer,
        &cert512,
        &SignOptions {
            detached: false,
            ..SignOptions::default()
        },
    )
    .unwrap();
    let kz_signer = common::signer("openssl-gost/tc26-256-A.key.der");
    let kz_cert = cert("openssl-gost/tc26-256-A.crt.der");
    let kz = SignOptions {
        profile: Profile::KZ,
        ..SignOptions::default()
    };
    let two = add_signer(&attached, None, &kz_signer, &kz_cert, &kz).unwrap();
    let v = verify(&two, None, &VerifyOptions::default()).unwrap();
    let layouts: Vec<_> = v.signers.iter().map(|s| s.result.clone()).collect();
    assert!(layouts.contains(&Ok(SigEncoding::Rfc9215)) && layouts.contains(&Ok(SigEncoding::Kz)));
    // Detached without the content: refused.
    assert_eq!(
        add_signer(&first, None, &signer, &cert512, &options).unwrap_err(),
        PkiError::NoContent
    );
    // A certificate that is not the signer's: refused.
    assert!(matches!(
        add_signer(&first, Some(&content), &signer, &kz_cert, &options),
        Err(PkiError::InvalidArgument(_))
    ));
}

#[test]
fn garbage_is_an_error() {
    let cms = data("pki-gost/document.ee256.attrs.p7s");
    for cut in [0, 1, 20, cms.len() / 2, cms.len() - 1] {
        assert!(verify(&cms[..cut], Some(b"x"), &VerifyOptions::default()).is_err());
    }
    let not_signed = data("pki-gost/ee256_cert.der");
    assert!(verify(&not_signed, Some(b"x"), &VerifyOptions::default()).is_err());
}
