//! The CA's CMP endpoint (PROTOCOL.md): authenticate the sender (PBM with the OTP PIN, or the
//! init key's signature), then ir → ip (or waiting), pollReq → pollRep or ip, certConf → pkiConf.
//!
//! State lives in the `transactions` table keyed by transactionID, so a repeated message is
//! answered from it: a retransmitted `ir` gets the certificates already issued, never new ones.

use std::time::{Duration, SystemTime};

use rusqlite::Connection;
use tamga_pki::cmp::{
    cert_hash, Body, CertReq, CertResponse, CmpError, CmpMessage, FailInfo, Header, PollRep,
    ProtectionKind, Reply, StatusInfo,
};
use tamga_pki::name::find_attribute;
use tamga_pki::{Certificate, SigEncoding};
use x509_cert::name::Name;

use super::issue::{self, Role};
use super::{pop, transactions};
use crate::bank::Inner;
use crate::customer;
use crate::error::BankError;
use crate::util;

const CN: der::asn1::ObjectIdentifier = der::asn1::ObjectIdentifier::new_unwrap("2.5.4.3");
/// RFC 5280 reason code `cessationOfOperation`: the client refused the certificate in certConf.
const REASON_REFUSED: i64 = 5;
/// At most this many requests in one ir (SIGN and AUTH).
const MAX_REQUESTS: usize = 2;

/// The answer to one CMP request: DER of a PKIMessage, or `None` when the input had no
/// readable header (the HTTP layer answers 400).
pub fn handle(inner: &Inner, der: &[u8]) -> Option<Vec<u8>> {
    let msg = match CmpMessage::parse(der) {
        Ok(m) => m,
        Err(e) => {
            let header = CmpMessage::peek_header(der)?;
            return answer_error(inner, &header, &e);
        }
    };
    let result = {
        let conn = inner.db.lock();
        process(inner, &conn, &msg, der)
    };
    match result {
        Ok(answer) => Some(answer),
        Err(e) => {
            log::info!(
                "CMP {} refused: {}",
                msg.body.name(),
                e.to_string().replace('\n', " ")
            );
            answer_error(inner, &msg.header, &e)
        }
    }
}

fn reply<'a>(inner: &Inner, request: &'a Header) -> Reply<'a> {
    Reply {
        request,
        sender: inner.ca.name().clone(),
        sender_nonce: util::random(16),
        time: util::now(),
    }
}

fn answer_error(inner: &Inner, header: &Header, e: &CmpError) -> Option<Vec<u8>> {
    reply(inner, header).error(e, &inner.ca.protect()).ok()
}

fn internal(e: BankError) -> CmpError {
    log::error!("CMP: {e}");
    CmpError::new(FailInfo::SystemFailure, "internal error")
}

