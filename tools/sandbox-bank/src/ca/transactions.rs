//! The CA's records: issued certificates (by serial) and CMP transactions (by transactionID).

use rusqlite::{params, Connection, OptionalExtension};
use tamga_pki::Certificate;

use super::issue::Role;
use crate::error::BankError;
use crate::util;

/// The next free serial number (the caller holds the database lock).
pub fn next_serial(conn: &Connection) -> Result<u64, BankError> {
    let max: i64 = conn.query_row(
        "SELECT COALESCE(MAX(serial), 0) FROM certificates",
        [],
        |r| r.get(0),
    )?;
    Ok(max as u64 + 1)
}

/// Records an issued certificate; its serial is the one inside it.
pub fn insert_certificate(
    conn: &Connection,
    cert: &Certificate,
    user_id: &str,
    role: Role,
    transaction_id: Option<&[u8]>,
    cert_req_id: Option<i64>,
) -> Result<u64, BankError> {
    let serial = serial_of(cert);
    conn.execute(
        "INSERT INTO certificates (serial, user_id, role, der, sha256, spki_sha256, not_before,
             not_after, transaction_id, cert_req_id, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            serial as i64,
            user_id,
            role.as_str(),
            cert.to_der(),
            util::sha256_hex(cert.to_der()),
            util::sha256_hex(&cert.spki_der()?),
            util::unix(cert.not_before()),
            util::unix(cert.not_after()),
            transaction_id,
            cert_req_id,
            util::unix(util::now()),
        ],
    )?;
    Ok(serial)
}

/// The serial of a certificate this CA issued (small positive integers).
pub fn serial_of(cert: &Certificate) -> u64 {
    cert.serial()
        .iter()
        .fold(0u64, |acc, b| acc.wrapping_shl(8) | u64::from(*b))
}

/// A certificate record.
#[derive(Clone, Debug)]
pub struct CertRecord {
    /// Serial.
    pub serial: u64,
    /// To whom.
    pub user_id: String,
    /// ca, init, sign, auth.
    pub role: String,
    /// The certificate.
    pub cert: Certificate,
    /// Revoked?
    pub revoked: bool,
    /// certReqId it answered.
    pub cert_req_id: Option<i64>,
}

/// serial, user_id, role, der, revoked_at, cert_req_id.
type Row = (i64, String, String, Vec<u8>, Option<i64>, Option<i64>);

fn record(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

const COLUMNS: &str = "serial, user_id, role, der, revoked_at, cert_req_id";

fn to_record(
    (serial, user_id, role, der, revoked_at, cert_req_id): Row,
) -> Result<CertRecord, BankError> {
    Ok(CertRecord {
        serial: serial as u64,
        user_id,
        role,
        cert: Certificate::from_der(&der)?,
        revoked: revoked_at.is_some(),
        cert_req_id,
    })
}

/// The record of a certificate by the SHA-256 of its DER.
pub fn by_sha256(conn: &Connection, sha256_hex: &str) -> Result<Option<CertRecord>, BankError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM certificates WHERE sha256 = ?1"),
        [sha256_hex],
        record,
    )
    .optional()?
    .map(to_record)
    .transpose()
}

/// The certificates a transaction issued, by certReqId.
pub fn of_transaction(
    conn: &Connection,
    transaction_id: &[u8],
) -> Result<Vec<CertRecord>, BankError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM certificates WHERE transaction_id = ?1 ORDER BY cert_req_id"
    ))?;
    let rows = stmt.query_map([transaction_id], record)?;
    rows.map(|r| to_record(r?)).collect()
}

/// Revokes a certificate (RFC 5280 reason code).
pub fn revoke(conn: &Connection, serial: u64, reason: i64) -> Result<(), BankError> {
    conn.execute(
        "UPDATE certificates SET revoked_at = ?1, revocation_reason = ?2
         WHERE serial = ?3 AND revoked_at IS NULL",
        params![util::unix(util::now()), reason, serial as i64],
    )?;
    Ok(())
}

/// A CMP transaction.
#[derive(Clone, Debug)]
pub struct TxRecord {
    /// Whose.
    pub user_id: String,
    /// SHA-256 over the requested public keys.
    pub request_hash: Vec<u8>,
    /// waiting, issued, confirmed.
    pub state: String,
    /// The ir as received.
    pub request_der: Vec<u8>,
}

/// The transaction with this ID.
pub fn find(conn: &Connection, transaction_id: &[u8]) -> Result<Option<TxRecord>, BankError> {
    Ok(conn
        .query_row(
            "SELECT user_id, request_hash, state, request_der FROM transactions
             WHERE transaction_id = ?1",
            [transaction_id],
            |r| {
                Ok(TxRecord {
                    user_id: r.get(0)?,
                    request_hash: r.get(1)?,
                    state: r.get(2)?,
                    request_der: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// Starts a transaction.
pub fn insert(
    conn: &Connection,
    transaction_id: &[u8],
    user_id: &str,
    request_hash: &[u8],
    request_der: &[u8],
) -> Result<(), BankError> {
    let now = util::unix(util::now());
    conn.execute(
        "INSERT INTO transactions (transaction_id, user_id, request_hash, state, request_der,
             created_at, updated_at)
         VALUES (?1, ?2, ?3, 'waiting', ?4, ?5, ?5)",
        params![transaction_id, user_id, request_hash, request_der, now],
    )?;
    Ok(())
}

/// Moves a transaction on, recording the answer (certReqId → serial, as JSON).
pub fn set_state(
    conn: &Connection,
    transaction_id: &[u8],
    state: &str,
    response: Option<&str>,
) -> Result<(), BankError> {
    conn.execute(
        "UPDATE transactions SET state = ?1, response = COALESCE(?2, response), updated_at = ?3
         WHERE transaction_id = ?4",
        params![state, response, util::unix(util::now()), transaction_id],
    )?;
    Ok(())
}
