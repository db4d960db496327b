//! PBES2 (RFC 8018 §6.2) with PBKDF2 and the ciphers PFX files use: AES-CBC and DES-EDE3-CBC
//! (OpenSSL 3 defaults), GOST 28147-89 CFB (R 50.1.112, `-keypbe gost89`) and Kuznyechik/Magma
//! CTR-ACPKM with and without OMAC (RFC 9548).
//!
//! The PRF is whatever PBKDF2-params names: HMAC-Streebog-512 for conformant GOST files, but
//! the gost engine 3.0.1 writes its CTR-ACPKM files with hmacWithSHA256, so every PRF goes with
//! every cipher. The password is fed to PBKDF2 as UTF-8 (RFC 8018, RFC 9548), never as BMPString.

use aes::{Aes128, Aes192, Aes256};
use cipher::KeyInit;
use der::asn1::{AnyRef, OctetStringRef};
use des::TdesEde3;
use hmac::EagerHash;
use spki::AlgorithmIdentifierRef;
use tamga_gost::hash::pbkdf2 as gost_pbkdf2;
use zeroize::Zeroizing;

use super::asn1::{Gost28147Params, GostCtrParams, Pbes2Params, Pbkdf2Params};
use super::ctr_acpkm::{self, CtrCipher};
use super::gost89::{self, ParamSet};
use super::{cbc, oids, pbe};
use crate::PkiError;

/// A PBKDF2 pseudo-random function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Prf {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Streebog256,
    Streebog512,
}

impl Prf {
    /// The PRF an AlgorithmIdentifier names (absent = hmacWithSHA1, the RFC 8018 default).
    fn from_algorithm(alg: Option<&AlgorithmIdentifierRef<'_>>) -> Result<Prf, PkiError> {
        let Some(alg) = alg else {
            return Ok(Prf::Sha1);
        };
        Ok(match alg.oid {
            oids::HMAC_SHA1 => Prf::Sha1,
            oids::HMAC_SHA224 => Prf::Sha224,
            oids::HMAC_SHA256 => Prf::Sha256,
            oids::HMAC_SHA384 => Prf::Sha384,
            oids::HMAC_SHA512 => Prf::Sha512,
            oids::HMAC_STREEBOG256 => Prf::Streebog256,
            oids::HMAC_STREEBOG512 => Prf::Streebog512,
            other => return Err(PkiError::Unsupported(format!("PBKDF2 PRF {other}"))),
        })
    }
}

/// PBKDF2 with `prf`, filling `out`; `iterations` is already checked to be ≥ 1.
pub(crate) fn pbkdf2(prf: Prf, password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
    fn sha<D: EagerHash>(p: &[u8], s: &[u8], i: u32, out: &mut [u8]) {
        pbkdf2::pbkdf2_hmac::<D>(p, s, i, out);
    }
    // The GOST variants fail only on 0 iterations or an empty output, both excluded here.
    let gost = |r: Result<(), gost_pbkdf2::Pbkdf2Error>| debug_assert!(r.is_ok());
    match prf {
        Prf::Sha1 => sha::<sha1::Sha1>(password, salt, iterations, out),
        Prf::Sha224 => sha::<sha2::Sha224>(password, salt, iterations, out),
        Prf::Sha256 => sha::<sha2::Sha256>(password, salt, iterations, out),
        Prf::Sha384 => sha::<sha2::Sha384>(password, salt, iterations, out),
        Prf::Sha512 => sha::<sha2::Sha512>(password, salt, iterations, out),
        Prf::Streebog256 => gost(gost_pbkdf2::pbkdf2_hmac_streebog256(
            password, salt, iterations, out,
        )),
        Prf::Streebog512 => gost(gost_pbkdf2::pbkdf2_hmac_streebog512(
            password, salt, iterations, out,
        )),
    }
}

/// A PBES2 encryption scheme with its parameters.
enum Scheme<'a> {
    AesCbc {
        key_len: usize,
        iv: &'a [u8],
    },
    DesEde3Cbc {
        iv: &'a [u8],
    },
    Gost89 {
        params: ParamSet,
        iv: [u8; 8],
    },
    Ctr {
        cipher: CtrCipher,
        omac: bool,
        ukm: &'a [u8],
    },
}

