//! Mechanisms, signing and hashing. The token signs a hash value; Streebog runs here, on the
//! host, for the sign-with-hash and digest mechanisms.

use cryptoki_sys::*;
use tamga_gost::hash::streebog::{Streebog256, Streebog512};
use tamga_pkcs11::consts::{
    CKM_GOSTR3410_512, CKM_GOSTR3410_512_KEY_PAIR_GEN, CKM_GOSTR3410_WITH_GOSTR3411_12_256,
    CKM_GOSTR3410_WITH_GOSTR3411_12_512, CKM_GOSTR3411_12_256, CKM_GOSTR3411_12_512,
};
use tamga_token::{KeyRef, Role};

use super::Backend;
use crate::rv::Rv;

/// A mechanism this module offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mechanism {
    pub kind: CK_MECHANISM_TYPE,
    pub min_bits: CK_ULONG,
    pub max_bits: CK_ULONG,
    pub flags: CK_FLAGS,
}

const fn m(
    kind: CK_MECHANISM_TYPE,
    min_bits: CK_ULONG,
    max_bits: CK_ULONG,
    flags: CK_FLAGS,
) -> Mechanism {
    Mechanism {
        kind,
        min_bits,
        max_bits,
        flags,
    }
}

/// Every mechanism, as C_GetMechanismList lists them.
pub(crate) const MECHANISMS: &[Mechanism] = &[
    m(
        CKM_GOSTR3410_KEY_PAIR_GEN,
        256,
        256,
        CKF_HW | CKF_GENERATE_KEY_PAIR,
    ),
    m(
        CKM_GOSTR3410_512_KEY_PAIR_GEN,
        512,
        512,
        CKF_HW | CKF_GENERATE_KEY_PAIR,
    ),
    m(CKM_GOSTR3410, 256, 512, CKF_HW | CKF_SIGN),
    m(CKM_GOSTR3410_512, 512, 512, CKF_HW | CKF_SIGN),
    m(
        CKM_GOSTR3410_WITH_GOSTR3411_12_256,
        256,
        256,
        CKF_HW | CKF_SIGN,
    ),
    m(
        CKM_GOSTR3410_WITH_GOSTR3411_12_512,
        512,
        512,
        CKF_HW | CKF_SIGN,
    ),
    m(CKM_GOSTR3411_12_256, 0, 0, CKF_DIGEST),
    m(CKM_GOSTR3411_12_512, 0, 0, CKF_DIGEST),
];

enum Input {
    /// The hash value itself (CKM_GOSTR3410, CKM_GOSTR3410_512).
    Raw(Vec<u8>),
    H256(Streebog256),
    H512(Streebog512),
}

impl Input {
    fn new(mechanism: CK_MECHANISM_TYPE) -> Result<Input, Rv> {
        match mechanism {
            CKM_GOSTR3410 | CKM_GOSTR3410_512 => Ok(Input::Raw(Vec::new())),
            CKM_GOSTR3410_WITH_GOSTR3411_12_256 | CKM_GOSTR3411_12_256 => {
                Ok(Input::H256(Streebog256::new()))
            }
            CKM_GOSTR3410_WITH_GOSTR3411_12_512 | CKM_GOSTR3411_12_512 => {
                Ok(Input::H512(Streebog512::new()))
            }
            _ => Err(CKR_MECHANISM_INVALID),
        }
    }

    fn update(&mut self, data: &[u8]) -> Result<(), Rv> {
        match self {
            // A hash value is never more than 64 bytes: refuse to collect more.
            Input::Raw(v) if v.len() + data.len() > 64 => return Err(CKR_DATA_LEN_RANGE),
            Input::Raw(v) => v.extend_from_slice(data),
            Input::H256(h) => h.update(data),
            Input::H512(h) => h.update(data),
        }
        Ok(())
    }

    fn finish(self) -> Vec<u8> {
        match self {
            Input::Raw(v) => v,
            Input::H256(h) => h.finalize().to_vec(),
            Input::H512(h) => h.finalize().to_vec(),
        }
    }
}

/// A signing operation. The signature is kept once made: an application asks for its length
/// first, and a card signature is slow and never the same twice.
pub(crate) struct SignOp {
    key: KeyRef,
    input: Option<Input>,
    result: Option<Vec<u8>>,
}

/// A digest operation.
pub(crate) struct DigestOp {
    input: Option<Input>,
    result: Option<Vec<u8>>,
}

impl Backend {
    /// C_SignInit.
    pub(crate) fn sign_init(
        &mut self,
        h: CK_SESSION_HANDLE,
        mechanism: CK_MECHANISM_TYPE,
        key: CK_OBJECT_HANDLE,
    ) -> Result<(), Rv> {
        let (s, slot) = self.session(h)?;
        if s.sign.is_some() {
            return Err(CKR_OPERATION_ACTIVE);
        }
        if slot.login != Some(Role::User) {
            return Err(CKR_USER_NOT_LOGGED_IN);
        }
        let n = match super::objects::Obj::from_handle(key) {
            Some(super::objects::Obj::Private(n)) => n,
            _ => return Err(CKR_KEY_HANDLE_INVALID),
        };
        let pk = slot
            .keys()?
            .get(&n)
            .cloned()
            .ok_or(CKR_KEY_HANDLE_INVALID)?;
        let bits = pk.curve().bits();
        let fits = match mechanism {
            CKM_GOSTR3410 => true,
            CKM_GOSTR3410_WITH_GOSTR3411_12_256 => bits == 256,
            CKM_GOSTR3410_512 | CKM_GOSTR3410_WITH_GOSTR3411_12_512 => bits == 512,
            _ => return Err(CKR_MECHANISM_INVALID),
        };
        if !fits {
            return Err(CKR_KEY_TYPE_INCONSISTENT);
        }
        s.sign = Some(SignOp {
            key: KeyRef::new(n).map_err(|_| CKR_KEY_HANDLE_INVALID)?,
            input: Some(Input::new(mechanism)?),
            result: None,
        });
        Ok(())
    }

