//! What the tests need from the machine: SoftHSM2 and its tool.

use std::path::{Path, PathBuf};

use tamga_pkcs11::softhsm;

/// SoftHSM2's module, or `None` when the machine lacks it and TAMGA_SKIP_PKCS11=1 says that is
/// fine (CI installs it, so CI never skips).
pub fn softhsm() -> Option<PathBuf> {
    if softhsm::installed(Path::new(softhsm::MODULE)) {
        return Some(PathBuf::from(softhsm::MODULE));
    }
    if std::env::var("TAMGA_SKIP_PKCS11").as_deref() == Ok("1") {
        eprintln!("SoftHSM2 missing: skipped (TAMGA_SKIP_PKCS11=1)");
        return None;
    }
    panic!("SoftHSM2 is missing: apt-get install softhsm2 (or set TAMGA_SKIP_PKCS11=1)");
}

/// A SoftHSM2 configuration of its own in `dir`, exported for the module to read at
/// `C_Initialize`, with one token initialised.
pub fn init_token(dir: &Path, label: &str, so_pin: &str, user_pin: &str) {
    let conf = softhsm::init_token(dir, label, user_pin, so_pin).unwrap_or_else(|e| panic!("{e}"));
    std::env::set_var("SOFTHSM2_CONF", &conf);
}
