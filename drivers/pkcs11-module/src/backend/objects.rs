//! Objects: key pairs (slot n → `CKA_ID` n), data objects, and the certificate view of data
//! objects that hold certificates. Handles are derived from what an object is, so they stay
//! valid across logins for as long as the object exists.

use cryptoki_sys::*;
use tamga_token::{ObjectId, Role};

use super::attributes::{self, AttrValue, Attrs};
use super::slot::SlotEntry;
use super::Backend;
use crate::rv::Rv;

/// What a handle names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Obj {
    Private(u8),
    Public(u8),
    Data(ObjectId),
    Cert(ObjectId),
}

impl Obj {
    pub(super) fn handle(self) -> CK_OBJECT_HANDLE {
        let (kind, id) = match self {
            Obj::Private(n) => (1, u16::from(n)),
            Obj::Public(n) => (2, u16::from(n)),
            Obj::Data(id) => (3, id.get()),
            Obj::Cert(id) => (4, id.get()),
        };
        (kind << 16) | CK_OBJECT_HANDLE::from(id)
    }

    pub(super) fn from_handle(h: CK_OBJECT_HANDLE) -> Option<Obj> {
        let id = u16::try_from(h & 0xFFFF).ok()?;
        match h >> 16 {
            1 => u8::try_from(id).ok().map(Obj::Private),
            2 => u8::try_from(id).ok().map(Obj::Public),
            3 => ObjectId::new(id).ok().map(Obj::Data),
            4 => ObjectId::new(id).ok().map(Obj::Cert),
            _ => None,
        }
    }
}

/// Every object visible now: private keys only to a logged-in user.
pub(super) fn all(slot: &mut SlotEntry) -> Result<Vec<(Obj, Attrs)>, Rv> {
    let user = slot.login == Some(Role::User);
    let keys = slot.keys()?.clone();
    let mut out = Vec::new();
    for (&n, pk) in &keys {
        out.push((Obj::Public(n), attributes::public_key(n, pk)));
        if user {
            out.push((Obj::Private(n), attributes::private_key(n, pk)));
        }
    }
    for (&id, content) in slot.objects()? {
        out.push((Obj::Data(id), attributes::data_object(id, content)));
        let key_id = attributes::certified_key(content).and_then(|k| {
            keys.iter()
                .find(|(_, pk)| pk.to_bytes() == k)
                .map(|(&n, _)| n)
        });
        if let Some(cert) = attributes::certificate(id, content, key_id) {
            out.push((Obj::Cert(id), cert));
        }
    }
    Ok(out)
}

fn one(slot: &mut SlotEntry, h: CK_OBJECT_HANDLE) -> Result<(Obj, Attrs), Rv> {
    let wanted = Obj::from_handle(h).ok_or(CKR_OBJECT_HANDLE_INVALID)?;
    all(slot)?
        .into_iter()
        .find(|(o, _)| *o == wanted)
        .ok_or(CKR_OBJECT_HANDLE_INVALID)
}

impl Backend {
    /// C_FindObjectsInit.
    pub(crate) fn find_init(
        &mut self,
        h: CK_SESSION_HANDLE,
        template: Vec<(CK_ATTRIBUTE_TYPE, Vec<u8>)>,
    ) -> Result<(), Rv> {
        let (s, slot) = self.session(h)?;
        if s.find.is_some() {
            return Err(CKR_OPERATION_ACTIVE);
        }
        let found = all(slot)?
            .into_iter()
            .filter(|(_, a)| attributes::matches(a, &template))
            .map(|(o, _)| o.handle())
            .collect();
        s.find = Some(found);
        Ok(())
    }

    /// C_FindObjects: up to `max` more handles.
    pub(crate) fn find_next(
        &mut self,
        h: CK_SESSION_HANDLE,
        max: usize,
    ) -> Result<Vec<CK_OBJECT_HANDLE>, Rv> {
        let (s, _) = self.session(h)?;
        let left = s.find.as_mut().ok_or(CKR_OPERATION_NOT_INITIALIZED)?;
        let n = max.min(left.len());
        Ok(left.drain(..n).collect())
    }

    /// C_FindObjectsFinal.
    pub(crate) fn find_final(&mut self, h: CK_SESSION_HANDLE) -> Result<(), Rv> {
        let (s, _) = self.session(h)?;
        s.find
            .take()
            .map(|_| ())
            .ok_or(CKR_OPERATION_NOT_INITIALIZED)
    }

    /// C_GetAttributeValue: each requested attribute, `None` where the object has none.
    pub(crate) fn attributes(
        &mut self,
        h: CK_SESSION_HANDLE,
        object: CK_OBJECT_HANDLE,
        types: &[CK_ATTRIBUTE_TYPE],
    ) -> Result<Vec<Option<AttrValue>>, Rv> {
        let (_, slot) = self.session(h)?;
        let (_, attrs) = one(slot, object)?;
        Ok(types
            .iter()
            .map(|t| attrs.iter().find(|(a, _)| a == t).map(|(_, v)| v.clone()))
            .collect())
    }

    /// C_CreateObject: a data object or a certificate, stored as a data object.
    pub(crate) fn create_object(
        &mut self,
        h: CK_SESSION_HANDLE,
        template: Vec<(CK_ATTRIBUTE_TYPE, Vec<u8>)>,
    ) -> Result<CK_OBJECT_HANDLE, Rv> {
        let (s, slot) = self.session(h)?;
        if !s.rw {
            return Err(CKR_SESSION_READ_ONLY);
        }
        let class = attributes::find(&template, CKA_CLASS)
            .and_then(attributes::as_ulong)
            .ok_or(CKR_TEMPLATE_INCOMPLETE)?;
        let value = attributes::find(&template, CKA_VALUE)
            .ok_or(CKR_TEMPLATE_INCOMPLETE)?
            .to_vec();
        let (first, wrap): (u16, fn(ObjectId) -> Obj) = match class {
            CKO_DATA => (0x0201, Obj::Data),
            CKO_CERTIFICATE => {
                if attributes::certificate(ObjectId::JOURNAL, &value, None).is_none() {
                    return Err(CKR_ATTRIBUTE_VALUE_INVALID);
                }
                (0x0101, Obj::Cert)
            }
            _ => return Err(CKR_ATTRIBUTE_VALUE_INVALID),
        };
        let named = attributes::find(&template, CKA_LABEL).and_then(attributes::parse_label);
        let id = match named {
            Some(id) => id,
            None => {
                let taken = slot.objects()?;
                (first..0x7E00)
                    .filter_map(|v| ObjectId::new(v).ok())
                    .find(|id| !taken.contains_key(id))
                    .ok_or(CKR_DEVICE_MEMORY)?
            }
        };
        let r = slot.with(|t| t.write_object(id, &value));
        slot.invalidate();
        r?;
        Ok(wrap(id).handle())
    }

    /// C_DestroyObject: data objects and certificates; the token has no key deletion.
    pub(crate) fn destroy_object(
        &mut self,
        h: CK_SESSION_HANDLE,
        object: CK_OBJECT_HANDLE,
    ) -> Result<(), Rv> {
        let (s, slot) = self.session(h)?;
        if !s.rw {
            return Err(CKR_SESSION_READ_ONLY);
        }
        match one(slot, object)?.0 {
            Obj::Data(id) | Obj::Cert(id) => {
                let r = slot.with(|t| t.delete_object(id));
                slot.invalidate();
                r
            }
            Obj::Private(_) | Obj::Public(_) => Err(CKR_ACTION_PROHIBITED),
        }
    }
}
