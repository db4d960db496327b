//! The C ABI: the only `unsafe` code of the module.
//!
//! Every entry point runs under [`entry`]: a panic becomes `CKR_GENERAL_ERROR` instead of
//! unwinding into C. Pointers are checked (null where PKCS#11 forbids it is
//! `CKR_ARGUMENTS_BAD`) and their contents copied into owned Rust values before anything else
//! runs; outputs follow the PKCS#11 length protocol (a null buffer asks for the length, a short
//! one gets `CKR_BUFFER_TOO_SMALL` and the length).
#![allow(unsafe_code)]

mod entries;
mod unsupported;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU8, Ordering};

use cryptoki_sys::*;
use tamga_token::Pin;

use crate::fault::{Fault, GARBAGE_LEN};
use crate::rv::Rv;

/// The fault switch, for the paths that answer without the worker.
static FAULT: AtomicU8 = AtomicU8::new(0);

pub(crate) fn set_fault(f: Fault) {
    FAULT.store(f as u8, Ordering::Relaxed);
}

fn garbage() -> bool {
    FAULT.load(Ordering::Relaxed) == Fault::GarbageLengths as u8
}

/// Runs an entry point; no panic leaves it.
fn entry(f: impl FnOnce() -> Result<(), Rv>) -> CK_RV {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => CKR_OK,
        Ok(Err(rv)) => rv,
        Err(_) => CKR_GENERAL_ERROR,
    }
}

/// Bytes passed in; null is allowed only for an empty input.
///
/// # Safety
/// `p` must be null or point to `len` readable bytes.
unsafe fn bytes_in(p: *const CK_BYTE, len: CK_ULONG) -> Result<Vec<u8>, Rv> {
    let len = usize::try_from(len).map_err(|_| CKR_ARGUMENTS_BAD)?;
    if len == 0 {
        return Ok(Vec::new());
    }
    if p.is_null() {
        return Err(CKR_ARGUMENTS_BAD);
    }
    Ok(std::slice::from_raw_parts(p, len).to_vec())
}

/// A PIN passed in, copied straight into a zeroizing buffer.
///
/// # Safety
/// As [`bytes_in`].
unsafe fn pin_in(p: *const CK_UTF8CHAR, len: CK_ULONG) -> Result<Pin, Rv> {
    let len = usize::try_from(len).map_err(|_| CKR_ARGUMENTS_BAD)?;
    if p.is_null() {
        // A null PIN means a protected authentication path, which tamga's tokens lack.
        return Err(CKR_ARGUMENTS_BAD);
    }
    let mut v = Vec::with_capacity(len);
    v.extend_from_slice(std::slice::from_raw_parts(p, len));
    Ok(Pin::new(v))
}

/// A required output place.
///
/// # Safety
/// `p` must be null or valid for writes of a `T`.
unsafe fn out<'a, T>(p: *mut T) -> Result<&'a mut T, Rv> {
    p.as_mut().ok_or(CKR_ARGUMENTS_BAD)
}

/// A template passed in: types and copies of the values.
///
/// # Safety
/// `p` must be null or point to `n` attributes whose values are readable for their lengths.
unsafe fn template_in(
    p: *const CK_ATTRIBUTE,
    n: CK_ULONG,
) -> Result<Vec<(CK_ATTRIBUTE_TYPE, Vec<u8>)>, Rv> {
    let n = usize::try_from(n).map_err(|_| CKR_ARGUMENTS_BAD)?;
    if n == 0 {
        return Ok(Vec::new());
    }
    if p.is_null() {
        return Err(CKR_ARGUMENTS_BAD);
    }
    std::slice::from_raw_parts(p, n)
        .iter()
        .map(|a| Ok((a.type_, bytes_in(a.pValue as *const CK_BYTE, a.ulValueLen)?)))
        .collect()
}

/// Whether a length-protocol output was delivered, or only its length reported.
#[derive(PartialEq, Eq)]
enum Delivered {
    Yes,
    LengthOnly,
}

/// Writes `data` under the PKCS#11 length protocol.
///
/// # Safety
/// `len` must be null or valid for reads and writes; `buf` null or valid for `*len` bytes.
unsafe fn buffer_out(data: &[u8], buf: *mut CK_BYTE, len: *mut CK_ULONG) -> Result<Delivered, Rv> {
    let len = out(len)?;
    let need = CK_ULONG::try_from(data.len()).map_err(|_| CKR_GENERAL_ERROR)?;
    if buf.is_null() {
        *len = if garbage() { GARBAGE_LEN } else { need };
        return Ok(Delivered::LengthOnly);
    }
    if *len < need {
        *len = need;
        return Err(CKR_BUFFER_TOO_SMALL);
    }
    std::ptr::copy_nonoverlapping(data.as_ptr(), buf, data.len());
    *len = need;
    Ok(Delivered::Yes)
}

/// Writes a list of numbers under the length protocol.
///
/// # Safety
/// As [`buffer_out`], for `CK_ULONG`s.
unsafe fn list_out(items: &[CK_ULONG], buf: *mut CK_ULONG, count: *mut CK_ULONG) -> Result<(), Rv> {
    let count = out(count)?;
    let need = CK_ULONG::try_from(items.len()).map_err(|_| CKR_GENERAL_ERROR)?;
    if buf.is_null() {
        *count = need;
        return Ok(());
    }
    if *count < need {
        *count = need;
        return Err(CKR_BUFFER_TOO_SMALL);
    }
    std::ptr::copy_nonoverlapping(items.as_ptr(), buf, items.len());
    *count = need;
    Ok(())
}

/// The module's function list: the one symbol the module exports.
///
/// # Safety
/// `list` must be null (refused with `CKR_ARGUMENTS_BAD`) or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn C_GetFunctionList(list: *mut *mut CK_FUNCTION_LIST) -> CK_RV {
    entry(|| {
        // SAFETY: a null pointer is refused; otherwise the caller passes a place for one
        // pointer, and the list is a static that is never written through.
        let place = out(list)?;
        *place = std::ptr::addr_of!(entries::FUNCTION_LIST) as *mut CK_FUNCTION_LIST;
        Ok(())
    })
}
