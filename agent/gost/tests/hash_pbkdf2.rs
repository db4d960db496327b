//! PBKDF2-HMAC-Streebog against published vectors and third-party PFX files.
//!
//! 1. R 50.1.111-2016 (TC 26) Appendix A vectors, republished in RFC 9337 and transcribed from
//!    pygost `tests/test_gost34112012.py` (class TestPBKDF2); RustCrypto `pbkdf2` carries the
//!    same values in its GOST test. Checked here against RustCrypto `pbkdf2`+`hmac`+`streebog`
//!    while this module was written (all equal).
//! 2. The PBKDF2 keys that pygost's PFX tests print for R 50.1.112-2016 and RFC 9548 A.2.1 /
//!    A.3.1 (tests/data/rfc9548_keys.txt), with salt and iteration count read from the PBES2
//!    and MacData structures of those PFX files (tests/data/pfx/).
//! 3. End to end: the MACs of those PFX files and of two made by OpenSSL's gost engine
//!    (one with HMAC-Streebog-256), which exercises PBKDF2 with both PRFs plus the HMAC.

use tamga_gost::hash::hmac::{hmac_streebog256, hmac_streebog512};
use tamga_gost::hash::pbkdf2::{pbkdf2_hmac_streebog256, pbkdf2_hmac_streebog512, Pbkdf2Error};

fn dk512(password: &[u8], salt: &[u8], c: u32, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    pbkdf2_hmac_streebog512(password, salt, c, &mut out).expect("valid parameters");
    out
}

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).expect("hex")
}

/// (password, salt, c, dkLen, DK in hex).
type Case<'a> = (&'a [u8], &'a [u8], u32, usize, &'a str);

#[test]
fn r50_1_111_2016_vectors() {
    let cases: [Case; 5] = [
        (
            b"password",
            b"salt",
            1,
            64,
            "64770af7f748c3b1c9ac831dbcfd85c26111b30a8a657ddc3056b80ca73e040d\
          2854fd36811f6d825cc4ab66ec0a68a490a9e5cf5156b3a2b7eecddbf9a16b47",
        ),
        (
            b"password",
            b"salt",
            2,
            64,
            "5a585bafdfbb6e8830d6d68aa3b43ac00d2e4aebce01c9b31c2caed56f0236d4\
          d34b2b8fbd2c4e89d54d46f50e47d45bbac301571743119e8d3c42ba66d348de",
        ),
        (
            b"password",
            b"salt",
            4096,
            64,
            "e52deb9a2d2aaff4e2ac9d47a41f34c20376591c67807f0477e32549dc341bc7\
          867c09841b6d58e29d0347c996301d55df0d34e47cf68f4e3c2cdaf1d9ab86c3",
        ),
        (
            b"passwordPASSWORDpassword",
            b"saltSALTsaltSALTsaltSALTsaltSALTsalt",
            4096,
            100,
            "b2d8f1245fc4d29274802057e4b54e0a0753aa22fc53760b301cf008679e58fe\
          4bee9addcae99ba2b0b20f431a9c5e50f395c89387d0945aedeca6eb4015dfc2\
          bd2421ee9bb71183ba882ceebfef259f33f9e27dc6178cb89dc37428cf9cc52a\
          2baa2d3a",
        ),
        (
            b"pass\0word",
            b"sa\0lt",
            4096,
            64,
            "50df062885b69801a3c10248eb0a27ab6e522ffeb20c991c660f001475d73a4e\
          167f782c18e97e92976d9c1d970831ea78ccb879f67068cdac1910740844e830",
        ),
    ];
    for (p, s, c, len, want) in cases {
        assert_eq!(
            hex::encode(dk512(p, s, c, len)),
            want,
            "c = {c}, dkLen = {len}"
        );
    }
}

/// dkLen not a multiple of hLen, and prefixes: T_1 does not depend on dkLen.
#[test]
fn output_lengths() {
    let full = dk512(b"password", b"salt", 2, 200);
    for len in [1, 32, 63, 64, 65, 127, 128, 129, 199] {
        assert_eq!(
            dk512(b"password", b"salt", 2, len),
            full[..len],
            "len {len}"
        );
    }
    let mut a = [0u8; 40];
    let mut b = [0u8; 64];
    pbkdf2_hmac_streebog256(b"pw", b"salt", 3, &mut a).expect("valid");
    pbkdf2_hmac_streebog256(b"pw", b"salt", 3, &mut b).expect("valid");
    assert_eq!(a[..], b[..40]);
}

