//! Key and certificate files → tamga-gost keys, plus the hash each key prescribes.
//!
//! Reads what OpenSSL's gost engine and Kalkan write: PKCS#8 PrivateKeyInfo, SubjectPublicKeyInfo
//! and X.509 certificates, PEM or DER. The structures are walked by hand on top of `der`'s TLV
//! reader rather than through the RustCrypto `pkcs8`/`x509-cert` types: GOST parameters are a
//! SEQUENCE of OIDs that those crates leave to the caller anyway, and a hand walk tolerates the
//! encoders' variations (three `privateKey` layouts, raw or wrapped public keys, NULL parameters).
//! Everything read from a private-key file lives in `Zeroizing` buffers.

use std::fs;
use std::io::Read;
use std::path::Path;

use base64ct::{Base64, Encoding};
use der::asn1::{AnyRef, ObjectIdentifier};
use der::{Decode, Reader, SliceReader, Tag, Tagged};
use tamga_gost::{Curve, PublicKey, SecretKey};
use zeroize::Zeroizing;

use crate::error::{Failure, Result};
use crate::hash::HashAlg;
use crate::oids::{self, KeyAlgorithm};

/// A private key read from a file.
pub struct PrivateKeyFile {
    pub secret: SecretKey,
    /// The hash the key's algorithm and parameters prescribe.
    pub hash: HashAlg,
}

/// A public key read from a SubjectPublicKeyInfo or a certificate.
pub struct PublicKeyFile {
    pub public: PublicKey,
    /// The hash the key's algorithm and parameters prescribe.
    pub hash: HashAlg,
}

/// What an AlgorithmIdentifier of a GOST key says.
struct KeyParams {
    curve: Curve,
    hash: HashAlg,
}

pub fn load_private_key(path: &Path) -> Result<PrivateKeyFile> {
    let raw = read_file(path)?;
    parse_private_key(&raw).map_err(|e| e.in_file(path))
}

pub fn load_public_key(path: &Path) -> Result<PublicKeyFile> {
    let raw = read_file(path)?;
    parse_public_key(&raw).map_err(|e| e.in_file(path))
}

pub fn load_certificate(path: &Path) -> Result<PublicKeyFile> {
    let raw = read_file(path)?;
    parse_certificate(&raw).map_err(|e| e.in_file(path))
}

/// A whole file, into a buffer that is wiped when dropped (it may hold a private key).
pub fn read_file(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let mut buf = Zeroizing::new(Vec::new());
    let read = if path.as_os_str() == "-" {
        std::io::stdin().lock().read_to_end(&mut buf)
    } else {
        // Sized up front so that the buffer never reallocates and leaves unwiped copies behind.
        let len = fs::metadata(path).map(|m| m.len() as usize).unwrap_or(0);
        buf.reserve_exact(len.saturating_add(1));
        fs::File::open(path).and_then(|mut f| f.read_to_end(&mut buf))
    };
    read.map_err(|e| Failure::io("read", path, &e))?;
    Ok(buf)
}

pub fn parse_private_key(data: &[u8]) -> Result<PrivateKeyFile> {
    let der = pem_or_der(data, &["PRIVATE KEY"], "a PKCS#8 private key")?;
    let top = sequence(parse_tlv(&der)?, "PrivateKeyInfo")?;
    if top.first().is_some_and(|v| v.tag() == Tag::Sequence) {
        return Err(Failure::invalid(
            "encrypted PKCS#8 keys are not supported: decrypt first (openssl pkcs8 -in KEY -out PLAIN) \
             / зашифрованные ключи не поддерживаются",
        ));
    }
    let [version, algorithm, private_key, ..] = top[..] else {
        return Err(not_a("PKCS#8 PrivateKeyInfo"));
    };
    // v1 (0) and v2 (1, RFC 5958, may carry the public key); a PKCS#12 file would say 3.
    if version.tag() != Tag::Integer || !matches!(version.value(), [0] | [1]) {
        return Err(not_a("PKCS#8 PrivateKeyInfo (bad version)"));
    }
    let params = key_params(algorithm)?;
    let content = octet_string(private_key, "privateKey")?;
    let secret = secret_scalar(params.curve, content)?;
    Ok(PrivateKeyFile {
        secret,
        hash: params.hash,
    })
}

