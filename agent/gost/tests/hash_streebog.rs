//! Streebog (GOST R 34.11-2012) against third-party vectors: RFC 6986 §10, gost-engine's extra
//! KATs and a 146-length sweep made with OpenSSL (tests/data, copied from the shared fixtures),
//! plus a cross-check against RustCrypto's `streebog` crate.

use tamga_gost::hash::streebog::ct::{
    streebog256_ct, streebog512_ct, Streebog256Ct, Streebog512Ct,
};
use tamga_gost::hash::streebog::{streebog256, streebog512, Streebog256, Streebog512};
use tamga_gost::hash::GostHash;

const RFC6986: &str = include_str!("data/streebog_rfc6986.txt");
const EXTRA: &str = include_str!("data/streebog_extra.txt");
const LENGTHS: &str = include_str!("data/streebog_lengths.txt");

/// One `key = value` block of the fixture format (blank-line separated, `#` comments).
type Record = Vec<(String, String)>;

fn records(text: &str) -> Vec<Record> {
    let mut out = Vec::new();
    let mut cur = Record::new();
    for line in text.lines().chain(std::iter::once("")) {
        let line = line.trim();
        if line.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else if !line.starts_with('#') {
            let (k, v) = line.split_once('=').expect("key = value line");
            cur.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    out
}

fn field<'a>(r: &'a Record, key: &str) -> &'a str {
    &r.iter()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("field {key} missing in {r:?}"))
        .1
}

fn hexd(s: &str) -> Vec<u8> {
    hex::decode(s).expect("hex")
}

fn reversed(mut v: Vec<u8>) -> Vec<u8> {
    v.reverse();
    v
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (7 * i + 3) as u8).collect()
}

/// (name, message, 256-bit digest, 512-bit digest).
type Vector = (String, Vec<u8>, Vec<u8>, Vec<u8>);

/// Every fixture record.
fn all_vectors() -> Vec<Vector> {
    let mut v = Vec::new();
    for r in records(RFC6986).iter().chain(records(EXTRA).iter()) {
        v.push((
            field(r, "name").to_owned(),
            hexd(field(r, "msg_bytes")),
            hexd(field(r, "h256_bytes")),
            hexd(field(r, "h512_bytes")),
        ));
    }
    for r in records(LENGTHS) {
        let len: usize = field(&r, "msg_pattern_len").parse().expect("length");
        v.push((
            field(&r, "name").to_owned(),
            pattern(len),
            hexd(field(&r, "h256_bytes")),
            hexd(field(&r, "h512_bytes")),
        ));
    }
    v
}

#[test]
fn fixture_counts() {
    assert_eq!(records(RFC6986).len(), 2);
    assert_eq!(records(EXTRA).len(), 6);
    assert_eq!(records(LENGTHS).len(), 146);
}

#[test]
fn rfc6986_examples_in_implementation_order() {
    for r in records(RFC6986) {
        let msg = hexd(field(&r, "msg_bytes"));
        assert_eq!(streebog256(&msg).to_vec(), hexd(field(&r, "h256_bytes")));
        assert_eq!(streebog512(&msg).to_vec(), hexd(field(&r, "h512_bytes")));
    }
}

