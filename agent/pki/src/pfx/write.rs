//! Writes a GOST PFX the way `openssl pkcs12 -export -keypbe gost89 -certpbe gost89 -macalg
//! md_gost12_512` with the gost engine does (and R 50.1.112-2016 describes): certificates in an
//! EncryptedData, the key in a pkcs8ShroudedKeyBag, both PBES2 with PBKDF2-HMAC-Streebog-512
//! (8-byte salt) and GOST 28147-89 CFB, parameter set Z (8-byte IV); MAC HMAC-Streebog-512 with
//! the RFC 9548 key. The sandbox bank's init keys (`GOST.pfx`) are made with it.

use der::asn1::{AnyRef, Null, OctetStringRef};
use der::{Decode, Encode};
use sha1::{Digest, Sha1};
use spki::AlgorithmIdentifierRef;
use zeroize::Zeroizing;

use super::asn1::{
    ContentInfo, DigestInfo, EncryptedContentInfo, EncryptedData, EncryptedPrivateKeyInfo,
    Gost28147Params, MacData, Pbes2Params, Pbkdf2Params, Pfx, SafeBag,
};
use super::bags::{encode_attributes, BagAttributes};
use super::gost89::{self, ParamSet};
use super::mac::{self, MacAlg};
use super::oids;
use super::pbes2::{pbkdf2, Prf};
use crate::private_key::GostKey;
use crate::PkiError;

/// Salt and IV lengths OpenSSL uses.
const SALT_LEN: usize = 8;
const IV_LEN: usize = 8;

/// The PFX bytes (DER) holding `key` and `certs` (DER; the key's own certificate first),
/// protected by `password` with `iterations` PBKDF2 iterations (OpenSSL's default is 2048) for
/// encryption and MAC alike. `rng` fills the salts and IVs.
///
/// The key bag and the first certificate carry `friendly_name` and, when there is a
/// certificate, localKeyId = SHA-1 of it, as OpenSSL sets them.
pub fn write_gost_pfx(
    key: &GostKey,
    certs: &[&[u8]],
    password: &str,
    friendly_name: Option<&str>,
    iterations: u32,
    rng: &mut dyn FnMut(&mut [u8]) -> Result<(), PkiError>,
) -> Result<Vec<u8>, PkiError> {
    if iterations == 0 {
        return Err(PkiError::InvalidArgument("PFX iteration count 0"));
    }
    let own = BagAttributes {
        friendly_name: friendly_name.map(str::to_owned),
        local_key_id: certs.first().map(|c| Sha1::digest(c).to_vec()),
    };
    let mut safe = Vec::new();
    if !certs.is_empty() {
        let bags = cert_bags(certs, &own)?;
        let (algorithm, ciphertext) = encrypt(password, iterations, &bags, rng)?;
        let data = EncryptedData {
            version: 0,
            encrypted_content_info: EncryptedContentInfo {
                content_type: oids::DATA,
                algorithm: AlgorithmIdentifierRef::from_der(&algorithm)?,
                encrypted_content: Some(ciphertext),
            },
        }
        .to_der()?;
        safe.push(content_info(
            oids::ENCRYPTED_DATA,
            AnyRef::from_der(&data)?,
        )?);
    }
    let key_bag = shrouded_key_bag(key, &own, password, iterations, rng)?;
    safe.push(data_info(&key_bag)?);
    let auth_safe = safe
        .iter()
        .map(|c| AnyRef::from_der(c))
        .collect::<Result<Vec<_>, _>>()?
        .to_der()?;

    let mut salt = [0u8; SALT_LEN];
    rng(&mut salt)?;
    let digest = mac::compute(MacAlg::Streebog512, password, &salt, iterations, &auth_safe);
    let pfx = Pfx {
        version: 3,
        auth_safe: ContentInfo {
            content_type: oids::DATA,
            content: Some(OctetStringRef::new(&auth_safe)?.into()),
        },
        mac_data: Some(MacData {
            mac: DigestInfo {
                algorithm: AlgorithmIdentifierRef {
                    oid: oids::STREEBOG512,
                    parameters: Some(Null.into()),
                },
                digest: OctetStringRef::new(&digest)?,
            },
            mac_salt: OctetStringRef::new(&salt)?,
            iterations: u64::from(iterations),
        }),
    };
    Ok(pfx.to_der()?)
}

/// SafeContents of certBags; the first carries the key's attributes.
fn cert_bags(certs: &[&[u8]], own: &BagAttributes) -> Result<Vec<u8>, PkiError> {
    let mut bags = Vec::new();
    for (i, cert) in certs.iter().enumerate() {
        let value = cert_bag_value(cert)?;
        let attrs = if i == 0 {
            own.clone()
        } else {
            BagAttributes::default()
        };
        bags.push(safe_bag(oids::CERT_BAG, &value, &attrs)?);
    }
    safe_contents(&bags)
}