#[test]
fn bad_parameters_are_errors() {
    let mut out = [0u8; 32];
    assert_eq!(
        pbkdf2_hmac_streebog512(b"p", b"s", 0, &mut out),
        Err(Pbkdf2Error::ZeroIterations)
    );
    assert_eq!(
        pbkdf2_hmac_streebog256(b"p", b"s", 1, &mut []),
        Err(Pbkdf2Error::EmptyOutput)
    );
    // OutputTooLong needs more than (2^32 - 1) * 64 bytes of buffer, so it is only checked by
    // reading the code, not here.
}

// ---- PFX plumbing: just enough DER to find the PBKDF2 parameters and the MacData. ----

/// (tag, value, rest) of the DER element at the start of `d` (definite lengths only).
fn tlv(d: &[u8]) -> (u8, &[u8], &[u8]) {
    let tag = d[0];
    let (len, hdr) = match d[1] {
        l if l < 0x80 => (l as usize, 2),
        0x81 => (d[2] as usize, 3),
        0x82 => (((d[2] as usize) << 8) | d[3] as usize, 4),
        other => panic!("unsupported DER length byte {other:#x}"),
    };
    (tag, &d[hdr..hdr + len], &d[hdr + len..])
}

/// PBKDF2-params (salt, iteration count) in document order, found by the PBKDF2 OID
/// 1.2.840.113549.1.5.12, each checked to name HMAC-Streebog-512 (1.2.643.7.1.1.4.2) as PRF.
fn pbkdf2_params(pfx: &[u8]) -> Vec<(Vec<u8>, u32)> {
    const PBKDF2_OID: [u8; 11] = [6, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 5, 12];
    const PRF_OID: [u8; 10] = [6, 8, 0x2a, 0x85, 3, 7, 1, 1, 4, 2];
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(pos) = pfx[i..]
        .windows(PBKDF2_OID.len())
        .position(|w| w == PBKDF2_OID)
    {
        let at = i + pos + PBKDF2_OID.len();
        let (tag, params, _) = tlv(&pfx[at..]);
        assert_eq!(tag, 0x30);
        let (t_salt, salt, rest) = tlv(params);
        let (t_iter, iter, rest) = tlv(rest);
        assert_eq!((t_salt, t_iter), (0x04, 0x02));
        let (_, prf, _) = tlv(rest);
        assert_eq!(&prf[..PRF_OID.len()], PRF_OID, "PRF is HMAC-Streebog-512");
        found.push((salt.to_vec(), be_u32(iter)));
        i = at;
    }
    found
}

fn be_u32(b: &[u8]) -> u32 {
    b.iter().fold(0, |a, &x| (a << 8) | u32::from(x))
}

struct MacData {
    /// OID of the MAC's hash: ends in 2 for Streebog-256, 3 for Streebog-512.
    digest_oid: Vec<u8>,
    mac: Vec<u8>,
    salt: Vec<u8>,
    iterations: u32,
    /// The octets the MAC covers: the content of authSafe's `data` OCTET STRING.
    auth_safe: Vec<u8>,
}

fn mac_data(pfx: &[u8]) -> MacData {
    let (_, pfx_body, _) = tlv(pfx);
    let (_, _version, rest) = tlv(pfx_body);
    let (_, content_info, rest) = tlv(rest);
    let (_, mac_data, _) = tlv(rest);
    // ContentInfo { contentType data, [0] EXPLICIT OCTET STRING }
    let (_, _oid, rest) = tlv(content_info);
    let (_, explicit, _) = tlv(rest);
    let (tag, auth_safe, _) = tlv(explicit);
    assert_eq!(tag, 0x04);
    // MacData { DigestInfo { AlgorithmIdentifier, OCTET STRING }, macSalt, iterations }
    let (_, digest_info, rest) = tlv(mac_data);
    let (_, salt, rest) = tlv(rest);
    let (_, iterations, _) = tlv(rest);
    let (_, alg, rest) = tlv(digest_info);
    let (_, mac, _) = tlv(rest);
    let (_, oid, _) = tlv(alg);
    MacData {
        digest_oid: oid.to_vec(),
        mac: mac.to_vec(),
        salt: salt.to_vec(),
        iterations: be_u32(iterations),
        auth_safe: auth_safe.to_vec(),
    }
}

/// A value printed in rfc9548_keys.txt: the last word of the line that starts with `label`.
fn printed_key(label: &str) -> Vec<u8> {
    let text = include_str!("data/rfc9548_keys.txt");
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("{label} not in keys.txt"));
    h(line.split_whitespace().last().expect("value"))
}

