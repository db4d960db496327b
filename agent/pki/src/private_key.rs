//! PKCS#8 private keys: GOST keys in every layout seen in the wild, RSA and EC P-256 carried.
//!
//! GOST `privateKey` layouts (see `design/gost-byte-order.md`):
//! - the bare little-endian scalar (OpenSSL's gost engine, RFC 9548 A.1);
//! - an OCTET STRING around it (Kalkan: OCTET STRING { OCTET STRING (LE) });
//! - a big-endian INTEGER (the oldest engines);
//! - the masked form of R 50.1.112-2016 (CryptoPro: k′ ‖ mask…, see [`masked`]).
//!
//! PKCS#8 v2 (RFC 5958 OneAsymmetricKey, RFC 9548 A.1) may carry `[1] publicKey`; for a GOST key
//! it must match the private one. RSA and EC keys are only carried (as their PKCS#8 DER) for a
//! later import into a token: nothing here signs with them.
//!
//! Secrets live in [`SecretKey`] or `Zeroizing` buffers only; no `Debug` output shows them.

mod masked;

use core::fmt;

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier as Oid, OctetStringRef};
use der::referenced::OwnedToRef;
use der::{Decode, Encode, Reader, Tag, Tagged};
use pkcs8::PrivateKeyInfoRef;
use spki::{AlgorithmIdentifierOwned, AlgorithmIdentifierRef};
use tamga_gost::{Curve, PublicKey, SecretKey, SigEncoding};
use zeroize::Zeroizing;

use crate::algorithm::{digest_algorithm, key_algorithm, KeyAlgorithm, OidFamily, Profile};
use crate::hash::HashAlg;
use crate::public_key::spki_for;
use crate::PkiError;

const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
const PRIME256V1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");

/// A GOST R 34.10 private key with the algorithm identifier it is written with.
#[derive(Clone)]
pub struct GostKey {
    secret: SecretKey,
    kind: &'static KeyAlgorithm,
    hash: HashAlg,
    algorithm: AlgorithmIdentifierOwned,
}

impl fmt::Debug for GostKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GostKey")
            .field("curve", &self.secret.curve())
            .field("algorithm", &self.kind.name)
            .finish_non_exhaustive()
    }
}

impl GostKey {
    /// A key named as `family` names keys on its curve: the AlgorithmIdentifier of
    /// [`spki_for`] (RFC 9215 parameters for TC26, Kalkan's for the Kazakh family). Gamma
    /// identifiers are only kept from parsed keys.
    pub fn new(secret: SecretKey, family: OidFamily) -> Result<Self, PkiError> {
        let profile = Profile::new(family, SigEncoding::Rfc9215)?;
        let kind = profile.key_algorithm(secret.curve())?;
        let algorithm = spki_for(&secret.public_key(), &profile)?.algorithm;
        Ok(Self {
            secret,
            kind,
            hash: kind.hash,
            algorithm,
        })
    }

    /// The secret scalar.
    pub fn secret(&self) -> &SecretKey {
        &self.secret
    }

    /// The parameter set.
    pub fn curve(&self) -> Curve {
        self.secret.curve()
    }

    /// Whose OIDs name the key.
    pub fn family(&self) -> OidFamily {
        self.kind.family
    }

    /// The key algorithm its OID names.
    pub fn key_algorithm(&self) -> &'static KeyAlgorithm {
        self.kind
    }

    /// The hash the key signs with: the digest parameter if the identifier has one, else the
    /// algorithm's.
    pub fn hash(&self) -> HashAlg {
        self.hash
    }

    /// The AlgorithmIdentifier (key OID and parameters) as read or as [`GostKey::new`] made it.
    pub fn algorithm(&self) -> &AlgorithmIdentifierOwned {
        &self.algorithm
    }

    /// Q = d·G.
    pub fn public_key(&self) -> PublicKey {
        self.secret.public_key()
    }

    /// PKCS#8 v1 with the bare little-endian scalar, the layout OpenSSL's gost engine writes and
    /// reads.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, PkiError> {
        let scalar = self.secret.to_le_bytes();
        let octets = OctetStringRef::new(&scalar)?;
        let info = PrivateKeyInfoRef::new(self.algorithm.owned_to_ref(), octets);
        let len = usize::try_from(info.encoded_len()?)?;
        let mut out = Zeroizing::new(vec![0u8; len]);
        info.encode_to_slice(&mut out)?;
        Ok(out)
    }
}

