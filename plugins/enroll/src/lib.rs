//! tamga-plugin-enroll: registration with the bank (the user's guide §3.13–3.21,
//! `shared/design/enrollment.md`) as a workflow.
//!
//! The wizard ([`wizard`]) asks in the guide's order and checks everything offline first
//! (password rules, the user ID's shape, the key file opened with the OTP PIN or its 1/I, 0/O
//! variants, the init certificate's CN); then the steps ([`steps`]) set the new password,
//! generate the SIGN and AUTH keys on the token, get their certificates from the CA over CMP
//! ([`cmp_client`]), and register them with the Internet-Banking. Every step is recorded in
//! the [`journal`] on the token before the next begins, so running the enrollment again after
//! any interruption continues it; [`enrolled`] reads the finished record for login and signing.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cmp_client;
pub mod enrolled;
mod error;
pub mod hooks;
pub mod inputs;
pub mod journal;
pub mod keyfile;
pub mod otp_variants;
pub mod steps;
pub mod store;
pub mod wizard;
mod workflow;

pub use error::{wrong_container_checklist, EnrollError};
pub use workflow::EnrollWorkflow;
