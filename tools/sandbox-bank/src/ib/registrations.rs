//! `POST /ib/v1/registrations`: the new SIGN/AUTH pair, CMS-signed by the SIGN key.
//! Idempotent for the same pair; another pair while one is active is 409.

use std::time::SystemTime;

use rusqlite::{params, OptionalExtension};
use serde_json::{json, Value};
use tamga_pki::cms::{verify, VerifyOptions};
use tamga_pki::name::find_attribute;
use tamga_pki::{oid, Certificate, KeyUsages, SigEncoding};

use super::{base64_field, field, json_body, ApiError};
use crate::bank::Inner;
use crate::ca::transactions;
use crate::http::request::Request;
use crate::http::response::Response;
use crate::util;

const CN: der::asn1::ObjectIdentifier = der::asn1::ObjectIdentifier::new_unwrap("2.5.4.3");

fn refuse(message: impl Into<String>) -> ApiError {
    ApiError::new(400, "certificate_invalid", message, "Сертификат не принят")
}

/// Checks a certificate is this CA's, for `user_id`, in `role`, and not revoked.
pub(crate) fn check_cert(
    inner: &Inner,
    cert: &Certificate,
    user_id: &str,
    role: &str,
) -> Result<(), ApiError> {
    cert.verify_issued_by(inner.ca.certificate(), SigEncoding::Auto)
        .map_err(|_| {
            refuse(format!(
                "the {role} certificate was not issued by the bank's CA"
            ))
        })?;
    cert.check_validity(SystemTime::now())
        .map_err(|_| refuse(format!("the {role} certificate is not valid now")))?;
    if find_attribute(cert.subject_name(), &CN).as_deref() != Some(user_id) {
        return Err(refuse(format!(
            "the {role} certificate is not issued to {user_id}"
        )));
    }
    let conn = inner.db.lock();
    let rec = transactions::by_sha256(&conn, &util::sha256_hex(cert.to_der()))?
        .ok_or_else(|| refuse(format!("the {role} certificate is not on the CA's records")))?;
    if rec.revoked {
        return Err(ApiError::new(
            400,
            "certificate_revoked",
            format!("the {role} certificate is revoked"),
            "Сертификат отозван",
        ));
    }
    if rec.role != role {
        return Err(refuse(format!(
            "the certificate was issued as {}, not {role}",
            rec.role
        )));
    }
    Ok(())
}

/// The handler.
pub fn register(inner: &Inner, req: &Request) -> Result<Response, ApiError> {
    let body = json_body(req)?;
    let user_id = field(&body, "user_id")?;
    let sign = Certificate::from_der(&base64_field(&body, "sign_cert")?)
        .map_err(|e| ApiError::bad(format!("sign_cert: {e}")))?;
    let auth = Certificate::from_der(&base64_field(&body, "auth_cert")?)
        .map_err(|e| ApiError::bad(format!("auth_cert: {e}")))?;
    let cms = base64_field(&body, "cms")?;
    check_cert(inner, &sign, user_id, "sign")?;
    check_cert(inner, &auth, user_id, "auth")?;
    sign.require_key_usage(KeyUsages::DigitalSignature)
        .and_then(|_| sign.require_key_usage(KeyUsages::NonRepudiation))
        .map_err(|_| refuse("the SIGN certificate lacks digitalSignature/nonRepudiation"))?;
    if !auth
        .extended_key_usage()
        .is_ok_and(|eku| eku.contains(&oid::EKU_CLIENT_AUTH))
    {
        return Err(refuse(
            "the AUTH certificate lacks the clientAuth extended key usage",
        ));
    }
    let (sign_hash, auth_hash) = (
        util::sha256_hex(sign.to_der()),
        util::sha256_hex(auth.to_der()),
    );

    let signature_invalid =
        |m: &str| ApiError::new(400, "signature_invalid", m.to_string(), "Подпись неверна");
    let certs = [sign.clone()];
    let verified = verify(
        &cms,
        None,
        &VerifyOptions {
            certificates: &certs,
            ..VerifyOptions::default()
        },
    )
    .map_err(|e| signature_invalid(&format!("the CMS does not verify: {e}")))?;
    verified
        .require_all_valid()
        .map_err(|e| signature_invalid(&format!("the CMS does not verify: {e}")))?;
    if !verified.signers.iter().all(|s| {
        s.certificate
            .as_ref()
            .is_some_and(|c| c.to_der() == sign.to_der())
    }) {
        return Err(signature_invalid(
            "the CMS is not signed with the SIGN certificate",
        ));
    }
    let content = verified
        .content
        .ok_or_else(|| signature_invalid("the CMS must be attached"))?;
    let signed: Value = serde_json::from_slice(&content)
        .map_err(|_| signature_invalid("the signed content is not JSON"))?;
    let expected =
        json!({"user_id": user_id, "sign_cert_sha256": sign_hash, "auth_cert_sha256": auth_hash});
    if signed != expected {
        return Err(signature_invalid(
            "the signed content does not name these certificates",
        ));
    }

    let conn = inner.db.lock();
    let active: Option<(String, String)> = conn
        .query_row(
            "SELECT sign_sha256, auth_sha256 FROM registrations WHERE user_id = ?1 AND active = 1",
            [user_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match active {
        Some((s, a)) if s == sign_hash && a == auth_hash => {}
        Some((s, a)) => {
            // The old pair gives way only when the CA has revoked it.
            let revoked = |h: &str| -> Result<bool, ApiError> {
                Ok(transactions::by_sha256(&conn, h)?.is_none_or(|r| r.revoked))
            };
            if !(revoked(&s)? || revoked(&a)?) {
                return Err(ApiError::new(
                    409,
                    "already_registered",
                    format!("{user_id} has an active certificate pair"),
                    "У пользователя уже есть действующая пара сертификатов",
                ));
            }
            conn.execute(
                "UPDATE registrations SET active = 0 WHERE user_id = ?1",
                [user_id],
            )?;
            insert(&conn, user_id, &sign_hash, &auth_hash)?;
        }
        None => insert(&conn, user_id, &sign_hash, &auth_hash)?,
    }
    Ok(Response::json(200, &json!({"status": "registered"})))
}

fn insert(
    conn: &rusqlite::Connection,
    user_id: &str,
    sign: &str,
    auth: &str,
) -> Result<(), ApiError> {
    conn.execute(
        "INSERT INTO registrations (user_id, sign_sha256, auth_sha256, registered_at) VALUES (?1, ?2, ?3, ?4)",
        params![user_id, sign, auth, util::unix(util::now())],
    )?;
    Ok(())
}

/// The active registration of a user: (SIGN sha256, AUTH sha256).
pub(crate) fn active(
    conn: &rusqlite::Connection,
    user_id: &str,
) -> Result<Option<(String, String)>, ApiError> {
    Ok(conn
        .query_row(
            "SELECT sign_sha256, auth_sha256 FROM registrations WHERE user_id = ?1 AND active = 1",
            [user_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}
