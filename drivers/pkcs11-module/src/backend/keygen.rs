//! C_GenerateKeyPair: a GOST key pair in a token slot.
//!
//! The curve comes from `CKA_GOSTR3410_PARAMS` (default: tc26-256-a or tc26-512-a), the
//! algorithm from the mechanism and `CKA_GOSTR3411_PARAMS` (GOST R 34.11-94 means 2001), the
//! slot from a one-byte `CKA_ID` 1..=16 (default: the first empty slot).

use cryptoki_sys::*;
use der::Decode;
use tamga_gost::Curve;
use tamga_pkcs11::consts::{CKM_GOSTR3410_512_KEY_PAIR_GEN, OID_GOST94_CRYPTOPRO};
use tamga_token::{GostAlgorithm, KeyRef, KeySpec, Role};

use super::attributes;
use super::objects::Obj;
use super::Backend;
use crate::rv::{token_rv, Rv};

type Template = Vec<(CK_ATTRIBUTE_TYPE, Vec<u8>)>;

fn oid_text(der: &[u8]) -> Option<String> {
    let oid: der::asn1::ObjectIdentifier = Decode::from_der(der).ok()?;
    Some(oid.to_string())
}

fn spec(mechanism: CK_MECHANISM_TYPE, public: &Template) -> Result<KeySpec, Rv> {
    let curve = match attributes::find(public, CKA_GOSTR3410_PARAMS) {
        Some(der) => oid_text(der)
            .and_then(|o| Curve::from_oid(&o).ok())
            .ok_or(CKR_DOMAIN_PARAMS_INVALID)?,
        None if mechanism == CKM_GOSTR3410_512_KEY_PAIR_GEN => Curve::Tc26_512A,
        None => Curve::Tc26_256A,
    };
    let hash = attributes::find(public, CKA_GOSTR3411_PARAMS).and_then(oid_text);
    let algorithm = match mechanism {
        CKM_GOSTR3410_512_KEY_PAIR_GEN => GostAlgorithm::Gost2012_512,
        CKM_GOSTR3410_KEY_PAIR_GEN if hash.as_deref() == Some(OID_GOST94_CRYPTOPRO) => {
            GostAlgorithm::Gost2001
        }
        // Some applications (OpenSC among them) ask for a 512-bit key with the standard
        // mechanism and a 512-bit parameter set.
        CKM_GOSTR3410_KEY_PAIR_GEN if curve.bits() == 512 => GostAlgorithm::Gost2012_512,
        CKM_GOSTR3410_KEY_PAIR_GEN => GostAlgorithm::Gost2012_256,
        _ => return Err(CKR_MECHANISM_INVALID),
    };
    KeySpec::new(algorithm, curve).map_err(|_| CKR_DOMAIN_PARAMS_INVALID)
}

impl Backend {
    /// C_GenerateKeyPair: the public and the private handle.
    pub(crate) fn generate_key_pair(
        &mut self,
        h: CK_SESSION_HANDLE,
        mechanism: CK_MECHANISM_TYPE,
        public: Template,
        private: Template,
    ) -> Result<(CK_OBJECT_HANDLE, CK_OBJECT_HANDLE), Rv> {
        let spec = spec(mechanism, &public)?;
        let (s, slot) = self.session(h)?;
        if !s.rw {
            return Err(CKR_SESSION_READ_ONLY);
        }
        if slot.login != Some(Role::User) {
            return Err(CKR_USER_NOT_LOGGED_IN);
        }
        let asked =
            attributes::find(&public, CKA_ID).or_else(|| attributes::find(&private, CKA_ID));
        let n = match asked {
            Some(&[n]) if KeyRef::new(n).is_ok() => n,
            Some(_) => return Err(CKR_ATTRIBUTE_VALUE_INVALID),
            None => {
                let taken = slot.keys()?;
                (1..=KeyRef::MAX)
                    .find(|n| !taken.contains_key(n))
                    .ok_or(CKR_DEVICE_MEMORY)?
            }
        };
        let key = KeyRef::new(n).map_err(|_| CKR_ATTRIBUTE_VALUE_INVALID)?;
        let r = slot.token()?.generate_key(key, spec);
        slot.invalidate();
        r.map_err(|e| token_rv(&e))?;
        Ok((Obj::Public(n).handle(), Obj::Private(n).handle()))
    }
}
