//! Faults on request, so that the fallback driver's tests can meet a module that misbehaves:
//! `TAMGA_PKCS11_FAULT=errors` (every call after C_Initialize fails with CKR_DEVICE_ERROR) or
//! `garbage-lengths` (sizes no buffer can have). Read once, at C_Initialize.

/// The fault switch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    None,
    Errors,
    GarbageLengths,
}

impl Fault {
    pub(crate) fn from_env() -> Fault {
        match std::env::var("TAMGA_PKCS11_FAULT").as_deref() {
            Ok("errors") => Fault::Errors,
            Ok("garbage-lengths") => Fault::GarbageLengths,
            _ => Fault::None,
        }
    }
}

/// The length a garbage-answering module reports: larger than any allocation can be.
pub(crate) const GARBAGE_LEN: u64 = u64::MAX - 1;
