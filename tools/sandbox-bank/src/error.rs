//! The bank's own failures (CMP failures travel as `CmpError`, IB failures as `ApiError`).

use core::fmt;

/// A failure of the bank itself: its files, its database, its keys.
#[derive(Debug)]
pub enum BankError {
    /// A file or socket.
    Io(std::io::Error),
    /// SQLite.
    Db(rusqlite::Error),
    /// A PKI operation on the bank's own keys or certificates.
    Pki(tamga_pki::PkiError),
    /// TLS set-up.
    Tls(String),
    /// A bad option or a workdir in an unexpected state.
    Config(String),
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BankError::Io(e) => write!(f, "I/O: {e}"),
            BankError::Db(e) => write!(f, "database: {e}"),
            BankError::Pki(e) => write!(f, "PKI: {e}"),
            BankError::Tls(e) => write!(f, "TLS: {e}"),
            BankError::Config(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for BankError {}

impl From<std::io::Error> for BankError {
    fn from(e: std::io::Error) -> Self {
        BankError::Io(e)
    }
}

impl From<rusqlite::Error> for BankError {
    fn from(e: rusqlite::Error) -> Self {
        BankError::Db(e)
    }
}

impl From<tamga_pki::PkiError> for BankError {
    fn from(e: tamga_pki::PkiError) -> Self {
        BankError::Pki(e)
    }
}

impl From<der::Error> for BankError {
    fn from(e: der::Error) -> Self {
        BankError::Pki(tamga_pki::PkiError::corrupt("DER", e))
    }
}
