//! The module under test, a profile for it, and the outside tools.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub mod session;

/// The cdylib cargo built beside this test binary.
pub fn module() -> PathBuf {
    tamga_test_support::cdylib::beside_test_binary("libtamga_pkcs11_module.so")
}

/// A copy of the module of its own: a second dlopen of one path is the same instance with the
/// same state, and each test wants a fresh one.
pub fn module_copy(dir: &Path) -> PathBuf {
    let p = dir.join("libtamga_pkcs11_module.so");
    std::fs::copy(module(), &p).unwrap();
    p
}

/// A profile with one virtual KAZTOKEN (3 tries per PIN) whose state lives in `dir`.
pub fn profile(dir: &Path) -> PathBuf {
    let p = dir.join("profile.ron");
    std::fs::write(
        &p,
        r#"(
    name: "pkcs11-module-test",
    drivers: [
        VirtualKaztoken(
            state: Relative("token.state"),
            user_retries: 3,
            admin_retries: 3,
            label: "KAZTOKEN p11",
            serial: 4242,
        ),
    ],
)
"#,
    )
    .unwrap();
    p
}

/// Whether an outside tool runs; missing is a failure unless the skip variable says otherwise.
pub fn tool(program: &str, arg: &str, skip_var: &str) -> bool {
    if Command::new(program).arg(arg).output().is_ok() {
        return true;
    }
    if std::env::var(skip_var).as_deref() == Ok("1") {
        eprintln!("{program} missing: skipped ({skip_var}=1)");
        return false;
    }
    panic!("{program} is missing (apt-get install it, or set {skip_var}=1)");
}
