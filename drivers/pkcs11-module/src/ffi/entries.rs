//! The entry points tamga implements. Each one: check and copy the arguments (`unsafe`, small),
//! hand owned values to the worker, write the answer back.
#![allow(non_snake_case)]

use std::os::raw::c_void;

use cryptoki_sys::*;

use super::unsupported::*;
use super::{
    buffer_out, bytes_in, entry, garbage, list_out, out, pin_in, set_fault, template_in, Delivered,
};
use crate::backend::sign::MECHANISMS;
use crate::backend::{AttrValue, Backend};
use crate::fault::{Fault, GARBAGE_LEN};
use crate::rv::UNAVAILABLE;
use crate::worker::{self, call};

fn version() -> CK_VERSION {
    CK_VERSION {
        major: 2,
        minor: 40,
    }
}

unsafe extern "C" fn C_Initialize(args: *mut c_void) -> CK_RV {
    entry(|| {
        if let Some(a) = (args as *const CK_C_INITIALIZE_ARGS).as_ref() {
            if !a.pReserved.is_null() {
                return Err(CKR_ARGUMENTS_BAD);
            }
            // Applications that bring their own mutexes get OS locking all the same: the
            // worker thread serialises every call.
        }
        let fault = Fault::from_env();
        set_fault(fault);
        worker::start(fault)
    })
}

unsafe extern "C" fn C_Finalize(reserved: *mut c_void) -> CK_RV {
    entry(|| {
        if !reserved.is_null() {
            return Err(CKR_ARGUMENTS_BAD);
        }
        worker::stop()
    })
}

unsafe extern "C" fn C_GetInfo(info: *mut CK_INFO) -> CK_RV {
    entry(|| {
        let info = out(info)?;
        *info = CK_INFO {
            cryptokiVersion: version(),
            manufacturerID: crate::backend::padded("tamga"),
            flags: 0,
            libraryDescription: crate::backend::padded("tamga PKCS#11 module (GOST)"),
            libraryVersion: CK_VERSION { major: 0, minor: 1 },
        };
        Ok(())
    })
}

unsafe extern "C" fn C_GetSlotList(
    present: CK_BBOOL,
    list: *mut CK_SLOT_ID,
    count: *mut CK_ULONG,
) -> CK_RV {
    entry(|| {
        // The drivers are listed again: a slot per token seen since C_Initialize, the same ID
        // every time, with or without its token now.
        let present = present != CK_FALSE;
        let ids = call(move |b: &mut Backend| Ok(b.slot_ids(present)))?;
        list_out(&ids, list, count)
    })
}

unsafe extern "C" fn C_GetSlotInfo(slot: CK_SLOT_ID, info: *mut CK_SLOT_INFO) -> CK_RV {
    entry(|| {
        let info = out(info)?;
        let (description, manufacturer, present) = call(move |b: &mut Backend| b.slot_info(slot))?;
        let flags = CKF_REMOVABLE_DEVICE | CKF_HW_SLOT;
        *info = CK_SLOT_INFO {
            slotDescription: crate::backend::padded(&description),
            manufacturerID: crate::backend::padded(&manufacturer),
            flags: if present {
                flags | CKF_TOKEN_PRESENT
            } else {
                flags
            },
            hardwareVersion: CK_VERSION { major: 0, minor: 1 },
            firmwareVersion: CK_VERSION { major: 0, minor: 1 },
        };
        Ok(())
    })
}

unsafe extern "C" fn C_GetTokenInfo(slot: CK_SLOT_ID, info: *mut CK_TOKEN_INFO) -> CK_RV {
    entry(|| {
        let info = out(info)?;
        *info = call(move |b: &mut Backend| b.token_info(slot))?;
        Ok(())
    })
}