impl<'a> Scheme<'a> {
    fn from_algorithm(alg: &AlgorithmIdentifierRef<'a>) -> Result<Self, PkiError> {
        let params = alg.parameters;
        let corrupt = |e: der::Error| PkiError::corrupt("PBES2 cipher parameters", e);
        let octets = |p: Option<AnyRef<'a>>| -> Result<&'a [u8], PkiError> {
            let p = p.ok_or_else(|| PkiError::Corrupt("PBES2 cipher without IV".into()))?;
            Ok(p.decode_as::<&OctetStringRef>()
                .map_err(corrupt)?
                .as_bytes())
        };
        let ctr = |cipher: CtrCipher, omac: bool| -> Result<Scheme<'a>, PkiError> {
            let p = params.ok_or_else(|| PkiError::Corrupt("CTR-ACPKM without ukm".into()))?;
            let ukm = p
                .decode_as::<GostCtrParams>()
                .map_err(corrupt)?
                .ukm
                .as_bytes();
            Ok(Scheme::Ctr { cipher, omac, ukm })
        };
        Ok(match alg.oid {
            oids::AES128_CBC => Scheme::AesCbc {
                key_len: 16,
                iv: octets(params)?,
            },
            oids::AES192_CBC => Scheme::AesCbc {
                key_len: 24,
                iv: octets(params)?,
            },
            oids::AES256_CBC => Scheme::AesCbc {
                key_len: 32,
                iv: octets(params)?,
            },
            oids::DES_EDE3_CBC => Scheme::DesEde3Cbc {
                iv: octets(params)?,
            },
            oids::GOST28147 => {
                let p =
                    params.ok_or_else(|| PkiError::Corrupt("GOST 28147-89 without IV".into()))?;
                let p: Gost28147Params = p.decode_as().map_err(corrupt)?;
                let iv = p.iv.as_bytes().try_into().map_err(|_| {
                    PkiError::Corrupt(format!("GOST 28147-89 IV of {} bytes", p.iv.len()))
                })?;
                let params = match p.param_set {
                    oids::GOST28147_PARAM_Z => ParamSet::Z,
                    oids::GOST28147_CRYPTOPRO_A => ParamSet::CryptoProA,
                    other => {
                        return Err(PkiError::Unsupported(format!(
                            "GOST 28147-89 parameter set {other}"
                        )))
                    }
                };
                Scheme::Gost89 { params, iv }
            }
            oids::MAGMA_CTR_ACPKM => ctr(CtrCipher::Magma, false)?,
            oids::MAGMA_CTR_ACPKM_OMAC => ctr(CtrCipher::Magma, true)?,
            oids::KUZNYECHIK_CTR_ACPKM => ctr(CtrCipher::Kuznyechik, false)?,
            oids::KUZNYECHIK_CTR_ACPKM_OMAC => ctr(CtrCipher::Kuznyechik, true)?,
            other => return Err(PkiError::Unsupported(format!("PBES2 cipher {other}"))),
        })
    }

    fn key_len(&self) -> usize {
        match self {
            Scheme::AesCbc { key_len, .. } => *key_len,
            Scheme::DesEde3Cbc { .. } => 24,
            Scheme::Gost89 { .. } | Scheme::Ctr { .. } => 32,
        }
    }

    fn decrypt(&self, key: &[u8], data: &mut Zeroizing<Vec<u8>>) -> Result<(), PkiError> {
        let bad_key = |_: cipher::InvalidLength| PkiError::Corrupt("PBES2 key length".into());
        let key32 = || -> Result<&[u8; 32], PkiError> {
            key.try_into()
                .map_err(|_| PkiError::Corrupt("PBES2 key length".into()))
        };
        match self {
            Scheme::AesCbc { key_len: 16, iv } => {
                cbc::decrypt(&Aes128::new_from_slice(key).map_err(bad_key)?, iv, data)
            }
            Scheme::AesCbc { key_len: 24, iv } => {
                cbc::decrypt(&Aes192::new_from_slice(key).map_err(bad_key)?, iv, data)
            }
            Scheme::AesCbc { iv, .. } => {
                cbc::decrypt(&Aes256::new_from_slice(key).map_err(bad_key)?, iv, data)
            }
            Scheme::DesEde3Cbc { iv } => {
                cbc::decrypt(&TdesEde3::new_from_slice(key).map_err(bad_key)?, iv, data)
            }
            Scheme::Gost89 { params, iv } => {
                gost89::cfb_decrypt(*params, key32()?, iv, data);
                Ok(())
            }
            Scheme::Ctr { cipher, omac, ukm } => {
                ctr_acpkm::decrypt(*cipher, *omac, key32()?, ukm, data)
            }
        }
    }
}

/// Decrypts `data` in place under PBES2 with `params` (PBES2-params).
pub(crate) fn decrypt(
    params: Option<AnyRef<'_>>,
    password: &str,
    max_iterations: u32,
    data: &mut Zeroizing<Vec<u8>>,
) -> Result<(), PkiError> {
    let corrupt = |e| PkiError::corrupt("PBES2 parameters", e);
    let params: Pbes2Params = params
        .ok_or_else(|| PkiError::Corrupt("PBES2 without parameters".into()))?
        .decode_as()
        .map_err(corrupt)?;
    if params.kdf.oid != oids::PBKDF2 {
        return Err(PkiError::Unsupported(format!(
            "PBES2 KDF {}",
            params.kdf.oid
        )));
    }
    let kdf: Pbkdf2Params = params
        .kdf
        .parameters
        .ok_or_else(|| PkiError::Corrupt("PBKDF2 without parameters".into()))?
        .decode_as()
        .map_err(corrupt)?;
    let prf = Prf::from_algorithm(kdf.prf.as_ref())?;
    let scheme = Scheme::from_algorithm(&params.encryption)?;
    let key_len = scheme.key_len();
    if kdf.key_length.is_some_and(|l| usize::from(l) != key_len) {
        return Err(PkiError::Corrupt(format!(
            "PBKDF2 keyLength does not fit {}",
            params.encryption.oid
        )));
    }
    let iterations = pbe::iterations(kdf.iterations, max_iterations)?;
    let mut key = Zeroizing::new(vec![0u8; key_len]);
    pbkdf2(
        prf,
        password.as_bytes(),
        kdf.salt.as_bytes(),
        iterations,
        &mut key,
    );
    scheme.decrypt(&key, data)
}
