//! What the tests need from the machine: SoftHSM2 and its tool.

use std::path::{Path, PathBuf};
use std::process::Command;

pub const SOFTHSM: &str = "/usr/lib/softhsm/libsofthsm2.so";

/// SoftHSM2's module, or `None` when the machine lacks it and TAMGA_SKIP_PKCS11=1 says that is
/// fine (CI installs it, so CI never skips).
pub fn softhsm() -> Option<PathBuf> {
    let present = Path::new(SOFTHSM).is_file()
        && Command::new("softhsm2-util")
            .arg("--version")
            .output()
            .is_ok();
    if present {
        return Some(PathBuf::from(SOFTHSM));
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
    let tokens = dir.join("tokens");
    std::fs::create_dir_all(&tokens).unwrap();
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .unwrap();
    std::env::set_var("SOFTHSM2_CONF", &conf);
    let out = Command::new("softhsm2-util")
        .args([
            "--init-token",
            "--free",
            "--label",
            label,
            "--so-pin",
            so_pin,
            "--pin",
            user_pin,
        ])
        .env("SOFTHSM2_CONF", &conf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