unsafe extern "C" fn C_GetMechanismList(
    slot: CK_SLOT_ID,
    list: *mut CK_MECHANISM_TYPE,
    count: *mut CK_ULONG,
) -> CK_RV {
    entry(|| {
        call(move |b: &mut Backend| b.token_present(slot))?;
        let kinds: Vec<CK_ULONG> = MECHANISMS.iter().map(|m| m.kind).collect();
        list_out(&kinds, list, count)
    })
}

unsafe extern "C" fn C_GetMechanismInfo(
    slot: CK_SLOT_ID,
    kind: CK_MECHANISM_TYPE,
    info: *mut CK_MECHANISM_INFO,
) -> CK_RV {
    entry(|| {
        let info = out(info)?;
        call(move |b: &mut Backend| b.token_present(slot))?;
        let m = MECHANISMS
            .iter()
            .find(|m| m.kind == kind)
            .ok_or(CKR_MECHANISM_INVALID)?;
        *info = CK_MECHANISM_INFO {
            ulMinKeySize: m.min_bits,
            ulMaxKeySize: m.max_bits,
            flags: m.flags,
        };
        Ok(())
    })
}

unsafe extern "C" fn C_InitPIN(
    h: CK_SESSION_HANDLE,
    pin: *mut CK_UTF8CHAR,
    len: CK_ULONG,
) -> CK_RV {
    entry(|| {
        let pin = pin_in(pin, len)?;
        call(move |b: &mut Backend| b.init_pin(h, pin))
    })
}

unsafe extern "C" fn C_SetPIN(
    h: CK_SESSION_HANDLE,
    old: *mut CK_UTF8CHAR,
    old_len: CK_ULONG,
    new: *mut CK_UTF8CHAR,
    new_len: CK_ULONG,
) -> CK_RV {
    entry(|| {
        let (old, new) = (pin_in(old, old_len)?, pin_in(new, new_len)?);
        call(move |b: &mut Backend| b.set_pin(h, old, new))
    })
}

unsafe extern "C" fn C_OpenSession(
    slot: CK_SLOT_ID,
    flags: CK_FLAGS,
    _app: *mut c_void,
    _notify: CK_NOTIFY,
    session: *mut CK_SESSION_HANDLE,
) -> CK_RV {
    entry(|| {
        let session = out(session)?;
        if flags & CKF_SERIAL_SESSION == 0 {
            return Err(CKR_SESSION_PARALLEL_NOT_SUPPORTED);
        }
        let rw = flags & CKF_RW_SESSION != 0;
        *session = call(move |b: &mut Backend| b.open_session(slot, rw))?;
        Ok(())
    })
}

unsafe extern "C" fn C_CloseSession(h: CK_SESSION_HANDLE) -> CK_RV {
    entry(|| call(move |b: &mut Backend| b.close_session(h)))
}

unsafe extern "C" fn C_CloseAllSessions(slot: CK_SLOT_ID) -> CK_RV {
    entry(|| call(move |b: &mut Backend| b.close_all(slot)))
}

unsafe extern "C" fn C_GetSessionInfo(h: CK_SESSION_HANDLE, info: *mut CK_SESSION_INFO) -> CK_RV {
    entry(|| {
        let info = out(info)?;
        let i = call(move |b: &mut Backend| b.session_info(h))?;
        *info = CK_SESSION_INFO {
            slotID: i.slot,
            state: i.state,
            flags: i.flags,
            ulDeviceError: 0,
        };
        Ok(())
    })
}

unsafe extern "C" fn C_Login(
    h: CK_SESSION_HANDLE,
    user: CK_USER_TYPE,
    pin: *mut CK_UTF8CHAR,
    len: CK_ULONG,
) -> CK_RV {
    entry(|| {
        let pin = pin_in(pin, len)?;
        call(move |b: &mut Backend| b.login(h, user, pin))
    })
}

unsafe extern "C" fn C_Logout(h: CK_SESSION_HANDLE) -> CK_RV {
    entry(|| call(move |b: &mut Backend| b.logout(h)))
}

