//! tamga-test-support: helpers shared by the tests of several crates (a dev-dependency only,
//! never published).
//!
//! - [`cdylib`]: a crate's cdylib built beside the test binary.
//! - [`openssl`]: OpenSSL with the gost engine for the live cross-checks.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cdylib;
pub mod openssl;
