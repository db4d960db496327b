//! PKCS#8 private keys in every layout tamga reads, against third-party keys: OpenSSL's bare
//! scalar, Kalkan's wrapped one, an INTEGER, R 50.1.112's masked key, PKCS#8 v2 with its public
//! key; RSA and EC carried; writing back in OpenSSL's layout; errors; no secret in `Debug`.

use tamga_gost::Curve;
use tamga_pki::private_key::{GostKey, PrivateKey};
use tamga_pki::{Certificate, OidFamily, PkiError};

fn data(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/data/pfx/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn gost(key: &PrivateKey) -> &GostKey {
    key.as_gost().expect("a GOST key")
}

fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match body.len() {
        n @ 0..=0x7f => out.push(n as u8),
        n @ 0x80..=0xff => out.extend([0x81, n as u8]),
        n => out.extend([0x82, (n >> 8) as u8, n as u8]),
    }
    out.extend_from_slice(body);
    out
}

/// `der` (a v1 PrivateKeyInfo whose last element is the privateKey OCTET STRING of `old_len`
/// content bytes) with that content replaced.
fn with_private_key(der: &[u8], old_len: usize, content: &[u8]) -> Vec<u8> {
    let outer_header = if der[1] & 0x80 != 0 {
        2 + usize::from(der[1] & 0x7f)
    } else {
        2
    };
    let body = &der[outer_header..];
    let inner_header = if old_len < 0x80 { 2 } else { 3 };
    let keep = &body[..body.len() - old_len - inner_header];
    let mut new_body = keep.to_vec();
    new_body.extend(tlv(0x04, content));
    tlv(0x30, &new_body)
}

#[test]
fn openssl_bare_scalar_round_trips_byte_for_byte() {
    for file in [
        "pki-gost/ee256_key.der",
        "pki-gost/ee256a_key.der",
        "pki-gost/ee512_key.der",
    ] {
        let der = data(file);
        let key = PrivateKey::from_pkcs8_der(&der).unwrap();
        assert_eq!(gost(&key).family(), OidFamily::Tc26);
        assert_eq!(&key.to_pkcs8_der().unwrap()[..], &der[..], "{file}");
    }
    let key = PrivateKey::from_pkcs8_der(&data("pki-gost/ee512_key.der")).unwrap();
    let cert = Certificate::from_der(&data("pki-gost/ee512_cert.der")).unwrap();
    assert_eq!(gost(&key).public_key(), cert.public_key().unwrap().key);
    assert_eq!(gost(&key).curve(), Curve::Tc26_512A);
}

#[test]
fn pem_is_read() {
    let pem = String::from_utf8(data("pki-gost/ee256_key.pem")).unwrap();
    let from_pem = PrivateKey::from_pkcs8_pem(&pem).unwrap();
    let from_der = PrivateKey::from_pkcs8_der(&data("pki-gost/ee256_key.der")).unwrap();
    assert_eq!(
        gost(&from_pem).secret().to_le_bytes(),
        gost(&from_der).secret().to_le_bytes()
    );
    for (file, rsa) in [
        ("std-pfx/rsa2048_key.pem", true),
        ("std-pfx/ec_p256_key.pem", false),
    ] {
        let pem = String::from_utf8(data(file)).unwrap();
        match (PrivateKey::from_pkcs8_pem(&pem).unwrap(), rsa) {
            (PrivateKey::Rsa(_), true) | (PrivateKey::EcP256(_), false) => {}
            (other, _) => panic!("{file}: {other:?}"),
        }
    }
    let cert = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
    assert!(matches!(
        PrivateKey::from_pkcs8_pem(cert),
        Err(PkiError::Corrupt(_))
    ));
}