unsafe extern "C" fn C_CreateObject(
    h: CK_SESSION_HANDLE,
    template: *mut CK_ATTRIBUTE,
    count: CK_ULONG,
    object: *mut CK_OBJECT_HANDLE,
) -> CK_RV {
    entry(|| {
        let object = out(object)?;
        let template = template_in(template, count)?;
        *object = call(move |b: &mut Backend| b.create_object(h, template))?;
        Ok(())
    })
}

unsafe extern "C" fn C_DestroyObject(h: CK_SESSION_HANDLE, object: CK_OBJECT_HANDLE) -> CK_RV {
    entry(|| call(move |b: &mut Backend| b.destroy_object(h, object)))
}

unsafe extern "C" fn C_GetAttributeValue(
    h: CK_SESSION_HANDLE,
    object: CK_OBJECT_HANDLE,
    template: *mut CK_ATTRIBUTE,
    count: CK_ULONG,
) -> CK_RV {
    entry(|| {
        let n = usize::try_from(count).map_err(|_| CKR_ARGUMENTS_BAD)?;
        if n == 0 {
            return Ok(());
        }
        if template.is_null() {
            return Err(CKR_ARGUMENTS_BAD);
        }
        let template = std::slice::from_raw_parts_mut(template, n);
        let types: Vec<CK_ATTRIBUTE_TYPE> = template.iter().map(|a| a.type_).collect();
        let values = call(move |b: &mut Backend| b.attributes(h, object, &types))?;
        // Every entry is answered; the return value is the last problem met (PKCS#11 §5.7).
        let mut rv = CKR_OK;
        for (a, v) in template.iter_mut().zip(values) {
            match v {
                None => {
                    a.ulValueLen = UNAVAILABLE;
                    rv = CKR_ATTRIBUTE_TYPE_INVALID;
                }
                Some(AttrValue::Sensitive) => {
                    a.ulValueLen = UNAVAILABLE;
                    rv = CKR_ATTRIBUTE_SENSITIVE;
                }
                Some(AttrValue::Bytes(v)) => {
                    let need = v.len() as CK_ULONG;
                    if a.pValue.is_null() {
                        a.ulValueLen = if garbage() && need > 8 {
                            GARBAGE_LEN
                        } else {
                            need
                        };
                    } else if a.ulValueLen < need {
                        a.ulValueLen = UNAVAILABLE;
                        rv = CKR_BUFFER_TOO_SMALL;
                    } else {
                        std::ptr::copy_nonoverlapping(v.as_ptr(), a.pValue as *mut u8, v.len());
                        a.ulValueLen = need;
                    }
                }
            }
        }
        if rv == CKR_OK {
            Ok(())
        } else {
            Err(rv)
        }
    })
}

unsafe extern "C" fn C_FindObjectsInit(
    h: CK_SESSION_HANDLE,
    template: *mut CK_ATTRIBUTE,
    count: CK_ULONG,
) -> CK_RV {
    entry(|| {
        let template = template_in(template, count)?;
        call(move |b: &mut Backend| b.find_init(h, template))
    })
}

unsafe extern "C" fn C_FindObjects(
    h: CK_SESSION_HANDLE,
    objects: *mut CK_OBJECT_HANDLE,
    max: CK_ULONG,
    found: *mut CK_ULONG,
) -> CK_RV {
    entry(|| {
        let found = out(found)?;
        let max = usize::try_from(max).map_err(|_| CKR_ARGUMENTS_BAD)?;
        if objects.is_null() && max > 0 {
            return Err(CKR_ARGUMENTS_BAD);
        }
        let handles = call(move |b: &mut Backend| b.find_next(h, max))?;
        std::ptr::copy_nonoverlapping(handles.as_ptr(), objects, handles.len());
        *found = handles.len() as CK_ULONG;
        Ok(())
    })
}

unsafe extern "C" fn C_FindObjectsFinal(h: CK_SESSION_HANDLE) -> CK_RV {
    entry(|| call(move |b: &mut Backend| b.find_final(h)))
}

