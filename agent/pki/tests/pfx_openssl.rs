//! Live check of the PFX writer against the reference: a tamga-made GOST PFX opens in
//! `openssl pkcs12` with the gost engine (MAC verified, key and certificates decrypted), the key
//! OpenSSL prints is ours, and tamga reads the file back.
//!
//! OpenSSL's GOST engine is required: `apt-get install -y openssl libengine-gost-openssl`.
//! Without it the test fails, unless `TAMGA_SKIP_OPENSSL=1` is set.

use std::fs;
use std::path::Path;
use std::process::Command;

use tamga_gost::{Curve, SecretKey};
use tamga_pki::pfx::{write_gost_pfx, Pfx};
use tamga_pki::private_key::{GostKey, PrivateKey};
use tamga_pki::{OidFamily, PkiError};
use tamga_test_support::openssl::openssl_config;

fn data(path: &str) -> Vec<u8> {
    fs::read(format!(
        "{}/tests/data/pfx/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Deterministic salts and IVs: a counter, so each call differs.
fn counter_rng() -> impl FnMut(&mut [u8]) -> Result<(), PkiError> {
    let mut n = 0u8;
    move |buf: &mut [u8]| {
        for b in buf.iter_mut() {
            n = n.wrapping_add(0x3b);
            *b = n;
        }
        Ok(())
    }
}

fn fixture_key(path: &str) -> GostKey {
    match PrivateKey::from_pkcs8_der(&data(path)).unwrap() {
        PrivateKey::Gost(k) => k,
        other => panic!("{other:?}"),
    }
}

#[test]
fn openssl_opens_tamga_gost_pfx() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let Some(cnf) = openssl_config(dir) else {
        return;
    };
    let ca = data("pki-gost/ca_cert.der");
    let cases = [
        (
            "ee256",
            fixture_key("pki-gost/ee256_key.der"),
            Some(data("pki-gost/ee256_cert.der")),
            "Test1234",
        ),
        (
            "ee512",
            fixture_key("pki-gost/ee512_key.der"),
            Some(data("pki-gost/ee512_cert.der")),
            "Пароль для PFX",
        ),
        (
            "fresh",
            GostKey::new(
                SecretKey::from_seed(Curve::CryptoProA, &[0x5a; 64]),
                OidFamily::Tc26,
            )
            .unwrap(),
            None,
            "x",
        ),
    ];
    for (name, key, cert, password) in cases {
        let certs: Vec<&[u8]> = match &cert {
            Some(c) => vec![c, &ca],
            None => Vec::new(),
        };
        let pfx = write_gost_pfx(
            &key,
            &certs,
            password,
            Some("tamga key"),
            2048,
            &mut counter_rng(),
        )
        .unwrap();
        let file = dir.join(format!("{name}.pfx"));
        fs::write(&file, &pfx).unwrap();

        // tamga reads it back.
        let c = Pfx::parse(&pfx).unwrap().open(password).unwrap();
        assert_eq!(c.keys.len(), 1);
        let back = c.keys[0].key.as_gost().unwrap();
        assert_eq!(
            back.secret().to_le_bytes(),
            key.secret().to_le_bytes(),
            "{name}"
        );
        assert_eq!(
            c.keys[0].attributes.friendly_name.as_deref(),
            Some("tamga key")
        );
        let got: Vec<&[u8]> = c.certificates.iter().map(|e| e.der.as_slice()).collect();
        assert_eq!(got, certs, "{name}");
        assert_eq!(
            Pfx::parse(&pfx).unwrap().open("wrong").unwrap_err(),
            PkiError::WrongPassword
        );

        // OpenSSL verifies the MAC, decrypts the key and prints it.
        let pass = format!("pass:{password}");
        let out = openssl(
            &cnf,
            &[
                "pkcs12",
                "-in",
                path(&file),
                "-passin",
                &pass,
                "-nodes",
                "-nocerts",
            ],
        );
        let keys = pem_blocks(&out, "PRIVATE KEY");
        assert_eq!(keys.len(), 1, "{name}: {out}");
        let printed = PrivateKey::from_pkcs8_der(&keys[0]).unwrap();
        assert_eq!(
            printed.as_gost().unwrap().secret().to_le_bytes(),
            key.secret().to_le_bytes(),
            "{name}: OpenSSL printed another key"
        );
        let out = openssl(
            &cnf,
            &["pkcs12", "-in", path(&file), "-passin", &pass, "-nokeys"],
        );
        let printed_certs = pem_blocks(&out, "CERTIFICATE");
        let printed_certs: Vec<&[u8]> = printed_certs.iter().map(Vec::as_slice).collect();
        assert_eq!(
            printed_certs, certs,
            "{name}: OpenSSL printed other certificates"
        );
        // And refuses a wrong password at the MAC.
        let wrong = Command::new("openssl")
            .args([
                "pkcs12",
                "-in",
                path(&file),
                "-passin",
                "pass:wrong",
                "-nodes",
            ])
            .env("OPENSSL_CONF", &cnf)
            .output()
            .unwrap();
        assert!(
            !wrong.status.success(),
            "{name}: OpenSSL accepted a wrong password"
        );
    }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn openssl(cnf: &Path, args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .env("OPENSSL_CONF", cnf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The DER of every PEM block labelled `label` in OpenSSL's output (which interleaves
/// "Bag Attributes" text).
fn pem_blocks(text: &str, label: &str) -> Vec<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&begin) {
        let stop = rest[start..].find(&end).unwrap() + start + end.len();
        let (_, der) = der::pem::decode_vec(&rest.as_bytes()[start..stop]).unwrap();
        out.push(der);
        rest = &rest[stop..];
    }
    out
}
