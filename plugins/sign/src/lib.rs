//! tamga-plugin-sign: payment orders. tamga itself parses the order (`order`: tamga-payment-order's
//! format and checks — amount, recipient, IIK by ISO 13616 mod-97, BIN/IIN by the Kazakh check
//! digit, KNP) and shows it (`display`) before the SIGN key on the token signs it (CMS, attached
//! or detached per profile); then it logs in with the AUTH key and submits the order to the
//! Internet-Banking.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod display;
mod error;
pub mod order;
mod workflow;

pub use error::SignError;
pub use order::{Order, MAX_ORDER};
pub use workflow::{keys as workflow_keys, SignWorkflow};
