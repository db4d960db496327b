//! Message protection: password-based MAC (RFC 4210 §5.1.3.1) and signature (GOST).

use der::asn1::{ObjectIdentifier, OctetString};
use der::Any;
use hmac::{EagerHash, Hmac, KeyInit, Mac};
use sha2::digest::Digest;
use spki::AlgorithmIdentifierOwned;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::asn1::PbmParameter;
use super::error::{CmpError, FailInfo};
use crate::algorithm::Profile;
use crate::signer::{sign_data, Signer};
use crate::Certificate;

/// `id-PasswordBasedMac` (1.2.840.113533.7.66.13).
pub const PASSWORD_BASED_MAC: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113533.7.66.13");
const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
/// hmac-sha1 as OpenSSL writes it (RFC 2104 arc) and as PKCS#5 names it.
const HMAC_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.8.1.2");
const HMAC_WITH_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.2.7");
const HMAC_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.2.9");

/// OpenSSL's bounds (`OSSL_CRMF_PBM_MAX_ITERATION_COUNT`, and at least 100): a message cannot
/// make the receiver hash forever.
pub const PBM_MIN_ITERATIONS: u64 = 100;
/// See [`PBM_MIN_ITERATIONS`].
pub const PBM_MAX_ITERATIONS: u64 = 100_000;

/// The MAC of a PBM (the one-way function is always SHA-256 when tamga writes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PbmMac {
    /// HMAC-SHA256 (PROTOCOL.md; what tamga sends).
    HmacSha256,
    /// HMAC-SHA1 (OpenSSL 3.0's default for `openssl cmp`).
    HmacSha1,
}

/// How [`super::encode`] protects a message.
pub enum Protect<'a> {
    /// No protection (only for tests and for answers to garbage).
    None,
    /// Password-based MAC with a shared secret (the OTP PIN's UTF-8).
    Pbm {
        /// The shared secret.
        secret: &'a [u8],
        /// Fresh random salt (16 bytes).
        salt: &'a [u8],
        /// iterationCount (PROTOCOL.md: 10000).
        iterations: u32,
        /// The MAC.
        mac: PbmMac,
    },
    /// A signature by `signer`; `certs` go to extraCerts, the signer's own certificate first.
    Signature {
        /// The key.
        signer: &'a dyn Signer,
        /// The signer's certificate and its chain.
        certs: &'a [Certificate],
        /// OIDs and layout.
        profile: Profile,
    },
}

impl core::fmt::Debug for Protect<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Protect::None => f.write_str("Protect::None"),
            Protect::Pbm {
                iterations, mac, ..
            } => f
                .debug_struct("Protect::Pbm")
                .field("iterations", iterations)
                .field("mac", mac)
                .finish_non_exhaustive(),
            Protect::Signature { profile, .. } => f
                .debug_struct("Protect::Signature")
                .field("profile", profile)
                .finish_non_exhaustive(),
        }
    }
}

/// What protection a received message carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProtectionKind {
    /// None at all.
    None,
    /// Password-based MAC.
    Pbm {
        /// Its iterationCount.
        iterations: u64,
    },
    /// A signature with this algorithm.
    Signature(ObjectIdentifier),
}

fn alg(oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid,
        parameters: None,
    }
}

/// The protectionAlg for `protect` and the protection value over `protected_part` (DER of
/// ProtectedPart, whose header must already carry that protectionAlg — hence two steps).
pub(crate) fn protection_alg(
    protect: &Protect<'_>,
) -> Result<Option<AlgorithmIdentifierOwned>, CmpError> {
    let enc = |e: der::Error| CmpError::format("encoding the protection", e);
    Ok(match protect {
        Protect::None => None,
        Protect::Pbm {
            salt,
            iterations,
            mac,
            ..
        } => {
            let params = PbmParameter {
                salt: OctetString::new(salt.to_vec()).map_err(enc)?,
                owf: alg(SHA256),
                iteration_count: u64::from(*iterations),
                mac: alg(match mac {
                    PbmMac::HmacSha256 => HMAC_WITH_SHA256,
                    PbmMac::HmacSha1 => HMAC_SHA1,
                }),
            };
            Some(AlgorithmIdentifierOwned {
                oid: PASSWORD_BASED_MAC,
                parameters: Some(Any::encode_from(&params).map_err(enc)?),
            })
        }
        Protect::Signature {
            signer, profile, ..
        } => Some(signer.public_key().signature_identifier(profile)?),
    })
}

