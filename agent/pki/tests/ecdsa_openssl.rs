//! ECDSA P-256 against OpenSSL, a party tamga did not write: a self-signed certificate, a CSR and
//! CMS (signed attributes or none, attached or detached) made by `openssl` at test time verify in
//! tamga-pki, and every tampered variant is refused; CMS, CSRs and proofs of possession made by
//! tamga-pki through a `Signer` that answers `r ‖ s` (as PKCS#11 `CKM_ECDSA` does) pass
//! `openssl cms -verify` and `openssl req -verify`.
//!
//! Plain OpenSSL is enough (no engine). Without an `openssl` binary the test fails, unless
//! `TAMGA_SKIP_OPENSSL=1` is set.

use std::fs;
use std::path::Path;
use std::process::Command;

use p256::ecdsa::signature::hazmat::PrehashSigner;
use p256::ecdsa::{Signature, SigningKey};
use tamga_pki::cmp::{CertReq, CertReqSpec};
use tamga_pki::cms::{sign, verify, SignOptions, SignedAttributesOptions, VerifyOptions};
use tamga_pki::name::parse_name;
use tamga_pki::{
    Certificate, CertificationRequest, EcP256PublicKey, PkiError, Profile, SigEncoding, Signer,
    SubjectKey,
};
use tamga_test_support::openssl;

fn openssl_present() -> bool {
    let ok = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var("TAMGA_SKIP_OPENSSL").as_deref() == Ok("1") {
            eprintln!("openssl missing: skipped (TAMGA_SKIP_OPENSSL=1)");
            return false;
        }
        panic!("the openssl CLI is needed: apt-get install openssl (or TAMGA_SKIP_OPENSSL=1)");
    }
    true
}

fn run(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = openssl::command(args, None)
        .current_dir(dir)
        .output()
        .unwrap();
    openssl::succeeded(out, args).stdout
}

/// A self-signed P-256 certificate by OpenSSL: `key` and `cert` in `dir`.
fn self_signed_p256(dir: &Path, key: &str, cert: &str, subject: &str, extra: &[&str]) {
    let mut args = vec![
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "30",
        "-subj",
        subject,
    ];
    args.extend(extra);
    run(dir, &args);
}

fn flip(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut v = bytes.to_vec();
    v[at] ^= 0x01;
    v
}

/// The position of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .expect("needle present")
}