/// The Kalkan layout (OCTET STRING { OCTET STRING (LE) }), the bare one and a big-endian
/// INTEGER all give the key of the Kalkan certificate; the reversed byte order does not.
#[test]
fn kalkan_wrapped_bare_and_integer_layouts_agree() {
    let der = data("kz-nca/gokalkan_gost1.key.pkcs8.der");
    let key = PrivateKey::from_pkcs8_der(&der).unwrap();
    let k = gost(&key);
    assert_eq!(k.family(), OidFamily::Kz);
    let cert = Certificate::from_der(&data("kz-nca/gokalkan_gost1.cer.der")).unwrap();
    assert_eq!(k.public_key(), cert.public_key().unwrap().key);

    let le = k.secret().to_le_bytes().to_vec();
    let mut be = le.clone();
    be.reverse();
    let mut int = be.clone();
    if int[0] & 0x80 != 0 {
        int.insert(0, 0);
    }
    for (name, content) in [("bare", le.clone()), ("integer", tlv(0x02, &int))] {
        let variant = PrivateKey::from_pkcs8_der(&with_private_key(&der, 66, &content)).unwrap();
        assert_eq!(gost(&variant).public_key(), k.public_key(), "{name}");
    }
    let reversed = PrivateKey::from_pkcs8_der(&with_private_key(&der, 66, &be));
    assert!(reversed.map_or(true, |r| gost(&r).public_key() != k.public_key()));
}

/// R 50.1.112-2016's masked key (k′ ‖ mask): the unmasked scalar is the expected key's.
#[test]
fn masked_key_is_unmasked() {
    let expected =
        PrivateKey::from_pkcs8_der(&data("rfc9548/r50_1_112_2016_example.expected_pkcs8.der"))
            .unwrap();
    let cert = Certificate::from_der(&data("rfc9548/r50_1_112_2016_example.cert.der")).unwrap();
    assert_eq!(gost(&expected).public_key(), cert.public_key().unwrap().key);
    let pfx = tamga_pki::pfx::Pfx::parse(&data("rfc9548/r50_1_112_2016_example.pfx")).unwrap();
    let opened = pfx.open("Пароль для PFX").unwrap();
    assert_eq!(
        gost(&opened.keys[0].key).secret().to_le_bytes(),
        gost(&expected).secret().to_le_bytes()
    );
}

#[test]
fn v2_public_key_must_match() {
    let der = data("rfc9548/rfc9548_A1_ee512_key.pkcs8.der");
    let key = PrivateKey::from_pkcs8_der(&der).unwrap();
    let cert = Certificate::from_der(&data("rfc9548/rfc9548_A1_ee512_cert.der")).unwrap();
    assert_eq!(gost(&key).public_key(), cert.public_key().unwrap().key);
    // Written back as v1 (what OpenSSL 3.0 can load).
    let v1 = key.to_pkcs8_der().unwrap();
    assert_eq!(v1[2..5], [0x02, 0x01, 0x00]);
    assert_eq!(
        gost(&PrivateKey::from_pkcs8_der(&v1).unwrap())
            .secret()
            .to_le_bytes(),
        gost(&key).secret().to_le_bytes()
    );
    let mut bad = der.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert!(matches!(
        PrivateKey::from_pkcs8_der(&bad),
        Err(PkiError::Corrupt(_))
    ));
}

#[test]
fn new_keys_are_named_per_family() {
    let secret = tamga_gost::SecretKey::from_seed(Curve::Tc26_512A, &[3; 128]);
    let kz = GostKey::new(secret.clone(), OidFamily::Kz).unwrap();
    assert_eq!(kz.algorithm().oid.to_string(), "1.2.398.3.10.1.1.2.2");
    let ru = GostKey::new(secret, OidFamily::Tc26).unwrap();
    assert_eq!(ru.algorithm().oid.to_string(), "1.2.643.7.1.1.1.2");
    for key in [kz, ru] {
        let back = PrivateKey::from_pkcs8_der(&key.to_pkcs8_der().unwrap()).unwrap();
        assert_eq!(
            gost(&back).secret().to_le_bytes(),
            key.secret().to_le_bytes()
        );
        assert_eq!(gost(&back).family(), key.family());
    }
    let secret = tamga_gost::SecretKey::from_seed(Curve::Tc26_512C, &[3; 128]);
    assert!(GostKey::new(secret.clone(), OidFamily::Gamma).is_err());
    assert!(GostKey::new(secret, OidFamily::Kz).is_err());
}

