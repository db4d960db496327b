//! HMAC-Streebog and the RFC 7836 KDFs against RFC 7836 Appendix B (tests/data, copied from
//! the shared fixtures).

use tamga_gost::hash::hmac::{hmac_streebog256, hmac_streebog512, Hmac, HmacError};
use tamga_gost::hash::kdf::{kdf_gostr3411_2012_256, kdf_tree_gostr3411_2012_256, KdfError};
use tamga_gost::hash::streebog::ct::{Streebog256Ct, Streebog512Ct};
use tamga_gost::hash::streebog::{streebog256, streebog512, Streebog256, Streebog512};

const RFC7836: &str = include_str!("data/hmac_kdf_rfc7836.txt");

/// The record whose `name` starts with `name`, as (key, value) pairs.
fn record(name: &str) -> Vec<(String, String)> {
    RFC7836
        .split("\n\n")
        .map(|block| {
            block
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .filter_map(|l| l.split_once(" = "))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect::<Vec<_>>()
        })
        .find(|r| r.iter().any(|(k, v)| k == "name" && v.starts_with(name)))
        .unwrap_or_else(|| panic!("record {name} not in fixture"))
}

fn hexf(r: &[(String, String)], key: &str) -> Vec<u8> {
    let v = &r.iter().find(|(k, _)| k == key).expect("field").1;
    hex::decode(v).expect("hex")
}

#[test]
fn hmac_streebog256_rfc7836() {
    let r = record("HMAC_GOSTR3411_2012_256");
    let (key, data, mac) = (hexf(&r, "key"), hexf(&r, "data"), hexf(&r, "mac"));
    assert_eq!(hmac_streebog256(&key, &data).to_vec(), mac);

    let mut m = Hmac::<Streebog256>::new(&key);
    for byte in &data {
        m.update(std::slice::from_ref(byte));
    }
    assert_eq!(m.finalize().to_vec(), mac);
}

#[test]
fn hmac_streebog512_rfc7836() {
    let r = record("HMAC_GOSTR3411_2012_512");
    let (key, data, mac) = (hexf(&r, "key"), hexf(&r, "data"), hexf(&r, "mac"));
    assert_eq!(hmac_streebog512(&key, &data).to_vec(), mac);

    let mut m = Hmac::<Streebog512>::new(&key);
    m.update(&data[..5]);
    m.update(&data[5..]);
    let mut out = [0u8; 64];
    m.finalize_into(&mut out).expect("full length");
    assert_eq!(out.to_vec(), mac);
}

/// The constant-time instantiations (used by the KDFs) give the same tags.
#[test]
fn hmac_over_constant_time_streebog() {
    for (name, len) in [
        ("HMAC_GOSTR3411_2012_256", 32),
        ("HMAC_GOSTR3411_2012_512", 64),
    ] {
        let r = record(name);
        let (key, data, mac) = (hexf(&r, "key"), hexf(&r, "data"), hexf(&r, "mac"));
        let tag = if len == 32 {
            let mut m = Hmac::<Streebog256Ct>::new(&key);
            m.update(&data);
            m.finalize().to_vec()
        } else {
            let mut m = Hmac::<Streebog512Ct>::new(&key);
            m.update(&data);
            m.finalize().to_vec()
        };
        assert_eq!(tag, mac, "{name}");
    }
    let long: Vec<u8> = (0..100u8).collect();
    let mut m = Hmac::<Streebog256Ct>::new(&long);
    m.update(b"message");
    assert_eq!(m.finalize(), hmac_streebog256(&long, b"message"));
}

#[test]
fn hmac_truncation_and_verify() {
    let r = record("HMAC_GOSTR3411_2012_256");
    let (key, data, mac) = (hexf(&r, "key"), hexf(&r, "data"), hexf(&r, "mac"));
    let keyed = {
        let mut m = Hmac::<Streebog256>::new(&key);
        m.update(&data);
        m
    };

    let mut short = [0u8; 16];
    keyed.clone().finalize_into(&mut short).expect("16 <= 32");
    assert_eq!(short[..], mac[..16]);

    assert_eq!(keyed.clone().verify(&mac), Ok(()));
    assert_eq!(keyed.clone().verify(&mac[..12]), Ok(()));
    let mut bad = mac.clone();
    bad[31] ^= 1;
    assert_eq!(keyed.clone().verify(&bad), Err(HmacError::Mismatch));
    assert_eq!(keyed.clone().verify(&[]), Err(HmacError::BadTagLength));
    assert_eq!(
        keyed.clone().verify(&[0u8; 33]),
        Err(HmacError::BadTagLength)
    );
    assert_eq!(
        keyed.clone().finalize_into(&mut [0u8; 33]),
        Err(HmacError::BadTagLength)
    );
    assert_eq!(keyed.finalize_into(&mut []), Err(HmacError::BadTagLength));
}

