//! `tamga demo --softhsm`: the demo's token is a fresh SoftHSM2 token in the work directory,
//! driven through the PKCS#11 driver with EC P-256 keys — the path of a bank whose tokens have a
//! vendor PKCS#11 module but no GOST. SoftHSM2 reads its configuration from `SOFTHSM2_CONF` when
//! the module is loaded, so the demo points it at its own token directory before anything else
//! runs, and never touches the user's own SoftHSM2 tokens.

use std::path::{Path, PathBuf};

use tamga_pkcs11::softhsm::{self, InitError};

use crate::error::{Failure, Result};

/// The token's label (the profile selects the token by it).
pub const LABEL: &str = "tamga demo";

/// The PINs of a fresh token: the KAZTOKEN's factory ones, which the enrollment starts from.
const USER_PIN: &str = "12345678";
const SO_PIN: &str = "87654321";

/// A SoftHSM2 token ready for the demo.
pub struct SoftHsm {
    /// The PKCS#11 module.
    pub module: PathBuf,
}

fn missing(what: &str) -> Failure {
    Failure::invalid(format!(
        "demo --softhsm: {what}; install SoftHSM2 (apt-get install softhsm2) / \
         SoftHSM2 не найден: установите пакет softhsm2"
    ))
}

/// Initialises one fresh token under `dir` with the factory PINs (a kept --workdir run again
/// starts over: each run is a new customer on a new token) and points this process's
/// `SOFTHSM2_CONF` at it. Call before any thread starts: the environment is changed.
pub fn prepare(dir: &Path, module: &Path) -> Result<SoftHsm> {
    if !module.is_file() {
        return Err(missing(&format!("no module at {}", module.display())));
    }
    let conf = softhsm::init_token(dir, LABEL, USER_PIN, SO_PIN).map_err(|e| match e {
        InitError::Io {
            action,
            path,
            source,
        } => Failure::io(action, &path, &source),
        InitError::NoTool(e) => missing(&format!("cannot run softhsm2-util: {e}")),
        InitError::Refused(stderr) => Failure::invalid(format!(
            "demo --softhsm: softhsm2-util --init-token failed: {stderr} / не удалось создать токен SoftHSM2"
        )),
    })?;
    std::env::set_var("SOFTHSM2_CONF", &conf);
    Ok(SoftHsm {
        module: module.to_owned(),
    })
}
