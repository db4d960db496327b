//! SoftHSM2 as a stand-in token: the one PKCS#11 module any machine can install, so the demo
//! (`tamga demo --softhsm`) and the tests drive the fallback driver against a module nobody here
//! wrote. SoftHSM2 finds its tokens through the configuration file named by `SOFTHSM2_CONF`,
//! read when the module is loaded; a configuration of its own keeps the user's tokens untouched.
//! Setting the variable is left to the caller: only it knows whether other threads are running.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where Debian and Ubuntu's `softhsm2` package installs the module.
pub const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";

/// Whether `module` is there and `softhsm2-util` runs: both are needed for a token.
pub fn installed(module: &Path) -> bool {
    module.is_file()
        && Command::new("softhsm2-util")
            .arg("--version")
            .output()
            .is_ok()
}

/// Why [`init_token`] made no token.
#[derive(Debug)]
pub enum InitError {
    /// The token directory or the configuration could not be written.
    Io {
        /// What was being done ("remove", "create", "write").
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The system's error.
        source: io::Error,
    },
    /// `softhsm2-util` could not be started (SoftHSM2 is not installed).
    NoTool(io::Error),
    /// `softhsm2-util --init-token` refused; its standard error.
    Refused(String),
}

impl fmt::Display for InitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitError::Io {
                action,
                path,
                source,
            } => write!(f, "cannot {action} {}: {source}", path.display()),
            InitError::NoTool(e) => write!(f, "cannot run softhsm2-util: {e}"),
            InitError::Refused(stderr) => write!(f, "softhsm2-util --init-token failed: {stderr}"),
        }
    }
}

impl std::error::Error for InitError {}

/// Writes a SoftHSM2 configuration under `dir` whose token directory holds exactly one fresh
/// token, initialised with the given label and PINs; returns the configuration's path, for
/// `SOFTHSM2_CONF`. Tokens an earlier call left in `dir` are removed: a reused directory would
/// otherwise hold a second token with the same label.
pub fn init_token(
    dir: &Path,
    label: &str,
    user_pin: &str,
    so_pin: &str,
) -> Result<PathBuf, InitError> {
    let io = |action, path: &Path| {
        let path = path.to_owned();
        move |source| InitError::Io {
            action,
            path,
            source,
        }
    };
    let tokens = dir.join("tokens");
    if tokens.exists() {
        std::fs::remove_dir_all(&tokens).map_err(io("remove", &tokens))?;
    }
    std::fs::create_dir_all(&tokens).map_err(io("create", &tokens))?;
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .map_err(io("write", &conf))?;
    let out = Command::new("softhsm2-util")
        .args([
            "--init-token",
            "--free",
            "--label",
            label,
            "--pin",
            user_pin,
            "--so-pin",
            so_pin,
        ])
        .env("SOFTHSM2_CONF", &conf)
        .output()
        .map_err(InitError::NoTool)?;
    if !out.status.success() {
        return Err(InitError::Refused(
            String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        ));
    }
    Ok(conf)
}
