//! Which handler answers which path.

use super::request::Request;
use super::response::Response;
use crate::bank::Inner;
use crate::faults::FaultSpec;
use crate::ib;

const INDEX: &str = "tamga sandbox bank\n\n\
POST /cmp                        CMP (application/pkixcmp)\n\
GET  /ca/cert                    the CA certificate (DER)\n\
GET  /ca/crl                     the CRL (DER)\n\
POST /ib/v1/registrations        register SIGN/AUTH certificates\n\
POST /ib/v1/login/challenge      a login challenge\n\
POST /ib/v1/login                a session for a signed challenge\n\
POST /ib/v1/payments             a signed payment order\n\
GET  /ib/v1/payments/{id}        a payment\n";

/// Answers one request.
pub fn route(inner: &Inner, req: &Request, test_endpoints: bool) -> Response {
    let method = req.method.as_str();
    let path = req.path.as_str();
    match (method, path) {
        ("GET", "/") => Response::new(200, "text/plain; charset=utf-8", INDEX.as_bytes().to_vec()),
        ("POST", p) if p == "/cmp" || p.starts_with("/cmp/") || p == "/pkix/" => cmp(inner, req),
        ("GET", "/ca/cert") => Response::new(
            200,
            "application/pkix-cert",
            inner.ca.certificate().to_der().to_vec(),
        ),
        ("GET", "/ca/crl") => {
            let conn = inner.db.lock();
            match crate::ca::crl::current(&inner.ca, &conn) {
                Ok(der) => Response::new(200, "application/pkix-crl", der),
                Err(e) => {
                    log::error!("CRL: {e}");
                    internal()
                }
            }
        }
        (_, p) if p.starts_with("/ib/v1/") => ib::route(inner, req),
        (_, p) if p.starts_with("/_test/") && test_endpoints => test(inner, req),
        _ => Response::error(404, "not_found", "no such endpoint", "Нет такого адреса"),
    }
}

fn internal() -> Response {
    Response::error(500, "internal", "internal error", "Внутренняя ошибка")
}

fn cmp(inner: &Inner, req: &Request) -> Response {
    let ct = req.header("content-type").unwrap_or("");
    if !ct.eq_ignore_ascii_case("application/pkixcmp") {
        return Response::error(
            415,
            "unsupported_media_type",
            "CMP wants Content-Type: application/pkixcmp",
            "Нужен Content-Type: application/pkixcmp",
        );
    }
    match crate::ca::cmp_server::handle(inner, &req.body) {
        Some(der) => Response::new(200, "application/pkixcmp", der),
        None => Response::error(
            400,
            "bad_cmp",
            "not a CMP PKIMessage",
            "Это не сообщение CMP",
        ),
    }
}

fn test(inner: &Inner, req: &Request) -> Response {
    match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/_test/faults") => {
            let text = if req.body.is_empty() {
                req.query.clone()
            } else {
                String::from_utf8_lossy(&req.body).into_owned()
            };
            match FaultSpec::parse(&text) {
                Ok(spec) => {
                    inner.faults.set(spec);
                    Response::json(200, &serde_json::json!({"status": "ok"}))
                }
                Err(e) => Response::error(400, "bad_faults", &e, "Неверные переключатели"),
            }
        }
        ("GET", "/_test/state") => match crate::bank::state_of(inner) {
            Ok(s) => Response::json(200, &serde_json::to_value(s).unwrap_or_default()),
            Err(e) => {
                log::error!("state: {e}");
                internal()
            }
        },
        _ => Response::error(404, "not_found", "no such endpoint", "Нет такого адреса"),
    }
}
