//! GOST 34.311-95 = GOST R 34.11-94 with the "test" parameter set and IV = 0.
//!
//! Vectors: RFC 5831 §7.3.1 and §7.3.2, which print message and digest most significant byte
//! first (so both are reversed relative to the bytes hashed and output), and the widely copied
//! GOST R 34.11-94 test-parameter KATs (e.g. mbed TLS `gost94.c` self-test, BouncyCastle
//! `Gost3411DigestTest`), which are in implementation order, the order OpenSSL prints.

use tamga_gost::hash::gost94::{gost34311, Gost34311};
use tamga_gost::hash::GostHash;

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).expect("hex")
}

fn rev(mut v: Vec<u8>) -> Vec<u8> {
    v.reverse();
    v
}

/// RFC 5831 §7.3.1 / §7.3.2 exactly as printed: (M, H).
const RFC5831: [(&str, &str); 2] = [
    (
        "73657479622032333d6874676e656c202c6567617373656d2073692073696854",
        "faff37a615a816691cff3ef8b68ca247e09525f39f8119832eb81975d366c4b1",
    ),
    (
        "7365747962203035203d206874676e656c20736168206567617373656d206c616e\
         696769726f206568742065736f70707553",
        "0852f5623b89dd57aeb4781fe54df14eeafbc1350613763a0d770aa657ba1a47",
    ),
];

#[test]
fn rfc5831_examples_reversed_print_order() {
    let texts: [&[u8]; 2] = [
        b"This is message, length=32 bytes",
        b"Suppose the original message has length = 50 bytes",
    ];
    for ((m_printed, h_printed), text) in RFC5831.iter().zip(texts) {
        // The printed message is the ASCII text reversed ...
        assert_eq!(rev(h(m_printed)), text);
        // ... and so is the printed digest: we output its reversal.
        let d = gost34311(text);
        assert_eq!(d.to_vec(), rev(h(h_printed)));
        assert_ne!(d.to_vec(), h(h_printed));
        // Hashing the printed (reversed) message matches neither order.
        let wrong = gost34311(&h(m_printed)).to_vec();
        assert_ne!(wrong, h(h_printed));
        assert_ne!(rev(wrong), h(h_printed));
    }
}

#[test]
fn test_parameter_set_kats_in_implementation_order() {
    let cases: [(&[u8], &str); 8] = [
        (
            b"",
            "ce85b99cc46752fffee35cab9a7b0278abb4c2d2055cff685af4912c49490f8d",
        ),
        (
            b"a",
            "d42c539e367c66e9c88a801f6649349c21871b4344c6a573f849fdce62f314dd",
        ),
        (
            b"abc",
            "f3134348c44fb1b2a277729e2285ebb5cb5e0f29c975bc753b70497c06a4d51d",
        ),
        (
            b"message digest",
            "ad4434ecb18f2c99b60cbe59ec3d2469582b65273f48de72db2fde16a4889a4d",
        ),
        (
            b"This is message, length=32 bytes",
            "b1c466d37519b82e8319819ff32595e047a28cb6f83eff1c6916a815a637fffa",
        ),
        (
            b"Suppose the original message has length = 50 bytes",
            "471aba57a60a770d3a76130635c1fbea4ef14de51f78b4ae57dd893b62f55208",
        ),
        (
            b"The quick brown fox jumps over the lazy dog",
            "77b7fa410c9ac58a25f49bca7d0468c9296529315eaca76bd1a10f376d1f4294",
        ),
        (
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            "95c1af627c356496d80274330b2cff6a10c67b5f597087202f94d06d2338cf8e",
        ),
    ];
    for (msg, want) in cases {
        assert_eq!(
            hex::encode(gost34311(msg)),
            want,
            "{:?}",
            String::from_utf8_lossy(msg)
        );
    }
    // 128 × "U", fed one byte at a time.
    let mut st = Gost34311::new();
    for _ in 0..128 {
        st.update(b"U");
    }
    assert_eq!(
        hex::encode(st.finalize()),
        "53a3a3ed25180cef0c1d85a074273e551c25660a87062a52d926a9e8fe5733a4"
    );
}

/// Byte-order anchor: with the CryptoPro S-box (same code path in the `gost94` crate), OpenSSL
/// 3.0 + gost engine prints `md_gost94("abc")` as b285056d…, which is also the mbed TLS table's
/// order. So the crate, and this wrapper, output what OpenSSL outputs.
#[test]
fn gost94_crate_outputs_openssl_order() {
    use gost94::Digest;
    assert_eq!(
        hex::encode(gost94::Gost94CryptoPro::digest(b"abc")),
        "b285056dbf18d7392d7677369524dd14747459ed8143997e163b2986f92fd42c"
    );
}

#[test]
fn trait_and_incremental_interfaces_agree() {
    let msg: Vec<u8> = (0..200u16).map(|i| (i * 7 + 3) as u8).collect();
    let one_shot = gost34311(&msg);
    for cut in [0, 1, 31, 32, 33, 64, 199, 200] {
        let mut st = <Gost34311 as GostHash>::new();
        GostHash::update(&mut st, &msg[..cut]);
        GostHash::update(&mut st, &msg[cut..]);
        let mut out = [0u8; 32];
        st.finalize_into(&mut out);
        assert_eq!(out, one_shot, "cut {cut}");
    }
    assert_eq!(Gost34311::OUTPUT_LEN, 32);
    assert_eq!(Gost34311::BLOCK_LEN, 32);
}
