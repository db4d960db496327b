//! The client's side of one transaction: builds ir / pollReq / certConf with the right
//! header, and accepts an answer only if its protection, transactionID and recipNonce check.

use std::time::SystemTime;

use x509_cert::name::Name;

use super::body::{Body, CertConfirm, CertResponse};
use super::error::{CmpError, FailInfo};
use super::header::Header;
use super::message::{encode, CmpMessage};
use super::protection::{Protect, ProtectionKind};
use super::request::CertReq;
use crate::Certificate;

/// How the client authenticates the CA's answers.
#[derive(Clone, Copy, Debug)]
pub struct ResponseTrust<'a> {
    /// The CA certificate pinned in the profile: signature-protected answers must verify with
    /// its key (and the sender must be its subject).
    pub ca: Option<&'a Certificate>,
    /// The shared secret: a PBM-protected answer must verify with it (`openssl cmp`'s mock
    /// server answers that way). `None` refuses PBM answers.
    pub pbm_secret: Option<&'a [u8]>,
}

impl core::fmt::Debug for ClientTransaction {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClientTransaction")
            .field("transaction_id", &self.transaction_id)
            .finish_non_exhaustive()
    }
}

/// One CMP transaction as the client sees it. It remembers the last senderNonce sent, so the
/// next answer's recipNonce can be checked, and the CA's last senderNonce, which the next
/// request echoes. After a crash, a new `ClientTransaction` with the same transactionID (from
/// the token's journal) resends `ir`: the CA answers it as a retransmission.
pub struct ClientTransaction {
    /// `transactionID`.
    pub transaction_id: Vec<u8>,
    /// `sender` (CN = user ID).
    pub sender: Name,
    /// `recipient` (the CA's name).
    pub recipient: Name,
    /// `senderKID` (the user ID's UTF-8 for PBM; `None` for signature protection).
    pub sender_kid: Option<Vec<u8>>,
    last_sent_nonce: Option<Vec<u8>>,
    last_received_nonce: Option<Vec<u8>>,
}

impl ClientTransaction {
    /// A transaction with an ID the caller keeps (16 random bytes, journaled).
    pub fn new(
        transaction_id: Vec<u8>,
        sender: Name,
        recipient: Name,
        sender_kid: Option<Vec<u8>>,
    ) -> Self {
        ClientTransaction {
            transaction_id,
            sender,
            recipient,
            sender_kid,
            last_sent_nonce: None,
            last_received_nonce: None,
        }
    }

    fn header(&mut self, sender_nonce: Vec<u8>, time: SystemTime) -> Header {
        let mut h = Header::new(
            self.sender.clone(),
            self.recipient.clone(),
            self.transaction_id.clone(),
            sender_nonce.clone(),
            time,
        );
        h.sender_kid = self.sender_kid.clone();
        h.recip_nonce = self.last_received_nonce.clone();
        self.last_sent_nonce = Some(sender_nonce);
        h
    }

    /// An `ir` with these requests. `sender_nonce`: 16 fresh random bytes.
    pub fn ir(
        &mut self,
        requests: Vec<CertReq>,
        sender_nonce: Vec<u8>,
        time: SystemTime,
        protect: &Protect<'_>,
    ) -> Result<Vec<u8>, CmpError> {
        let h = self.header(sender_nonce, time);
        encode(&h, &Body::Ir(requests), protect)
    }

    /// A `pollReq` for these certReqIds.
    pub fn poll_req(
        &mut self,
        cert_req_ids: Vec<i64>,
        sender_nonce: Vec<u8>,
        time: SystemTime,
        protect: &Protect<'_>,
    ) -> Result<Vec<u8>, CmpError> {
        let h = self.header(sender_nonce, time);
        encode(&h, &Body::PollReq(cert_req_ids), protect)
    }

