//! Live interoperability with OpenSSL + the gost engine, the reference tamga must agree with:
//! tamga-made CMS (three curves; with and without signed attributes, detached and attached, with
//! and without the certificate) passes `openssl cms -verify`, tamga-made CSRs pass
//! `openssl req -verify`; OpenSSL-made CMS, CSRs and chains verify in tamga; changed content is
//! refused by both.
//!
//! OpenSSL's GOST engine is required: `apt-get install -y openssl libengine-gost-openssl`.
//! Without it these tests fail, unless `TAMGA_SKIP_OPENSSL=1` is set.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;
use tamga_pki::cms::{sign, verify, SignOptions, SignedAttributesOptions, VerifyOptions};
use tamga_pki::extensions::{extended_key_usage, key_usage};
use tamga_pki::name::parse_name;
use tamga_pki::{
    oid, verify_chain, Certificate, CertificationRequest, ChainOptions, KeyUsages, PkiError,
    Profile, SigEncoding,
};
use tamga_test_support::openssl::{self, openssl_config};

const KEYS: [(&str, &str); 3] = [
    ("tc26-256-A", "md_gost12_256"),
    ("cryptopro-256-A", "md_gost12_256"),
    ("tc26-512-A", "md_gost12_512"),
];

struct Ossl {
    dir: tempfile::TempDir,
    cnf: PathBuf,
}

impl Ossl {
    /// `None` when OpenSSL or its engine is missing and TAMGA_SKIP_OPENSSL=1.
    fn new() -> Option<Ossl> {
        let dir = tempfile::tempdir().unwrap();
        let cnf = openssl_config(dir.path())?;
        Some(Ossl { dir, cnf })
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.file(name);
        fs::write(&p, bytes).unwrap();
        p
    }

    fn run(&self, args: &[&str]) -> Output {
        openssl::command(args, Some(&self.cnf))
            .current_dir(self.dir.path())
            .output()
            .expect("run openssl")
    }

    fn ok(&self, args: &[&str]) -> Output {
        openssl::succeeded(self.run(args), args)
    }

