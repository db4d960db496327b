//! Shared test helpers: the `key = value` record format of the third-party vector files, and a
//! minimal DER walker (enough to pull TBS bytes, signatures and keys out of the fixtures; the
//! real ASN.1 layer lives in tamga-pki).
#![allow(dead_code)]

use std::collections::HashMap;

pub fn data(name: &str) -> String {
    let p = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

pub fn data_bytes(name: &str) -> Vec<u8> {
    let p = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Blank-line-separated blocks of `key = value` lines; `#` starts a comment line.
pub fn records(text: &str) -> Vec<HashMap<String, String>> {
    let mut out = Vec::new();
    let mut cur = HashMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            cur.insert(k.trim().to_string(), v.trim().to_string());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Flat `key=value` lines (the Kalkan vector file).
pub fn flat(text: &str) -> HashMap<String, String> {
    records(text).into_iter().flatten().collect()
}

pub fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s.trim()).expect("hex")
}

/// A big-endian hex integer as exactly `len` big-endian bytes.
pub fn be_fixed(s: &str, len: usize) -> Vec<u8> {
    let s = s.trim();
    let padded = format!("{:0>width$}", s, width = 2 * len);
    unhex(&padded)
}

pub fn rev(v: &[u8]) -> Vec<u8> {
    v.iter().rev().copied().collect()
}

/// One DER TLV: (tag, header+content bytes, content bytes).
pub fn tlv(input: &[u8]) -> (u8, &[u8], &[u8], &[u8]) {
    let tag = input[0];
    let (len, hl) = if input[1] < 0x80 {
        (input[1] as usize, 2)
    } else {
        let n = (input[1] & 0x7f) as usize;
        let mut l = 0usize;
        for b in &input[2..2 + n] {
            l = (l << 8) | *b as usize;
        }
        (l, 2 + n)
    };
    let whole = &input[..hl + len];
    (tag, whole, &input[hl..hl + len], &input[hl + len..])
}

/// The children of a constructed TLV's content.
pub fn children(content: &[u8]) -> Vec<(u8, &[u8], &[u8])> {
    let mut out = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let (tag, whole, inner, r) = tlv(rest);
        out.push((tag, whole, inner));
        rest = r;
    }
    out
}

/// PEM → DER (first block).
pub fn pem(text: &str) -> Vec<u8> {
    let b64: String = text
        .lines()
        .filter(|l| !l.starts_with("-----") && !l.contains(':'))
        .collect();
    base64_decode(&b64)
}

fn base64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        } as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}

/// The parts of a certificate, CSR or CRL: (to-be-signed DER, signature algorithm DER, signature
/// bytes from the BIT STRING).
pub fn signed_parts(der: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let (_, _, outer, _) = tlv(der);
    let kids = children(outer);
    let sig = &kids[2].2[1..]; // skip the BIT STRING's unused-bits byte
    (kids[0].1.to_vec(), kids[1].1.to_vec(), sig.to_vec())
}

/// Dotted OID from content bytes.
pub fn oid(content: &[u8]) -> String {
    let mut parts = vec![(content[0] / 40) as u64, (content[0] % 40) as u64];
    let mut v = 0u64;
    for b in &content[1..] {
        v = (v << 7) | (*b & 0x7f) as u64;
        if b & 0x80 == 0 {
            parts.push(v);
            v = 0;
        }
    }
    parts
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(".")
}

/// From a SubjectPublicKeyInfo: (curve parameter OID, X‖Y little-endian key bytes).
pub fn spki_key(spki: &[u8]) -> (String, Vec<u8>) {
    let (_, _, inner, _) = tlv(spki);
    let kids = children(inner);
    let alg = children(kids[0].2);
    let params = children(alg[1].2);
    let curve_oid = oid(params[0].2);
    let bits = &kids[1].2[1..];
    let (_, _, octets, _) = tlv(bits);
    (curve_oid, octets.to_vec())
}

/// The SubjectPublicKeyInfo inside a certificate's or CSR's to-be-signed part.
pub fn find_spki(tbs: &[u8]) -> Vec<u8> {
    let (_, _, inner, _) = tlv(tbs);
    for (tag, whole, content) in children(inner) {
        if tag == 0x30 {
            let kids = children(content);
            if kids.len() == 2 && kids[0].0 == 0x30 && kids[1].0 == 0x03 {
                if let Some(first) = children(kids[0].2).first() {
                    if first.0 == 0x06 {
                        return whole.to_vec();
                    }
                }
            }
        }
    }
    panic!("no SubjectPublicKeyInfo found")
}
