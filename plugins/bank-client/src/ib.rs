//! The Internet-Banking JSON API (`tools/sandbox-bank/PROTOCOL.md`, "IB"): registration, login
//! challenge and response, payments. Bodies are built and read with serde; binary values travel
//! as base64.

use base64ct::{Base64, Encoding};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::http::{Http, Response};
use crate::NetError;

/// The IB client over the profile's bank endpoint (`…/ib`; the API is under `/v1`).
#[derive(Clone, Debug)]
pub struct Ib {
    http: Http,
}

/// `POST /v1/registrations`.
#[derive(Clone, Debug, Serialize)]
pub struct Registration<'a> {
    /// The user ID.
    pub user_id: &'a str,
    /// The SIGN certificate, base64 DER.
    pub sign_cert: String,
    /// The AUTH certificate, base64 DER.
    pub auth_cert: String,
    /// The attached CMS by the SIGN key over [`registration_statement`], base64 DER.
    pub cms: String,
}

/// What the registration's CMS signs: the UTF-8 JSON of the user ID and both certificates'
/// SHA-256, keys in this order.
pub fn registration_statement(user_id: &str, sign_cert: &[u8], auth_cert: &[u8]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    #[derive(Serialize)]
    struct Statement<'a> {
        user_id: &'a str,
        sign_cert_sha256: String,
        auth_cert_sha256: String,
    }
    serde_json::to_vec(&Statement {
        user_id,
        sign_cert_sha256: hex::encode(Sha256::digest(sign_cert)),
        auth_cert_sha256: hex::encode(Sha256::digest(auth_cert)),
    })
    .unwrap_or_default()
}

/// A login challenge.
#[derive(Clone, Debug, Deserialize)]
pub struct Challenge {
    /// Its ID.
    pub challenge_id: String,
    /// The nonce to sign, base64 (decoded by [`Challenge::nonce_bytes`]).
    pub nonce: String,
    /// When it expires (RFC 3339).
    #[serde(default)]
    pub expires_at: String,
}

impl Challenge {
    /// The nonce bytes (32 by the protocol; at most 1 KiB accepted).
    pub fn nonce_bytes(&self) -> Result<Vec<u8>, NetError> {
        if self.nonce.len() > 1400 {
            return Err(NetError::Malformed("login nonce too long".into()));
        }
        Base64::decode_vec(&self.nonce)
            .map_err(|_| NetError::Malformed("login nonce is not base64".into()))
    }
}

/// An IB session. Its token is a secret: `Debug` hides it.
#[derive(Clone, Deserialize)]
pub struct Session {
    /// The bearer token.
    pub session: String,
    /// When it expires (RFC 3339).
    #[serde(default)]
    pub expires_at: String,
}

impl core::fmt::Debug for Session {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Session")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// The answer to a submitted payment.
#[derive(Clone, Debug, Deserialize)]
pub struct Accepted {
    /// The bank's payment ID.
    pub payment_id: String,
    /// `accepted`.
    pub status: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorFields,
}

#[derive(Deserialize)]
struct ErrorFields {
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    message_ru: String,
}

fn b64(bytes: &[u8]) -> String {
    Base64::encode_string(bytes)
}

/// A 2xx answer's JSON, or the API's error.
fn json_of<T: for<'de> Deserialize<'de>>(r: Response) -> Result<T, NetError> {
    if !(200..300).contains(&r.status) {
        return Err(api_error(&r));
    }
    serde_json::from_slice(&r.body).map_err(|e| NetError::Malformed(format!("IB answer: {e}")))
}

fn api_error(r: &Response) -> NetError {
    match serde_json::from_slice::<ErrorBody>(&r.body) {
        Ok(b) => NetError::Api {
            status: r.status,
            code: b.error.code,
            message: b.error.message,
            message_ru: b.error.message_ru,
        },
        Err(_) => NetError::Status(r.status),
    }
}

impl Ib {
    /// A client over `http` (the profile's bank endpoint).
    pub fn new(http: Http) -> Self {
        Ib { http }
    }

    fn post_json<T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        body: &impl Serialize,
        bearer: Option<&str>,
    ) -> Result<T, NetError> {
        let body =
            serde_json::to_vec(body).map_err(|e| NetError::Malformed(format!("request: {e}")))?;
        json_of(self.http.post(path, "application/json", &body, bearer)?)
    }

    /// Registers the certificate pair; a repeat of the same pair is success too.
    pub fn register(&self, registration: &Registration<'_>) -> Result<(), NetError> {
        let _: Value = self.post_json("/v1/registrations", registration, None)?;
        Ok(())
    }

    /// Asks for a login challenge.
    pub fn challenge(&self, user_id: &str) -> Result<Challenge, NetError> {
        self.post_json(
            "/v1/login/challenge",
            &serde_json::json!({ "user_id": user_id }),
            None,
        )
    }

    /// Answers a challenge with the CMS over its nonce.
    pub fn login(&self, challenge_id: &str, cms: &[u8]) -> Result<Session, NetError> {
        self.post_json(
            "/v1/login",
            &serde_json::json!({ "challenge_id": challenge_id, "cms": b64(cms) }),
            None,
        )
    }

    /// Submits a signed payment order.
    pub fn submit_payment(
        &self,
        session: &Session,
        order_bytes: &[u8],
        cms: &[u8],
    ) -> Result<Accepted, NetError> {
        self.post_json(
            "/v1/payments",
            &serde_json::json!({ "order_bytes": b64(order_bytes), "cms": b64(cms) }),
            Some(&session.session),
        )
    }

    /// A payment's state as IB sees it.
    pub fn payment(&self, session: &Session, payment_id: &str) -> Result<Value, NetError> {
        if !payment_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(NetError::Malformed("payment ID".into()));
        }
        json_of(self.http.get(
            &format!("/v1/payments/{payment_id}"),
            Some(&session.session),
        )?)
    }
}

/// Base64 of DER, as the API sends binary values.
pub fn base64(bytes: &[u8]) -> String {
    b64(bytes)
}
