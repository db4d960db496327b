//! Data objects as PKCS#11 objects: `CKO_DATA` with `CKA_APPLICATION` "tamga" and `CKA_LABEL`
//! `tamga:XXXX` (the object ID in hex). A certificate is also written as a `CKO_CERTIFICATE`
//! (X.509) with the same label, so that applications that only look for certificates find it;
//! the data object stays the one tamga reads.

use cryptoki::error::{Error, RvError};
use cryptoki::object::{Attribute, AttributeType, CertificateType, ObjectClass, ObjectHandle};
use cryptoki::session::Session;
use der::{Decode, Encode};
use tamga_token::{ObjectId, TokenError};

use crate::attrs;
use crate::consts::{APPLICATION, LABEL_PREFIX};
use crate::error::token_error;
use crate::module::guarded;

fn label(id: ObjectId) -> Vec<u8> {
    format!("{LABEL_PREFIX}{:04X}", id.get()).into_bytes()
}

fn parse_label(label: &[u8]) -> Option<ObjectId> {
    let hex = std::str::from_utf8(label)
        .ok()?
        .strip_prefix(LABEL_PREFIX)?;
    if hex.len() != 4 {
        return None;
    }
    ObjectId::new(u16::from_str_radix(hex, 16).ok()?).ok()
}

fn find(session: &Session, template: &[Attribute]) -> Result<Vec<ObjectHandle>, TokenError> {
    guarded(|| session.find_objects(template).map_err(token_error))
}

fn data(session: &Session, id: ObjectId) -> Result<Vec<ObjectHandle>, TokenError> {
    find(
        session,
        &[
            Attribute::Class(ObjectClass::DATA),
            Attribute::Application(APPLICATION.to_vec()),
            Attribute::Label(label(id)),
        ],
    )
}

fn certificates(session: &Session, id: ObjectId) -> Result<Vec<ObjectHandle>, TokenError> {
    find(
        session,
        &[
            Attribute::Class(ObjectClass::CERTIFICATE),
            Attribute::Label(label(id)),
        ],
    )
}

/// Destroys objects; one already gone is fine (a module may store a certificate and its data
/// object as one, so destroying one view takes the other with it).
fn destroy(session: &Session, handles: &[ObjectHandle]) -> Result<(), TokenError> {
    for &h in handles {
        match guarded(|| Ok(session.destroy_object(h)))? {
            Ok(()) | Err(Error::Pkcs11(RvError::ObjectHandleInvalid, _)) => {}
            Err(e) => return Err(token_error(e)),
        }
    }
    Ok(())
}

/// The content of object `id`.
pub(crate) fn read(session: &Session, id: ObjectId) -> Result<Vec<u8>, TokenError> {
    // Two copies exist only after a write interrupted between create and destroy: the newer
    // one was created last, and modules hand out ascending handles.
    let handle = data(session, id)?
        .into_iter()
        .max_by_key(|h| h.handle())
        .ok_or(TokenError::ObjectNotFound(id))?;
    attrs::bytes(session, handle, AttributeType::Value)?
        .ok_or(TokenError::Protocol("the data object has no CKA_VALUE"))
}

/// Creates or replaces object `id`.
pub(crate) fn write(session: &Session, id: ObjectId, content: &[u8]) -> Result<(), TokenError> {
    let old = data(session, id)?;
    // One C_SetAttributeValue is as atomic as the module makes any write; a module that refuses
    // it gets the new object first and the old one removed after, so a failure in between leaves
    // both and never neither.
    let updated = match old.as_slice() {
        [one] => guarded(|| {
            Ok(session
                .update_attributes(*one, &[Attribute::Value(content.to_vec())])
                .is_ok())
        })?,
        _ => false,
    };
    if !updated {
        let new = guarded(|| {
            session
                .create_object(&[
                    Attribute::Class(ObjectClass::DATA),
                    Attribute::Token(true),
                    Attribute::Private(false),
                    Attribute::Modifiable(true),
                    Attribute::Application(APPLICATION.to_vec()),
                    Attribute::Label(label(id)),
                    Attribute::Value(content.to_vec()),
                ])
                .map_err(token_error)
        })?;
        // A module that replaces in place may hand back the old handle: keep it.
        let stale: Vec<_> = old.into_iter().filter(|h| *h != new).collect();
        destroy(session, &stale)?;
    }
    let template = certificate_template(id, content);
    let mut current = false;
    for h in certificates(session, id)? {
        let value = attrs::bytes(session, h, AttributeType::Value)?;
        if template.is_some() && value.as_deref() == Some(content) {
            // Already there: a module that shows certificate data objects as certificates.
            current = true;
        } else {
            destroy(session, &[h])?;
        }
    }
    if let (Some(template), false) = (template, current) {
        // The certificate copy is a courtesy to other applications: a module that refuses it
        // (missing attributes it insists on) does not fail the write.
        if let Err(e) = guarded(|| session.create_object(&template).map_err(token_error)) {
            log::warn!("the module did not take {id} as a certificate object: {e}");
        }
    }
    Ok(())
}

/// Deletes object `id` (and its certificate copy).
pub(crate) fn delete(session: &Session, id: ObjectId) -> Result<(), TokenError> {
    let handles = data(session, id)?;
    if handles.is_empty() {
        return Err(TokenError::ObjectNotFound(id));
    }
    destroy(session, &certificates(session, id)?)?;
    destroy(session, &handles)
}

/// Every object ID present.
pub(crate) fn list(session: &Session) -> Result<Vec<ObjectId>, TokenError> {
    let handles = find(
        session,
        &[
            Attribute::Class(ObjectClass::DATA),
            Attribute::Application(APPLICATION.to_vec()),
        ],
    )?;
    let mut ids = Vec::new();
    for h in handles {
        if let Some(id) =
            attrs::bytes(session, h, AttributeType::Label)?.and_then(|l| parse_label(&l))
        {
            ids.push(id);
        }
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// A `CKO_CERTIFICATE` template if `content` is a DER X.509 certificate.
fn certificate_template(id: ObjectId, content: &[u8]) -> Option<Vec<Attribute>> {
    let cert = x509_cert::Certificate::from_der(content).ok()?;
    let tbs = cert.tbs_certificate();
    Some(vec![
        Attribute::Class(ObjectClass::CERTIFICATE),
        Attribute::CertificateType(CertificateType::X_509),
        Attribute::Token(true),
        Attribute::Private(false),
        Attribute::Label(label(id)),
        Attribute::Id(id.get().to_be_bytes().to_vec()),
        Attribute::Subject(tbs.subject().to_der().ok()?),
        Attribute::Issuer(tbs.issuer().to_der().ok()?),
        Attribute::SerialNumber(tbs.serial_number().to_der().ok()?),
        Attribute::Value(content.to_vec()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        let id = ObjectId::new(0x7E01).unwrap();
        assert_eq!(label(id), b"tamga:7E01");
        assert_eq!(parse_label(&label(id)), Some(id));
        assert_eq!(parse_label(b"tamga:7E0"), None);
        assert_eq!(parse_label(b"other:7E01"), None);
        assert_eq!(parse_label(b"tamga:0000"), None);
    }
}