/// A private key from a PKCS#8 structure.
#[derive(Clone)]
#[non_exhaustive]
pub enum PrivateKey {
    /// A GOST R 34.10 key.
    Gost(GostKey),
    /// An RSA key: its PKCS#8 DER, carried unparsed.
    Rsa(Zeroizing<Vec<u8>>),
    /// An EC key on P-256: its PKCS#8 DER, carried unparsed.
    EcP256(Zeroizing<Vec<u8>>),
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrivateKey::Gost(k) => f.debug_tuple("Gost").field(k).finish(),
            PrivateKey::Rsa(_) => f.write_str("Rsa(..)"),
            PrivateKey::EcP256(_) => f.write_str("EcP256(..)"),
        }
    }
}

impl PrivateKey {
    /// Parses a DER (or BER) PKCS#8 PrivateKeyInfo / OneAsymmetricKey.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, PkiError> {
        let der = crate::pfx::normalize(der)?;
        let info = PrivateKeyInfoRef::from_der(&der)
            .map_err(|e| PkiError::corrupt("PKCS#8 PrivateKeyInfo", e))?;
        let oid = info.algorithm.oid;
        if oid == RSA_ENCRYPTION || oid == RSASSA_PSS {
            return Ok(PrivateKey::Rsa(der));
        }
        if oid == EC_PUBLIC_KEY {
            let curve = info
                .algorithm
                .parameters
                .and_then(|p| p.decode_as::<Oid>().ok());
            return match curve {
                Some(PRIME256V1) => Ok(PrivateKey::EcP256(der)),
                Some(other) => Err(PkiError::Unsupported(format!("EC curve {other}"))),
                None => Err(PkiError::Unsupported("EC key without a named curve".into())),
            };
        }
        let (kind, curve, hash) = gost_params(&info.algorithm)?;
        let secret = gost_scalar(curve, info.private_key.as_bytes())?;
        if let Some(public) = info.public_key {
            check_public_key(&secret, public)?;
        }
        Ok(PrivateKey::Gost(GostKey {
            secret,
            kind,
            hash,
            algorithm: AlgorithmIdentifierOwned {
                oid,
                parameters: info.algorithm.parameters.map(Into::into),
            },
        }))
    }

    /// Parses a PEM `PRIVATE KEY` block (RFC 7468).
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, PkiError> {
        let mut decoder = der::pem::Decoder::new_detect_wrap(pem.trim().as_bytes())
            .map_err(|e| PkiError::corrupt("PEM", e))?;
        match decoder.type_label() {
            "PRIVATE KEY" => {}
            "ENCRYPTED PRIVATE KEY" => {
                return Err(PkiError::Unsupported(
                    "encrypted PEM key: use from_encrypted_pkcs8_der".into(),
                ))
            }
            other => return Err(PkiError::Corrupt(format!("PEM {other}, not PRIVATE KEY"))),
        }
        let mut buf = Zeroizing::new(vec![0u8; decoder.remaining_len()]);
        let len = decoder
            .decode(&mut buf)
            .map_err(|e| PkiError::corrupt("PEM", e))?
            .len();
        buf.truncate(len);
        Self::from_pkcs8_der(&buf)
    }

    /// Decrypts and parses a DER EncryptedPrivateKeyInfo (PBES2 or legacy PKCS#12 PBE, with the
    /// ciphers a PFX may use). A wrong password gives [`PkiError::WrongPassword`].
    pub fn from_encrypted_pkcs8_der(der: &[u8], password: &str) -> Result<Self, PkiError> {
        crate::pfx::decrypt_pkcs8(der, password, crate::pfx::DEFAULT_MAX_ITERATIONS)
    }

    /// The GOST key, if this is one.
    pub fn as_gost(&self) -> Option<&GostKey> {
        match self {
            PrivateKey::Gost(k) => Some(k),
            _ => None,
        }
    }

    /// PKCS#8 DER: OpenSSL's layout for GOST keys, the carried bytes for RSA and EC.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, PkiError> {
        match self {
            PrivateKey::Gost(k) => k.to_pkcs8_der(),
            PrivateKey::Rsa(der) | PrivateKey::EcP256(der) => Ok(der.clone()),
        }
    }
}

