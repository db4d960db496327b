//! SafeContents and SafeBags (RFC 7292 §4.2): the keys and certificates a PFX carries, with
//! their friendlyName and localKeyId attributes.

use der::asn1::{AnyRef, BmpString, OctetStringRef, SetOfVec};
use der::{Decode, Encode};
use zeroize::Zeroizing;

use super::asn1::{Attribute, CertBag, EncryptedPrivateKeyInfo, SafeBag};
use super::{ber, oids};
use crate::PkiError;

/// Nesting of safeContentsBag inside safeContentsBag that is followed (real files use none).
const MAX_NESTING: usize = 4;

/// The attributes of a bag that tamga uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BagAttributes {
    /// friendlyName (PKCS#9), the name a user gave the key or certificate.
    pub friendly_name: Option<String>,
    /// localKeyId (PKCS#9): equal on a key and its certificate (OpenSSL: SHA-1 of the cert).
    pub local_key_id: Option<Vec<u8>>,
}

/// One bag, before any decryption.
pub(crate) enum Bag {
    /// keyBag: a plain PKCS#8 PrivateKeyInfo.
    Key(Zeroizing<Vec<u8>>, BagAttributes),
    /// pkcs8ShroudedKeyBag: an EncryptedPrivateKeyInfo (DER).
    ShroudedKey(Vec<u8>, BagAttributes),
    /// certBag with an X.509 certificate (DER).
    Cert(Vec<u8>, BagAttributes),
}

/// The bags of a SafeContents (BER or DER); bag types tamga has no use for (CRLs, secrets,
/// SDSI certificates) are skipped.
pub(crate) fn parse(safe_contents: &[u8]) -> Result<Vec<Bag>, PkiError> {
    let mut out = Vec::new();
    collect(safe_contents, 0, &mut out)?;
    Ok(out)
}

fn collect(safe_contents: &[u8], depth: usize, out: &mut Vec<Bag>) -> Result<(), PkiError> {
    let der = ber::to_der(safe_contents)?;
    let bags: Vec<SafeBag<'_>> =
        Vec::from_der(&der).map_err(|e| PkiError::corrupt("SafeContents", e))?;
    for bag in bags {
        let attributes = attributes(bag.bag_attributes.as_ref())?;
        let corrupt = |e| PkiError::corrupt("SafeBag", e);
        match bag.bag_id {
            oids::KEY_BAG => {
                // Sized first so that no reallocation leaves an unwiped copy of the key.
                let len = usize::try_from(bag.bag_value.encoded_len()?)?;
                let mut pkcs8 = Zeroizing::new(Vec::with_capacity(len));
                bag.bag_value.encode_to_vec(&mut pkcs8).map_err(corrupt)?;
                out.push(Bag::Key(pkcs8, attributes));
            }
            oids::SHROUDED_KEY_BAG => {
                // Decoded now so that a damaged bag is reported as such, not as a wrong password.
                let info: EncryptedPrivateKeyInfo = bag.bag_value.decode_as().map_err(corrupt)?;
                out.push(Bag::ShroudedKey(
                    info.to_der().map_err(corrupt)?,
                    attributes,
                ));
            }
            oids::CERT_BAG => {
                let cert: CertBag = bag.bag_value.decode_as().map_err(corrupt)?;
                if cert.cert_id == oids::X509_CERTIFICATE {
                    let der = cert
                        .cert_value
                        .decode_as::<&OctetStringRef>()
                        .map_err(corrupt)?;
                    out.push(Bag::Cert(der.as_bytes().to_vec(), attributes));
                }
            }
            oids::SAFE_CONTENTS_BAG if depth < MAX_NESTING => {
                collect(&bag.bag_value.to_der().map_err(corrupt)?, depth + 1, out)?;
            }
            oids::SAFE_CONTENTS_BAG => {
                return Err(PkiError::Corrupt("SafeContents nested too deep".into()))
            }
            _ => {}
        }
    }
    Ok(())
}

fn attributes(set: Option<&SetOfVec<Attribute<'_>>>) -> Result<BagAttributes, PkiError> {
    let mut out = BagAttributes::default();
    let corrupt = |e| PkiError::corrupt("bag attribute", e);
    for attr in set.into_iter().flat_map(|s| s.iter()) {
        let Some(value) = attr.values.iter().next() else {
            continue;
        };
        match attr.oid {
            oids::FRIENDLY_NAME => {
                let name: BmpString = value.decode_as().map_err(corrupt)?;
                out.friendly_name = Some(name.to_string());
            }
            oids::LOCAL_KEY_ID => {
                out.local_key_id = Some(
                    value
                        .decode_as::<&OctetStringRef>()
                        .map_err(corrupt)?
                        .as_bytes()
                        .to_vec(),
                );
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The SET OF PKCS12Attribute the writer attaches: friendlyName and localKeyId, when given.
pub(crate) fn encode_attributes(attrs: &BagAttributes) -> Result<Option<Vec<u8>>, PkiError> {
    let mut encoded: Vec<(der::asn1::ObjectIdentifier, Vec<u8>)> = Vec::new();
    if let Some(name) = &attrs.friendly_name {
        encoded.push((oids::FRIENDLY_NAME, BmpString::from_utf8(name)?.to_der()?));
    }
    if let Some(id) = &attrs.local_key_id {
        encoded.push((oids::LOCAL_KEY_ID, OctetStringRef::new(id)?.to_der()?));
    }
    if encoded.is_empty() {
        return Ok(None);
    }
    let mut set = SetOfVec::new();
    for (oid, value) in &encoded {
        let mut values = SetOfVec::new();
        values.insert(AnyRef::from_der(value)?)?;
        set.insert(Attribute { oid: *oid, values })?;
    }
    Ok(Some(set.to_der()?))
}