pub fn parse_public_key(data: &[u8]) -> Result<PublicKeyFile> {
    let der = pem_or_der(data, &["PUBLIC KEY"], "a public key (SubjectPublicKeyInfo)")?;
    spki(parse_tlv(&der)?)
}

pub fn parse_certificate(data: &[u8]) -> Result<PublicKeyFile> {
    let der = pem_or_der(data, &["CERTIFICATE", "X509 CERTIFICATE"], "a certificate")?;
    let cert = sequence(parse_tlv(&der)?, "Certificate")?;
    let Some(&tbs) = cert.first() else {
        return Err(not_a("X.509 certificate"));
    };
    let tbs = sequence(tbs, "TBSCertificate")?;
    // TBSCertificate: [0] version OPTIONAL, serial, signature, issuer, validity, subject, SPKI.
    let skip = match tbs.first() {
        Some(v) if v.tag().is_context_specific() && v.tag().number().value() == 0 => 1,
        _ => 0,
    };
    let Some(&spki_any) = tbs.get(skip + 5) else {
        return Err(not_a("X.509 certificate (TBSCertificate too short)"));
    };
    spki(spki_any)
}

fn spki(any: AnyRef<'_>) -> Result<PublicKeyFile> {
    let parts = sequence(any, "SubjectPublicKeyInfo")?;
    let [algorithm, bits] = parts[..] else {
        return Err(not_a("SubjectPublicKeyInfo"));
    };
    let params = key_params(algorithm)?;
    if bits.tag() != Tag::BitString {
        return Err(not_a("SubjectPublicKeyInfo (no BIT STRING)"));
    }
    let body = match bits.value() {
        [0, body @ ..] => body,
        _ => return Err(not_a("SubjectPublicKeyInfo (BIT STRING with unused bits)")),
    };
    // RFC 9215 §4.3 wraps X‖Y in an OCTET STRING; a bare X‖Y (2L bytes, never a valid wrapper
    // length) is accepted too.
    let xy = if body.len() == 2 * params.curve.scalar_len() {
        body
    } else {
        octet_string(parse_tlv(body)?, "public key")?
    };
    let public = PublicKey::from_bytes(params.curve, xy)
        .map_err(|e| Failure::invalid(format!("bad {} public key: {e}", params.curve)))?;
    Ok(PublicKeyFile {
        public,
        hash: params.hash,
    })
}

/// Reads an AlgorithmIdentifier { GOST key OID, SEQUENCE { curve OID, [digest OID], ... } }.
fn key_params(any: AnyRef<'_>) -> Result<KeyParams> {
    let parts = sequence(any, "AlgorithmIdentifier")?;
    let Some(&alg_oid) = parts.first() else {
        return Err(not_a("AlgorithmIdentifier"));
    };
    let alg_oid = oid(alg_oid)?;
    let algorithm = oids::key_algorithm(&alg_oid).ok_or_else(|| {
        Failure::invalid(format!(
            "not a GOST key (algorithm {alg_oid}) / ключ не является ключом ГОСТ"
        ))
    })?;
    let (curve_oid, digest_oid) = match parts.get(1) {
        Some(p) if p.tag() == Tag::Sequence => {
            let ps = sequence(*p, "GOST key parameters")?;
            let curve = ps.first().ok_or_else(|| not_a("GOST key parameters"))?;
            (oid(*curve)?, ps.get(1).map(|d| oid(*d)).transpose()?)
        }
        // Some encoders give the parameter-set OID alone.
        Some(p) if p.tag() == Tag::ObjectIdentifier => (oid(*p)?, None),
        // Gamma's algorithm OID is itself the parameter set's; parameters may be absent or NULL.
        Some(p) if p.tag() == Tag::Null => (alg_oid.clone(), None),
        None => (alg_oid.clone(), None),
        Some(_) => return Err(not_a("GOST key parameters")),
    };
    let curve = Curve::from_oid(&curve_oid).map_err(|_| {
        Failure::invalid(format!(
            "unknown GOST parameter set {curve_oid} / неизвестный набор параметров"
        ))
    })?;
    check_size(algorithm, curve)?;
    let hash = digest_oid
        .as_deref()
        .and_then(oids::digest)
        .unwrap_or(algorithm.hash);
    Ok(KeyParams { curve, hash })
}