/// RFC 2104: a key longer than the block is replaced by its hash; one of exactly the block
/// length is used as is.
#[test]
fn hmac_long_keys_are_hashed_first() {
    let data = b"message";
    let long: Vec<u8> = (0..65u8).collect();
    assert_eq!(
        hmac_streebog256(&long, data),
        hmac_streebog256(&streebog256(&long), data)
    );
    assert_eq!(
        hmac_streebog512(&long, data),
        hmac_streebog512(&streebog512(&long), data)
    );
    let block: Vec<u8> = (0..64u8).collect();
    assert_ne!(
        hmac_streebog256(&block, data),
        hmac_streebog256(&streebog256(&block), data)
    );
    // Zero padding of short keys: a trailing zero byte does not change the key block.
    assert_eq!(hmac_streebog256(b"k", data), hmac_streebog256(b"k\0", data));
    assert_eq!(
        hmac_streebog256(b"", data),
        hmac_streebog256(&[0u8; 64], data)
    );
}

#[test]
fn kdf_gostr3411_2012_256_rfc7836() {
    let r = record("KDF_GOSTR3411_2012_256");
    let out = kdf_gostr3411_2012_256(&hexf(&r, "key"), &hexf(&r, "label"), &hexf(&r, "seed"));
    assert_eq!(out.to_vec(), hexf(&r, "out"));
    // The RFC's example is also HMAC256(K, 0x01 | label | 0x00 | seed | 0x01 0x00) literally.
    let hmac = record("HMAC_GOSTR3411_2012_256");
    assert_eq!(hexf(&hmac, "data"), {
        let mut d = vec![0x01];
        d.extend(hexf(&r, "label"));
        d.push(0x00);
        d.extend(hexf(&r, "seed"));
        d.extend([0x01, 0x00]);
        d
    });
}

#[test]
fn kdf_tree_rfc7836_l512_r1() {
    let r = record("KDF_TREE_GOSTR3411_2012_256");
    let (key, label, seed) = (hexf(&r, "key"), hexf(&r, "label"), hexf(&r, "seed"));
    let mut out = [0u8; 64];
    kdf_tree_gostr3411_2012_256(&key, &label, &seed, 1, &mut out).expect("valid");
    assert_eq!(out[..32].to_vec(), hexf(&r, "K1"));
    assert_eq!(out[32..].to_vec(), hexf(&r, "K2"));

    // Pin the encodings: [1]_b in one byte and L = 512 as the two bytes 02 00.
    let mut manual = Hmac::<Streebog256>::new(&key);
    manual.update(&[0x02]);
    manual.update(&label);
    manual.update(&[0x00]);
    manual.update(&seed);
    manual.update(&[0x02, 0x00]);
    assert_eq!(manual.finalize().to_vec(), hexf(&r, "K2"));
}

#[test]
fn kdf_tree_counter_width_and_length_field() {
    let r = record("KDF_TREE_GOSTR3411_2012_256");
    let (key, label, seed) = (hexf(&r, "key"), hexf(&r, "label"), hexf(&r, "seed"));
    // R = 2 puts the counter in two bytes, which changes every block.
    let mut r1 = [0u8; 64];
    let mut r2 = [0u8; 64];
    kdf_tree_gostr3411_2012_256(&key, &label, &seed, 1, &mut r1).expect("valid");
    kdf_tree_gostr3411_2012_256(&key, &label, &seed, 2, &mut r2).expect("valid");
    assert_ne!(r1[..32], r2[..32]);
    let mut manual = Hmac::<Streebog256>::new(&key);
    manual.update(&[0x00, 0x01]);
    manual.update(&label);
    manual.update(&[0x00]);
    manual.update(&seed);
    manual.update(&[0x02, 0x00]);
    assert_eq!(manual.finalize(), r2[..32]);

    // L is part of every block: a 32-byte output is not a prefix of the 64-byte one, and
    // L = 256 is encoded as 01 00, which makes its first block the KDF_256 output shape.
    let mut one = [0u8; 32];
    kdf_tree_gostr3411_2012_256(&key, &label, &seed, 1, &mut one).expect("valid");
    assert_ne!(one[..], r1[..32]);
    assert_eq!(one, kdf_gostr3411_2012_256(&key, &label, &seed));
}

#[test]
fn kdf_tree_rejects_bad_parameters() {
    let mut out = [0u8; 64];
    for r in [0, 5, usize::MAX] {
        assert_eq!(
            kdf_tree_gostr3411_2012_256(b"k", b"l", b"s", r, &mut out),
            Err(KdfError::BadCounterLength)
        );
    }
    for len in [0usize, 1, 31, 33, 63] {
        let mut out = vec![0u8; len];
        assert_eq!(
            kdf_tree_gostr3411_2012_256(b"k", b"l", b"s", 1, &mut out),
            Err(KdfError::BadOutputLength),
            "len {len}"
        );
    }
    // R = 1 allows at most 255 blocks.
    let mut big = vec![0u8; 32 * 256];
    assert_eq!(
        kdf_tree_gostr3411_2012_256(b"k", b"l", b"s", 1, &mut big),
        Err(KdfError::BadOutputLength)
    );
    assert_eq!(
        kdf_tree_gostr3411_2012_256(b"k", b"l", b"s", 2, &mut big),
        Ok(())
    );
}