/// A PKCS#8 file as read, before any password is asked for: PEM (`PRIVATE KEY`, `ENCRYPTED
/// PRIVATE KEY`) or DER, plain or encrypted.
pub enum Pkcs8File {
    /// A PrivateKeyInfo / OneAsymmetricKey.
    Plain(PrivateKey),
    /// An EncryptedPrivateKeyInfo (its DER): [`Pkcs8File::decrypt`] opens it.
    Encrypted(Zeroizing<Vec<u8>>),
}

impl fmt::Debug for Pkcs8File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pkcs8File::Plain(k) => f.debug_tuple("Plain").field(k).finish(),
            Pkcs8File::Encrypted(_) => f.write_str("Encrypted(..)"),
        }
    }
}

impl Pkcs8File {
    /// Reads a key file: the first `PRIVATE KEY` or `ENCRYPTED PRIVATE KEY` PEM block (with any
    /// text around it), or DER. Every decoded byte stays in `Zeroizing` buffers.
    pub fn parse(data: &[u8]) -> Result<Self, PkiError> {
        let der = crate::pem::der_block(data, &["PRIVATE KEY", "ENCRYPTED PRIVATE KEY"])?;
        if is_encrypted_pkcs8(&der) {
            Ok(Pkcs8File::Encrypted(der))
        } else {
            Ok(Pkcs8File::Plain(PrivateKey::from_pkcs8_der(&der)?))
        }
    }

    /// Whether a password is needed.
    pub fn is_encrypted(&self) -> bool {
        matches!(self, Pkcs8File::Encrypted(_))
    }

    /// The key: as it is, or decrypted with `password` ([`PkiError::WrongPassword`] when it
    /// does not open).
    pub fn decrypt(self, password: &str) -> Result<PrivateKey, PkiError> {
        match self {
            Pkcs8File::Plain(key) => Ok(key),
            Pkcs8File::Encrypted(der) => PrivateKey::from_encrypted_pkcs8_der(&der, password),
        }
    }
}

/// EncryptedPrivateKeyInfo opens with an AlgorithmIdentifier (a SEQUENCE), PrivateKeyInfo with
/// its version (an INTEGER).
fn is_encrypted_pkcs8(der: &[u8]) -> bool {
    let Ok(mut reader) = der::SliceReader::new(der) else {
        return false;
    };
    der::Header::decode(&mut reader).is_ok_and(|h| h.tag() == Tag::Sequence)
        && Tag::peek(&reader) == Ok(Tag::Sequence)
}