fn check_size(algorithm: &KeyAlgorithm, curve: Curve) -> Result<()> {
    if algorithm.bits == curve.bits() {
        Ok(())
    } else {
        Err(Failure::invalid(format!(
            "{} key ({}) on the {}-bit parameter set {curve}",
            algorithm.name,
            algorithm.oid,
            curve.bits()
        )))
    }
}

/// The scalar in a PKCS#8 `privateKey`: OpenSSL's bare little-endian bytes, an OCTET STRING
/// around them (Kalkan, older engines) or a big-endian INTEGER (the oldest engines).
fn secret_scalar(curve: Curve, content: &[u8]) -> Result<SecretKey> {
    let l = curve.scalar_len();
    let bad_key = |e: tamga_gost::Error| Failure::invalid(format!("bad {curve} private key: {e}"));
    // A wrapper of exactly L bytes would hold a key of L-2 bytes (odds 2^-16); the bare form is
    // what OpenSSL writes, so it wins the tie.
    if content.len() == l {
        return SecretKey::from_le_bytes(curve, content).map_err(bad_key);
    }
    match AnyRef::from_der(content) {
        Ok(inner) if inner.tag() == Tag::OctetString && inner.value().len() <= l => {
            SecretKey::from_le_bytes(curve, inner.value()).map_err(bad_key)
        }
        Ok(inner) if inner.tag() == Tag::Integer => {
            let be = match inner.value() {
                [0, rest @ ..] => rest,
                [first, ..] if first & 0x80 != 0 => {
                    return Err(Failure::invalid("bad private key: negative INTEGER"))
                }
                v => v,
            };
            if be.len() > l {
                return Err(Failure::invalid(format!("bad {curve} private key: too long")));
            }
            SecretKey::from_be_bytes(curve, be).map_err(bad_key)
        }
        _ if !content.is_empty() && content.len() < l => {
            SecretKey::from_le_bytes(curve, content).map_err(bad_key)
        }
        _ => Err(Failure::invalid(format!(
            "bad {curve} private key: {} bytes where {l} were expected (masked keys are not supported)",
            content.len()
        ))),
    }
}

/// The DER inside `data`: the first PEM block with one of `labels`, or `data` itself when it
/// looks like DER. PEM parsing is lenient about line lengths and surrounding text (`openssl x509
/// -text` output, Windows line ends), strict about the base64 itself.
fn pem_or_der(data: &[u8], labels: &[&str], what: &str) -> Result<Zeroizing<Vec<u8>>> {
    if data.is_empty() {
        return Err(Failure::invalid("file is empty / файл пуст"));
    }
    // DER always opens with a SEQUENCE; PEM text never starts with '0'.
    if data[0] == 0x30 {
        return Ok(Zeroizing::new(data.to_vec()));
    }
    let Some(start) = find(data, b"-----BEGIN ") else {
        return Err(Failure::invalid(format!(
            "neither PEM nor DER: expected {what} / неверный формат файла"
        )));
    };
    let mut rest = &data[start..];
    let mut seen = Vec::new();
    loop {
        let header = &rest[b"-----BEGIN ".len()..];
        let label_end = find(header, b"-----").ok_or_else(truncated_pem)?;
        let label = String::from_utf8_lossy(&header[..label_end]).into_owned();
        let body = &header[label_end + 5..];
        let end_line = format!("-----END {label}-----");
        let end = find(body, end_line.as_bytes()).ok_or_else(truncated_pem)?;
        if labels.contains(&label.as_str()) {
            return decode_base64(&body[..end]);
        }
        if label == "ENCRYPTED PRIVATE KEY" && labels.contains(&"PRIVATE KEY") {
            return Err(Failure::invalid(
                "encrypted PKCS#8 keys are not supported: decrypt first (openssl pkcs8 -in KEY -out PLAIN) \
                 / зашифрованные ключи не поддерживаются",
            ));
        }
        seen.push(label);
        rest = &body[end..];
        match find(rest, b"-----BEGIN ") {
            Some(next) => rest = &rest[next..],
            None => {
                return Err(Failure::invalid(format!(
                    "expected {what}, found PEM {} / неверный тип PEM",
                    seen.join(", ")
                )))
            }
        }
    }
}

