//! The Internet-Banking JSON API under `/ib/v1` (PROTOCOL.md, openapi.yaml).

pub mod login;
pub mod payments;
pub mod registrations;

use base64ct::{Base64, Encoding};
use serde_json::Value;

use crate::bank::Inner;
use crate::http::request::Request;
use crate::http::response::Response;

/// An IB failure: HTTP status, stable code, English and Russian text.
#[derive(Debug)]
pub struct ApiError {
    status: u16,
    code: &'static str,
    message: String,
    message_ru: &'static str,
}

impl ApiError {
    pub(crate) fn new(
        status: u16,
        code: &'static str,
        message: impl Into<String>,
        message_ru: &'static str,
    ) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            message_ru,
        }
    }

    pub(crate) fn bad(message: impl Into<String>) -> Self {
        ApiError::new(400, "bad_request", message, "Неверный запрос")
    }

    pub(crate) fn internal(e: impl core::fmt::Display) -> Self {
        log::error!("IB: {e}");
        ApiError::new(500, "internal", "internal error", "Внутренняя ошибка")
    }

    fn response(&self) -> Response {
        Response::error(self.status, self.code, &self.message, self.message_ru)
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::internal(e)
    }
}

impl From<crate::error::BankError> for ApiError {
    fn from(e: crate::error::BankError) -> Self {
        ApiError::internal(e)
    }
}

pub(crate) fn json_body(req: &Request) -> Result<Value, ApiError> {
    serde_json::from_slice(&req.body)
        .map_err(|e| ApiError::bad(format!("the body is not JSON: {e}")))
}

pub(crate) fn field<'a>(v: &'a Value, name: &'static str) -> Result<&'a str, ApiError> {
    v.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::bad(format!("`{name}` (a string) is missing")))
}

pub(crate) fn base64_field(v: &Value, name: &'static str) -> Result<Vec<u8>, ApiError> {
    Base64::decode_vec(field(v, name)?.trim())
        .map_err(|_| ApiError::bad(format!("`{name}` is not base64")))
}

pub(crate) fn b64(bytes: &[u8]) -> String {
    Base64::encode_string(bytes)
}

/// Answers `/ib/v1/*`.
pub fn route(inner: &Inner, req: &Request) -> Response {
    let rest = &req.path["/ib/v1".len()..];
    let result = match (req.method.as_str(), rest) {
        ("POST", "/registrations") => registrations::register(inner, req),
        ("POST", "/login/challenge") => login::challenge(inner, req),
        ("POST", "/login") => login::login(inner, req),
        ("POST", "/payments") => payments::submit(inner, req),
        ("GET", p) if p.starts_with("/payments/") => {
            payments::get(inner, req, &p["/payments/".len()..])
        }
        _ => Err(ApiError::new(
            404,
            "not_found",
            "no such endpoint",
            "Нет такого адреса",
        )),
    };
    match result {
        Ok(r) => r,
        Err(e) => e.response(),
    }
}
