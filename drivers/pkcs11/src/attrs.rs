//! Reading attributes with bounded lengths, and the small DER pieces PKCS#11 templates carry.

use cryptoki::object::{Attribute, AttributeInfo, AttributeType, ObjectHandle};
use cryptoki::session::Session;
use der::asn1::ObjectIdentifier;
#[cfg(test)]
use der::Decode;
use der::Encode;
use tamga_token::TokenError;

use crate::error::token_error;
use crate::module::guarded;

/// No attribute tamga reads (keys, certificates, the journal) comes near this; a module that
/// claims more is answering garbage, and cryptoki would try to allocate it.
const MAX_ATTRIBUTE: usize = 1 << 20;

/// Reads attributes; absent ones are left out.
pub(crate) fn read(
    session: &Session,
    object: ObjectHandle,
    types: &[AttributeType],
) -> Result<Vec<Attribute>, TokenError> {
    guarded(|| {
        let info = session
            .get_attribute_info(object, types)
            .map_err(token_error)?;
        for i in info {
            if let AttributeInfo::Available(len) = i {
                if len > MAX_ATTRIBUTE {
                    return Err(TokenError::Protocol(
                        "the PKCS#11 module claims an attribute longer than 1 MiB",
                    ));
                }
            }
        }
        session.get_attributes(object, types).map_err(token_error)
    })
}

/// One byte-string attribute (`CKA_VALUE`, `CKA_LABEL`, a vendor-defined one, …).
pub(crate) fn bytes(
    session: &Session,
    object: ObjectHandle,
    ty: AttributeType,
) -> Result<Option<Vec<u8>>, TokenError> {
    Ok(read(session, object, &[ty])?
        .into_iter()
        .find_map(|a| match a {
            Attribute::Value(v)
            | Attribute::Label(v)
            | Attribute::Id(v)
            | Attribute::EcPoint(v)
            | Attribute::EcParams(v)
            | Attribute::Modulus(v)
            | Attribute::PublicExponent(v)
            | Attribute::Application(v)
            | Attribute::VendorDefined((_, v)) => Some(v),
            _ => None,
        }))
}

/// `CKA_KEY_TYPE` as a number. cryptoki refuses to read some values it cannot name (the OASIS
/// GOST key type 0x30 among them), so GOST keys are told by their parameters first
/// ([`crate::keys`]); this serves the rest.
pub(crate) fn key_type(session: &Session, object: ObjectHandle) -> Result<u64, TokenError> {
    read(session, object, &[AttributeType::KeyType])?
        .into_iter()
        .find_map(|a| match a {
            Attribute::KeyType(t) => Some(cryptoki_sys::CK_KEY_TYPE::from(t)),
            _ => None,
        })
        .ok_or(TokenError::Protocol("the key has no CKA_KEY_TYPE"))
}

/// A vendor-defined (or cryptoki-unnamed) attribute type.
pub(crate) fn raw_type(raw: u64) -> AttributeType {
    AttributeType::VendorDefined(raw)
}

/// A dotted OID as DER.
pub(crate) fn oid_der(dotted: &str) -> Vec<u8> {
    ObjectIdentifier::new(dotted)
        .ok()
        .and_then(|o| o.to_der().ok())
        .unwrap_or_default()
}

/// A DER OID back to dotted text.
#[cfg(test)]
pub(crate) fn oid_dotted(der: &[u8]) -> Option<String> {
    let oid: ObjectIdentifier = Decode::from_der(der).ok()?;
    Some(oid.to_string())
}

/// `CKA_VALUE` or `CKA_EC_POINT` as some modules give it: wrapped in a DER OCTET STRING.
pub(crate) fn unwrap_octet_string(v: &[u8], expected: usize) -> &[u8] {
    if v.len() == expected {
        return v;
    }
    match v {
        [0x04, len, rest @ ..] if usize::from(*len) == rest.len() && rest.len() == expected => rest,
        [0x04, 0x81, len, rest @ ..]
            if usize::from(*len) == rest.len() && rest.len() == expected =>
        {
            rest
        }
        _ => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_and_octet_strings() {
        let der = oid_der("1.2.643.7.1.2.1.1.1");
        assert_eq!(der[0], 0x06);
        assert_eq!(oid_dotted(&der).unwrap(), "1.2.643.7.1.2.1.1.1");
        let mut wrapped = vec![0x04, 0x41];
        wrapped.extend([4u8; 65]);
        assert_eq!(unwrap_octet_string(&wrapped, 65), &[4u8; 65][..]);
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 128]);
        assert_eq!(unwrap_octet_string(&long, 128), &[7u8; 128][..]);
        assert_eq!(unwrap_octet_string(&[1, 2], 65), &[1, 2][..]);
    }
}