fn decode_base64(text: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    if find(text, b"Proc-Type:").is_some() {
        return Err(Failure::invalid(
            "encrypted (legacy) PEM keys are not supported / зашифрованные ключи не поддерживаются",
        ));
    }
    let b64: Zeroizing<Vec<u8>> = Zeroizing::new(
        text.iter()
            .copied()
            .filter(|c| !c.is_ascii_whitespace())
            .collect(),
    );
    let mut out = Zeroizing::new(vec![0u8; b64.len() / 4 * 3 + 3]);
    let n = Base64::decode(&b64[..], &mut out[..])
        .map_err(|_| Failure::invalid("bad base64 in PEM / повреждённый PEM"))?
        .len();
    out.truncate(n);
    Ok(out)
}

fn truncated_pem() -> Failure {
    Failure::invalid("truncated PEM: no END line / PEM-файл обрезан")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_tlv(bytes: &[u8]) -> Result<AnyRef<'_>> {
    AnyRef::from_der(bytes).map_err(der_error)
}

/// The elements of a SEQUENCE.
fn sequence<'a>(any: AnyRef<'a>, what: &str) -> Result<Vec<AnyRef<'a>>> {
    if any.tag() != Tag::Sequence {
        return Err(not_a(what));
    }
    let mut reader = SliceReader::new(any.value()).map_err(der_error)?;
    let mut items = Vec::new();
    while !reader.is_finished() {
        items.push(reader.decode::<AnyRef<'a>>().map_err(der_error)?);
    }
    Ok(items)
}

fn octet_string<'a>(any: AnyRef<'a>, what: &str) -> Result<&'a [u8]> {
    if any.tag() == Tag::OctetString {
        Ok(any.value())
    } else {
        Err(not_a(&format!("{what} (no OCTET STRING)")))
    }
}

fn oid(any: AnyRef<'_>) -> Result<String> {
    if any.tag() != Tag::ObjectIdentifier {
        return Err(not_a("OBJECT IDENTIFIER"));
    }
    ObjectIdentifier::from_bytes(any.value())
        .map(|o| o.to_string())
        .map_err(|_| Failure::invalid("malformed OBJECT IDENTIFIER"))
}

fn not_a(what: &str) -> Failure {
    Failure::invalid(format!("malformed {what} / повреждённая структура"))
}