fn process(
    inner: &Inner,
    conn: &Connection,
    msg: &CmpMessage,
    der: &[u8],
) -> Result<Vec<u8>, CmpError> {
    let user_id = authenticate(inner, conn, msg)?;
    let tx = transactions::find(conn, &msg.header.transaction_id).map_err(internal)?;
    if let Some(t) = &tx {
        if t.user_id != user_id {
            return Err(CmpError::new(
                FailInfo::TransactionIdInUse,
                "transactionIdInUse: the transactionID belongs to another user",
            ));
        }
    }
    let r = reply(inner, &msg.header);
    let protect = inner.ca.protect();
    match (&msg.body, tx) {
        (Body::Ir(reqs), tx) => {
            let specs = check_requests(inner, &user_id, reqs)?;
            let hash = request_hash(reqs)?;
            match tx {
                Some(t) if t.request_hash != hash => Err(CmpError::new(
                    FailInfo::TransactionIdInUse,
                    "transactionIdInUse: another request was made with this transactionID",
                )),
                Some(t) if t.state == "waiting" => {
                    wait_or_issue(inner, conn, &r, &user_id, &specs, true)
                }
                // A retransmission: the same certificates again.
                Some(_) => issued_ip(conn, &r, &msg.header.transaction_id),
                None => {
                    transactions::insert(conn, &msg.header.transaction_id, &user_id, &hash, der)
                        .map_err(internal)?;
                    wait_or_issue(inner, conn, &r, &user_id, &specs, true)
                }
            }
            .and_then(|body| body.encode(&r, &protect))
        }
        (Body::PollReq(_), Some(t)) if t.state == "waiting" => {
            let ir = CmpMessage::parse(&t.request_der)?;
            let Body::Ir(reqs) = &ir.body else {
                return Err(CmpError::new(
                    FailInfo::SystemFailure,
                    "stored request is not an ir",
                ));
            };
            let specs = check_requests(inner, &user_id, reqs)?;
            wait_or_issue(inner, conn, &r, &user_id, &specs, false)?.encode(&r, &protect)
        }
        (Body::PollReq(_), Some(_)) => {
            issued_ip(conn, &r, &msg.header.transaction_id)?.encode(&r, &protect)
        }
        (Body::CertConf(confirms), Some(t)) if t.state != "waiting" => {
            let certs =
                transactions::of_transaction(conn, &msg.header.transaction_id).map_err(internal)?;
            for c in confirms {
                let rec = certs
                    .iter()
                    .find(|r| r.cert_req_id == Some(c.cert_req_id))
                    .ok_or_else(|| {
                        CmpError::new(
                            FailInfo::BadCertId,
                            format!("no certificate for certReqId {}", c.cert_req_id),
                        )
                    })?;
                if cert_hash(&rec.cert) != c.cert_hash {
                    return Err(CmpError::new(
                        FailInfo::BadCertId,
                        format!(
                            "certHash of certReqId {} does not match the certificate issued",
                            c.cert_req_id
                        ),
                    ));
                }
                if c.status.as_ref().is_some_and(|s| s.to_error().is_some()) {
                    transactions::revoke(conn, rec.serial, REASON_REFUSED).map_err(internal)?;
                }
            }
            conn.execute(
                "UPDATE certificates SET confirmed = 1 WHERE transaction_id = ?1 AND revoked_at IS NULL",
                [&msg.header.transaction_id],
            )
            .map_err(|e| internal(e.into()))?;
            transactions::set_state(conn, &msg.header.transaction_id, "confirmed", None)
                .map_err(internal)?;
            r.pki_conf(&protect)
        }
        (Body::CertConf(_), Some(_)) => Err(CmpError::new(
            FailInfo::BadRequest,
            "certConf before the certificates were issued",
        )),
        (Body::PollReq(_) | Body::CertConf(_), None) => {
            Err(CmpError::new(FailInfo::BadRequest, "unknown transactionID"))
        }
        (other, _) => Err(CmpError::new(
            FailInfo::BadRequest,
            format!("a CA does not accept {}", other.name()),
        )),
    }
}

/// What the CA answers: an ip or a pollRep (encoded with the reply's header at the end).
enum Answer {
    Ip(Vec<CertResponse>),
    PollRep(Vec<PollRep>),
}

impl Answer {
    fn encode(
        self,
        r: &Reply<'_>,
        protect: &tamga_pki::cmp::Protect<'_>,
    ) -> Result<Vec<u8>, CmpError> {
        match self {
            Answer::Ip(v) => r.ip(v, protect),
            Answer::PollRep(v) => r.poll_rep(v, protect),
        }
    }
}

/// The authenticated user ID of a request, from its protection.
fn authenticate(inner: &Inner, conn: &Connection, msg: &CmpMessage) -> Result<String, CmpError> {
    match msg.protection() {
        ProtectionKind::Pbm { .. } => {
            let kid =
                msg.header.sender_kid.as_deref().ok_or_else(|| {
                    CmpError::new(FailInfo::BadMessageCheck, "PBM without senderKID")
                })?;
            let user_id = std::str::from_utf8(kid)
                .map_err(|_| CmpError::new(FailInfo::BadMessageCheck, "senderKID is not UTF-8"))?;
            let pin = customer::otp_pin(conn, user_id)
                .map_err(internal)?
                .ok_or_else(|| {
                    CmpError::new(FailInfo::NotAuthorized, "unknown user ID in senderKID")
                })?;
            msg.verify_pbm(pin.as_bytes()).map_err(|_| {
                CmpError::new(
                    FailInfo::BadMessageCheck,
                    "the password-based MAC does not verify: wrong OTP PIN",
                )
            })?;
            let sender_cn = find_attribute(&msg.header.sender, &CN);
            if sender_cn.as_deref().is_some_and(|cn| cn != user_id) {
                return Err(CmpError::new(
                    FailInfo::NotAuthorized,
                    "the sender's CN is not the user ID of senderKID",
                ));
            }
            Ok(user_id.to_string())
        }
        ProtectionKind::Signature(_) => {
            let cert = msg.extra_certs().first().ok_or_else(|| {
                CmpError::new(
                    FailInfo::SignerNotTrusted,
                    "no init certificate in extraCerts",
                )
            })?;
            check_init_cert(inner, conn, cert, &msg.header.sender)?;
            msg.verify_signature(cert)?;
            find_attribute(cert.subject_name(), &CN).ok_or_else(|| {
                CmpError::new(FailInfo::NotAuthorized, "init certificate without CN")
            })
        }
        ProtectionKind::None => Err(CmpError::new(
            FailInfo::WrongIntegrity,
            "the request is not protected",
        )),
    }
}

