//! The CMP client of the enrollment over HTTP (`POST` to the CA's endpoint, RFC 6712), on
//! tamga-pki's message layer: ir with both requests, polling while the CA says "waiting",
//! certConf. The CA's answers are checked against the CA certificate pinned in the profile.

use std::time::{Duration, SystemTime};

use tamga_bank_client::http::Http;
use tamga_bank_client::NetError;
use tamga_core::Pin;
use tamga_pki::cmp::{
    cert_hash, Answer, CertConfirm, CertReq, CertReqSpec, ClientTransaction, CmpError, PbmMac,
    Protect, ResponseTrust,
};
use tamga_pki::{Certificate, Profile, Signer};

use crate::keyfile::InitKey;
use crate::EnrollError;

/// `certReqId` of the SIGN request (PROTOCOL.md).
pub const SIGN_REQ: i64 = 0;
/// `certReqId` of the AUTH request.
pub const AUTH_REQ: i64 = 1;

/// PBM parameters of PROTOCOL.md (what `openssl cmp` speaks).
const PBM_ITERATIONS: u32 = 10_000;

/// A failure while talking to the CA.
#[derive(Debug)]
pub enum CaError {
    /// Transport.
    Net(NetError),
    /// CMP (local check or the CA's refusal).
    Cmp(CmpError),
    /// Still waiting after the allowed polls.
    StillWaiting,
}

impl From<NetError> for CaError {
    fn from(e: NetError) -> Self {
        CaError::Net(e)
    }
}

impl From<CmpError> for CaError {
    fn from(e: CmpError) -> Self {
        CaError::Cmp(e)
    }
}

impl From<CaError> for tamga_core::CoreError {
    fn from(e: CaError) -> Self {
        match e {
            CaError::Net(n) => n.into(),
            CaError::Cmp(c) => EnrollError::Ca(c.to_string()).into(),
            CaError::StillWaiting => EnrollError::StillWaiting.into(),
        }
    }
}

/// How requests are protected.
pub enum Credentials<'a> {
    /// Signed with the init key.
    Signature(&'a InitKey),
    /// PBM with the OTP PIN (the corrected variant, if one was found).
    Pbm(&'a Pin),
}

/// One enrollment's conversation with the CA.
pub struct CaSession<'a> {
    http: &'a Http,
    ca: &'a Certificate,
    credentials: Credentials<'a>,
    pki: Profile,
    tx: ClientTransaction,
    max_polls: u32,
    max_interval: Duration,
}

fn random16() -> Vec<u8> {
    let mut b = vec![0u8; 16];
    // Nonces and salts only need to be fresh; a failing OS generator is reported as a CA
    // failure rather than a panic.
    if getrandom::fill(&mut b).is_err() {
        log::error!("the OS random generator failed");
    }
    b
}

impl<'a> CaSession<'a> {
    /// A transaction with the journal's ID, from `user_id` to the pinned CA.
    pub fn new(
        http: &'a Http,
        ca: &'a Certificate,
        credentials: Credentials<'a>,
        pki: Profile,
        transaction_id: [u8; 16],
        user_id: &str,
        polls: (u32, Duration),
    ) -> Result<Self, EnrollError> {
        let sender = tamga_pki::name::parse_name(&format!("CN={user_id}"))
            .map_err(|e| EnrollError::Pki(e.to_string()))?;
        let kid = matches!(credentials, Credentials::Pbm(_)).then(|| user_id.as_bytes().to_vec());
        let tx = ClientTransaction::new(
            transaction_id.to_vec(),
            sender,
            ca.subject_name().clone(),
            kid,
        );
        Ok(CaSession {
            http,
            ca,
            credentials,
            pki,
            tx,
            max_polls: polls.0,
            max_interval: polls.1,
        })
    }

