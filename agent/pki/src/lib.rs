//! tamga-pki: X.509, PKCS#10, CMS and PKCS#12 with GOST keys, on the RustCrypto format crates.
//!
//! Pure library: no file or network I/O, no token code, no clock (times are arguments).
//! Signing goes through the [`Signer`] trait so a token key and a software key look the same;
//! what is written (OIDs, signature layout) is chosen with a [`Profile`]. Verification reads
//! every GOST family (Russian TC26, Kazakh NCA, Gamma) and either signature layout. EC P-256 keys
//! with ECDSA/SHA-256 ([`SubjectKey::EcP256`]) are read, verified and signed through a token too,
//! for PKCS#11 modules without GOST.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod algorithm;
pub mod cert;
pub mod chain;
pub mod cmp;
pub mod cms;
pub mod crl;
pub mod csr;
pub mod ec_key;
pub mod error;
pub mod extensions;
pub mod hash;
pub mod name;
pub mod oid;
pub mod pem;
pub mod pfx;
pub mod private_key;
pub mod public_key;
pub mod signer;
pub mod subject_key;

mod signed;
mod time;
mod tlv;

pub use algorithm::{OidFamily, Profile};
pub use cert::Certificate;
pub use chain::{verify_chain, ChainOptions};
pub use crl::{Crl, RevocationStatus};
pub use csr::CertificationRequest;
pub use ec_key::EcP256PublicKey;
pub use error::PkiError;
pub use hash::HashAlg;
pub use public_key::GostPublicKey;
pub use signer::{Signer, SoftwareSigner};
pub use subject_key::SubjectKey;
pub use tamga_gost::SigEncoding;
pub use x509_cert::ext::pkix::KeyUsages;
