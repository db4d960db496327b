//! The intermediate keys pygost prints for the R 50.1.112-2016 and RFC 9548 examples
//! (`tests/data/pfx/rfc9548/keys.txt`): PBKDF2 keys of each encrypted part and the MAC keys.

use der::{Decode, Encode};
use spki::AlgorithmIdentifierRef;

use super::asn1::{EncryptedPrivateKeyInfo, Pbes2Params, Pbkdf2Params};
use super::bags::Bag;
use super::mac::gost_mac_key;
use super::pbes2::{pbkdf2, Prf};
use super::{Contents, Pfx};

const PASSWORD: &str = "Пароль для PFX";

fn pfx(name: &str) -> Pfx {
    let path = format!(
        "{}/tests/data/pfx/rfc9548/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    Pfx::parse(&std::fs::read(path).unwrap()).unwrap()
}

fn mac_key(p: &Pfx) -> String {
    let m = p.mac.as_ref().unwrap();
    hex::encode(*gost_mac_key(
        Prf::Streebog512,
        PASSWORD,
        &m.salt,
        m.iterations as u32,
    ))
}

/// The PBKDF2 key of a PBES2 AlgorithmIdentifier (DER).
fn pbes2_key(algorithm: &[u8]) -> String {
    let alg = AlgorithmIdentifierRef::from_der(algorithm).unwrap();
    let params: Pbes2Params = alg.parameters.unwrap().decode_as().unwrap();
    let kdf: Pbkdf2Params = params.kdf.parameters.unwrap().decode_as().unwrap();
    assert_eq!(kdf.prf.unwrap().oid, super::oids::HMAC_STREEBOG512);
    let mut key = [0u8; 32];
    let (salt, iterations) = (kdf.salt.as_bytes(), kdf.iterations as u32);
    pbkdf2(
        Prf::Streebog512,
        PASSWORD.as_bytes(),
        salt,
        iterations,
        &mut key,
    );
    hex::encode(key)
}

/// (key bag PBKDF2 key, cert EncryptedData PBKDF2 key) of a parsed file.
fn part_keys(p: &Pfx) -> (Option<String>, Option<String>) {
    let (mut key_bag, mut cert_bag) = (None, None);
    for contents in &p.contents {
        match contents {
            Contents::Plain(bags) => {
                for bag in bags {
                    if let Bag::ShroudedKey(info, _) = bag {
                        let info = EncryptedPrivateKeyInfo::from_der(info).unwrap();
                        key_bag = Some(pbes2_key(&info.algorithm.to_der().unwrap()));
                    }
                }
            }
            Contents::Encrypted { algorithm, .. } => cert_bag = Some(pbes2_key(algorithm)),
        }
    }
    (key_bag, cert_bag)
}

#[test]
fn r50_1_112_intermediate_keys() {
    let p = pfx("r50_1_112_2016_example.pfx");
    assert_eq!(
        mac_key(&p),
        "cadbfbf3bceaa9b79f651508fac5abbeb4a13d0bd0e1876bd3c3efb2112128a5"
    );
    let (key_bag, cert_bag) = part_keys(&p);
    assert_eq!(
        key_bag.as_deref(),
        Some("309dd0354c5603739403f2335e9e2055138f8b5c98b63009de0635eea1fd7ba8")
    );
    assert_eq!(
        cert_bag.as_deref(),
        Some("0e93d71339e7f53b79a0bc41f9109dd4fb60b30ae10736c1bb77b84c07681cfc")
    );
}

#[test]
fn rfc9548_a2_1_intermediate_keys() {
    let p = pfx("rfc9548_A2_1_pfx_encrypted_key_clear_cert.pfx");
    assert_eq!(
        mac_key(&p),
        "a81d1bc91a4a5cf1fd7320f92dda7e5b285816c3b20826a382d7ed0cbf3a9bf4"
    );
    let (key_bag, cert_bag) = part_keys(&p);
    assert_eq!(
        key_bag.as_deref(),
        Some("4b7ae649ca31dd5fe3243a91a5188c03f1d7049bec8e0d241c0e1e8c39ea4c1f")
    );
    assert_eq!(cert_bag, None);
}

#[test]
fn rfc9548_a3_1_intermediate_keys() {
    let p = pfx("rfc9548_A3_1_pfx_encrypted_key_encrypted_cert.pfx");
    assert_eq!(
        mac_key(&p),
        "084f81782af1534ffd67e3c579c14cb45d7a6f659f46fdbb51a552e874e66fb2"
    );
    let (key_bag, cert_bag) = part_keys(&p);
    assert_eq!(
        key_bag.as_deref(),
        Some("f840d001fd11441e0fb7ccf48f471915e5bf35275309dbe7ade9da4fe460ba7e")
    );
    assert_eq!(
        cert_bag.as_deref(),
        Some("d066a96fb326ba896a2352d3f40240a4ded6e7e7bd5b4db6b5241d631c8c381c")
    );
}

/// The RFC 9548 MAC key is the *last* third of a 96-byte PBKDF2 output, not a 32-byte one.
#[test]
fn gost_mac_key_is_the_tail_of_96_bytes() {
    let p = pfx("r50_1_112_2016_example.pfx");
    let m = p.mac.as_ref().unwrap();
    let mut short = [0u8; 32];
    pbkdf2(
        Prf::Streebog512,
        PASSWORD.as_bytes(),
        &m.salt,
        m.iterations as u32,
        &mut short,
    );
    assert_ne!(hex::encode(short), mac_key(&p));
}