fn check_init_cert(
    inner: &Inner,
    conn: &Connection,
    cert: &Certificate,
    sender: &Name,
) -> Result<(), CmpError> {
    let not_trusted = |d: String| CmpError::new(FailInfo::SignerNotTrusted, d);
    cert.verify_issued_by(inner.ca.certificate(), SigEncoding::Auto)
        .map_err(|e| {
            not_trusted(format!(
                "the init certificate was not issued by this CA: {e}"
            ))
        })?;
    cert.check_validity(SystemTime::now())
        .map_err(|_| not_trusted("the init certificate has expired".into()))?;
    let rec = transactions::by_sha256(conn, &util::sha256_hex(cert.to_der()))
        .map_err(internal)?
        .ok_or_else(|| not_trusted("the init certificate is not on the CA's records".into()))?;
    if rec.role != Role::Init.as_str() {
        return Err(CmpError::new(
            FailInfo::NotAuthorized,
            "not an init certificate",
        ));
    }
    if rec.revoked {
        return Err(CmpError::new(
            FailInfo::CertRevoked,
            "the init certificate is revoked",
        ));
    }
    if cert.subject_name() != sender {
        return Err(CmpError::new(
            FailInfo::NotAuthorized,
            "the sender is not the subject of the init certificate (another user's init key)",
        ));
    }
    Ok(())
}

/// A request checked and turned into what to issue.
struct Spec {
    cert_req_id: i64,
    subject: Name,
    spki: spki::SubjectPublicKeyInfoOwned,
    not_after: Option<SystemTime>,
    term: Duration,
    role: Role,
}

fn check_requests(inner: &Inner, user_id: &str, reqs: &[CertReq]) -> Result<Vec<Spec>, CmpError> {
    if reqs.is_empty() || reqs.len() > MAX_REQUESTS {
        return Err(CmpError::new(
            FailInfo::BadRequest,
            format!("{} requests in one ir (1 or 2 expected)", reqs.len()),
        ));
    }
    let mut out: Vec<Spec> = Vec::new();
    for req in reqs {
        let id = req.cert_req_id();
        let role = match id {
            0 => Role::Sign,
            1 => Role::Auth,
            _ => {
                return Err(CmpError::new(
                    FailInfo::BadCertTemplate,
                    format!("certReqId {id} (0 = SIGN, 1 = AUTH)"),
                ))
            }
        };
        if out.iter().any(|s| s.cert_req_id == id) {
            return Err(CmpError::new(
                FailInfo::BadRequest,
                format!("certReqId {id} twice"),
            ));
        }
        let subject = req.subject().cloned().ok_or_else(|| {
            CmpError::new(FailInfo::BadCertTemplate, "the template has no subject")
        })?;
        if find_attribute(&subject, &CN).as_deref() != Some(user_id) {
            return Err(CmpError::new(
                FailInfo::BadCertTemplate,
                "the subject's CN is not the user ID",
            ));
        }
        let spki = req.public_key().cloned().ok_or_else(|| {
            CmpError::new(FailInfo::BadCertTemplate, "the template has no public key")
        })?;
        pop::verify(req)?;
        let (not_before, not_after) = req.validity();
        let term = term_of(inner, not_before, not_after)?;
        out.push(Spec {
            cert_req_id: id,
            subject,
            spki,
            not_after,
            term,
            role,
        });
    }
    Ok(out)
}

