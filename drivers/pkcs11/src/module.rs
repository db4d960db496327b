//! Loading a module once per process, and calling it without letting a misbehaving one take the
//! process down.
//!
//! A module is initialised once and never finalised: tokens opened from it share its login
//! state (PKCS#11 keeps logins per application, not per session), and finalising under another
//! token's feet would close its sessions. Loading the same path again is a lookup.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error, RvError};
use tamga_token::TokenError;

use crate::error::token_error;

fn modules() -> &'static Mutex<HashMap<PathBuf, Pkcs11>> {
    static MODULES: OnceLock<Mutex<HashMap<PathBuf, Pkcs11>>> = OnceLock::new();
    MODULES.get_or_init(Default::default)
}

/// The initialised module at `path`.
pub(crate) fn load(path: &Path) -> Result<Pkcs11, TokenError> {
    let mut cache = modules().lock().unwrap_or_else(|p| p.into_inner());
    if let Some(m) = cache.get(path) {
        return Ok(m.clone());
    }
    if !path.is_file() {
        return Err(TokenError::Communication(format!(
            "the PKCS#11 module {} does not exist",
            path.display()
        )));
    }
    let module = guarded(|| Pkcs11::new(path).map_err(token_error))?;
    let args = CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK);
    match guarded(|| Ok(module.initialize(args)))? {
        Ok(()) | Err(Error::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
        Err(e) => return Err(token_error(e)),
    }
    log::debug!("PKCS#11 module {} loaded", path.display());
    cache.insert(path.to_owned(), module.clone());
    Ok(module)
}

/// Runs a call into the module. cryptoki sizes its buffers from what the module answers; a
/// module that answers a length no buffer can have makes cryptoki panic, which becomes an error
/// here instead of unwinding into the workflow.
pub(crate) fn guarded<T>(call: impl FnOnce() -> Result<T, TokenError>) -> Result<T, TokenError> {
    catch_unwind(AssertUnwindSafe(call)).unwrap_or_else(|_| {
        Err(TokenError::Protocol(
            "the PKCS#11 module answered a length no buffer can have",
        ))
    })
}
