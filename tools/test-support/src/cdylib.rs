//! A crate's cdylib, for tests that load it as an application would: cargo builds every crate
//! type of a dependency (a dev-dependency too) into `deps/` beside the test binary, and the crate's
//! own cdylib one level up.

use std::path::PathBuf;

/// The library `file_name` beside this test binary; a missing one is a failure, never a skip.
pub fn beside_test_binary(file_name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let deps = exe.parent().unwrap();
    for dir in [deps, deps.parent().unwrap()] {
        let p = dir.join(file_name);
        if p.is_file() {
            return p;
        }
    }
    panic!(
        "{file_name} not found beside {} (its crate must be a dependency or dev-dependency of \
         the tested one: `cargo test -p <tested crate>` builds it)",
        exe.display()
    );
}