/// "Пароль для PFX", the password of every RFC 9548 / R 50.1.112 container.
const RFC9548_PASSWORD: &str = "Пароль для PFX";

const R50_112: &[u8] = include_bytes!("data/pfx/r50_1_112_2016_example.pfx");
const A2_1: &[u8] = include_bytes!("data/pfx/rfc9548_A2_1_pfx_encrypted_key_clear_cert.pfx");
const A3_1: &[u8] = include_bytes!("data/pfx/rfc9548_A3_1_pfx_encrypted_key_encrypted_cert.pfx");

#[test]
fn pfx_bag_keys_printed_by_pygost() {
    let pw = RFC9548_PASSWORD.as_bytes();
    assert_eq!(
        hex::encode(pw),
        "d09fd0b0d180d0bed0bbd18c20d0b4d0bbd18f20504658"
    );
    // (file, index of the PBKDF2-params in document order, label in keys.txt)
    let cases = [
        (R50_112, 0, "R 50.1.112 keybag PBKDF2 key"),
        (R50_112, 1, "R 50.1.112 certbag PBKDF2 key"),
        (A2_1, 0, "A.2.1 keybag PBKDF2 key"),
        (A3_1, 0, "A.3.1 certbag (EncryptedData) PBKDF2 key"),
        (A3_1, 1, "A.3.1 keybag PBKDF2 key"),
    ];
    for (pfx, idx, label) in cases {
        let params = pbkdf2_params(pfx);
        let (salt, iterations) = &params[idx];
        assert!(*iterations >= 2000, "{label}: {iterations} iterations");
        assert_eq!(
            dk512(pw, salt, *iterations, 32),
            printed_key(label),
            "{label}"
        );
    }
}

/// PKCS#12 MAC for GOST (R 50.1.112 / RFC 9548 §4, and what OpenSSL's gost engine writes):
/// key = the last 32 bytes of PBKDF2(password, macSalt, iterations, 96) with the MAC's
/// HMAC as PRF; tag = HMAC(key, authSafe content).
fn check_pfx_mac(pfx: &[u8], password: &[u8]) -> Vec<u8> {
    let md = mac_data(pfx);
    let mut dk = [0u8; 96];
    let tag = match md.digest_oid.last() {
        Some(2) => {
            pbkdf2_hmac_streebog256(password, &md.salt, md.iterations, &mut dk).expect("valid");
            hmac_streebog256(&dk[64..], &md.auth_safe).to_vec()
        }
        Some(3) => {
            pbkdf2_hmac_streebog512(password, &md.salt, md.iterations, &mut dk).expect("valid");
            hmac_streebog512(&dk[64..], &md.auth_safe).to_vec()
        }
        other => panic!("unexpected MAC hash OID ending {other:?}"),
    };
    assert_eq!(tag, md.mac, "PFX MAC");
    dk[64..].to_vec()
}

#[test]
fn rfc9548_pfx_macs_and_printed_mac_keys() {
    let pw = RFC9548_PASSWORD.as_bytes();
    for (pfx, label) in [
        (R50_112, "R 50.1.112 MAC key"),
        (A2_1, "A.2.1 MAC key"),
        (A3_1, "A.3.1 MAC key"),
    ] {
        assert_eq!(check_pfx_mac(pfx, pw), printed_key(label), "{label}");
    }
}

#[test]
fn openssl_gost_engine_pfx_macs() {
    // Made by `openssl pkcs12 -export ... -macalg md_gost12_{256,512} -passout pass:Test1234`.
    let md256 = include_bytes!("data/pfx/ee256.gost89.md_gost12_256.pfx");
    let md512 = include_bytes!("data/pfx/ee512.gost89.md_gost12_512.pfx");
    assert_eq!(mac_data(md256).digest_oid.last(), Some(&2));
    assert_eq!(mac_data(md512).digest_oid.last(), Some(&3));
    check_pfx_mac(md256, b"Test1234");
    check_pfx_mac(md512, b"Test1234");

    // And a wrong password fails the same check.
    let md = mac_data(md512);
    let mut dk = [0u8; 96];
    pbkdf2_hmac_streebog512(b"Test1235", &md.salt, md.iterations, &mut dk).expect("valid");
    assert_ne!(hmac_streebog512(&dk[64..], &md.auth_safe).to_vec(), md.mac);
}