/// The protection bits for `protected_part` under `protect` (whose algorithm is `alg`).
pub(crate) fn protect_bytes(
    protect: &Protect<'_>,
    alg: &AlgorithmIdentifierOwned,
    protected_part: &[u8],
) -> Result<Option<Vec<u8>>, CmpError> {
    match protect {
        Protect::None => Ok(None),
        Protect::Pbm { secret, .. } => Ok(Some(pbm_mac(alg, secret, protected_part)?)),
        Protect::Signature {
            signer, profile, ..
        } => Ok(Some(sign_data(*signer, protected_part, profile)?)),
    }
}

/// The PBM of `data` as the parameters of `alg` say: key = owf^iterationCount(secret ‖ salt),
/// then the MAC over `data`.
pub(crate) fn pbm_mac(
    alg: &AlgorithmIdentifierOwned,
    secret: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, CmpError> {
    if alg.oid != PASSWORD_BASED_MAC {
        return Err(CmpError::new(
            FailInfo::BadAlg,
            format!("{} is not PasswordBasedMac", alg.oid),
        ));
    }
    let params: PbmParameter = alg
        .parameters
        .as_ref()
        .ok_or_else(|| CmpError::new(FailInfo::BadAlg, "PBM without parameters"))?
        .decode_as()
        .map_err(|e| CmpError::format("PBMParameter", e))?;
    if !(PBM_MIN_ITERATIONS..=PBM_MAX_ITERATIONS).contains(&params.iteration_count) {
        return Err(CmpError::new(
            FailInfo::BadAlg,
            format!(
                "PBM iterationCount {} outside {PBM_MIN_ITERATIONS}..={PBM_MAX_ITERATIONS}",
                params.iteration_count
            ),
        ));
    }
    let salt = params.salt.as_bytes();
    let n = params.iteration_count;
    let key = match params.owf.oid {
        SHA256 => owf::<sha2::Sha256>(secret, salt, n),
        SHA1 => owf::<sha1::Sha1>(secret, salt, n),
        other => {
            return Err(CmpError::new(
                FailInfo::BadAlg,
                format!("PBM one-way function {other}"),
            ))
        }
    };
    match params.mac.oid {
        HMAC_WITH_SHA256 => Ok(hmac::<sha2::Sha256>(&key, data)),
        HMAC_SHA1 | HMAC_WITH_SHA1 => Ok(hmac::<sha1::Sha1>(&key, data)),
        other => Err(CmpError::new(
            FailInfo::BadAlg,
            format!("PBM MAC algorithm {other}"),
        )),
    }
}

fn owf<D: Digest>(secret: &[u8], salt: &[u8], iterations: u64) -> Zeroizing<Vec<u8>> {
    let mut h = D::new();
    h.update(secret);
    h.update(salt);
    let mut key = Zeroizing::new(h.finalize().to_vec());
    for _ in 1..iterations {
        let next = D::digest(&key[..]).to_vec();
        key = Zeroizing::new(next);
    }
    key
}

fn hmac<D: EagerHash + Digest>(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <Hmac<D> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Constant-time comparison of two MACs.
pub(crate) fn macs_equal(a: &[u8], b: &[u8]) -> bool {
    bool::from(a.ct_eq(b))
}

/// Reads the kind of protection from the header's protectionAlg.
pub(crate) fn kind_of(alg: Option<&AlgorithmIdentifierOwned>) -> ProtectionKind {
    match alg {
        None => ProtectionKind::None,
        Some(a) if a.oid == PASSWORD_BASED_MAC => ProtectionKind::Pbm {
            iterations: a
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<PbmParameter>().ok())
                .map(|p| p.iteration_count)
                .unwrap_or(0),
        },
        Some(a) => ProtectionKind::Signature(a.oid),
    }
}
