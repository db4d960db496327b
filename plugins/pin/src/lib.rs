//! tamga-plugin-pin: the "KAZTOKEN control panel" of the bank's guide (§4–5) as a workflow.
//!
//! Actions: `status` (both retry counters), `change-user` and `change-admin` (a new PIN under
//! the profile's password rules, the bank's by default), `unblock` (a new user PIN set with the
//! admin PIN). No PIN is presented before the new one passes the rules, and the last remaining
//! try is spent only after the person confirms it.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod rules;
mod workflow;

pub use error::PasswordError;
pub use rules::{check, Violation};
pub use workflow::{PinWorkflow, ACTIONS};