/// `der`'s messages name positions and tags only, never content, so they are safe to show.
fn der_error(e: der::Error) -> Failure {
    Failure::invalid(format!("malformed DER: {e} / повреждённый DER"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_DER: &[u8] = include_bytes!("../tests/data/openssl-gost/cryptopro-256-A.key.der");
    const PUB_PEM: &[u8] = include_bytes!("../tests/data/openssl-gost/cryptopro-256-A.pub.pem");
    const CERT_PEM: &[u8] = include_bytes!("../tests/data/openssl-gost/cryptopro-256-A.crt.pem");
    const CP_A: &str = "1.2.643.2.2.35.1";

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

    fn oid_tlv(oid: &str) -> Vec<u8> {
        tlv(0x06, ObjectIdentifier::new(oid).unwrap().as_bytes())
    }

    /// AlgorithmIdentifier { alg, SEQUENCE { params... } } (no parameters when `params` is empty).
    fn alg_id(alg: &str, params: &[&str]) -> Vec<u8> {
        let mut body = oid_tlv(alg);
        if !params.is_empty() {
            body.extend(tlv(
                0x30,
                &params.iter().flat_map(|p| oid_tlv(p)).collect::<Vec<_>>(),
            ));
        }
        tlv(0x30, &body)
    }

    fn pkcs8(alg: &str, params: &[&str], content: &[u8]) -> Vec<u8> {
        let mut body = vec![0x02, 0x01, 0x00];
        body.extend(alg_id(alg, params));
        body.extend(tlv(0x04, content));
        tlv(0x30, &body)
    }

    /// A small valid scalar, little-endian, L bytes.
    fn scalar(len: usize) -> Vec<u8> {
        let mut d = vec![0u8; len];
        d[0] = 0x2a;
        d[5] = 0x17;
        d
    }

    fn fixture_scalar_le() -> Vec<u8> {
        // OpenSSL writes the bare scalar: the last 32 bytes of the DER.
        KEY_DER[KEY_DER.len() - 32..].to_vec()
    }

    fn err(r: Result<impl Sized>) -> String {
        match r {
            Ok(_) => panic!("expected an error"),
            Err(e) => {
                assert_eq!(e.exit_code(), 2);
                e.to_string()
            }
        }
    }

    #[test]
    fn private_key_content_layouts_agree() {
        let expected = parse_public_key(PUB_PEM).unwrap().public;
        let le = fixture_scalar_le();
        let mut be = le.clone();
        be.reverse();
        let mut int_body = be.clone();
        if int_body[0] & 0x80 != 0 {
            int_body.insert(0, 0);
        }
        let layouts = [
            ("bare", le.clone()),
            ("octet string", tlv(0x04, &le)),
            ("integer", tlv(0x02, &int_body)),
        ];
        for (name, content) in layouts {
            let der = pkcs8("1.2.643.7.1.1.1.1", &[CP_A, "1.2.643.7.1.1.2.2"], &content);
            let key = parse_private_key(&der).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(key.secret.public_key(), expected, "{name}");
            assert_eq!(key.hash, HashAlg::Streebog256);
        }
        assert_eq!(
            parse_private_key(KEY_DER).unwrap().secret.public_key(),
            expected
        );
    }

    #[test]
    fn hash_follows_the_key() {
        use HashAlg::*;
        let cases: &[(&str, &[&str], usize, HashAlg)] = &[
            (
                "1.2.643.7.1.1.1.1",
                &["1.2.643.7.1.2.1.1.1"],
                32,
                Streebog256,
            ),
            (
                "1.2.643.7.1.1.1.2",
                &["1.2.643.7.1.2.1.2.3"],
                64,
                Streebog512,
            ),
            // OpenSSL 2001 keys name the CryptoPro 34.11-94 S-box, which tamga does not have.
            ("1.2.643.2.2.19", &[CP_A, "1.2.643.2.2.30.1"], 32, Gost34311),
            (
                "1.2.398.3.10.1.1.1.1",
                &["1.2.398.3.10.1.1.1.1.1"],
                32,
                Gost34311,
            ),
            (
                "1.2.398.3.10.1.1.2.1",
                &["1.2.398.3.10.1.1.2.1.1"],
                32,
                Streebog256,
            ),
            (
                "1.2.398.3.10.1.1.2.2",
                &["1.2.398.3.10.1.1.2.2.1", "1.2.398.3.10.1.3.3"],
                64,
                Streebog512,
            ),
            // Gamma: the algorithm OID doubles as the parameter set.
            ("1.3.6.1.4.1.6801.1.5.8", &[], 32, Gost34311),
            (
                "1.3.6.1.4.1.6801.1.5.8",
                &["1.3.6.1.4.1.6801.1.5.8"],
                32,
                Gost34311,
            ),
            // A digest named in the parameters wins.
            (
                "1.2.643.7.1.1.1.1",
                &["1.2.643.7.1.2.1.1.1", "1.2.398.3.10.1.3.1"],
                32,
                Gost34311,
            ),
            (
                "1.2.398.3.10.1.1.1.1",
                &["1.2.398.3.10.1.1.1.1.1", "1.2.398.3.10.1.3.2"],
                32,
                Streebog256,
            ),
        ];
        for &(alg, params, len, hash) in cases {
            let key = parse_private_key(&pkcs8(alg, params, &scalar(len)))
                .unwrap_or_else(|e| panic!("{alg} {params:?}: {e}"));
            assert_eq!(key.hash, hash, "{alg} {params:?}");
        }
    }

    #[test]
    fn bad_private_keys_are_errors() {
        let cases: &[(Vec<u8>, &str)] = &[
            (
                pkcs8("1.2.643.7.1.1.1.1", &["1.2.643.7.1.2.1.2.1"], &scalar(64)),
                "512-bit parameter set",
            ),
            (
                pkcs8("1.2.643.7.1.1.1.1", &["1.2.3.4"], &scalar(32)),
                "unknown GOST parameter set 1.2.3.4",
            ),
            (
                pkcs8("1.2.840.10045.2.1", &[CP_A], &scalar(32)),
                "not a GOST key",
            ),
            (
                pkcs8("1.2.643.7.1.1.1.1", &[CP_A], &[0u8; 32]),
                "invalid private key",
            ),
            (
                pkcs8("1.2.643.7.1.1.1.1", &[CP_A], &[0xffu8; 32]),
                "invalid private key",
            ),
            (
                pkcs8("1.2.643.7.1.1.1.1", &[CP_A], &scalar(64)),
                "masked keys are not supported",
            ),
            (
                pkcs8("1.2.643.7.1.1.1.1", &[CP_A], &tlv(0x02, &[0x80, 1])),
                "negative",
            ),
            (pkcs8("1.2.643.7.1.1.1.1", &[CP_A], &[]), "0 bytes"),
            (
                pkcs8("1.2.643.7.1.1.1.1", &[], &scalar(32)),
                "unknown GOST parameter set",
            ),
            (tlv(0x30, &[0x02, 0x01, 0x03]), "malformed PKCS#8"),
            (vec![0x30, 0x03, 0x02, 0x01], "malformed DER"),
            (
                b"-----BEGIN PRIVATE KEY-----\nMIIB\n".to_vec(),
                "truncated PEM",
            ),
            (
                b"-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n".to_vec(),
                "bad base64",
            ),
            (
                b"-----BEGIN EC PRIVATE KEY-----\nAA==\n-----END EC PRIVATE KEY-----\n".to_vec(),
                "found PEM EC PRIVATE KEY",
            ),
            (b"hello".to_vec(), "neither PEM nor DER"),
            (Vec::new(), "empty"),
        ];
        for (der, needle) in cases {
            let msg = err(parse_private_key(der));
            assert!(msg.contains(needle), "{msg:?} lacks {needle:?}");
        }
    }

    #[test]
    fn public_key_forms() {
        let expected = parse_public_key(PUB_PEM).unwrap();
        assert_eq!(expected.hash, HashAlg::Streebog256);
        let from_cert = parse_certificate(CERT_PEM).unwrap();
        assert_eq!(from_cert.public, expected.public);
        // A bare X‖Y in the BIT STRING (no OCTET STRING wrapper).
        let xy = expected.public.to_bytes();
        let mut bits = vec![0u8];
        bits.extend_from_slice(&xy);
        let mut body = alg_id("1.2.643.7.1.1.1.1", &[CP_A]);
        body.extend(tlv(0x03, &bits));
        let bare = parse_public_key(&tlv(0x30, &body)).unwrap();
        assert_eq!(bare.public, expected.public);
        // A point off the curve.
        let mut bad = xy.clone();
        bad[0] ^= 1;
        let mut bits = vec![0u8];
        bits.extend(tlv(0x04, &bad));
        let mut body = alg_id("1.2.643.7.1.1.1.1", &[CP_A]);
        body.extend(tlv(0x03, &bits));
        assert!(err(parse_public_key(&tlv(0x30, &body))).contains("invalid public key"));
    }

    #[test]
    fn pem_is_read_leniently() {
        let der = pem_or_der(CERT_PEM, &["CERTIFICATE"], "a certificate").unwrap();
        // Re-wrapped at 76 columns with CRLF, after some text and another PEM block.
        let mut b64 = vec![0u8; der.len() * 4 / 3 + 4];
        let b64 = Base64::encode(&der, &mut b64).unwrap();
        let mut pem = String::from("Certificate:\r\n    Data: ...\r\n");
        pem += "-----BEGIN X509 CRL-----\r\nAAAA\r\n-----END X509 CRL-----\r\n";
        pem += "-----BEGIN CERTIFICATE-----\r\n";
        for line in b64.as_bytes().chunks(76) {
            pem += std::str::from_utf8(line).unwrap();
            pem += "\r\n";
        }
        pem += "-----END CERTIFICATE-----\r\n";
        let parsed = parse_certificate(pem.as_bytes()).unwrap();
        assert_eq!(parsed.public, parse_certificate(CERT_PEM).unwrap().public);
    }
}