    /// A `certConf` (build the entries with [`super::cert_hash`]).
    pub fn cert_conf(
        &mut self,
        confirms: Vec<CertConfirm>,
        sender_nonce: Vec<u8>,
        time: SystemTime,
        protect: &Protect<'_>,
    ) -> Result<Vec<u8>, CmpError> {
        let h = self.header(sender_nonce, time);
        encode(&h, &Body::CertConf(confirms), protect)
    }

    /// Parses and checks an answer: protection (per `trust`), transactionID, recipNonce = the
    /// last senderNonce sent. An `error` body becomes `Err` with `remote` set. Returns the
    /// message; use [`Answer::of`] to sort it.
    pub fn accept(
        &mut self,
        der: &[u8],
        trust: &ResponseTrust<'_>,
    ) -> Result<CmpMessage, CmpError> {
        let msg = CmpMessage::parse(der)?;
        match msg.protection() {
            ProtectionKind::Pbm { .. } => {
                let secret = trust.pbm_secret.ok_or_else(|| {
                    CmpError::new(
                        FailInfo::WrongIntegrity,
                        "a PBM-protected answer was not expected",
                    )
                })?;
                msg.verify_pbm(secret)?;
            }
            ProtectionKind::Signature(_) => {
                let ca = trust.ca.ok_or_else(|| {
                    CmpError::new(
                        FailInfo::WrongIntegrity,
                        "no CA certificate to check the answer",
                    )
                })?;
                if msg.header.sender != *ca.subject_name() {
                    return Err(CmpError::new(
                        FailInfo::WrongAuthority,
                        "the answer's sender is not the pinned CA",
                    ));
                }
                msg.verify_signature(ca)?;
            }
            ProtectionKind::None => {
                return Err(CmpError::new(
                    FailInfo::WrongIntegrity,
                    "the answer is not protected",
                ))
            }
        }
        if msg.header.transaction_id != self.transaction_id {
            return Err(CmpError::new(
                FailInfo::BadDataFormat,
                "the answer belongs to another transaction",
            ));
        }
        if msg.header.recip_nonce.is_none() || msg.header.recip_nonce != self.last_sent_nonce {
            return Err(CmpError::new(
                FailInfo::BadRecipientNonce,
                "the answer's recipNonce is not the nonce sent",
            ));
        }
        self.last_received_nonce = Some(msg.header.sender_nonce.clone());
        if let Body::Error(e) = &msg.body {
            return Err(e.to_error());
        }
        Ok(msg)
    }
}

/// What an `ip` or `pollRep` means for the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Every request answered: accepted ones carry a certificate (rejections are `Err`).
    Certificates(Vec<CertResponse>),
    /// Not yet: poll again after this many seconds.
    Waiting {
        /// Seconds (0 when the CA did not say).
        check_after: u64,
    },
    /// The certConf was confirmed.
    Confirmed,
}

impl Answer {
    /// Sorts an accepted message. A rejected request is `Err` (remote) with its failInfo.
    pub fn of(msg: &CmpMessage) -> Result<Answer, CmpError> {
        match &msg.body {
            Body::Ip(reps) => {
                if reps
                    .iter()
                    .any(|r| r.status.status == super::body::PkiStatus::Waiting)
                {
                    return Ok(Answer::Waiting { check_after: 0 });
                }
                for r in reps {
                    if let Some(e) = r.status.to_error() {
                        return Err(e);
                    }
                    if r.certificate.is_none() {
                        return Err(CmpError::new(
                            FailInfo::BadDataFormat,
                            format!("certReqId {} accepted without a certificate", r.cert_req_id),
                        ));
                    }
                }
                Ok(Answer::Certificates(reps.clone()))
            }
            Body::PollRep(p) => Ok(Answer::Waiting {
                check_after: p.iter().map(|e| e.check_after).max().unwrap_or(0),
            }),
            Body::PkiConf => Ok(Answer::Confirmed),
            other => Err(CmpError::new(
                FailInfo::BadDataFormat,
                format!("unexpected {} in answer", other.name()),
            )),
        }
    }
}
