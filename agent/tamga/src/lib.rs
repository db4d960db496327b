//! The reusable parts of the `tamga` command line: reading key files and choosing the hash. A
//! library so that the fuzz targets (and later crates) reach the same parsers the binary uses.
#![forbid(unsafe_code)]

pub mod error;
pub mod hash;
pub mod keyfile;
pub mod oids;