    /// C_SignUpdate.
    pub(crate) fn sign_update(&mut self, h: CK_SESSION_HANDLE, data: &[u8]) -> Result<(), Rv> {
        let (s, _) = self.session(h)?;
        let op = s.sign.as_mut().ok_or(CKR_OPERATION_NOT_INITIALIZED)?;
        let r = op.input.as_mut().ok_or(CKR_OPERATION_ACTIVE)?.update(data);
        if r.is_err() {
            s.sign = None;
        }
        r
    }

    /// C_SignFinal (and C_Sign, after its data went to C_SignUpdate): the signature, made once.
    /// `done` ends the operation (the application received it).
    pub(crate) fn sign_final(&mut self, h: CK_SESSION_HANDLE, done: bool) -> Result<Vec<u8>, Rv> {
        let (s, slot) = self.session(h)?;
        let op = s.sign.as_mut().ok_or(CKR_OPERATION_NOT_INITIALIZED)?;
        if op.result.is_none() {
            let digest = op
                .input
                .take()
                .ok_or(CKR_OPERATION_NOT_INITIALIZED)?
                .finish();
            let key = op.key;
            match slot.with(|t| t.sign_digest(key, &digest)) {
                Ok(sig) => op.result = Some(sig),
                Err(rv) => {
                    s.sign = None;
                    // A hash value of the wrong length is the application's data, not the card.
                    return Err(if rv == CKR_ARGUMENTS_BAD {
                        CKR_DATA_LEN_RANGE
                    } else {
                        rv
                    });
                }
            }
        }
        let sig = op.result.clone().unwrap_or_default();
        if done {
            s.sign = None;
        }
        Ok(sig)
    }

    /// Ends a signing operation that failed in the caller (a bad buffer argument).
    pub(crate) fn sign_abort(&mut self, h: CK_SESSION_HANDLE) {
        // No presence check: ending an operation must not use up a removal's report.
        if let Some(s) = self.sessions.get_mut(&h) {
            s.sign = None;
        }
    }

    /// Whether a signing operation is under way and has its signature already (C_Sign's second
    /// call must not feed the data again).
    pub(crate) fn sign_has_result(&mut self, h: CK_SESSION_HANDLE) -> Result<bool, Rv> {
        let (s, _) = self.session(h)?;
        let op = s.sign.as_ref().ok_or(CKR_OPERATION_NOT_INITIALIZED)?;
        Ok(op.result.is_some())
    }

    /// C_DigestInit.
    pub(crate) fn digest_init(
        &mut self,
        h: CK_SESSION_HANDLE,
        mechanism: CK_MECHANISM_TYPE,
    ) -> Result<(), Rv> {
        let (s, _) = self.session(h)?;
        if s.digest.is_some() {
            return Err(CKR_OPERATION_ACTIVE);
        }
        if !matches!(mechanism, CKM_GOSTR3411_12_256 | CKM_GOSTR3411_12_512) {
            return Err(CKR_MECHANISM_INVALID);
        }
        s.digest = Some(DigestOp {
            input: Some(Input::new(mechanism)?),
            result: None,
        });
        Ok(())
    }

    /// C_DigestUpdate.
    pub(crate) fn digest_update(&mut self, h: CK_SESSION_HANDLE, data: &[u8]) -> Result<(), Rv> {
        let (s, _) = self.session(h)?;
        let op = s.digest.as_mut().ok_or(CKR_OPERATION_NOT_INITIALIZED)?;
        op.input.as_mut().ok_or(CKR_OPERATION_ACTIVE)?.update(data)
    }

    /// C_DigestFinal (and C_Digest after its update).
    pub(crate) fn digest_final(&mut self, h: CK_SESSION_HANDLE, done: bool) -> Result<Vec<u8>, Rv> {
        let (s, _) = self.session(h)?;
        let op = s.digest.as_mut().ok_or(CKR_OPERATION_NOT_INITIALIZED)?;
        if op.result.is_none() {
            op.result = Some(
                op.input
                    .take()
                    .ok_or(CKR_OPERATION_NOT_INITIALIZED)?
                    .finish(),
            );
        }
        let out = op.result.clone().unwrap_or_default();
        if done {
            s.digest = None;
        }
        Ok(out)
    }

    /// Whether the digest is already computed.
    pub(crate) fn digest_has_result(&mut self, h: CK_SESSION_HANDLE) -> Result<bool, Rv> {
        let (s, _) = self.session(h)?;
        let op = s.digest.as_ref().ok_or(CKR_OPERATION_NOT_INITIALIZED)?;
        Ok(op.result.is_some())
    }

    /// Ends a digest operation.
    pub(crate) fn digest_abort(&mut self, h: CK_SESSION_HANDLE) {
        // No presence check: ending an operation must not use up a removal's report.
        if let Some(s) = self.sessions.get_mut(&h) {
            s.digest = None;
        }
    }
}
