//! How a command fails. Scripts rely on the exit status the way they do with `openssl dgst
//! -verify`: 1 means "the signature was checked and is wrong" (or a PIN was presented and is
//! wrong), 2 means the check could not be made at all (bad usage, unreadable file, malformed key
//! or profile); the token commands add 3–6 ([`exit`]). Messages never carry key material or PINs.

use std::fmt;
use std::path::Path;

use tamga_core::Lang;
use tamga_pki::PkiError;

/// A failed command, with the one-line message shown to the user.
#[derive(Debug)]
pub enum Failure {
    /// The signature was checked and does not verify (exit status 1).
    Rejected(String),
    /// Usage, I/O or format error (exit status 2).
    Invalid(String),
    /// An agent (token, PIN, profile) failure, already in the user's language, with its status
    /// from [`exit`].
    Agent {
        /// The exit status.
        exit: u8,
        /// The message.
        message: String,
    },
}

/// The exit statuses, one table for every subcommand (also in `tamga --help` and the README).
pub mod exit {
    /// Success; for `gost verify`, the signature verifies.
    pub const OK: u8 = 0;
    /// Checked and rejected: a signature, chain, validity or revocation check fails, or the PIN
    /// is wrong (tries remain).
    pub const REJECTED: u8 = 1;
    /// Usage, input/output, format or profile error; no secret source.
    pub const USAGE: u8 = 2;
    /// A PIN is blocked.
    pub const BLOCKED: u8 = 3;
    /// The new PIN breaks the password rules, the confirmation differs, or the token refused it.
    pub const POLICY: u8 = 4;
    /// Not confirmed or cancelled (the last try was not spent); nothing was sent.
    pub const CANCELLED: u8 = 5;
    /// No token, token removed, or token/reader failure.
    pub const TOKEN: u8 = 6;
    /// The bank (CA, Internet-Banking) or the network failed or refused; an enrollment resumes
    /// where it stopped when run again.
    pub const REMOTE: u8 = 7;

    /// The table for `tamga --help`.
    pub const HELP: &str = "\
Exit status:
  0  success (gost, cms, cert, crl verify: valid)
  1  rejected: a signature, chain, validity or revocation check fails, or the PIN is wrong
     (tries remain)
  2  usage, input/output, format or profile error; a wrong container password; no way to
     ask for a PIN or password
  3  a PIN is blocked
  4  the new PIN breaks the password rules, or its confirmation differs
  5  cancelled, or the last remaining try not confirmed: nothing was sent
  6  no token, token removed, or a token/reader failure
  7  the bank or the network failed or refused (enroll: run it again to resume)";
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
            Failure::Agent { exit, message } => Failure::Agent {
                exit,
                message: format!("{prefix}: {message}"),
            },
        }
    }

    /// A tamga-pki error in both languages, for the `gost` commands (whose messages have always
    /// been English / Russian).
    pub fn pki(e: &PkiError) -> Self {
        Failure::Agent {
            exit: pki_exit(e),
            message: format!("{e} / {}", e.message_ru()),
        }
    }

    /// A tamga-pki error in `lang` (Kazakh falls back to Russian, as tamga-core's messages do).
    pub fn pki_in(e: &PkiError, lang: Lang) -> Self {
        Failure::Agent {
            exit: pki_exit(e),
            message: pki_message(e, lang),
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Rejected(_) => exit::REJECTED,
            Failure::Invalid(_) => exit::USAGE,
            Failure::Agent { exit, .. } => *exit,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Rejected(m) | Failure::Invalid(m) => f.write_str(m),
            Failure::Agent { message, .. } => f.write_str(message),
        }
    }
}

/// The exit status of a tamga-pki error: 1 when something was checked and found wanting (a
/// signature, a chain, a validity period, a revocation), 2 when it could not be checked (damaged
/// or unsupported input, a wrong password, a missing argument).
pub fn pki_exit(e: &PkiError) -> u8 {
    match e {
        PkiError::BadSignature
        | PkiError::SignerNotFound
        | PkiError::DigestMismatch
        | PkiError::NotValidAt { .. }
        | PkiError::NotCa { .. }
        | PkiError::Untrusted { .. }
        | PkiError::KeyUsage(_)
        | PkiError::Revoked { .. }
        | PkiError::CrlOutdated => exit::REJECTED,
        _ => exit::USAGE,
    }
}

/// A tamga-pki error's message in `lang`.
pub fn pki_message(e: &PkiError, lang: Lang) -> String {
    lang.pick(e.message_ru(), e.to_string(), None)
}

/// `-` is how the user spells standard input or output.
pub fn display_path(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "standard input/output".to_owned()
    } else {
        path.display().to_string()
    }
}
