//! How a command fails. Scripts rely on the exit status the way they do with `openssl dgst
//! -verify`: 1 means "the signature was checked and is wrong", 2 means the check could not be made
//! at all (bad usage, unreadable file, malformed key). Messages never carry key material.

use std::fmt;
use std::path::Path;

/// A failed command, with the one-line message shown to the user.
#[derive(Debug)]
pub enum Failure {
    /// The signature was checked and does not verify (exit status 1).
    Rejected(String),
    /// Usage, I/O or format error (exit status 2).
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, Failure>;

impl Failure {
    pub fn invalid(msg: impl Into<String>) -> Self {
        Failure::Invalid(msg.into())
    }

    pub fn io(action: &str, path: &Path, err: &std::io::Error) -> Self {
        Failure::Invalid(format!(
            "cannot {action} {}: {err} / ошибка ввода-вывода",
            display_path(path)
        ))
    }

    /// Prefixes the message with the file it is about.
    pub fn in_file(self, path: &Path) -> Self {
        let prefix = display_path(path);
        match self {
            Failure::Rejected(m) => Failure::Rejected(format!("{prefix}: {m}")),
            Failure::Invalid(m) => Failure::Invalid(format!("{prefix}: {m}")),
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Rejected(_) => 1,
            Failure::Invalid(_) => 2,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Rejected(m) | Failure::Invalid(m) => f.write_str(m),
        }
    }
}

/// `-` is how the user spells standard input or output.
pub fn display_path(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "standard input/output".to_owned()
    } else {
        path.display().to_string()
    }
}