/// The RFC prints messages and digests most significant byte first. Pin that the printed form
/// is the byte reversal of what we hash and output, and that using it as-is gives other results.
#[test]
fn rfc6986_print_order_is_a_trap() {
    for r in records(RFC6986) {
        let msg = hexd(field(&r, "msg_bytes"));
        let msg_rfc = hexd(field(&r, "msg_rfc"));
        let (h256_rfc, h512_rfc) = (hexd(field(&r, "h256_rfc")), hexd(field(&r, "h512_rfc")));
        assert_eq!(reversed(msg_rfc.clone()), msg);

        let (d256, d512) = (streebog256(&msg).to_vec(), streebog512(&msg).to_vec());
        assert_ne!(d256, h256_rfc);
        assert_ne!(d512, h512_rfc);
        assert_eq!(reversed(d256), h256_rfc);
        assert_eq!(reversed(d512), h512_rfc);

        // Feeding the printed message gives neither order of the expected digest.
        let wrong256 = streebog256(&msg_rfc).to_vec();
        let wrong512 = streebog512(&msg_rfc).to_vec();
        for w in [&wrong256, &reversed(wrong256.clone())] {
            assert_ne!(*w, h256_rfc);
            assert_ne!(*w, hexd(field(&r, "h256_bytes")));
        }
        for w in [&wrong512, &reversed(wrong512.clone())] {
            assert_ne!(*w, h512_rfc);
            assert_ne!(*w, hexd(field(&r, "h512_bytes")));
        }
    }
    // M1 is plain ASCII once reversed, which is how to tell the two orders apart by eye.
    let m1 = &records(RFC6986)[0];
    assert_eq!(
        hexd(field(m1, "msg_bytes")),
        b"012345678901234567890123456789012345678901234567890123456789012"
    );
}

#[test]
fn every_fixture_vector() {
    let all = all_vectors();
    assert_eq!(all.len(), 2 + 6 + 146);
    for (name, msg, h256, h512) in &all {
        assert_eq!(streebog256(msg).to_vec(), *h256, "{name} (256)");
        assert_eq!(streebog512(msg).to_vec(), *h512, "{name} (512)");
    }
}

/// The carry tests (all-0xFF and the 0xEE/0x11 message) only pass if Σ and N carry across all
/// eight words.
#[test]
fn carry_vectors_are_covered() {
    let names: Vec<String> = records(EXTRA)
        .iter()
        .map(|r| field(r, "name").to_owned())
        .collect();
    assert!(names.iter().any(|n| n.contains("carry test (128")));
    assert!(names.iter().any(|n| n.contains("0xFF")));
}

fn split_hash256(msg: &[u8], cuts: &[usize]) -> [u8; 32] {
    let mut h = Streebog256::new();
    let mut prev = 0;
    for &c in cuts {
        h.update(&msg[prev..c]);
        prev = c;
    }
    h.update(&msg[prev..]);
    h.finalize()
}

fn split_hash512(msg: &[u8], cuts: &[usize]) -> [u8; 64] {
    let mut h = Streebog512::new();
    let mut prev = 0;
    for &c in cuts {
        h.update(&msg[prev..c]);
        prev = c;
    }
    h.update(&msg[prev..]);
    h.finalize()
}

#[test]
fn incremental_updates_split_at_every_offset() {
    let all = all_vectors();
    let picks = [
        "M1 (RFC 6986 section 10.1)",
        "M2 (RFC 6986 section 10.2)",
        "M6 (192 bytes)",
        "carry test (128 bytes)",
        "pattern-257",
        "pattern-513",
    ];
    for pick in picks {
        let (_, msg, h256, h512) = all
            .iter()
            .find(|(n, ..)| n == pick)
            .unwrap_or_else(|| panic!("{pick} not in fixtures"));
        for cut in 0..=msg.len() {
            assert_eq!(
                split_hash256(msg, &[cut]).to_vec(),
                *h256,
                "{pick} cut {cut}"
            );
            assert_eq!(
                split_hash512(msg, &[cut]).to_vec(),
                *h512,
                "{pick} cut {cut}"
            );
        }
        // Two cuts: every block-boundary relation between the pieces.
        for a in (0..=msg.len()).step_by(5) {
            for b in (a..=msg.len()).step_by(11) {
                assert_eq!(
                    split_hash256(msg, &[a, b]).to_vec(),
                    *h256,
                    "{pick} {a},{b}"
                );
            }
        }
        let bytewise: Vec<usize> = (1..msg.len()).collect();
        assert_eq!(
            split_hash512(msg, &bytewise).to_vec(),
            *h512,
            "{pick} bytewise"
        );
    }
}

