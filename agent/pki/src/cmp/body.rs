//! `PKIBody` as plain Rust: the seven message kinds of the lightweight enrollment.

use der::asn1::{Null, OctetString};
use der::{Any, Decode, Encode};

use super::asn1::{self, CertOrEncCert, CertifiedKeyPair, PkiBody, PkiStatusInfo};
use super::error::{bits_to_bitstring, bitstring_to_bits, CmpError, FailInfo};
use super::request::CertReq;
use crate::Certificate;

/// `PKIStatus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum PkiStatus {
    Accepted = 0,
    GrantedWithMods = 1,
    Rejection = 2,
    Waiting = 3,
    RevocationWarning = 4,
    RevocationNotification = 5,
    KeyUpdateWarning = 6,
}

impl PkiStatus {
    fn from_u8(v: u8) -> Result<Self, CmpError> {
        Ok(match v {
            0 => PkiStatus::Accepted,
            1 => PkiStatus::GrantedWithMods,
            2 => PkiStatus::Rejection,
            3 => PkiStatus::Waiting,
            4 => PkiStatus::RevocationWarning,
            5 => PkiStatus::RevocationNotification,
            6 => PkiStatus::KeyUpdateWarning,
            _ => {
                return Err(CmpError::new(
                    FailInfo::BadDataFormat,
                    format!("PKIStatus {v}"),
                ))
            }
        })
    }
}

/// `PKIStatusInfo`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusInfo {
    /// The status.
    pub status: PkiStatus,
    /// `statusString` lines.
    pub text: Vec<String>,
    /// The `failInfo` bits set.
    pub fail_info: Vec<FailInfo>,
}

impl StatusInfo {
    /// Status accepted, nothing else.
    pub fn accepted() -> Self {
        StatusInfo {
            status: PkiStatus::Accepted,
            text: Vec::new(),
            fail_info: Vec::new(),
        }
    }

    /// Status waiting.
    pub fn waiting() -> Self {
        StatusInfo {
            status: PkiStatus::Waiting,
            text: Vec::new(),
            fail_info: Vec::new(),
        }
    }

    /// A rejection for `err`.
    pub fn rejection(err: &CmpError) -> Self {
        StatusInfo {
            status: PkiStatus::Rejection,
            text: vec![err.detail.clone()],
            fail_info: vec![err.fail],
        }
    }

    /// The rejection as an error (remote), `None` unless the status is a rejection.
    pub fn to_error(&self) -> Option<CmpError> {
        (self.status == PkiStatus::Rejection).then(|| CmpError {
            fail: self
                .fail_info
                .first()
                .copied()
                .unwrap_or(FailInfo::BadRequest),
            detail: if self.text.is_empty() {
                "rejected".into()
            } else {
                self.text.join("; ")
            },
            remote: true,
        })
    }

    fn from_asn1(s: &PkiStatusInfo) -> Result<Self, CmpError> {
        Ok(StatusInfo {
            status: PkiStatus::from_u8(s.status)?,
            text: s.status_string.clone().unwrap_or_default(),
            fail_info: s
                .fail_info
                .as_ref()
                .map(bitstring_to_bits)
                .unwrap_or_default(),
        })
    }

    fn to_asn1(&self) -> Result<PkiStatusInfo, CmpError> {
        Ok(PkiStatusInfo {
            status: self.status as u8,
            status_string: (!self.text.is_empty()).then(|| self.text.clone()),
            fail_info: if self.fail_info.is_empty() {
                None
            } else {
                Some(bits_to_bitstring(&self.fail_info)?)
            },
        })
    }
}

/// One `CertResponse` of an `ip`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertResponse {
    /// `certReqId`.
    pub cert_req_id: i64,
    /// Accepted, waiting, or a rejection with its reason.
    pub status: StatusInfo,
    /// The certificate when accepted.
    pub certificate: Option<Certificate>,
}

/// One `pollRep` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollRep {
    /// `certReqId`.
    pub cert_req_id: i64,
    /// Seconds to wait before the next `pollReq`.
    pub check_after: u64,
    /// Why, if said.
    pub reason: Option<String>,
}

/// One `certConf` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertConfirm {
    /// `certReqId`.
    pub cert_req_id: i64,
    /// The certificate's hash ([`super::cert_hash`]).
    pub cert_hash: Vec<u8>,
    /// Absent = accepted; a rejection says the client will not use the certificate.
    pub status: Option<StatusInfo>,
}

/// An `error` message's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    /// `pKIStatusInfo` (a rejection with the failInfo).
    pub status: StatusInfo,
    /// `errorCode` (implementation-specific).
    pub code: Option<i64>,
    /// `errorDetails`.
    pub details: Vec<String>,
}

impl ErrorInfo {
    /// The error message content for `err`.
    pub fn from_error(err: &CmpError) -> Self {
        ErrorInfo {
            status: StatusInfo::rejection(err),
            code: None,
            details: Vec::new(),
        }
    }

    /// As an error value (remote).
    pub fn to_error(&self) -> CmpError {
        let mut e = self.status.to_error().unwrap_or(CmpError {
            fail: FailInfo::SystemFailure,
            detail: "error message".into(),
            remote: true,
        });
        if !self.details.is_empty() {
            e.detail = format!("{}; {}", e.detail, self.details.join("; "));
        }
        e.remote = true;
        e
    }
}

/// The body kinds tamga sends and answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// Initialization request.
    Ir(Vec<CertReq>),
    /// Initialization response.
    Ip(Vec<CertResponse>),
    /// Polling request: the certReqIds asked about.
    PollReq(Vec<i64>),
    /// Polling response.
    PollRep(Vec<PollRep>),
    /// Certificate confirmation.
    CertConf(Vec<CertConfirm>),
    /// PKI confirmation.
    PkiConf,
    /// Error.
    Error(ErrorInfo),
}