/// The mechanism number of a CK_MECHANISM; tamga's mechanisms take no parameter.
unsafe fn mechanism_in(m: *const CK_MECHANISM) -> Result<CK_MECHANISM_TYPE, CK_RV> {
    let m = m.as_ref().ok_or(CKR_ARGUMENTS_BAD)?;
    if !m.pParameter.is_null() || m.ulParameterLen != 0 {
        return Err(CKR_MECHANISM_PARAM_INVALID);
    }
    Ok(m.mechanism)
}

unsafe extern "C" fn C_DigestInit(h: CK_SESSION_HANDLE, m: *mut CK_MECHANISM) -> CK_RV {
    entry(|| {
        let m = mechanism_in(m)?;
        call(move |b: &mut Backend| b.digest_init(h, m))
    })
}

unsafe extern "C" fn C_Digest(
    h: CK_SESSION_HANDLE,
    data: *mut CK_BYTE,
    len: CK_ULONG,
    digest: *mut CK_BYTE,
    digest_len: *mut CK_ULONG,
) -> CK_RV {
    entry(|| {
        let data = bytes_in(data, len)?;
        let result = call(move |b: &mut Backend| {
            if !b.digest_has_result(h)? {
                b.digest_update(h, &data)?;
            }
            b.digest_final(h, false)
        })?;
        finish(h, &result, digest, digest_len, |b, h| b.digest_abort(h))
    })
}

unsafe extern "C" fn C_DigestUpdate(
    h: CK_SESSION_HANDLE,
    data: *mut CK_BYTE,
    len: CK_ULONG,
) -> CK_RV {
    entry(|| {
        let data = bytes_in(data, len)?;
        call(move |b: &mut Backend| b.digest_update(h, &data))
    })
}

unsafe extern "C" fn C_DigestFinal(
    h: CK_SESSION_HANDLE,
    digest: *mut CK_BYTE,
    digest_len: *mut CK_ULONG,
) -> CK_RV {
    entry(|| {
        let result = call(move |b: &mut Backend| b.digest_final(h, false))?;
        finish(h, &result, digest, digest_len, |b, h| b.digest_abort(h))
    })
}

/// Delivers a one-shot result under the length protocol; the operation ends once the
/// application has it (or gave a bad argument).
unsafe fn finish(
    h: CK_SESSION_HANDLE,
    result: &[u8],
    buf: *mut CK_BYTE,
    len: *mut CK_ULONG,
    end: fn(&mut Backend, CK_SESSION_HANDLE),
) -> Result<(), CK_RV> {
    let delivered = buffer_out(result, buf, len);
    if matches!(
        delivered,
        Ok(Delivered::LengthOnly) | Err(CKR_BUFFER_TOO_SMALL)
    ) {
        // The application asks again with a buffer: the operation goes on.
        return delivered.map(|_| ());
    }
    call(move |b: &mut Backend| {
        end(b, h);
        Ok(())
    })?;
    delivered.map(|_| ())
}

unsafe extern "C" fn C_SignInit(
    h: CK_SESSION_HANDLE,
    m: *mut CK_MECHANISM,
    key: CK_OBJECT_HANDLE,
) -> CK_RV {
    entry(|| {
        let m = mechanism_in(m)?;
        call(move |b: &mut Backend| b.sign_init(h, m, key))
    })
}

unsafe extern "C" fn C_Sign(
    h: CK_SESSION_HANDLE,
    data: *mut CK_BYTE,
    len: CK_ULONG,
    sig: *mut CK_BYTE,
    sig_len: *mut CK_ULONG,
) -> CK_RV {
    entry(|| {
        let data = bytes_in(data, len)?;
        let result = call(move |b: &mut Backend| {
            if !b.sign_has_result(h)? {
                b.sign_update(h, &data)?;
            }
            b.sign_final(h, false)
        })?;
        finish(h, &result, sig, sig_len, |b, h| b.sign_abort(h))
    })
}

