//! Login: a 32-byte challenge (2 minutes, single use), answered with an attached CMS over it
//! signed by the registered AUTH key; the answer is a session token (1 hour).

use std::time::Duration;

use rusqlite::{params, OptionalExtension};
use serde_json::json;
use tamga_pki::cms::{verify, VerifyOptions};

use super::registrations::active;
use super::{b64, base64_field, field, json_body, ApiError};
use crate::bank::Inner;
use crate::http::request::Request;
use crate::http::response::Response;
use crate::util;

const CHALLENGE_TTL: Duration = Duration::from_secs(120);
const SESSION_TTL: Duration = Duration::from_secs(3600);

/// `POST /ib/v1/login/challenge`.
pub fn challenge(inner: &Inner, req: &Request) -> Result<Response, ApiError> {
    let body = json_body(req)?;
    let user_id = field(&body, "user_id")?;
    let conn = inner.db.lock();
    if active(&conn, user_id)?.is_none() {
        return Err(ApiError::new(
            404,
            "not_registered",
            format!("{user_id} has no registered certificates"),
            "Пользователь не зарегистрирован",
        ));
    }
    let id = hex::encode(util::random(16));
    let nonce = util::random(32);
    let expires = util::now() + CHALLENGE_TTL;
    conn.execute(
        "INSERT INTO challenges (challenge_id, user_id, nonce, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, user_id, nonce, util::unix(expires)],
    )?;
    Ok(Response::json(
        200,
        &json!({"challenge_id": id, "nonce": b64(&nonce), "expires_at": util::rfc3339(expires)}),
    ))
}

fn refused(m: &str) -> ApiError {
    ApiError::new(401, "login_refused", m.to_string(), "Вход не выполнен")
}

/// `POST /ib/v1/login`.
pub fn login(inner: &Inner, req: &Request) -> Result<Response, ApiError> {
    let body = json_body(req)?;
    let challenge_id = field(&body, "challenge_id")?;
    let cms = base64_field(&body, "cms")?;
    let conn = inner.db.lock();
    let row: Option<(String, Vec<u8>, i64, i64)> = conn
        .query_row(
            "SELECT user_id, nonce, expires_at, used FROM challenges WHERE challenge_id = ?1",
            [challenge_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let (user_id, nonce, expires_at, used) = row.ok_or_else(|| refused("unknown challenge"))?;
    // Single use: spent whatever the outcome.
    conn.execute(
        "UPDATE challenges SET used = 1 WHERE challenge_id = ?1",
        [challenge_id],
    )?;
    if used != 0 {
        return Err(refused("the challenge was used already"));
    }
    if util::unix(util::now()) > expires_at {
        return Err(refused("the challenge has expired"));
    }
    let (_, auth_hash) = active(&conn, &user_id)?.ok_or_else(|| refused("not registered"))?;
    let verified = verify(&cms, None, &VerifyOptions::default())
        .map_err(|e| refused(&format!("the CMS does not verify: {e}")))?;
    verified
        .require_all_valid()
        .map_err(|e| refused(&format!("the CMS does not verify: {e}")))?;
    if verified.content.as_deref() != Some(&nonce[..]) {
        return Err(refused("the signed content is not the challenge nonce"));
    }
    let by_auth = verified.signers.iter().all(|s| {
        s.certificate
            .as_ref()
            .is_some_and(|c| util::sha256_hex(c.to_der()) == auth_hash)
    });
    if !by_auth {
        return Err(refused("not signed with the registered AUTH certificate"));
    }
    let token = hex::encode(util::random(32));
    let expires = util::now() + SESSION_TTL;
    conn.execute(
        "INSERT INTO sessions (token_sha256, user_id, expires_at) VALUES (?1, ?2, ?3)",
        params![
            util::sha256_hex(token.as_bytes()),
            user_id,
            util::unix(expires)
        ],
    )?;
    Ok(Response::json(
        200,
        &json!({"session": token, "expires_at": util::rfc3339(expires)}),
    ))
}

/// The user of a `Authorization: Bearer <session>` header.
pub(crate) fn session_user(inner: &Inner, req: &Request) -> Result<String, ApiError> {
    let unauthorized = || {
        ApiError::new(
            401,
            "unauthorized",
            "a valid session is needed",
            "Требуется вход",
        )
    };
    let token = req
        .header("authorization")
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(unauthorized)?;
    let conn = inner.db.lock();
    let row: Option<(String, i64)> = conn
        .query_row(
            "SELECT user_id, expires_at FROM sessions WHERE token_sha256 = ?1",
            [util::sha256_hex(token.as_bytes())],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        Some((user, exp)) if exp >= util::unix(util::now()) => Ok(user),
        _ => Err(unauthorized()),
    }
}
