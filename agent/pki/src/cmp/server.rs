//! The server's side: answers with the header RFC 4210 asks for.

use std::time::SystemTime;

use x509_cert::name::Name;

use super::body::{Body, CertResponse, ErrorInfo, PollRep};
use super::error::CmpError;
use super::header::Header;
use super::message::encode;
use super::protection::Protect;

/// The answering side's identity and clock for one answer.
#[derive(Debug)]
pub struct Reply<'a> {
    /// The request answered (its header).
    pub request: &'a Header,
    /// Who answers (the CA's subject).
    pub sender: Name,
    /// Fresh random senderNonce.
    pub sender_nonce: Vec<u8>,
    /// Now.
    pub time: SystemTime,
}

impl Reply<'_> {
    fn header(&self) -> Header {
        Header::reply_to(
            self.request,
            self.sender.clone(),
            self.sender_nonce.clone(),
            self.time,
        )
    }

    /// An `ip` (accepted certificates, rejections, or waiting).
    pub fn ip(
        &self,
        responses: Vec<CertResponse>,
        protect: &Protect<'_>,
    ) -> Result<Vec<u8>, CmpError> {
        encode(&self.header(), &Body::Ip(responses), protect)
    }

    /// A `pollRep`.
    pub fn poll_rep(
        &self,
        entries: Vec<PollRep>,
        protect: &Protect<'_>,
    ) -> Result<Vec<u8>, CmpError> {
        encode(&self.header(), &Body::PollRep(entries), protect)
    }

    /// A `pkiConf`.
    pub fn pki_conf(&self, protect: &Protect<'_>) -> Result<Vec<u8>, CmpError> {
        encode(&self.header(), &Body::PkiConf, protect)
    }

    /// An `error` for `err`.
    pub fn error(&self, err: &CmpError, protect: &Protect<'_>) -> Result<Vec<u8>, CmpError> {
        encode(
            &self.header(),
            &Body::Error(ErrorInfo::from_error(err)),
            protect,
        )
    }
}
