//! CMP (RFC 4210, lightweight profile RFC 9483) for enrollment: both sides of ir/ip,
//! pollReq/pollRep, certConf/pkiConf and error, with PBM (RFC 4210 §5.1.3.1) or GOST signature
//! protection, and CRMF (RFC 4211) requests with a signature proof of possession.
//!
//! Pure like the rest of tamga-pki: no I/O, no clock and no randomness of its own — times,
//! nonces, transaction IDs and PBM salts are arguments. The wire contract with the sandbox
//! bank is `tools/sandbox-bank/PROTOCOL.md`.
//!
//! - Client: [`CertReq::build`] (template + POP signed by the new key), then
//!   [`ClientTransaction`]: [`ClientTransaction::ir`], [`ClientTransaction::poll_req`],
//!   [`ClientTransaction::cert_conf`], and [`ClientTransaction::accept`] for every answer
//!   (protection, transactionID and recipNonce checked; an `error` body becomes `Err`), sorted
//!   by [`Answer::of`].
//! - Server: [`CmpMessage::parse`] (or [`CmpMessage::peek_header`] for garbage), check with
//!   [`CmpMessage::verify_pbm`] / [`CmpMessage::verify_signature`], the requests'
//!   [`CertReq::verify_pop`], then answer with [`Reply`].
//! - Both: [`cert_hash`] for certConf.
//!
//! # Example: a client enrollment with PBM protection
//!
//! ```no_run
//! use std::time::{Duration, SystemTime};
//! use tamga_pki::cmp::{
//!     cert_hash, Answer, CertConfirm, CertReq, CertReqSpec, ClientTransaction, PbmMac, Protect,
//!     ResponseTrust,
//! };
//! use tamga_pki::{name::parse_name, Certificate, Profile, Signer};
//!
//! # fn post(_: &[u8]) -> Vec<u8> { unimplemented!() }
//! # fn random16() -> Vec<u8> { vec![7; 16] }
//! fn enroll(
//!     sign_key: &dyn Signer,
//!     auth_key: &dyn Signer,
//!     ca: &Certificate,
//!     otp_pin: &str,
//!     transaction_id: Vec<u8>,
//! ) -> Result<Vec<Certificate>, tamga_pki::cmp::CmpError> {
//!     let now = SystemTime::now();
//!     let subject = parse_name("CN=qq111111_qwertyui").unwrap();
//!     let spec = |id| CertReqSpec {
//!         cert_req_id: id,
//!         subject: subject.clone(),
//!         not_before: Some(now),
//!         not_after: Some(now + Duration::from_secs(365 * 86400)),
//!         extensions: Vec::new(),
//!     };
//!     let reqs = vec![
//!         CertReq::build(&spec(0), sign_key, &Profile::TC26)?,
//!         CertReq::build(&spec(1), auth_key, &Profile::TC26)?,
//!     ];
//!     let salt = random16();
//!     let protect = Protect::Pbm {
//!         secret: otp_pin.as_bytes(),
//!         salt: &salt,
//!         iterations: 10_000,
//!         mac: PbmMac::HmacSha256,
//!     };
//!     let trust = ResponseTrust { ca: Some(ca), pbm_secret: None };
//!     let mut tx = ClientTransaction::new(
//!         transaction_id,
//!         subject.clone(),
//!         ca.subject_name().clone(),
//!         Some(b"qq111111_qwertyui".to_vec()),
//!     );
//!     let ir = tx.ir(reqs, random16(), now, &protect)?;
//!     let mut answer = tx.accept(&post(&ir), &trust)?;
//!     let certs = loop {
//!         match Answer::of(&answer)? {
//!             Answer::Certificates(reps) => break reps,
//!             Answer::Waiting { check_after } => {
//!                 std::thread::sleep(Duration::from_secs(check_after.max(1)));
//!                 let poll = tx.poll_req(vec![0, 1], random16(), SystemTime::now(), &protect)?;
//!                 answer = tx.accept(&post(&poll), &trust)?;
//!             }
//!             Answer::Confirmed => unreachable!(),
//!         }
//!     };
//!     // Check each certificate carries our key, store it on the token, then confirm:
//!     let confirms = certs
//!         .iter()
//!         .map(|r| CertConfirm {
//!             cert_req_id: r.cert_req_id,
//!             cert_hash: cert_hash(r.certificate.as_ref().unwrap()),
//!             status: None,
//!         })
//!         .collect();
//!     let conf = tx.cert_conf(confirms, random16(), SystemTime::now(), &protect)?;
//!     assert_eq!(Answer::of(&tx.accept(&post(&conf), &trust)?)?, Answer::Confirmed);
//!     Ok(certs.into_iter().filter_map(|r| r.certificate).collect())
//! }
//! ```

pub mod asn1;
mod body;
mod client;
mod error;
mod header;
mod message;
mod protection;
mod request;
mod server;

pub use body::{Body, CertConfirm, CertResponse, ErrorInfo, PkiStatus, PollRep, StatusInfo};
pub use client::{Answer, ClientTransaction, ResponseTrust};
pub use error::{CmpError, FailInfo};
pub use header::{Header, IMPLICIT_CONFIRM};
pub use message::{cert_hash, encode, CmpMessage, MAX_MESSAGE_LEN};
pub use protection::{
    PbmMac, Protect, ProtectionKind, PASSWORD_BASED_MAC, PBM_MAX_ITERATIONS, PBM_MIN_ITERATIONS,
};
pub use request::{CertReq, CertReqSpec};
pub use server::Reply;

#[cfg(test)]
mod tests;
