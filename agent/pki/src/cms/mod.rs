//! CMS SignedData (RFC 5652) with GOST signatures: signing (detached or attached, with or
//! without signed attributes, with a co-signature added to an existing SignedData) and
//! verification of every signer.
//!
//! The SignedData is assembled from raw DER pieces rather than through the cms crate's builder
//! (which pulls in RSA and AES): the cms types build and read each SignerInfo, and the raw
//! pieces let a co-signature keep the first signer's bytes and let verification hash signed
//! attributes exactly as they were sent.

pub mod attributes;
mod parse;
pub mod sign;
pub mod verify;

pub use sign::{add_signer, sign, SignOptions, SignedAttributesOptions};
pub use verify::{verify, SignerReport, TrustOptions, VerifiedCms, VerifyOptions};
