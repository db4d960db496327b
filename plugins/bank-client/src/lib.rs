//! tamga-bank-client: what the enroll, login and sign workflows share on the bank's side.
//!
//! - [`http`]: a small blocking HTTP/1.1 client over rustls (ring) that trusts exactly the
//!   server certificate pinned in the profile (or the profile's roots), with bounded reads;
//! - [`ib`]: the Internet-Banking JSON API of `tools/sandbox-bank/PROTOCOL.md`;
//! - [`pki_profile`], [`cms_options`]: the profile's OIDs and layout as tamga-pki writes them;
//! - [`TokenSigner`]: a key on the token behind tamga-pki's [`Signer`](tamga_pki::Signer);
//! - [`NetError`]: their failures as agent errors (class `Remote`), in Russian and English.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
pub mod http;
pub mod ib;
mod pki_options;
mod token_signer;

pub use error::NetError;
pub use pki_options::{cms_options, pki_profile};
pub use token_signer::{subject_key, SharedToken, TokenSigner};