#[test]
fn openssl_made_p256_objects_verify_and_tampered_ones_do_not() {
    if !openssl_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    self_signed_p256(
        dir,
        "key.pem",
        "cert.der",
        "/CN=openssl p256",
        &["-outform", "DER", "-sha256"],
    );
    let cert_der = fs::read(dir.join("cert.der")).unwrap();
    let cert = Certificate::from_der(&cert_der).unwrap();
    let key = cert.subject_key().unwrap();
    assert!(matches!(key, SubjectKey::EcP256(_)));
    // Self-signed: its own key verifies it; a GOST-only reader says so plainly.
    cert.verify_issued_by(&cert, SigEncoding::Auto).unwrap();
    assert!(cert.public_key().is_err());
    // A flipped bit in the signature or in the TBS (the subject's CN) is refused.
    let sig_at = cert_der.len() - 5;
    let bad = Certificate::from_der(&flip(&cert_der, sig_at)).unwrap();
    assert!(bad.verify_signature_with(&key, SigEncoding::Auto).is_err());
    let cn_at = find(&cert_der, b"openssl p256");
    let bad = Certificate::from_der(&flip(&cert_der, cn_at)).unwrap();
    assert!(bad.verify_signature_with(&key, SigEncoding::Auto).is_err());

    // A CSR.
    run(
        dir,
        &[
            "req",
            "-new",
            "-key",
            "key.pem",
            "-subj",
            "/CN=openssl csr",
            "-sha256",
            "-outform",
            "DER",
            "-out",
            "req.der",
        ],
    );
    let csr_der = fs::read(dir.join("req.der")).unwrap();
    CertificationRequest::from_der(&csr_der)
        .unwrap()
        .verify(SigEncoding::Auto)
        .unwrap();
    let at = find(&csr_der, b"openssl csr");
    let bad = CertificationRequest::from_der(&flip(&csr_der, at)).unwrap();
    assert!(bad.verify(SigEncoding::Auto).is_err());

    // CMS: signed attributes attached, none (-noattr), detached.
    let content = b"payment order 42: 150000.00 KZT";
    fs::write(dir.join("content.bin"), content).unwrap();
    for (name, extra) in [
        ("attached", &["-nodetach"][..]),
        ("noattr", &["-nodetach", "-noattr"][..]),
        ("detached", &[][..]),
    ] {
        let out = format!("{name}.p7s");
        let mut args = vec![
            "cms",
            "-sign",
            "-binary",
            "-md",
            "sha256",
            "-in",
            "content.bin",
            "-signer",
            "cert.der",
            "-inkey",
            "key.pem",
            "-outform",
            "DER",
            "-out",
            &out,
        ];
        args.extend_from_slice(extra);
        run(dir, &args);
        let cms = fs::read(dir.join(&out)).unwrap();
        let detached = name == "detached";
        let given = detached.then_some(&content[..]);
        let v = verify(&cms, given, &VerifyOptions::default()).unwrap();
        assert!(v.all_valid(), "{name}: {:?}", v.signers[0].result);
        assert_eq!(v.signers[0].has_signed_attributes, name != "noattr");
        // The content changed: refused, attached or detached.
        let other = b"payment order 42: 950000.00 KZT";
        let refused = if detached {
            verify(&cms, Some(other), &VerifyOptions::default()).map(|v| v.all_valid())
        } else {
            let at = find(&cms, b"150000");
            verify(&flip(&cms, at), None, &VerifyOptions::default()).map(|v| v.all_valid())
        };
        assert!(
            !matches!(refused, Ok(true)),
            "{name}: tampered content verified"
        );
        // The signature changed (its last byte: inside s): refused.
        let tampered = flip(&cms, cms.len() - 1);
        let r = verify(&tampered, given, &VerifyOptions::default()).map(|v| v.all_valid());
        assert!(
            !matches!(r, Ok(true)),
            "{name}: tampered signature verified"
        );
    }
}

/// A P-256 key behind `Signer` exactly as a token is: it signs a SHA-256 digest and answers
/// `r ‖ s`. Software signing here stands in for SoftHSM2's `CKM_ECDSA` in tests only.
struct RawEcdsa {
    key: SigningKey,
    public: SubjectKey,
}

impl RawEcdsa {
    fn new(seed: u8) -> Self {
        let key = SigningKey::from_slice(&[seed; 32]).unwrap();
        let point = key.verifying_key().to_sec1_point(false);
        let public = SubjectKey::EcP256(EcP256PublicKey::from_sec1(point.as_bytes()).unwrap());
        RawEcdsa { key, public }
    }
}

impl Signer for RawEcdsa {
    fn public_key(&self) -> &SubjectKey {
        &self.public
    }

    fn sign_digest(&self, digest: &[u8]) -> Result<Vec<u8>, PkiError> {
        let sig: Signature = self
            .key
            .sign_prehash(digest)
            .map_err(|e| PkiError::Signer(e.to_string()))?;
        Ok(sig.to_bytes().to_vec())
    }
}

/// A signer whose token answers garbage: the document must not be produced.
struct Garbage(SubjectKey);

impl Signer for Garbage {
    fn public_key(&self) -> &SubjectKey {
        &self.0
    }
    fn sign_digest(&self, _: &[u8]) -> Result<Vec<u8>, PkiError> {
        Ok(vec![7u8; 64])
    }
}

