//! Payments: an order (the exact JSON bytes signed) with a CMS by the session user's
//! registered SIGN key, attached or detached.

use rusqlite::{params, OptionalExtension};
use serde_json::json;
use tamga_pki::cms::{verify, VerifyOptions};
use tamga_pki::Certificate;

use super::login::session_user;
use super::registrations::active;
use super::{base64_field, json_body, ApiError};
use crate::bank::Inner;
use crate::http::request::Request;
use crate::http::response::Response;
use crate::payment_order::PaymentOrder;
use crate::util;

fn invalid(m: impl Into<String>) -> ApiError {
    ApiError::new(400, "signature_invalid", m, "Подпись неверна")
}

/// `POST /ib/v1/payments`.
pub fn submit(inner: &Inner, req: &Request) -> Result<Response, ApiError> {
    let user_id = session_user(inner, req)?;
    let body = json_body(req)?;
    let order_bytes = base64_field(&body, "order_bytes")?;
    let cms = base64_field(&body, "cms")?;
    let order = PaymentOrder::parse(&order_bytes).map_err(|e| {
        ApiError::new(
            400,
            "order_invalid",
            e.to_string(),
            "Платёжное поручение заполнено неверно",
        )
    })?;
    let verified = match verify(&cms, Some(&order_bytes), &VerifyOptions::default()) {
        Ok(v) => v,
        // Attached content that differs from order_bytes is refused here, as a bad signature.
        Err(e) => return Err(invalid(format!("the CMS does not verify: {e}"))),
    };
    verified
        .require_all_valid()
        .map_err(|e| invalid(format!("the CMS does not verify: {e}")))?;
    if verified.content.as_ref().is_some_and(|c| c != &order_bytes) {
        return Err(invalid("the signed content differs from order_bytes"));
    }
    let conn = inner.db.lock();
    let (sign_hash, _) =
        active(&conn, &user_id)?.ok_or_else(|| invalid("no registered SIGN certificate"))?;
    let signer: Option<&Certificate> = verified
        .signers
        .first()
        .and_then(|s| s.certificate.as_ref());
    let Some(signer) = signer.filter(|c| util::sha256_hex(c.to_der()) == sign_hash) else {
        return Err(invalid(
            "not signed with the registered SIGN certificate of the session user",
        ));
    };
    let id = hex::encode(util::random(12));
    conn.execute(
        "INSERT INTO payments (payment_id, user_id, order_bytes, cms, signed_by, status, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'accepted', ?6)",
        params![id, user_id, order_bytes, cms, signer.subject(), util::unix(util::now())],
    )?;
    log::info!(
        "payment {id} accepted: {} {} to {}",
        order.amount,
        order.currency,
        order.recipient.iik
    );
    Ok(Response::json(
        201,
        &json!({"payment_id": id, "status": "accepted"}),
    ))
}

/// `GET /ib/v1/payments/{id}`.
pub fn get(inner: &Inner, req: &Request, id: &str) -> Result<Response, ApiError> {
    let user_id = session_user(inner, req)?;
    let conn = inner.db.lock();
    let row: Option<(Vec<u8>, String, String)> = conn
        .query_row(
            "SELECT order_bytes, status, signed_by FROM payments WHERE payment_id = ?1 AND user_id = ?2",
            params![id, user_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (order, status, signed_by) =
        row.ok_or_else(|| ApiError::new(404, "not_found", "no such payment", "Платёж не найден"))?;
    let order: serde_json::Value = serde_json::from_slice(&order).map_err(ApiError::internal)?;
    Ok(Response::json(
        200,
        &json!({"payment_id": id, "status": status, "order": order, "signed_by": signed_by}),
    ))
}