unsafe extern "C" fn C_SignUpdate(
    h: CK_SESSION_HANDLE,
    data: *mut CK_BYTE,
    len: CK_ULONG,
) -> CK_RV {
    entry(|| {
        let data = bytes_in(data, len)?;
        call(move |b: &mut Backend| b.sign_update(h, &data))
    })
}

unsafe extern "C" fn C_SignFinal(
    h: CK_SESSION_HANDLE,
    sig: *mut CK_BYTE,
    sig_len: *mut CK_ULONG,
) -> CK_RV {
    entry(|| {
        let result = call(move |b: &mut Backend| b.sign_final(h, false))?;
        finish(h, &result, sig, sig_len, |b, h| b.sign_abort(h))
    })
}

unsafe extern "C" fn C_GenerateKeyPair(
    h: CK_SESSION_HANDLE,
    m: *mut CK_MECHANISM,
    public: *mut CK_ATTRIBUTE,
    public_count: CK_ULONG,
    private: *mut CK_ATTRIBUTE,
    private_count: CK_ULONG,
    public_key: *mut CK_OBJECT_HANDLE,
    private_key: *mut CK_OBJECT_HANDLE,
) -> CK_RV {
    entry(|| {
        let m = mechanism_in(m)?;
        let public = template_in(public, public_count)?;
        let private = template_in(private, private_count)?;
        let (public_out, private_out) = (out(public_key)?, out(private_key)?);
        let (pubh, privh) =
            call(move |b: &mut Backend| b.generate_key_pair(h, m, public, private))?;
        *public_out = pubh;
        *private_out = privh;
        Ok(())
    })
}

unsafe extern "C" fn C_SeedRandom(
    h: CK_SESSION_HANDLE,
    _seed: *mut CK_BYTE,
    _len: CK_ULONG,
) -> CK_RV {
    // The OS generator needs no seed; the session must still be valid.
    entry(|| call(move |b: &mut Backend| b.session_info(h).map(|_| ())))
}

unsafe extern "C" fn C_GenerateRandom(
    h: CK_SESSION_HANDLE,
    buf: *mut CK_BYTE,
    len: CK_ULONG,
) -> CK_RV {
    entry(|| {
        call(move |b: &mut Backend| b.session_info(h).map(|_| ()))?;
        let len = usize::try_from(len).map_err(|_| CKR_ARGUMENTS_BAD)?;
        if len == 0 {
            return Ok(());
        }
        if buf.is_null() {
            return Err(CKR_ARGUMENTS_BAD);
        }
        let out = std::slice::from_raw_parts_mut(buf, len);
        getrandom::fill(out).map_err(|_| CKR_DEVICE_ERROR)
    })
}

unsafe extern "C" fn C_WaitForSlotEvent(
    flags: CK_FLAGS,
    slot: *mut CK_SLOT_ID,
    reserved: *mut c_void,
) -> CK_RV {
    entry(|| {
        if !reserved.is_null() {
            return Err(CKR_ARGUMENTS_BAD);
        }
        let slot = out(slot)?;
        *slot = if flags & CKF_DONT_BLOCK != 0 {
            call(|b: &mut Backend| Ok(b.next_event()))?.ok_or(CKR_NO_EVENT)?
        } else {
            worker::wait_for_event()?
        };
        Ok(())
    })
}

