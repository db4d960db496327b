//! Shared test helpers: fixture files and a minimal reader for the unencrypted OpenSSL PKCS#8
//! keys of the fixtures (raw little-endian scalar), independent of the crate's own key module.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use der::asn1::ObjectIdentifier;
use der::Decode;
use tamga_gost::{Curve, SecretKey};
use tamga_pki::SoftwareSigner;

pub fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

pub fn data(rel: &str) -> Vec<u8> {
    std::fs::read(path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A PKCS#8 PrivateKeyInfo with GOST parameters { curve, ... } and a bare LE scalar.
pub fn secret_key(rel: &str) -> SecretKey {
    let der = data(rel);
    let info = pkcs8::PrivateKeyInfoRef::from_der(&der).unwrap();
    let params = info.algorithm.parameters.expect("GOST key parameters");
    let oids: Vec<ObjectIdentifier> = params.decode_as().unwrap();
    let curve = Curve::from_oid(&oids[0].to_string()).unwrap();
    SecretKey::from_le_bytes(curve, info.private_key.as_bytes()).unwrap()
}

pub fn signer(rel: &str) -> SoftwareSigner {
    SoftwareSigner::new(secret_key(rel))
}

/// 2026-11-28, one day after the fixtures were made.
pub fn fixture_time() -> SystemTime {
    at("2026-11-28")
}

/// Midnight UTC of a `YYYY-MM-DD` date.
pub fn at(date: &str) -> SystemTime {
    let dt: der::DateTime = format!("{date}T00:00:00Z").parse().unwrap();
    UNIX_EPOCH + dt.unix_duration()
}

pub fn days(n: u64) -> Duration {
    Duration::from_secs(n * 86_400)
}

/// A copy of `bytes` with one bit of byte `i` flipped.
pub fn flipped(bytes: &[u8], i: usize) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[i] ^= 0x01;
    b
}