#[test]
fn tamga_made_p256_csr_pop_and_cms_pass_openssl() {
    if !openssl_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let signer = RawEcdsa::new(0x42);
    let subject = parse_name("CN=tamga p256").unwrap();

    // CSR: tamga verifies it, and so does OpenSSL.
    let csr = CertificationRequest::build(&subject, &[], &signer, &Profile::KZ).unwrap();
    csr.verify(SigEncoding::Auto).unwrap();
    assert_eq!(csr.subject_key().unwrap(), signer.public);
    fs::write(dir.join("tamga.csr"), csr.to_pem()).unwrap();
    run(dir, &["req", "-verify", "-noout", "-in", "tamga.csr"]);

    // A CRMF request with its proof of possession; a garbage token signature is refused before
    // anything is written.
    let spec = CertReqSpec {
        cert_req_id: 0,
        subject: subject.clone(),
        not_before: None,
        not_after: None,
        extensions: Vec::new(),
    };
    let req = CertReq::build(&spec, &signer, &Profile::TC26).unwrap();
    let back = CertReq::from_der(&req.to_der().unwrap()).unwrap();
    back.verify_pop().unwrap();
    assert!(back.verify_gost_pop().is_err());
    assert!(CertReq::build(&spec, &Garbage(signer.public.clone()), &Profile::TC26).is_err());

    // A certificate for the key (OpenSSL signs it from the CSR with a throwaway P-256 CA), then
    // CMS by tamga, verified by OpenSSL and by tamga, with a tampered copy refused by both.
    self_signed_p256(dir, "ca.key", "ca.pem", "/CN=test CA", &[]);
    run(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "tamga.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-days",
            "30",
            "-sha256",
            "-set_serial",
            "7",
            "-outform",
            "DER",
            "-out",
            "ee.der",
        ],
    );
    let cert = Certificate::from_der(&fs::read(dir.join("ee.der")).unwrap()).unwrap();
    let ca = Certificate::parse(&fs::read(dir.join("ca.pem")).unwrap()).unwrap();
    cert.verify_issued_by(&ca, SigEncoding::Auto).unwrap();
    let content = b"{\"amount\":\"150000.00\"}";
    fs::write(dir.join("content.bin"), content).unwrap();
    for detached in [false, true] {
        for attrs in [false, true] {
            let options = SignOptions {
                profile: Profile::KZ,
                detached,
                signed_attributes: attrs.then_some(SignedAttributesOptions {
                    signing_time: Some(std::time::SystemTime::now()),
                    signing_certificate_v2: true,
                }),
                include_certificate: true,
            };
            let cms = sign(content, &signer, &cert, &options).unwrap();
            let given = detached.then_some(&content[..]);
            verify(&cms, given, &VerifyOptions::default())
                .unwrap()
                .require_all_valid()
                .unwrap();
            fs::write(dir.join("tamga.p7s"), &cms).unwrap();
            let mut args = vec![
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                "tamga.p7s",
                "-CAfile",
                "ca.pem",
                "-purpose",
                "any",
                "-out",
                "/dev/null",
            ];
            if detached {
                args.extend(["-content", "content.bin"]);
            }
            run(dir, &args);
            // A flipped bit in the signature: OpenSSL and tamga both refuse.
            fs::write(dir.join("bad.p7s"), flip(&cms, cms.len() - 1)).unwrap();
            args[6] = "bad.p7s";
            let out = openssl::command(&args, None)
                .current_dir(dir)
                .output()
                .unwrap();
            assert!(!out.status.success(), "openssl accepted a tampered CMS");
            let r = verify(&flip(&cms, cms.len() - 1), given, &VerifyOptions::default());
            assert!(!r.is_ok_and(|v| v.all_valid()));
        }
    }
    // The certificate is not the signer's: refused.
    let other = RawEcdsa::new(0x43);
    assert!(sign(content, &other, &cert, &SignOptions::default()).is_err());
}