/// The function list C_GetFunctionList hands out (PKCS#11 v2.40 layout).
pub(super) static FUNCTION_LIST: CK_FUNCTION_LIST = CK_FUNCTION_LIST {
    version: CK_VERSION {
        major: 2,
        minor: 40,
    },
    C_Initialize: Some(C_Initialize),
    C_Finalize: Some(C_Finalize),
    C_GetInfo: Some(C_GetInfo),
    C_GetFunctionList: Some(get_function_list),
    C_GetSlotList: Some(C_GetSlotList),
    C_GetSlotInfo: Some(C_GetSlotInfo),
    C_GetTokenInfo: Some(C_GetTokenInfo),
    C_GetMechanismList: Some(C_GetMechanismList),
    C_GetMechanismInfo: Some(C_GetMechanismInfo),
    C_InitToken: Some(C_InitToken),
    C_InitPIN: Some(C_InitPIN),
    C_SetPIN: Some(C_SetPIN),
    C_OpenSession: Some(C_OpenSession),
    C_CloseSession: Some(C_CloseSession),
    C_CloseAllSessions: Some(C_CloseAllSessions),
    C_GetSessionInfo: Some(C_GetSessionInfo),
    C_GetOperationState: Some(C_GetOperationState),
    C_SetOperationState: Some(C_SetOperationState),
    C_Login: Some(C_Login),
    C_Logout: Some(C_Logout),
    C_CreateObject: Some(C_CreateObject),
    C_CopyObject: Some(C_CopyObject),
    C_DestroyObject: Some(C_DestroyObject),
    C_GetObjectSize: Some(C_GetObjectSize),
    C_GetAttributeValue: Some(C_GetAttributeValue),
    C_SetAttributeValue: Some(C_SetAttributeValue),
    C_FindObjectsInit: Some(C_FindObjectsInit),
    C_FindObjects: Some(C_FindObjects),
    C_FindObjectsFinal: Some(C_FindObjectsFinal),
    C_EncryptInit: Some(C_EncryptInit),
    C_Encrypt: Some(C_Encrypt),
    C_EncryptUpdate: Some(C_EncryptUpdate),
    C_EncryptFinal: Some(C_EncryptFinal),
    C_DecryptInit: Some(C_DecryptInit),
    C_Decrypt: Some(C_Decrypt),
    C_DecryptUpdate: Some(C_DecryptUpdate),
    C_DecryptFinal: Some(C_DecryptFinal),
    C_DigestInit: Some(C_DigestInit),
    C_Digest: Some(C_Digest),
    C_DigestUpdate: Some(C_DigestUpdate),
    C_DigestKey: Some(C_DigestKey),
    C_DigestFinal: Some(C_DigestFinal),
    C_SignInit: Some(C_SignInit),
    C_Sign: Some(C_Sign),
    C_SignUpdate: Some(C_SignUpdate),
    C_SignFinal: Some(C_SignFinal),
    C_SignRecoverInit: Some(C_SignRecoverInit),
    C_SignRecover: Some(C_SignRecover),
    C_VerifyInit: Some(C_VerifyInit),
    C_Verify: Some(C_Verify),
    C_VerifyUpdate: Some(C_VerifyUpdate),
    C_VerifyFinal: Some(C_VerifyFinal),
    C_VerifyRecoverInit: Some(C_VerifyRecoverInit),
    C_VerifyRecover: Some(C_VerifyRecover),
    C_DigestEncryptUpdate: Some(C_DigestEncryptUpdate),
    C_DecryptDigestUpdate: Some(C_DecryptDigestUpdate),
    C_SignEncryptUpdate: Some(C_SignEncryptUpdate),
    C_DecryptVerifyUpdate: Some(C_DecryptVerifyUpdate),
    C_GenerateKey: Some(C_GenerateKey),
    C_GenerateKeyPair: Some(C_GenerateKeyPair),
    C_WrapKey: Some(C_WrapKey),
    C_UnwrapKey: Some(C_UnwrapKey),
    C_DeriveKey: Some(C_DeriveKey),
    C_SeedRandom: Some(C_SeedRandom),
    C_GenerateRandom: Some(C_GenerateRandom),
    C_GetFunctionStatus: Some(C_GetFunctionStatus),
    C_CancelFunction: Some(C_CancelFunction),
    C_WaitForSlotEvent: Some(C_WaitForSlotEvent),
};

unsafe extern "C" fn get_function_list(list: *mut *mut CK_FUNCTION_LIST) -> CK_RV {
    super::C_GetFunctionList(list)
}
