//! The PFX integrity check (MacData, RFC 7292 §5.1) in both of its key derivations:
//!
//! - SHA-1/SHA-2 MACs: key = RFC 7292 B.2 KDF (ID 3, BMPString password, output = hash size),
//!   then HMAC with the same hash;
//! - GOST MACs (RFC 9548 / R 50.1.112): key = the *last 32 bytes* of PBKDF2-HMAC-Streebog(UTF-8
//!   password, salt, iterations, dkLen 96) — Streebog-512 normally, Streebog-256 when the MAC
//!   digest is Streebog-256 (OpenSSL `-macalg md_gost12_256`) — then HMAC-Streebog.

use der::asn1::ObjectIdentifier;
use hmac::{EagerHash, Hmac, KeyInit, Mac};
use sha2::digest::Digest;
use subtle::ConstantTimeEq;
use tamga_gost::hash::hmac::{hmac_streebog256, hmac_streebog512};
use zeroize::{Zeroize, Zeroizing};

use super::kdf::{self, bmp_password, Purpose};
use super::oids;
use super::pbes2::{pbkdf2, Prf};
use crate::PkiError;

/// A MAC digest algorithm of MacData.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MacAlg {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Streebog256,
    Streebog512,
}

impl MacAlg {
    pub(crate) fn from_oid(oid: &ObjectIdentifier) -> Result<MacAlg, PkiError> {
        Ok(match *oid {
            oids::SHA1 => MacAlg::Sha1,
            oids::SHA224 => MacAlg::Sha224,
            oids::SHA256 => MacAlg::Sha256,
            oids::SHA384 => MacAlg::Sha384,
            oids::SHA512 => MacAlg::Sha512,
            oids::STREEBOG256 => MacAlg::Streebog256,
            oids::STREEBOG512 => MacAlg::Streebog512,
            other => return Err(PkiError::Unsupported(format!("MAC digest {other}"))),
        })
    }
}

/// The MAC key of RFC 9548: the last 32 bytes of a 96-byte PBKDF2 output.
pub(crate) fn gost_mac_key(
    prf: Prf,
    password: &str,
    salt: &[u8],
    iterations: u32,
) -> Zeroizing<[u8; 32]> {
    let mut dk = Zeroizing::new([0u8; 96]);
    pbkdf2(prf, password.as_bytes(), salt, iterations, &mut dk[..]);
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(&dk[64..]);
    key
}

/// The MAC of `data` (the authSafe content octets) under `password`.
pub(crate) fn compute(
    alg: MacAlg,
    password: &str,
    salt: &[u8],
    iterations: u32,
    data: &[u8],
) -> Vec<u8> {
    match alg {
        MacAlg::Sha1 => legacy_mac::<sha1::Sha1>(64, password, salt, iterations, data),
        MacAlg::Sha224 => legacy_mac::<sha2::Sha224>(64, password, salt, iterations, data),
        MacAlg::Sha256 => legacy_mac::<sha2::Sha256>(64, password, salt, iterations, data),
        MacAlg::Sha384 => legacy_mac::<sha2::Sha384>(128, password, salt, iterations, data),
        MacAlg::Sha512 => legacy_mac::<sha2::Sha512>(128, password, salt, iterations, data),
        MacAlg::Streebog256 => {
            let key = gost_mac_key(Prf::Streebog256, password, salt, iterations);
            hmac_streebog256(&key[..], data).to_vec()
        }
        MacAlg::Streebog512 => {
            let key = gost_mac_key(Prf::Streebog512, password, salt, iterations);
            hmac_streebog512(&key[..], data).to_vec()
        }
    }
}

/// Checks `expected` in constant time; any mismatch is a wrong password.
pub(crate) fn verify(
    alg: MacAlg,
    password: &str,
    salt: &[u8],
    iterations: u32,
    data: &[u8],
    expected: &[u8],
) -> Result<(), PkiError> {
    let actual = compute(alg, password, salt, iterations, data);
    if bool::from(actual.ct_eq(expected)) {
        Ok(())
    } else {
        Err(PkiError::WrongPassword)
    }
}

fn legacy_mac<D: EagerHash + Digest>(
    block_len: usize,
    password: &str,
    salt: &[u8],
    iterations: u32,
    data: &[u8],
) -> Vec<u8> {
    let mut key = Zeroizing::new(vec![0u8; <D as Digest>::output_size()]);
    kdf::derive::<D>(
        block_len,
        Purpose::Mac,
        &bmp_password(password),
        salt,
        iterations,
        &mut key,
    );
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <Hmac<D> as KeyInit>::new_from_slice(&key).unwrap_or_else(|_| unreachable!());
    mac.update(data);
    let mut tag = mac.finalize().into_bytes();
    let out = tag.to_vec();
    tag.zeroize();
    out
}