    fn send(
        &mut self,
        build: impl FnOnce(&mut ClientTransaction, &Protect<'_>) -> Result<Vec<u8>, CmpError>,
    ) -> Result<tamga_pki::cmp::CmpMessage, CaError> {
        let salt = random16();
        let secret;
        let protect = match &self.credentials {
            Credentials::Signature(init) => Protect::Signature {
                signer: &init.signer,
                certs: &init.certs,
                profile: self.pki,
            },
            Credentials::Pbm(otp) => {
                secret = otp.as_bytes();
                Protect::Pbm {
                    secret,
                    salt: &salt,
                    iterations: PBM_ITERATIONS,
                    mac: PbmMac::HmacSha256,
                }
            }
        };
        let request = build(&mut self.tx, &protect)?;
        let response = self.http.post("", "application/pkixcmp", &request, None)?;
        if response.status != 200 {
            return Err(CaError::Net(NetError::Status(response.status)));
        }
        let pbm_secret = match &self.credentials {
            Credentials::Pbm(otp) => Some(otp.as_bytes()),
            Credentials::Signature(_) => None,
        };
        let trust = ResponseTrust {
            ca: Some(self.ca),
            pbm_secret,
        };
        Ok(self.tx.accept(&response.body, &trust)?)
    }

    /// Builds both requests (template and proof of possession, signed by the new keys on the
    /// token): the only part of the exchange that needs the token.
    pub fn build_requests(
        &self,
        sign: &dyn Signer,
        auth: &dyn Signer,
        subject_user: &str,
        term_months: u16,
    ) -> Result<Vec<CertReq>, CmpError> {
        let subject = tamga_pki::name::parse_name(&format!("CN={subject_user}"))
            .map_err(|e| CmpError::format("subject", e))?;
        let now = SystemTime::now();
        // The contract counts years: 12 months = 365 days (the CA allows a day or two either way).
        let until = now + Duration::from_secs(u64::from(term_months) * 365 * 86_400 / 12);
        let spec = |id| CertReqSpec {
            cert_req_id: id,
            subject: subject.clone(),
            not_before: Some(now),
            not_after: Some(until),
            extensions: Vec::new(),
        };
        Ok(vec![
            CertReq::build(&spec(SIGN_REQ), sign, &self.pki)?,
            CertReq::build(&spec(AUTH_REQ), auth, &self.pki)?,
        ])
    }

    /// Sends the `ir` (or resends it: the CA answers a known transactionID as a
    /// retransmission) and polls until the certificates come; `on_wait` hears each wait
    /// (poll number, seconds).
    pub fn request(
        &mut self,
        requests: Vec<CertReq>,
        mut on_wait: impl FnMut(u32, u64),
    ) -> Result<(Certificate, Certificate), CaError> {
        let mut answer = self.send(|tx, p| tx.ir(requests, random16(), SystemTime::now(), p))?;
        crate::hooks::point("ir-sent");
        let mut polls = 0;
        let responses = loop {
            match Answer::of(&answer)? {
                Answer::Certificates(reps) => break reps,
                Answer::Waiting { check_after } => {
                    polls += 1;
                    if polls > self.max_polls {
                        return Err(CaError::StillWaiting);
                    }
                    let wait = Duration::from_secs(check_after).min(self.max_interval);
                    on_wait(polls, wait.as_secs());
                    std::thread::sleep(wait.max(Duration::from_millis(50)));
                    answer = self.send(|tx, p| {
                        tx.poll_req(vec![SIGN_REQ, AUTH_REQ], random16(), SystemTime::now(), p)
                    })?;
                }
                Answer::Confirmed => {
                    return Err(CmpError::new(
                        tamga_pki::cmp::FailInfo::BadDataFormat,
                        "pkiConf where certificates were expected",
                    )
                    .into())
                }
            }
        };
        let pick = |id: i64| {
            responses
                .iter()
                .find(|r| r.cert_req_id == id)
                .and_then(|r| r.certificate.clone())
                .ok_or_else(|| {
                    CaError::Cmp(CmpError::new(
                        tamga_pki::cmp::FailInfo::BadDataFormat,
                        format!("no certificate for certReqId {id}"),
                    ))
                })
        };
        Ok((pick(SIGN_REQ)?, pick(AUTH_REQ)?))
    }

    /// Confirms both certificates; Ok on pkiConf.
    pub fn confirm(&mut self, sign: &Certificate, auth: &Certificate) -> Result<(), CaError> {
        let confirms = vec![
            CertConfirm {
                cert_req_id: SIGN_REQ,
                cert_hash: cert_hash(sign),
                status: None,
            },
            CertConfirm {
                cert_req_id: AUTH_REQ,
                cert_hash: cert_hash(auth),
                status: None,
            },
        ];
        let answer = self.send(|tx, p| tx.cert_conf(confirms, random16(), SystemTime::now(), p))?;
        crate::hooks::point("certconf-sent");
        match Answer::of(&answer)? {
            Answer::Confirmed => Ok(()),
            other => Err(CmpError::new(
                tamga_pki::cmp::FailInfo::BadDataFormat,
                format!("expected pkiConf, got {other:?}"),
            )
            .into()),
        }
    }
}
