//! PKCS#12 (PFX) files: reading every variant a KAZTOKEN user may bring — OpenSSL 3 defaults,
//! OpenSSL `-legacy`, Kalkan (BER, legacy PBE), GOST PFX of R 50.1.112-2016 / RFC 9548 and of
//! OpenSSL's gost engine — and writing the GOST 28147-89 variant OpenSSL + gost engine writes.
//!
//! [`Pfx::parse`] checks all unencrypted structure (a damaged file is [`PkiError::Corrupt`]);
//! [`Pfx::open`] checks the MAC first and then decrypts. A failed MAC, a bad CBC pad, a failed
//! OMAC tag or decrypted bytes that do not parse all give exactly [`PkiError::WrongPassword`]:
//! none of them can tell a wrong password from a damaged encrypted part, and saying which would
//! help only a password guesser.

mod asn1;
mod bags;
mod ber;
mod cbc;
mod ctr_acpkm;
mod gost89;
mod kdf;
mod legacy;
mod mac;
mod oids;
mod pbe;
mod pbes2;
mod write;

use der::asn1::{ObjectIdentifier, OctetStringRef};
use der::{Decode, Encode};
use spki::AlgorithmIdentifierRef;
use zeroize::Zeroizing;

use self::asn1::{ContentInfo, EncryptedData, EncryptedPrivateKeyInfo};
use self::bags::Bag;
use self::mac::MacAlg;
use crate::private_key::PrivateKey;
use crate::PkiError;

pub use self::bags::BagAttributes;
pub use self::write::write_gost_pfx;

/// The iteration limit of [`Pfx::open`]: far above any real file (OpenSSL writes 2048, Kalkan
/// 1024, careful users 100 000), far below what would hang the agent.
pub const DEFAULT_MAX_ITERATIONS: u32 = 10_000_000;

/// A parsed PFX, not yet opened.
pub struct Pfx {
    /// The authSafe content octets: what the MAC covers.
    auth_safe: Vec<u8>,
    mac: Option<MacInfo>,
    contents: Vec<Contents>,
}

/// Its `Debug` shows the layout only: an unencrypted keyBag would be in `auth_safe`.
impl core::fmt::Debug for Pfx {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Pfx")
            .field("mac", &self.mac.as_ref().map(|m| m.digest_oid))
            .field("contents", &self.contents)
            .finish_non_exhaustive()
    }
}

struct MacInfo {
    digest_oid: ObjectIdentifier,
    digest: Vec<u8>,
    salt: Vec<u8>,
    iterations: u64,
}

/// One element of the AuthenticatedSafe.
enum Contents {
    Plain(Vec<Bag>),
    /// EncryptedData: the DER AlgorithmIdentifier and the ciphertext of a SafeContents.
    Encrypted {
        algorithm: Vec<u8>,
        ciphertext: Vec<u8>,
    },
}

impl core::fmt::Debug for Contents {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Contents::Plain(bags) => write!(f, "Plain({} bags)", bags.len()),
            Contents::Encrypted { ciphertext, .. } => {
                write!(f, "Encrypted({} bytes)", ciphertext.len())
            }
        }
    }
}

/// What an opened PFX holds.
#[derive(Debug, Default)]
pub struct Container {
    /// The private keys, in file order.
    pub keys: Vec<KeyEntry>,
    /// The certificates, in file order (OpenSSL puts the key's own first).
    pub certificates: Vec<CertEntry>,
}

/// A private key and its bag attributes.
#[derive(Debug)]
pub struct KeyEntry {
    /// The key.
    pub key: PrivateKey,
    /// friendlyName, localKeyId.
    pub attributes: BagAttributes,
}

/// A certificate (DER) and its bag attributes.
#[derive(Clone, Debug)]
pub struct CertEntry {
    /// The X.509 certificate, DER.
    pub der: Vec<u8>,
    /// friendlyName, localKeyId.
    pub attributes: BagAttributes,
}