/// The algorithm, curve and hash an AlgorithmIdentifier names: `{ key OID, SEQUENCE { curve
/// OID, [digest OID], … } }`, the curve OID alone, or (Gamma, whose key OID is the curve's) NULL
/// or nothing — the same readings as [`crate::GostPublicKey::from_spki`].
fn gost_params(
    alg: &AlgorithmIdentifierRef<'_>,
) -> Result<(&'static KeyAlgorithm, Curve, HashAlg), PkiError> {
    let kind = key_algorithm(&alg.oid)
        .ok_or_else(|| PkiError::Unsupported(format!("private key algorithm {}", alg.oid)))?;
    let corrupt = |e| PkiError::corrupt("GOST key parameters", e);
    let (curve_oid, digest_oid) = match alg.parameters {
        Some(p) if p.tag() == Tag::Sequence => {
            let mut reader = der::SliceReader::new(p.value()).map_err(corrupt)?;
            let curve = reader.decode::<Oid>().map_err(corrupt)?;
            let digest = match Tag::peek(&reader) {
                Ok(Tag::ObjectIdentifier) => Some(reader.decode::<Oid>().map_err(corrupt)?),
                _ => None,
            };
            (curve, digest)
        }
        Some(p) if p.tag() == Tag::ObjectIdentifier => (p.decode_as().map_err(corrupt)?, None),
        Some(p) if p.tag() == Tag::Null => (alg.oid, None),
        None => (alg.oid, None),
        Some(_) => return Err(PkiError::Corrupt("GOST key parameters".into())),
    };
    let curve = Curve::from_oid(&curve_oid.to_string())
        .map_err(|_| PkiError::Unsupported(format!("GOST parameter set {curve_oid}")))?;
    if kind.bits != curve.bits() {
        return Err(PkiError::Corrupt(format!(
            "{} key on the {}-bit parameter set {curve}",
            kind.name,
            curve.bits()
        )));
    }
    let hash = digest_oid
        .as_ref()
        .and_then(digest_algorithm)
        .unwrap_or(kind.hash);
    Ok((kind, curve, hash))
}

/// The scalar in a `privateKey` OCTET STRING, in any of the four layouts.
fn gost_scalar(curve: Curve, content: &[u8]) -> Result<SecretKey, PkiError> {
    let l = curve.scalar_len();
    // A wrapper of exactly L bytes would hold an (L-2)-byte key (odds 2^-16); the bare form is
    // what OpenSSL writes, so it wins the tie.
    if content.len() == l {
        return Ok(SecretKey::from_le_bytes(curve, content)?);
    }
    match AnyRef::from_der(content) {
        Ok(inner)
            if inner.tag() == Tag::OctetString
                && !inner.value().is_empty()
                && inner.value().len() <= l =>
        {
            Ok(SecretKey::from_le_bytes(curve, inner.value())?)
        }
        Ok(inner) if inner.tag() == Tag::Integer => {
            let be = match inner.value() {
                [0, rest @ ..] => rest,
                [first, ..] if first & 0x80 != 0 => {
                    return Err(PkiError::Corrupt("negative private key".into()))
                }
                v => v,
            };
            if be.is_empty() || be.len() > l {
                return Err(PkiError::Corrupt(format!(
                    "{curve} private key INTEGER of {} bytes",
                    be.len()
                )));
            }
            Ok(SecretKey::from_be_bytes(curve, be)?)
        }
        _ if content.len() > l && content.len() % l == 0 => masked::unmask(curve, content),
        _ if !content.is_empty() && content.len() < l => {
            Ok(SecretKey::from_le_bytes(curve, content)?)
        }
        _ => Err(PkiError::Corrupt(format!(
            "{curve} private key of {} bytes",
            content.len()
        ))),
    }
}

/// OneAsymmetricKey's publicKey must be the private key's: a BIT STRING holding OCTET STRING
/// (X ‖ Y), or X ‖ Y bare.
fn check_public_key(secret: &SecretKey, public: BitStringRef<'_>) -> Result<(), PkiError> {
    let expected = secret.public_key().to_bytes();
    // The bytes, whatever the unused-bits count says: RFC 9548 A.1's key declares one unused
    // bit over a whole X ‖ Y.
    let bits = public.raw_bytes();
    let xy = match <&OctetStringRef>::from_der(bits) {
        Ok(inner) if bits.len() != expected.len() => inner.as_bytes(),
        _ => bits,
    };
    if xy == expected.as_slice() {
        Ok(())
    } else {
        Err(PkiError::Corrupt(
            "the PKCS#8 publicKey does not belong to the private key".into(),
        ))
    }
}
