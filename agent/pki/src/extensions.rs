//! The X.509 extensions a request asks for: keyUsage and extendedKeyUsage, ready to put into a
//! PKCS#10 extensionRequest.

use der::asn1::{ObjectIdentifier, OctetString};
use der::flagset::FlagSet;
use der::Encode;
use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage, KeyUsages};
use x509_cert::ext::Extension;

use crate::oid;
use crate::PkiError;

fn extension(
    id: ObjectIdentifier,
    critical: bool,
    value: &impl Encode,
) -> Result<Extension, PkiError> {
    let der = value
        .to_der()
        .map_err(|e| PkiError::corrupt("encoding an extension", e))?;
    Ok(Extension {
        extn_id: id,
        critical,
        extn_value: OctetString::new(der).map_err(|e| PkiError::corrupt("extension", e))?,
    })
}

/// keyUsage (critical, as RFC 5280 recommends), e.g.
/// `key_usage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation)`.
pub fn key_usage(usages: impl Into<FlagSet<KeyUsages>>) -> Result<Extension, PkiError> {
    let flags = usages.into();
    if flags.is_empty() {
        return Err(PkiError::InvalidArgument("empty keyUsage"));
    }
    extension(oid::EXT_KEY_USAGE, true, &KeyUsage(flags))
}

/// extendedKeyUsage (not critical), e.g. `extended_key_usage(&[oid::EKU_CLIENT_AUTH])`.
pub fn extended_key_usage(purposes: &[ObjectIdentifier]) -> Result<Extension, PkiError> {
    if purposes.is_empty() {
        return Err(PkiError::InvalidArgument("empty extendedKeyUsage"));
    }
    extension(
        oid::EXT_EXTENDED_KEY_USAGE,
        false,
        &ExtendedKeyUsage(purposes.to_vec()),
    )
}