#[test]
fn bad_keys_are_errors() {
    let der = data("pki-gost/ee256_key.der");
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (with_private_key(&der, 32, &[0; 32]), "zero"),
        (with_private_key(&der, 32, &[0xff; 32]), "above q"),
        (with_private_key(&der, 32, &[]), "empty"),
        (with_private_key(&der, 32, &[1; 40]), "40 bytes"),
        (
            with_private_key(&der, 32, &tlv(0x02, &[0x80, 1])),
            "negative",
        ),
        (der[..der.len() - 1].to_vec(), "truncated"),
        (b"hello".to_vec(), "text"),
        (Vec::new(), "nothing"),
    ];
    for (bytes, name) in cases {
        match PrivateKey::from_pkcs8_der(&bytes) {
            Err(PkiError::Corrupt(_) | PkiError::InvalidKey(_)) => {}
            other => panic!("{name}: {other:?}"),
        }
    }
    // An algorithm tamga does not know.
    let mut unknown = der.clone();
    let at = unknown
        .windows(3)
        .position(|w| w == [0x06, 0x08, 0x2a])
        .unwrap();
    unknown[at + 9] ^= 0x40;
    assert!(matches!(
        PrivateKey::from_pkcs8_der(&unknown),
        Err(PkiError::Unsupported(_))
    ));
}

#[test]
fn debug_never_shows_the_secret() {
    let key = PrivateKey::from_pkcs8_der(&data("pki-gost/ee512_key.der")).unwrap();
    let secret = hex::encode(gost(&key).secret().to_le_bytes());
    let shown = format!("{key:?} {:?}", gost(&key));
    assert!(!shown.to_lowercase().contains(&secret[..16]), "{shown}");
    let rsa =
        PrivateKey::from_pkcs8_pem(&String::from_utf8(data("std-pfx/rsa2048_key.pem")).unwrap())
            .unwrap();
    assert_eq!(format!("{rsa:?}"), "Rsa(..)");
}

#[test]
fn key_files_plain_or_encrypted_pem_or_der() {
    use tamga_pki::private_key::Pkcs8File;
    // Plain PKCS#8, DER and PEM (with text around the block).
    let der = data("pki-gost/ee256_key.der");
    let plain = Pkcs8File::parse(&der).unwrap();
    assert!(!plain.is_encrypted());
    let key = plain.decrypt("ignored").unwrap();
    let pem = data("pki-gost/ee256_key.pem");
    let mut noisy = b"Private-Key: (256 bit)\r\n".to_vec();
    noisy.extend_from_slice(&pem);
    let from_pem = Pkcs8File::parse(&noisy).unwrap().decrypt("").unwrap();
    assert_eq!(gost(&key).public_key(), gost(&from_pem).public_key());
    // Encrypted (PBES2, AES-256-CBC): a password is needed, a wrong one is WrongPassword.
    let enc = data("std-pfx/ec_p256_key.enc.p8.der");
    let file = Pkcs8File::parse(&enc).unwrap();
    assert!(file.is_encrypted());
    assert_eq!(format!("{file:?}"), "Encrypted(..)");
    assert!(matches!(
        file.decrypt("Test1234"),
        Ok(PrivateKey::EcP256(_))
    ));
    assert_eq!(
        Pkcs8File::parse(&enc)
            .unwrap()
            .decrypt("Test1235")
            .unwrap_err(),
        PkiError::WrongPassword
    );
    // What is not a private key says what it is.
    let cert = data("std-pfx/rsa2048_cert.pem");
    let err = Pkcs8File::parse(&cert).unwrap_err().to_string();
    assert!(err.contains("found PEM CERTIFICATE"), "{err}");
    let err = Pkcs8File::parse(b"hello").unwrap_err().to_string();
    assert!(err.contains("neither PEM nor DER"), "{err}");
    let err = Pkcs8File::parse(&der[..der.len() - 5])
        .unwrap_err()
        .to_string();
    assert!(err.contains("malformed DER"), "{err}");
}