    /// The fixture certificate and key of a stem, as PEM/DER files in the work directory.
    fn stem_files(&self, stem: &str) {
        let cert = Certificate::from_der(&data(&format!("openssl-gost/{stem}.crt.der"))).unwrap();
        self.write(&format!("{stem}.crt.pem"), cert.to_pem().as_bytes());
        self.write(
            &format!("{stem}.key.der"),
            &data(&format!("openssl-gost/{stem}.key.der")),
        );
    }
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn openssl_verifies_tamga_cms() {
    let Some(o) = Ossl::new() else { return };
    let content = data("openssl-gost/message.txt");
    let msg = o.write("message.txt", &content);
    let changed = o.write("changed.txt", &flipped(&content, 5));
    let mut checked = 0;
    for (stem, _) in KEYS {
        o.stem_files(stem);
        let signer = signer(&format!("openssl-gost/{stem}.key.der"));
        let cert = Certificate::from_der(&data(&format!("openssl-gost/{stem}.crt.der"))).unwrap();
        let ca = format!("{stem}.crt.pem");
        for detached in [true, false] {
            for signed_attributes in [
                None,
                Some(SignedAttributesOptions {
                    signing_time: Some(fixture_time()),
                    signing_certificate_v2: true,
                }),
            ] {
                for include_certificate in [true, false] {
                    let opts = SignOptions {
                        profile: Profile::TC26,
                        detached,
                        signed_attributes,
                        include_certificate,
                    };
                    let cms = sign(&content, &signer, &cert, &opts).unwrap();
                    let f = o.write("t.p7s", &cms);
                    let mut args = vec![
                        "cms",
                        "-verify",
                        "-engine",
                        "gost",
                        "-binary",
                        "-inform",
                        "DER",
                        "-in",
                        p(&f),
                        "-CAfile",
                        &ca,
                        "-purpose",
                        "any",
                        "-out",
                        "/dev/null",
                    ];
                    if !include_certificate {
                        args.extend(["-certfile", &ca]);
                    }
                    let mut good = args.clone();
                    if detached {
                        good.extend(["-content", p(&msg)]);
                    }
                    let out = o.run(&good);
                    assert!(
                        out.status.success(),
                        "{stem} {opts:?}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    if detached {
                        let mut bad = args.clone();
                        bad.extend(["-content", p(&changed)]);
                        assert!(
                            !o.run(&bad).status.success(),
                            "{stem} {opts:?}: changed content accepted"
                        );
                    }
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 24);
}

#[test]
fn openssl_verifies_tamga_csrs() {
    let Some(o) = Ossl::new() else { return };
    let subject = parse_name("CN=Тестов Тест,O=Банк,C=KZ").unwrap();
    let exts = [
        key_usage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation).unwrap(),
        extended_key_usage(&[oid::EKU_CLIENT_AUTH]).unwrap(),
    ];
    for (stem, _) in KEYS {
        let signer = signer(&format!("openssl-gost/{stem}.key.der"));
        for exts in [&exts[..], &[]] {
            let csr = CertificationRequest::build(&subject, exts, &signer, &Profile::TC26).unwrap();
            let f = o.write("t.csr", csr.to_pem().as_bytes());
            let out = o.ok(&[
                "req",
                "-engine",
                "gost",
                "-verify",
                "-noout",
                "-text",
                "-in",
                p(&f),
            ]);
            // `openssl req -verify` exits 0 either way; the verdict is on stderr.
            assert!(
                String::from_utf8_lossy(&out.stderr).contains("self-signature verify OK"),
                "{stem}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8_lossy(&out.stdout);
            if !exts.is_empty() {
                assert!(text.contains("TLS Web Client Authentication"), "{text}");
            }
            // A flipped signature bit is refused.
            let der = csr.to_der();
            let bad = o.write("bad.csr", &flipped(der, der.len() - 1));
            let out = o.run(&[
                "req",
                "-engine",
                "gost",
                "-verify",
                "-noout",
                "-inform",
                "DER",
                "-in",
                p(&bad),
            ]);
            assert!(
                String::from_utf8_lossy(&out.stderr).contains("verify failure"),
                "{stem}"
            );
        }
    }
}

#[test]
fn tamga_verifies_openssl_cms() {
    let Some(o) = Ossl::new() else { return };
    let content = data("openssl-gost/message.txt");
    let msg = o.write("message.txt", &content);
    for (stem, md) in KEYS {
        o.stem_files(stem);
        let cert = Certificate::from_der(&data(&format!("openssl-gost/{stem}.crt.der"))).unwrap();
        let variants: [&[&str]; 4] = [&[], &["-noattr"], &["-nodetach"], &["-noattr", "-nocerts"]];
        for extra in variants {
            let out_file = o.file("o.p7s");
            let mut args = vec![
                "cms", "-sign", "-engine", "gost", "-binary", "-md", md, "-signer",
            ];
            let crt = format!("{stem}.crt.pem");
            let key = format!("{stem}.key.der");
            args.extend([
                crt.as_str(),
                "-inkey",
                &key,
                "-keyform",
                "DER",
                "-in",
                p(&msg),
            ]);
            args.extend(["-outform", "DER", "-out", p(&out_file)]);
            args.extend(extra);
            o.ok(&args);
            let cms = fs::read(&out_file).unwrap();
            let attached = extra.contains(&"-nodetach");
            let given = (!attached).then_some(content.as_slice());
            let certs = [cert.clone()];
            let opts = VerifyOptions {
                certificates: if extra.contains(&"-nocerts") {
                    &certs
                } else {
                    &[]
                },
                ..VerifyOptions::default()
            };
            let v = verify(&cms, given, &opts).unwrap();
            assert_eq!(
                v.signers[0].result,
                Ok(SigEncoding::Rfc9215),
                "{stem} {extra:?}"
            );
            assert!(v.signers[0].subject.as_deref().unwrap().contains(stem));
            if attached {
                assert_eq!(v.content.as_deref(), Some(content.as_slice()));
            } else {
                let bad = flipped(&content, 0);
                assert!(!verify(&cms, Some(&bad), &opts).unwrap().all_valid());
            }
        }
    }
}

#[test]
fn tamga_verifies_openssl_requests_and_refuses_a_non_ca_issuer() {
    let Some(o) = Ossl::new() else { return };
    for (stem, md) in KEYS {
        o.stem_files(stem);
        let key = format!("{stem}.key.der");
        let out = o.ok(&[
            "req",
            "-new",
            "-engine",
            "gost",
            "-key",
            &key,
            "-keyform",
            "DER",
            &format!("-{md}"),
            "-subj",
            "/C=KZ/O=Банк/CN=Тест",
            "-utf8",
            "-outform",
            "DER",
        ]);
        let csr = CertificationRequest::from_der(&out.stdout).unwrap();
        assert_eq!(csr.verify(SigEncoding::Auto), Ok(SigEncoding::Rfc9215));
        assert_eq!(csr.subject(), "CN=Тест, O=Банк, C=KZ");
    }
    // ee256 (CA:FALSE) issues a certificate for ee256a's request: a chain through it must fail.
    for f in [
        "ee256_cert.pem",
        "ee256_key.pem",
        "ee256a.csr",
        "ca_cert.pem",
    ] {
        o.write(f, &data(&format!("pki-gost/{f}")));
    }
    let out = o.ok(&[
        "x509",
        "-req",
        "-engine",
        "gost",
        "-in",
        "ee256a.csr",
        "-CA",
        "ee256_cert.pem",
        "-CAkey",
        "ee256_key.pem",
        "-set_serial",
        "77",
        "-days",
        "30",
        "-md_gost12_256",
        "-outform",
        "DER",
    ]);
    let leaf = Certificate::from_der(&out.stdout).unwrap();
    let ee = Certificate::parse(&data("pki-gost/ee256_cert.pem")).unwrap();
    let ca = Certificate::parse(&data("pki-gost/ca_cert.pem")).unwrap();
    assert_eq!(
        leaf.verify_issued_by(&ee, SigEncoding::Auto),
        Ok(SigEncoding::Rfc9215)
    );
    let now = leaf.not_before() + days(1);
    let err = verify_chain(
        &leaf,
        &[ee],
        &[ca],
        &ChainOptions {
            time: now,
            encoding: SigEncoding::Auto,
        },
    )
    .unwrap_err();
    assert!(matches!(err, PkiError::NotCa { .. }), "{err:?}");
}
