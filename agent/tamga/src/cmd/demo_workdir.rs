//! `tamga demo --workdir DIR`: every run starts from nothing, in a directory the demo owns.
//!
//! A second run over the first one's files would meet a token whose password the first run
//! changed and a bank that already registered the customer, and fail for no reason a person
//! could see. So the demo marks the directories it makes and clears only its own files on a rerun;
//! a directory with someone else's files in it is refused, never cleared.

use std::path::{Path, PathBuf};

use crate::error::{Failure, Result};

/// The file that says "this directory is the demo's".
const MARKER: &str = ".tamga-demo";

/// Everything a run writes at the top of its directory; `token.state…` also covers the virtual
/// token's sidecar files (its atomic-write temporary, the unplug switch).
const OWN: &[&str] = &[
    "bank",
    "softhsm",
    "profile.ron",
    "token-password.txt",
    "sign-cert.pem",
    "auth-cert.pem",
    "payment-order.json",
    "payment.p7s",
];
const OWN_PREFIX: &str = "token.state";

/// Creates `dir` or empties the demo's own files from it; returns its canonical path.
pub fn prepare(dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Failure::io("create", dir, &e))?;
    let dir = dir
        .canonicalize()
        .map_err(|e| Failure::io("open", dir, &e))?;
    let entries: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| Failure::io("read", &dir, &e))?
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| Failure::io("read", &dir, &e))?;
    if !entries.is_empty() && !dir.join(MARKER).is_file() {
        return Err(Failure::invalid(format!(
            "{}: the directory is not empty and was not made by `tamga demo`; give a new or empty \
             one / каталог не пуст и создан не `tamga demo`: укажите новый или пустой каталог",
            dir.display()
        )));
    }
    for entry in entries {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(OWN.contains(&name) || name.starts_with(OWN_PREFIX)) {
            continue;
        }
        let path = entry.path();
        let removed = if entry.file_type().is_ok_and(|t| t.is_dir()) {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.map_err(|e| Failure::io("remove", &path, &e))?;
    }
    std::fs::write(
        dir.join(MARKER),
        b"made by `tamga demo`: a rerun clears its files here\n",
    )
    .map_err(|e| Failure::io("write", &dir.join(MARKER), &e))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_directory_is_made_and_marked() {
        let t = tempfile::tempdir().unwrap();
        let dir = prepare(&t.path().join("new")).unwrap();
        assert!(dir.join(MARKER).is_file());
    }

    #[test]
    fn a_rerun_clears_the_demos_files_and_keeps_the_others() {
        let t = tempfile::tempdir().unwrap();
        let dir = prepare(t.path()).unwrap();
        std::fs::create_dir_all(dir.join("bank/ca")).unwrap();
        std::fs::write(dir.join("bank/ca/key"), b"k").unwrap();
        std::fs::write(dir.join("token.state"), b"s").unwrap();
        std::fs::write(dir.join("token.state.unplugged"), b"").unwrap();
        std::fs::write(dir.join("profile.ron"), b"()").unwrap();
        std::fs::write(dir.join("notes.txt"), b"mine").unwrap();
        prepare(&dir).unwrap();
        assert!(!dir.join("bank").exists());
        assert!(!dir.join("token.state").exists());
        assert!(!dir.join("token.state.unplugged").exists());
        assert!(!dir.join("profile.ron").exists());
        assert_eq!(std::fs::read(dir.join("notes.txt")).unwrap(), b"mine");
    }

    #[test]
    fn someone_elses_directory_is_refused_and_left_alone() {
        let t = tempfile::tempdir().unwrap();
        std::fs::write(t.path().join("token.state"), b"precious").unwrap();
        let err = prepare(t.path()).unwrap_err();
        let Failure::Invalid(message) = err else {
            panic!("not a usage error")
        };
        assert!(message.contains("not made by `tamga demo`"));
        assert!(message.contains("каталог не пуст"));
        assert_eq!(
            std::fs::read(t.path().join("token.state")).unwrap(),
            b"precious"
        );
    }
}
