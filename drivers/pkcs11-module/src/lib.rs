//! tamga-pkcs11-module: tamga as a PKCS#11 v2.40 module.
//!
//! Applications that only know PKCS#11 (Firefox, OpenSSL's pkcs11 provider, ssh, OpenSC's
//! `pkcs11-tool`) load `libtamga_pkcs11_module.so` and see the tokens of a tamga profile — the
//! KAZTOKEN over tamga's CCID driver, the virtual KAZTOKEN — as PKCS#11 tokens with GOST
//! mechanisms. The profile is found as the CLI finds it (`$TAMGA_PROFILE`, then the user's and
//! the system's file, then the built-in one), once, at `C_Initialize`; its drivers are listed
//! again whenever the application looks at the slots.
//!
//! - `ffi/` is the C ABI and the only `unsafe` code: it checks and copies every argument, and
//!   no panic crosses it (`catch_unwind` on every entry point).
//! - `worker.rs` runs the module's state on one thread (tokens are not `Send`).
//! - `backend/` is the state: slots, sessions, objects, login, key generation, signing, and
//!   tokens plugged in or pulled while the module is loaded (`backend/hotplug.rs`): a slot per
//!   token seen, stable, with `CKF_TOKEN_PRESENT` coming and going; `C_WaitForSlotEvent`, with
//!   or without `CKF_DONT_BLOCK`.
//!
//! Not offered (answered `CKR_FUNCTION_NOT_SUPPORTED`): C_InitToken, encryption, verification,
//! key wrapping and derivation, operation state.

#![deny(unsafe_code)]

mod backend;
mod fault;
mod ffi;
mod rv;
mod worker;

pub use ffi::C_GetFunctionList;
