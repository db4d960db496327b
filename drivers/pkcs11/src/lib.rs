//! tamga-pkcs11: the PKCS#11 fallback driver.
//!
//! Where tamga cannot speak to a token itself (another model, different firmware, a bank that
//! ships its own module) it drives the vendor's PKCS#11 library through `cryptoki`:
//! [`Pkcs11Token`] implements the same [`Token`](tamga_token::Token) trait as the KAZTOKEN
//! driver, so every workflow runs over it unchanged.
//!
//! - [`Pkcs11Config`] is what a profile names: the module, the token (label or slot), the
//!   mechanism numbers per algorithm, the PIN policy.
//! - Keys are key pairs whose `CKA_ID` is the slot number, looked up every time (handles go
//!   stale after a re-login). Data objects are `CKO_DATA` labelled `tamga:XXXX`.
//! - PIN state comes from the token's flags; `Attempt::SpareLast` refuses a PIN whose
//!   `CKF_*_PIN_FINAL_TRY` flag is set.
//! - [`softhsm`] makes a SoftHSM2 token of its own, for the demo and the tests.
//! - A token pulled while open: the first call the module answers "removed" gives
//!   `TokenRemoved`, later ones `NoToken` until it is back; then a new session is opened on it
//!   (recognised by label, serial, model and manufacturer; another token is never used), logged
//!   out: the PIN is presented again, never replayed.
//! - A module that answers garbage gets an error, not a crash ([`module`](crate) guards every
//!   call).

#![deny(unsafe_code)]
#![warn(missing_docs)]

mod attrs;
mod config;
pub mod consts;
mod error;
mod keys;
mod mechanism;
mod module;
mod objects;
mod pins;
mod slots;
pub mod softhsm;
mod token;

pub use config::{
    GostSignatureOrder, KeyMechanisms, MechanismMap, PinPolicy, Pkcs11Config, TokenSelector,
};
pub use mechanism::mechanism_type;
pub use slots::{list, SlotToken};
pub use token::Pkcs11Token;