/// CertBag { x509Certificate, [0] OCTET STRING (cert) }.
fn cert_bag_value(cert: &[u8]) -> Result<Vec<u8>, PkiError> {
    let octets = OctetStringRef::new(cert)?.to_der()?;
    let bag = super::asn1::CertBag {
        cert_id: oids::X509_CERTIFICATE,
        cert_value: AnyRef::from_der(&octets)?,
    };
    Ok(bag.to_der()?)
}

/// SafeContents { pkcs8ShroudedKeyBag }.
fn shrouded_key_bag(
    key: &GostKey,
    own: &BagAttributes,
    password: &str,
    iterations: u32,
    rng: &mut dyn FnMut(&mut [u8]) -> Result<(), PkiError>,
) -> Result<Vec<u8>, PkiError> {
    let pkcs8 = key.to_pkcs8_der()?;
    let (algorithm, ciphertext) = encrypt(password, iterations, &pkcs8, rng)?;
    let info = EncryptedPrivateKeyInfo {
        algorithm: AlgorithmIdentifierRef::from_der(&algorithm)?,
        encrypted_data: OctetStringRef::new(&ciphertext)?,
    }
    .to_der()?;
    safe_contents(&[safe_bag(oids::SHROUDED_KEY_BAG, &info, own)?])
}

fn safe_bag(
    bag_id: der::asn1::ObjectIdentifier,
    value: &[u8],
    attrs: &BagAttributes,
) -> Result<Vec<u8>, PkiError> {
    let attributes = encode_attributes(attrs)?;
    let bag = SafeBag {
        bag_id,
        bag_value: AnyRef::from_der(value)?,
        bag_attributes: attributes.as_deref().map(Decode::from_der).transpose()?,
    };
    Ok(bag.to_der()?)
}

fn safe_contents(bags: &[Vec<u8>]) -> Result<Vec<u8>, PkiError> {
    let anys = bags
        .iter()
        .map(|b| AnyRef::from_der(b))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(anys.to_der()?)
}

fn content_info(
    content_type: der::asn1::ObjectIdentifier,
    content: AnyRef<'_>,
) -> Result<Vec<u8>, PkiError> {
    Ok(ContentInfo {
        content_type,
        content: Some(content),
    }
    .to_der()?)
}

fn data_info(content: &[u8]) -> Result<Vec<u8>, PkiError> {
    content_info(oids::DATA, OctetStringRef::new(content)?.into())
}

/// PBES2 { PBKDF2 (salt, iterations, HMAC-Streebog-512), GOST 28147-89 (IV, param Z) }: the
/// DER AlgorithmIdentifier and the ciphertext of `plain`.
fn encrypt(
    password: &str,
    iterations: u32,
    plain: &[u8],
    rng: &mut dyn FnMut(&mut [u8]) -> Result<(), PkiError>,
) -> Result<(Vec<u8>, Vec<u8>), PkiError> {
    let mut salt = [0u8; SALT_LEN];
    let mut iv = [0u8; IV_LEN];
    rng(&mut salt)?;
    rng(&mut iv)?;
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2(
        Prf::Streebog512,
        password.as_bytes(),
        &salt,
        iterations,
        &mut key[..],
    );
    let mut data = Zeroizing::new(plain.to_vec());
    gost89::cfb_encrypt(ParamSet::Z, &key, &iv, &mut data);

    let prf = AlgorithmIdentifierRef {
        oid: oids::HMAC_STREEBOG512,
        parameters: Some(Null.into()),
    };
    let kdf_params = Pbkdf2Params {
        salt: OctetStringRef::new(&salt)?,
        iterations: u64::from(iterations),
        key_length: None,
        prf: Some(prf),
    }
    .to_der()?;
    let cipher_params = Gost28147Params {
        iv: OctetStringRef::new(&iv)?,
        param_set: oids::GOST28147_PARAM_Z,
    }
    .to_der()?;
    let pbes2 = Pbes2Params {
        kdf: AlgorithmIdentifierRef {
            oid: oids::PBKDF2,
            parameters: Some(AnyRef::from_der(&kdf_params)?),
        },
        encryption: AlgorithmIdentifierRef {
            oid: oids::GOST28147,
            parameters: Some(AnyRef::from_der(&cipher_params)?),
        },
    }
    .to_der()?;
    let algorithm = AlgorithmIdentifierRef {
        oid: oids::PBES2,
        parameters: Some(AnyRef::from_der(&pbes2)?),
    }
    .to_der()?;
    Ok((algorithm, data.to_vec()))
}
