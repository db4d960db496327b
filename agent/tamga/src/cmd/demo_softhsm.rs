//! `tamga demo --softhsm`: the demo's token is a fresh SoftHSM2 token in the work directory,
//! driven through the PKCS#11 driver with EC P-256 keys — the path of a bank whose tokens have a
//! vendor PKCS#11 module but no GOST. SoftHSM2 reads its configuration from `SOFTHSM2_CONF` when
//! the module is loaded, so the demo points it at its own token directory before anything else
//! runs, and never touches the user's own SoftHSM2 tokens.

use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Writes a SoftHSM2 configuration under `dir`, initialises one token there with the factory
/// PINs, and points this process's `SOFTHSM2_CONF` at it. Call before any thread starts: the
/// environment is changed.
pub fn prepare(dir: &Path, module: &Path) -> Result<SoftHsm> {
    if !module.is_file() {
        return Err(missing(&format!("no module at {}", module.display())));
    }
    let tokens = dir.join("tokens");
    // A kept --workdir run again holds the last run's enrolled token; each run is a new customer
    // on a new token, and this directory is the demo's own.
    if tokens.exists() {
        std::fs::remove_dir_all(&tokens).map_err(|e| Failure::io("remove", &tokens, &e))?;
    }
    std::fs::create_dir_all(&tokens).map_err(|e| Failure::io("create", &tokens, &e))?;
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .map_err(|e| Failure::io("write", &conf, &e))?;
    let out = Command::new("softhsm2-util")
        .args([
            "--init-token",
            "--free",
            "--label",
            LABEL,
            "--pin",
            USER_PIN,
            "--so-pin",
            SO_PIN,
        ])
        .env("SOFTHSM2_CONF", &conf)
        .output()
        .map_err(|e| missing(&format!("cannot run softhsm2-util: {e}")))?;
    if !out.status.success() {
        return Err(Failure::invalid(format!(
            "demo --softhsm: softhsm2-util --init-token failed: {} / не удалось создать токен SoftHSM2",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    std::env::set_var("SOFTHSM2_CONF", &conf);
    Ok(SoftHsm {
        module: module.to_owned(),
    })
}