impl Body {
    /// The RFC 4210 name of the kind (`ir`, `ip`, …).
    pub fn name(&self) -> &'static str {
        match self {
            Body::Ir(_) => "ir",
            Body::Ip(_) => "ip",
            Body::PollReq(_) => "pollReq",
            Body::PollRep(_) => "pollRep",
            Body::CertConf(_) => "certConf",
            Body::PkiConf => "pkiConf",
            Body::Error(_) => "error",
        }
    }

    pub(crate) fn from_asn1(b: PkiBody) -> Result<Body, CmpError> {
        Ok(match b {
            PkiBody::Ir(msgs) => Body::Ir(
                msgs.into_iter()
                    .map(CertReq::from_asn1)
                    .collect::<Result<_, _>>()?,
            ),
            PkiBody::Ip(rep) => Body::Ip(
                rep.response
                    .iter()
                    .map(|r| {
                        let certificate = match &r.certified_key_pair {
                            None => None,
                            Some(CertifiedKeyPair {
                                cert_or_enc_cert: CertOrEncCert::Certificate(c),
                                ..
                            }) => Some(Certificate::from_der(
                                &c.to_der().map_err(|e| CmpError::format("certificate", e))?,
                            )?),
                            Some(_) => {
                                return Err(CmpError::new(
                                    FailInfo::BadDataFormat,
                                    "encrypted certificates are not supported",
                                ))
                            }
                        };
                        Ok(CertResponse {
                            cert_req_id: r.cert_req_id,
                            status: StatusInfo::from_asn1(&r.status)?,
                            certificate,
                        })
                    })
                    .collect::<Result<_, CmpError>>()?,
            ),
            PkiBody::PollReq(v) => Body::PollReq(v.iter().map(|e| e.cert_req_id).collect()),
            PkiBody::PollRep(v) => Body::PollRep(
                v.iter()
                    .map(|e| PollRep {
                        cert_req_id: e.cert_req_id,
                        check_after: e.check_after.max(0) as u64,
                        reason: e.reason.as_ref().map(|r| r.join("; ")),
                    })
                    .collect(),
            ),
            PkiBody::CertConf(v) => Body::CertConf(
                v.iter()
                    .map(|s| {
                        Ok(CertConfirm {
                            cert_req_id: s.cert_req_id,
                            cert_hash: s.cert_hash.as_bytes().to_vec(),
                            status: s
                                .status_info
                                .as_ref()
                                .map(StatusInfo::from_asn1)
                                .transpose()?,
                        })
                    })
                    .collect::<Result<_, CmpError>>()?,
            ),
            PkiBody::PkiConf(_) => Body::PkiConf,
            PkiBody::Error(e) => Body::Error(ErrorInfo {
                status: StatusInfo::from_asn1(&e.status)?,
                code: e.error_code,
                details: e.error_details.unwrap_or_default(),
            }),
        })
    }

    pub(crate) fn to_asn1(&self) -> Result<PkiBody, CmpError> {
        let enc = |e: der::Error| CmpError::format("encoding the body", e);
        Ok(match self {
            Body::Ir(reqs) => PkiBody::Ir(reqs.iter().map(|r| r.msg.clone()).collect()),
            Body::Ip(reps) => PkiBody::Ip(asn1::CertRepMessage {
                ca_pubs: None,
                response: reps
                    .iter()
                    .map(|r| {
                        Ok(asn1::CertResponse {
                            cert_req_id: r.cert_req_id,
                            status: r.status.to_asn1()?,
                            certified_key_pair: r
                                .certificate
                                .as_ref()
                                .map(|c| {
                                    Ok::<_, CmpError>(CertifiedKeyPair {
                                        cert_or_enc_cert: CertOrEncCert::Certificate(
                                            Any::from_der(c.to_der()).map_err(enc)?,
                                        ),
                                        private_key: None,
                                        publication_info: None,
                                    })
                                })
                                .transpose()?,
                            rsp_info: None,
                        })
                    })
                    .collect::<Result<_, CmpError>>()?,
            }),
            Body::PollReq(ids) => PkiBody::PollReq(
                ids.iter()
                    .map(|&cert_req_id| asn1::PollReqEntry { cert_req_id })
                    .collect(),
            ),
            Body::PollRep(v) => PkiBody::PollRep(
                v.iter()
                    .map(|p| asn1::PollRepEntry {
                        cert_req_id: p.cert_req_id,
                        check_after: i64::try_from(p.check_after).unwrap_or(i64::MAX),
                        reason: p.reason.as_ref().map(|r| vec![r.clone()]),
                    })
                    .collect(),
            ),
            Body::CertConf(v) => PkiBody::CertConf(
                v.iter()
                    .map(|c| {
                        Ok(asn1::CertStatus {
                            cert_hash: OctetString::new(c.cert_hash.clone()).map_err(enc)?,
                            cert_req_id: c.cert_req_id,
                            status_info: c.status.as_ref().map(|s| s.to_asn1()).transpose()?,
                            hash_alg: None,
                        })
                    })
                    .collect::<Result<_, CmpError>>()?,
            ),
            Body::PkiConf => PkiBody::PkiConf(Null),
            Body::Error(e) => PkiBody::Error(asn1::ErrorMsgContent {
                status: e.status.to_asn1()?,
                error_code: e.code,
                error_details: (!e.details.is_empty()).then(|| e.details.clone()),
            }),
        })
    }
}