#[test]
fn gost_hash_trait_matches_one_shot() {
    fn via_trait<H: GostHash>(data: &[u8]) -> Vec<u8> {
        let mut h = H::new();
        h.update(&data[..data.len() / 3]);
        h.update(&data[data.len() / 3..]);
        let mut out = vec![0u8; H::OUTPUT_LEN];
        h.finalize_into(&mut out);
        out
    }
    let msg = pattern(1000);
    assert_eq!(Streebog256::OUTPUT_LEN, 32);
    assert_eq!(Streebog512::OUTPUT_LEN, 64);
    assert_eq!(Streebog256::BLOCK_LEN, 64);
    assert_eq!(via_trait::<Streebog256>(&msg), streebog256(&msg));
    assert_eq!(via_trait::<Streebog512>(&msg), streebog512(&msg));
    assert_eq!(via_trait::<Streebog256Ct>(&msg), streebog256(&msg));
    assert_eq!(via_trait::<Streebog512Ct>(&msg), streebog512(&msg));
}

#[test]
fn clone_mid_stream_forks_the_state() {
    let msg = pattern(300);
    let mut a = Streebog512::new();
    a.update(&msg[..100]);
    let mut b = a.clone();
    a.update(&msg[100..]);
    b.update(&msg[100..]);
    assert_eq!(a.finalize(), b.finalize());
    assert_eq!(Streebog256::default().finalize(), streebog256(b""));
}

/// The constant-time path shares no tables with the fast one (it computes π, τ and ℓ from the
/// definitions), so agreement on the vectors checks both.
#[test]
fn constant_time_variant_on_all_vectors_up_to_200_bytes() {
    let mut checked = 0;
    for (name, msg, h256, h512) in all_vectors() {
        if msg.len() > 200 {
            continue;
        }
        assert_eq!(streebog256_ct(&msg).to_vec(), h256, "{name} (ct 256)");
        assert_eq!(streebog512_ct(&msg).to_vec(), h512, "{name} (ct 512)");
        checked += 1;
    }
    assert_eq!(checked, 2 + 6 + 133);

    // Its incremental interface too (the KEK input arrives as x then y).
    let msg = pattern(128);
    let mut h = Streebog256Ct::new();
    h.update(&msg[..64]);
    h.update(&msg[64..]);
    assert_eq!(h.finalize(), streebog256(&msg));
    let mut h = Streebog512Ct::new();
    h.update(&msg[..33]);
    h.update(&msg[33..]);
    assert_eq!(h.finalize(), streebog512(&msg));
}

/// xorshift64*: deterministic bytes that are not a simple pattern.
fn pseudo_random(len: usize, seed: u64) -> Vec<u8> {
    let mut s = seed | 1;
    (0..len)
        .map(|_| {
            s ^= s >> 12;
            s ^= s << 25;
            s ^= s >> 27;
            (s.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
        })
        .collect()
}

#[test]
fn agrees_with_rustcrypto_streebog() {
    use streebog::Digest;
    let mut lens: Vec<usize> = (0..=300).collect();
    lens.extend([511, 512, 513, 1000, 4095, 4096, 4097, 65_536 + 7]);
    for (i, &len) in lens.iter().enumerate() {
        let msg = pseudo_random(len, 0x9e37_79b9_7f4a_7c15 ^ i as u64);
        assert_eq!(
            streebog256(&msg)[..],
            streebog::Streebog256::digest(&msg)[..],
            "len {len} (256)"
        );
        assert_eq!(
            streebog512(&msg)[..],
            streebog::Streebog512::digest(&msg)[..],
            "len {len} (512)"
        );
    }
}

#[test]
fn constant_time_agrees_with_fast_on_random_inputs() {
    for len in (0..=200).step_by(13).chain([63, 64, 65, 127, 128, 129]) {
        let msg = pseudo_random(len, len as u64 + 7);
        assert_eq!(streebog256_ct(&msg), streebog256(&msg), "len {len}");
        assert_eq!(streebog512_ct(&msg), streebog512(&msg), "len {len}");
    }
}