impl Pfx {
    /// Parses a PFX (DER, or BER with indefinite lengths as Kalkan writes) and all of its
    /// unencrypted structure.
    pub fn parse(bytes: &[u8]) -> Result<Pfx, PkiError> {
        let der = ber::to_der(bytes)?;
        let pfx = asn1::Pfx::from_der(&der).map_err(|e| PkiError::corrupt("PFX", e))?;
        if pfx.version != 3 {
            return Err(PkiError::Unsupported(format!(
                "PFX version {}",
                pfx.version
            )));
        }
        let auth_safe = match pfx.auth_safe.content_type {
            oids::DATA => data_octets(&pfx.auth_safe)?,
            oids::SIGNED_DATA => {
                return Err(PkiError::Unsupported(
                    "public-key integrity mode (authSafe is SignedData)".into(),
                ))
            }
            other => {
                return Err(PkiError::Unsupported(format!(
                    "authSafe content type {other}"
                )))
            }
        };
        let mac = pfx.mac_data.map(|m| MacInfo {
            digest_oid: m.mac.algorithm.oid,
            digest: m.mac.digest.as_bytes().to_vec(),
            salt: m.mac_salt.as_bytes().to_vec(),
            iterations: m.iterations,
        });
        let safe = ber::to_der(&auth_safe)?;
        let infos: Vec<ContentInfo<'_>> =
            Vec::from_der(&safe).map_err(|e| PkiError::corrupt("AuthenticatedSafe", e))?;
        let contents = infos
            .iter()
            .map(parse_contents)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Pfx {
            auth_safe,
            mac,
            contents,
        })
    }

    /// Whether the file has MacData (OpenSSL `-nomac` files have none: a wrong password then
    /// shows only in decryption).
    pub fn has_mac(&self) -> bool {
        self.mac.is_some()
    }

    /// Checks the MAC and decrypts everything with `password`, refusing iteration counts above
    /// [`DEFAULT_MAX_ITERATIONS`].
    pub fn open(&self, password: &str) -> Result<Container, PkiError> {
        self.open_with_limits(password, DEFAULT_MAX_ITERATIONS)
    }

    /// [`Pfx::open`] with a caller's iteration limit (a count above it is
    /// [`PkiError::Unsupported`]); fuzzing uses a small one.
    pub fn open_with_limits(
        &self,
        password: &str,
        max_iterations: u32,
    ) -> Result<Container, PkiError> {
        if let Some(m) = &self.mac {
            let alg = MacAlg::from_oid(&m.digest_oid)?;
            let iterations = pbe::iterations(m.iterations, max_iterations)?;
            mac::verify(
                alg,
                password,
                &m.salt,
                iterations,
                &self.auth_safe,
                &m.digest,
            )?;
        }
        let mut container = Container::default();
        for contents in &self.contents {
            match contents {
                Contents::Plain(bags) => open_bags(bags, password, max_iterations, &mut container)?,
                Contents::Encrypted {
                    algorithm,
                    ciphertext,
                } => {
                    let algorithm = AlgorithmIdentifierRef::from_der(algorithm)?;
                    let plain = pbe::decrypt(&algorithm, ciphertext, password, max_iterations)?;
                    let bags = bags::parse(&plain).map_err(|_| PkiError::WrongPassword)?;
                    open_bags(&bags, password, max_iterations, &mut container)?;
                }
            }
        }
        Ok(container)
    }
}

/// The OCTET STRING content of a `data` ContentInfo.
fn data_octets(info: &ContentInfo<'_>) -> Result<Vec<u8>, PkiError> {
    let content = info
        .content
        .ok_or_else(|| PkiError::Corrupt("data ContentInfo without content".into()))?;
    let octets: &OctetStringRef = content
        .decode_as()
        .map_err(|e| PkiError::corrupt("data ContentInfo", e))?;
    Ok(octets.as_bytes().to_vec())
}

fn parse_contents(info: &ContentInfo<'_>) -> Result<Contents, PkiError> {
    match info.content_type {
        oids::DATA => Ok(Contents::Plain(bags::parse(&data_octets(info)?)?)),
        oids::ENCRYPTED_DATA => {
            let content = info
                .content
                .ok_or_else(|| PkiError::Corrupt("encryptedData without content".into()))?;
            let data: EncryptedData = content
                .decode_as()
                .map_err(|e| PkiError::corrupt("EncryptedData", e))?;
            let eci = data.encrypted_content_info;
            let ciphertext = eci
                .encrypted_content
                .ok_or_else(|| PkiError::Corrupt("EncryptedData without content".into()))?;
            Ok(Contents::Encrypted {
                algorithm: eci.algorithm.to_der()?,
                ciphertext,
            })
        }
        oids::ENVELOPED_DATA => Err(PkiError::Unsupported(
            "public-key privacy mode (EnvelopedData)".into(),
        )),
        other => Err(PkiError::Unsupported(format!(
            "AuthenticatedSafe content type {other}"
        ))),
    }
}

fn open_bags(
    bags: &[Bag],
    password: &str,
    max_iterations: u32,
    container: &mut Container,
) -> Result<(), PkiError> {
    for bag in bags {
        match bag {
            Bag::Key(pkcs8, attributes) => container.keys.push(KeyEntry {
                key: PrivateKey::from_pkcs8_der(pkcs8)?,
                attributes: attributes.clone(),
            }),
            Bag::ShroudedKey(info, attributes) => container.keys.push(KeyEntry {
                key: decrypt_pkcs8(info, password, max_iterations)?,
                attributes: attributes.clone(),
            }),
            Bag::Cert(der, attributes) => container.certificates.push(CertEntry {
                der: der.clone(),
                attributes: attributes.clone(),
            }),
        }
    }
    Ok(())
}

/// Decrypts an EncryptedPrivateKeyInfo. A plaintext that is no PKCS#8 means a wrong password
/// (CFB and CTR decrypt anything); an unknown algorithm inside a well-formed one is reported.
pub(crate) fn decrypt_pkcs8(
    der: &[u8],
    password: &str,
    max_iterations: u32,
) -> Result<PrivateKey, PkiError> {
    let der = ber::to_der(der)?;
    let info = EncryptedPrivateKeyInfo::from_der(&der)
        .map_err(|e| PkiError::corrupt("EncryptedPrivateKeyInfo", e))?;
    let plain = pbe::decrypt(
        &info.algorithm,
        info.encrypted_data.as_bytes(),
        password,
        max_iterations,
    )?;
    PrivateKey::from_pkcs8_der(&plain).map_err(|e| match e {
        PkiError::Corrupt(_) => PkiError::WrongPassword,
        other => other,
    })
}

/// BER → DER for the private-key parser.
pub(crate) fn normalize(bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>, PkiError> {
    ber::to_der(bytes)
}

#[cfg(test)]
mod tests;
