//! The reusable parts of the `tamga` command line: reading key files (through tamga-pki) and the
//! failures and exit statuses of every command. A library so that the fuzz targets (and later
//! crates) reach the same readers the binary uses.
#![forbid(unsafe_code)]

pub mod error;
pub mod keyfile;