/// The term granted: the requested one when it is one of the allowed terms (±2 days of
/// slack for clocks and rounding), the default when none is asked.
fn term_of(
    inner: &Inner,
    not_before: Option<SystemTime>,
    not_after: Option<SystemTime>,
) -> Result<Duration, CmpError> {
    const DAY: u64 = 86_400;
    let cfg = &inner.ca.config;
    let Some(na) = not_after else {
        return Ok(Duration::from_secs(cfg.default_term_days * DAY));
    };
    let start = not_before.unwrap_or_else(util::now);
    let asked = na
        .duration_since(start)
        .map_err(|_| CmpError::new(FailInfo::BadCertTemplate, "notAfter is before notBefore"))?;
    let asked_days = asked.as_secs() as f64 / DAY as f64;
    cfg.allowed_terms_days
        .iter()
        .find(|&&d| (asked_days - d as f64).abs() <= 2.0)
        .map(|&d| Duration::from_secs(d * DAY))
        .ok_or_else(|| {
            CmpError::new(
                FailInfo::BadCertTemplate,
                format!(
                    "a term of {asked_days:.0} days is not offered (allowed: {:?} days)",
                    cfg.allowed_terms_days
                ),
            )
        })
}

fn request_hash(reqs: &[CertReq]) -> Result<Vec<u8>, CmpError> {
    let mut all = Vec::new();
    for r in reqs {
        all.extend(r.cert_req_id().to_be_bytes());
        all.extend(r.public_key_der()?);
    }
    Ok(util::sha256(&all))
}

/// Answers waiting while the fault switch says so, else issues.
fn wait_or_issue(
    inner: &Inner,
    conn: &Connection,
    r: &Reply<'_>,
    user_id: &str,
    specs: &[Spec],
    is_ir: bool,
) -> Result<Answer, CmpError> {
    if inner.faults.take_cmp_waiting() {
        return Ok(if is_ir {
            Answer::Ip(
                specs
                    .iter()
                    .map(|s| CertResponse {
                        cert_req_id: s.cert_req_id,
                        status: StatusInfo::waiting(),
                        certificate: None,
                    })
                    .collect(),
            )
        } else {
            Answer::PollRep(
                specs
                    .iter()
                    .map(|s| PollRep {
                        cert_req_id: s.cert_req_id,
                        check_after: inner.ca.config.check_after_secs,
                        reason: Some("the CA is processing the request".into()),
                    })
                    .collect(),
            )
        });
    }
    issue_all(inner, conn, &r.request.transaction_id, user_id, specs)?;
    issued_ip(conn, r, &r.request.transaction_id)
}

/// Issues every certificate of a transaction at once (one SQLite transaction).
fn issue_all(
    inner: &Inner,
    conn: &Connection,
    tx_id: &[u8],
    user_id: &str,
    specs: &[Spec],
) -> Result<(), CmpError> {
    let run = || -> Result<(), BankError> {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let mut response = Vec::new();
        for s in specs {
            let serial = transactions::next_serial(conn)?;
            let now = util::now();
            let not_after = match s.not_after {
                Some(na) if na > now && na <= now + s.term + Duration::from_secs(2 * 86_400) => na,
                _ => now + s.term,
            };
            let cert = issue::issue(
                &inner.ca.issuer(),
                serial,
                &s.subject,
                &s.spki,
                now,
                not_after,
                s.role,
            )?;
            transactions::insert_certificate(
                conn,
                &cert,
                user_id,
                s.role,
                Some(tx_id),
                Some(s.cert_req_id),
            )?;
            response.push(format!("\"{}\":{serial}", s.cert_req_id));
        }
        let json = format!("{{{}}}", response.join(","));
        transactions::set_state(conn, tx_id, "issued", Some(&json))?;
        conn.execute_batch("COMMIT")?;
        Ok(())
    };
    run().map_err(|e| {
        let _ = conn.execute_batch("ROLLBACK");
        internal(e)
    })
}

fn issued_ip(conn: &Connection, _r: &Reply<'_>, tx_id: &[u8]) -> Result<Answer, CmpError> {
    let certs = transactions::of_transaction(conn, tx_id).map_err(internal)?;
    if certs.is_empty() {
        return Err(CmpError::new(
            FailInfo::SystemFailure,
            "the transaction issued nothing",
        ));
    }
    Ok(Answer::Ip(
        certs
            .into_iter()
            .map(|c| CertResponse {
                cert_req_id: c.cert_req_id.unwrap_or(0),
                status: StatusInfo::accepted(),
                certificate: Some(c.cert),
            })
            .collect(),
    ))
}
