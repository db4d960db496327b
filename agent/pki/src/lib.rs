//! tamga-pki: X.509, PKCS#10, CMS and PKCS#12 with GOST keys, on the RustCrypto format crates.
//!
//! Pure library: no file or network I/O, no token code. Signing goes through the `Signer` trait so a
//! token key and a software key look the same.
#![forbid(unsafe_code)]

pub mod error;

pub use error::PkiError;
