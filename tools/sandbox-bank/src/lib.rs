//! The sandbox bank: the bank of the user's guide on one machine — a CMP certification
//! authority and an Internet-Banking JSON API over HTTPS on loopback, with state in SQLite and
//! fault switches for the resume tests. The wire contract is `PROTOCOL.md`.
//!
//! ```no_run
//! use tamga_sandbox_bank::{Bank, CustomerOptions, ServeOptions};
//! let bank = Bank::open(std::path::Path::new("/tmp/bank")).unwrap();
//! let customer = bank.add_customer(&CustomerOptions::default()).unwrap();
//! let server = bank.serve(&ServeOptions::default()).unwrap();
//! println!("{} for {}", server.base_url(), customer.user_id);
//! server.stop();
//! ```
#![forbid(unsafe_code)]

/// The payment order and its validators (tamga-payment-order, the one shared definition).
pub use tamga_payment_order as payment_order;

#[cfg(feature = "server")]
mod bank;
#[cfg(feature = "server")]
pub mod ca;
#[cfg(feature = "server")]
pub mod customer;
#[cfg(feature = "server")]
pub mod db;
#[cfg(feature = "server")]
pub mod error;
#[cfg(feature = "server")]
pub mod faults;
#[cfg(feature = "server")]
pub mod http;
#[cfg(feature = "server")]
pub mod ib;
#[cfg(feature = "server")]
mod util;

#[cfg(feature = "server")]
pub use bank::{Bank, Inner, ServeOptions, TestState};
#[cfg(feature = "server")]
pub use ca::CaConfig;
#[cfg(feature = "server")]
pub use customer::{CustomerFiles, CustomerOptions, InitCurve};
#[cfg(feature = "server")]
pub use error::BankError;
#[cfg(feature = "server")]
pub use faults::FaultSpec;
#[cfg(feature = "server")]
pub use http::server::RunningServer;
