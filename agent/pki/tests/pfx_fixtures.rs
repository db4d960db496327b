//! Every third-party PFX fixture opens with its password and yields the expected keys and
//! certificates; wrong passwords and damaged files fail the documented way.

use tamga_pki::pfx::{Container, Pfx};
use tamga_pki::private_key::PrivateKey;
use tamga_pki::{Certificate, PkiError};

const STD_PW: &str = "Test1234";
const RFC9548_PW: &str = "Пароль для PFX";

fn data(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/data/pfx/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn open(path: &str, password: &str) -> Container {
    Pfx::parse(&data(path))
        .and_then(|p| p.open(password))
        .unwrap_or_else(|e| panic!("{path}: {e:?}"))
}

fn open_err(bytes: &[u8], password: &str) -> PkiError {
    match Pfx::parse(bytes).and_then(|p| p.open(password)) {
        Ok(_) => panic!("opened with {password:?}"),
        Err(e) => e,
    }
}

/// The DER inside a one-block PEM file.
fn pem_der(path: &str) -> Vec<u8> {
    let text = String::from_utf8(data(path)).unwrap();
    let (_, der) = der::pem::decode_vec(text.trim().as_bytes()).unwrap();
    der
}

fn gost_scalar(key: &PrivateKey) -> Vec<u8> {
    key.as_gost()
        .expect("a GOST key")
        .secret()
        .to_le_bytes()
        .to_vec()
}

/// The only key of `c`, checked against the certificate `cert` (its public key) when GOST.
fn single_gost_key(c: &Container, cert: &[u8]) -> Vec<u8> {
    assert_eq!(c.keys.len(), 1);
    let key = c.keys[0].key.as_gost().expect("a GOST key");
    let cert_key = Certificate::from_der(cert)
        .unwrap()
        .public_key()
        .unwrap()
        .key;
    assert_eq!(
        key.public_key(),
        cert_key,
        "private key does not match the certificate"
    );
    key.secret().to_le_bytes().to_vec()
}

// ---- stock OpenSSL 3 ----

#[test]
fn openssl_default_legacy_and_utf8_password_files_open() {
    for (file, password, key, cert) in [
        (
            "rsa2048.default.pfx",
            STD_PW,
            "rsa2048_key.pem",
            "rsa2048_cert.pem",
        ),
        (
            "rsa2048.legacy.pfx",
            STD_PW,
            "rsa2048_key.pem",
            "rsa2048_cert.pem",
        ),
        (
            "rsa2048.iter100k.pfx",
            STD_PW,
            "rsa2048_key.pem",
            "rsa2048_cert.pem",
        ),
        (
            "ec_p256.default.pfx",
            STD_PW,
            "ec_p256_key.pem",
            "ec_p256_cert.pem",
        ),
        (
            "ec_p256.legacy.pfx",
            STD_PW,
            "ec_p256_key.pem",
            "ec_p256_cert.pem",
        ),
        (
            "ec_p256.nomac.pfx",
            STD_PW,
            "ec_p256_key.pem",
            "ec_p256_cert.pem",
        ),
        (
            "ec_p256.utf8pass.pfx",
            "Пароль1234",
            "ec_p256_key.pem",
            "ec_p256_cert.pem",
        ),
    ] {
        let c = open(&format!("std-pfx/{file}"), password);
        assert_eq!(c.keys.len(), 1, "{file}");
        let expected = pem_der(&format!("std-pfx/{key}"));
        let got = c.keys[0].key.to_pkcs8_der().unwrap();
        assert_eq!(&got[..], &expected[..], "{file}: key");
        match (&c.keys[0].key, key.starts_with("rsa")) {
            (PrivateKey::Rsa(_), true) | (PrivateKey::EcP256(_), false) => {}
            (other, _) => panic!("{file}: {other:?}"),
        }
        assert_eq!(c.certificates.len(), 1, "{file}");
        assert_eq!(
            c.certificates[0].der,
            pem_der(&format!("std-pfx/{cert}")),
            "{file}"
        );
        let key_id = c.keys[0].attributes.local_key_id.as_ref();
        assert!(key_id.is_some(), "{file}: localKeyId");
        assert_eq!(
            c.certificates[0].attributes.local_key_id.as_ref(),
            key_id,
            "{file}"
        );
    }
}

#[test]
fn certificate_only_and_no_mac_files() {
    let c = open("std-pfx/rsa2048.certonly.pfx", STD_PW);
    assert!(c.keys.is_empty());
    assert_eq!(c.certificates[0].der, pem_der("std-pfx/rsa2048_cert.pem"));
    assert!(!Pfx::parse(&data("std-pfx/ec_p256.nomac.pfx"))
        .unwrap()
        .has_mac());
    assert!(Pfx::parse(&data("std-pfx/ec_p256.default.pfx"))
        .unwrap()
        .has_mac());
}

#[test]
fn encrypted_pkcs8_files_open() {
    for (file, key) in [
        ("rsa2048_key.enc.p8.der", "rsa2048_key.pem"),
        ("ec_p256_key.enc.p8.der", "ec_p256_key.pem"),
    ] {
        let der = data(&format!("std-pfx/{file}"));
        let k = PrivateKey::from_encrypted_pkcs8_der(&der, STD_PW).unwrap();
        assert_eq!(
            &k.to_pkcs8_der().unwrap()[..],
            &pem_der(&format!("std-pfx/{key}"))[..]
        );
        assert_eq!(
            PrivateKey::from_encrypted_pkcs8_der(&der, "Test1235").unwrap_err(),
            PkiError::WrongPassword
        );
    }
}

// ---- OpenSSL + gost engine ----

#[test]
fn gost_engine_files_open_all_seven() {
    let ee256 = PrivateKey::from_pkcs8_der(&data("pki-gost/ee256_key.der")).unwrap();
    let ee512 = PrivateKey::from_pkcs8_der(&data("pki-gost/ee512_key.der")).unwrap();
    for file in [
        "ee256.gost89.md_gost12_256.pfx",
        "ee256.gost89.md_gost12_512.pfx",
        "ee256.kuznyechik-ctr-acpkm.md_gost12_512.pfx",
        "ee256.magma-ctr-acpkm.md_gost12_512.pfx",
        "ee512.gost89.md_gost12_512.pfx",
        "ee512.kuznyechik-ctr-acpkm.md_gost12_512.pfx",
        "ee512.magma-ctr-acpkm.md_gost12_512.pfx",
    ] {
        let c = open(&format!("gost-pfx/{file}"), STD_PW);
        let (expected, cert) = if file.starts_with("ee256") {
            (&ee256, data("pki-gost/ee256_cert.der"))
        } else {
            (&ee512, data("pki-gost/ee512_cert.der"))
        };
        // The EE certificate (1158-byte cert bag: past the first CryptoPro key meshing) first.
        assert_eq!(c.certificates[0].der, cert, "{file}");
        assert_eq!(single_gost_key(&c, &cert), gost_scalar(expected), "{file}");
        // OpenSSL writes the key back exactly as it read it.
        assert_eq!(
            &c.keys[0].key.to_pkcs8_der().unwrap()[..],
            &expected.to_pkcs8_der().unwrap()[..],
            "{file}"
        );
        let name = format!("{} fixture", &file[..5]);
        assert_eq!(
            c.keys[0].attributes.friendly_name.as_deref(),
            Some(name.as_str())
        );
        // Only md_gost12_512 files carry the CA certificate.
        if !file.contains("md_gost12_256") {
            assert_eq!(c.certificates.len(), 2, "{file}");
            assert_eq!(
                c.certificates[1].der,
                data("pki-gost/ca_cert.der"),
                "{file}"
            );
        }
    }
}

// ---- R 50.1.112-2016 and RFC 9548 ----

#[test]
fn r50_1_112_example_unmasks_its_key() {
    let c = open("rfc9548/r50_1_112_2016_example.pfx", RFC9548_PW);
    let cert = data("rfc9548/r50_1_112_2016_example.cert.der");
    assert_eq!(c.certificates.len(), 1);
    assert_eq!(c.certificates[0].der, cert);
    let expected =
        PrivateKey::from_pkcs8_der(&data("rfc9548/r50_1_112_2016_example.expected_pkcs8.der"))
            .unwrap();
    assert_eq!(single_gost_key(&c, &cert), gost_scalar(&expected));
}

#[test]
fn rfc9548_a2_1_and_a3_1_open() {
    let expected =
        PrivateKey::from_pkcs8_der(&data("rfc9548/rfc9548_A1_ee512_key.pkcs8.der")).unwrap();
    let cert = data("rfc9548/rfc9548_A1_ee512_cert.der");
    for file in [
        "rfc9548_A2_1_pfx_encrypted_key_clear_cert.pfx",
        "rfc9548_A3_1_pfx_encrypted_key_encrypted_cert.pfx",
    ] {
        let c = open(&format!("rfc9548/{file}"), RFC9548_PW);
        assert_eq!(single_gost_key(&c, &cert), gost_scalar(&expected), "{file}");
        assert!(c.certificates.iter().any(|e| e.der == cert), "{file}");
    }
}

#[test]
fn public_key_protected_pfx_is_unsupported() {
    let err = open_err(
        &data("rfc9548/rfc9548_pubkey_signed_enveloped.pfx"),
        RFC9548_PW,
    );
    assert!(matches!(err, PkiError::Unsupported(_)), "{err:?}");
}

// ---- Kalkan ----

#[test]
fn kalkan_p12_opens_and_matches_its_certificate() {
    let c = open("kz-nca/gokalkan_gost1.p12", "Qwerty12");
    let cert = data("kz-nca/gokalkan_gost1.cer.der");
    let expected =
        PrivateKey::from_pkcs8_der(&data("kz-nca/gokalkan_gost1.key.pkcs8.der")).unwrap();
    assert_eq!(single_gost_key(&c, &cert), gost_scalar(&expected));
    assert_eq!(c.certificates.len(), 1);
    assert_eq!(c.certificates[0].der, cert);
    assert_eq!(
        c.keys[0].key.as_gost().unwrap().family(),
        tamga_pki::OidFamily::Kz
    );
}

// ---- failures ----

const ALL: [(&str, &str); 19] = [
    ("std-pfx/rsa2048.default.pfx", STD_PW),
    ("std-pfx/rsa2048.legacy.pfx", STD_PW),
    ("std-pfx/rsa2048.certonly.pfx", STD_PW),
    ("std-pfx/ec_p256.default.pfx", STD_PW),
    ("std-pfx/ec_p256.legacy.pfx", STD_PW),
    ("std-pfx/ec_p256.nomac.pfx", STD_PW),
    ("std-pfx/ec_p256.utf8pass.pfx", "Пароль1234"),
    ("gost-pfx/ee256.gost89.md_gost12_256.pfx", STD_PW),
    ("gost-pfx/ee256.gost89.md_gost12_512.pfx", STD_PW),
    (
        "gost-pfx/ee256.kuznyechik-ctr-acpkm.md_gost12_512.pfx",
        STD_PW,
    ),
    ("gost-pfx/ee256.magma-ctr-acpkm.md_gost12_512.pfx", STD_PW),
    ("gost-pfx/ee512.gost89.md_gost12_512.pfx", STD_PW),
    (
        "gost-pfx/ee512.kuznyechik-ctr-acpkm.md_gost12_512.pfx",
        STD_PW,
    ),
    ("gost-pfx/ee512.magma-ctr-acpkm.md_gost12_512.pfx", STD_PW),
    ("rfc9548/r50_1_112_2016_example.pfx", RFC9548_PW),
    (
        "rfc9548/rfc9548_A2_1_pfx_encrypted_key_clear_cert.pfx",
        RFC9548_PW,
    ),
    (
        "rfc9548/rfc9548_A3_1_pfx_encrypted_key_encrypted_cert.pfx",
        RFC9548_PW,
    ),
    ("kz-nca/gokalkan_gost1.p12", "Qwerty12"),
    ("std-pfx/rsa2048.iter100k.pfx", STD_PW),
];

#[test]
fn wrong_passwords_are_wrong_passwords() {
    for (file, password) in ALL {
        for wrong in [
            format!("{password}x"),
            String::new(),
            password.to_uppercase(),
        ] {
            if wrong == password {
                continue;
            }
            assert_eq!(
                open_err(&data(file), &wrong),
                PkiError::WrongPassword,
                "{file} {wrong:?}"
            );
        }
    }
}

/// Without MacData only decryption can notice: the CBC pad or the structure of the plaintext.
#[test]
fn wrong_password_without_mac_is_caught_by_decryption() {
    let bytes = data("std-pfx/ec_p256.nomac.pfx");
    for n in 0..40 {
        let wrong = format!("wrong{n}");
        assert_eq!(open_err(&bytes, &wrong), PkiError::WrongPassword, "{wrong}");
    }
}

#[test]
fn truncated_files_are_corrupt() {
    for (file, password) in ALL {
        let bytes = data(file);
        for len in (0..bytes.len()).step_by(7).chain([bytes.len() - 1]) {
            let err = open_err(&bytes[..len], password);
            assert!(
                matches!(err, PkiError::Corrupt(_)),
                "{file}[..{len}]: {err:?}"
            );
        }
    }
}

/// A flipped bit is refused: Corrupt where it breaks the unencrypted structure, Unsupported
/// where it changes an OID or an iteration count beyond the limit, WrongPassword where only the
/// MAC notices (the MAC cannot tell a wrong password from a damaged body). A flip that still
/// opens (e.g. NULL → empty OCTET STRING in unused parameters) must give the same contents.
#[test]
fn flipped_bits_never_yield_other_contents() {
    for (file, password) in [
        ("gost-pfx/ee256.gost89.md_gost12_512.pfx", STD_PW),
        (
            "rfc9548/rfc9548_A2_1_pfx_encrypted_key_clear_cert.pfx",
            RFC9548_PW,
        ),
        ("kz-nca/gokalkan_gost1.p12", "Qwerty12"),
        ("std-pfx/ec_p256.default.pfx", STD_PW),
    ] {
        let bytes = data(file);
        let good = open(file, password);
        let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
        for i in (0..bytes.len()).step_by(5) {
            let mut bad = bytes.clone();
            bad[i] ^= 1 << (i % 8);
            let kind = match Pfx::parse(&bad).and_then(|p| p.open_with_limits(password, 100_000)) {
                Ok(c) => {
                    assert_eq!(c.certificates.len(), good.certificates.len(), "{file} @{i}");
                    for (a, b) in c.certificates.iter().zip(&good.certificates) {
                        assert_eq!(a.der, b.der, "{file} @{i}");
                    }
                    for (a, b) in c.keys.iter().zip(&good.keys) {
                        assert_eq!(
                            &a.key.to_pkcs8_der().unwrap()[..],
                            &b.key.to_pkcs8_der().unwrap()[..]
                        );
                    }
                    "ok"
                }
                Err(PkiError::Corrupt(_)) => "corrupt",
                Err(PkiError::WrongPassword) => "wrong password",
                Err(PkiError::Unsupported(_)) => "unsupported",
                Err(other) => panic!("{file} @{i}: {other:?}"),
            };
            *kinds.entry(kind).or_default() += 1;
        }
        assert!(
            kinds.contains_key("corrupt") && kinds.contains_key("wrong password"),
            "{file}: {kinds:?}"
        );
    }
}

#[test]
fn iteration_limit_refuses_costly_files() {
    let pfx = Pfx::parse(&data("std-pfx/rsa2048.iter100k.pfx")).unwrap();
    assert!(matches!(
        pfx.open_with_limits(STD_PW, 50_000),
        Err(PkiError::Unsupported(_))
    ));
    let pfx = Pfx::parse(&data("gost-pfx/ee256.gost89.md_gost12_512.pfx")).unwrap();
    assert!(matches!(
        pfx.open_with_limits(STD_PW, 1000),
        Err(PkiError::Unsupported(_))
    ));
}
