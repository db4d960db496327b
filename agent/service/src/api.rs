//! The service's JSON API, version 1 (docs/service-api.md): one JSON object per line on a unix
//! socket. Clients send requests and answers; the service sends replies, events and asks (a
//! workflow's question, which the client puts to the person in its own session).
//!
//! Everything read here comes from another process: unknown fields, wrong types and oversized
//! lines are errors with a code, never panics. An answer may carry a PIN, so it is parsed into
//! a zeroizing string and never through `serde_json::Value`.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde_json::{json, Value};
use zeroize::Zeroizing;

/// The API version this build speaks.
pub const VERSION: u32 = 1;

/// The longest line either side accepts (a payment order and a CMS are far smaller).
pub const MAX_LINE: usize = 1 << 20;

/// A secret string from an answer; zeroized on drop, never printed.
#[derive(Default)]
pub struct Secret(pub Zeroizing<String>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| Secret(Zeroizing::new(s)))
    }
}

/// One line from a client, before it is sorted into a request or an answer.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Incoming {
    v: Option<u32>,
    id: Option<u64>,
    method: Option<String>,
    #[serde(default)]
    params: Value,
    origin: Option<String>,
    answer: Option<u64>,
    value: Option<Secret>,
    yes: Option<bool>,
    cancel: Option<bool>,
}

/// What a client sent.
#[derive(Debug)]
pub enum ClientMessage {
    /// A request.
    Request(Request),
    /// The answer to an ask.
    Answer(Answer),
}

/// A request: `{"v":1,"id":N,"method":"…","params":{…}}`; `origin` is set by the native host
/// for a browser's request (then the browser's reduced command set applies).
#[derive(Debug)]
pub struct Request {
    /// Chosen by the client; echoed in the reply and the events of this request.
    pub id: u64,
    /// What to do.
    pub method: Method,
    /// The web origin of a browser's request (checked again by the service).
    pub origin: Option<String>,
}

/// The methods of version 1.
#[derive(Debug, PartialEq, Eq)]
pub enum Method {
    /// The version, the build's workflows, the caller as seen by the service.
    Hello,
    /// The tokens the profile's drivers see.
    Tokens,
    /// Token hot-plug events from now on, on this connection.
    Subscribe,
    /// Runs a workflow action.
    Run(RunParams),
}

/// `run`'s parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunParams {
    /// The workflow (`pin`, `login`, `sign`, `enroll`).
    pub workflow: String,
    /// Its action (`status`, …).
    pub action: String,
    /// The token to use (`tamga token list` ids) [default: the first one].
    #[serde(default)]
    pub token: Option<String>,
    /// Answers to the workflow's text fields by key (`sign.order`, `enroll.user_id`); never
    /// secrets, which are always asked.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// The language of messages and asks (`ru`, `en`, `kk`) [default: the service's].
    #[serde(default)]
    pub lang: Option<String>,
}

/// The answer to an ask: a value, a yes/no, or a cancel.
#[derive(Debug)]
pub struct Answer {
    /// The ask's number.
    pub ask: u64,
    /// What the person said.
    pub reply: AnswerKind,
}

/// What an answer holds.
#[derive(Debug)]
pub enum AnswerKind {
    /// A text or secret value.
    Value(Secret),
    /// Yes or no.
    Yes(bool),
    /// The person cancelled (or nobody could be asked).
    Cancel,
}

/// A line that is not a valid message; the code goes back to the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// `api.*`.
    pub code: &'static str,
    /// English, for logs and developers.
    pub message: String,
}

impl ApiError {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// Parses one line from a client.
pub fn parse_client(line: &[u8]) -> Result<ClientMessage, ApiError> {
    if line.len() > MAX_LINE {
        return Err(ApiError::new("api.too_large", "line too long"));
    }
    let m: Incoming =
        serde_json::from_slice(line).map_err(|e| ApiError::new("api.bad_json", e.to_string()))?;
    if let Some(ask) = m.answer {
        let reply = match (m.value, m.yes, m.cancel) {
            (Some(v), None, None | Some(false)) => AnswerKind::Value(v),
            (None, Some(y), None | Some(false)) => AnswerKind::Yes(y),
            (None, None, Some(true)) => AnswerKind::Cancel,
            _ => {
                return Err(ApiError::new(
                    "api.bad_answer",
                    "an answer holds exactly one of value, yes, cancel",
                ))
            }
        };
        return Ok(ClientMessage::Answer(Answer { ask, reply }));
    }
    match m.v {
        Some(VERSION) => {}
        Some(v) => return Err(ApiError::new("api.version", format!("version {v} unknown"))),
        None => return Err(ApiError::new("api.version", "`v` missing")),
    }
    let id =
        m.id.ok_or_else(|| ApiError::new("api.bad_request", "`id` missing"))?;
    let name = m
        .method
        .ok_or_else(|| ApiError::new("api.bad_request", "`method` missing"))?;
    let method = match name.as_str() {
        "hello" => Method::Hello,
        "tokens" => Method::Tokens,
        "subscribe" => Method::Subscribe,
        "run" => Method::Run(
            serde_json::from_value(m.params)
                .map_err(|e| ApiError::new("api.bad_params", e.to_string()))?,
        ),
        other => {
            return Err(ApiError::new(
                "api.unknown_method",
                format!("no method `{}`", truncate(other, 64)),
            ))
        }
    };
    Ok(ClientMessage::Request(Request {
        id,
        method,
        origin: m.origin,
    }))
}

/// At most `max` bytes of `s`, cut at a character boundary (for echoing outside text).
pub fn truncate(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A request as a line (clients: the native host, the tests).
pub fn request_line(id: u64, method: &str, params: Value, origin: Option<&str>) -> String {
    let mut r = json!({ "v": VERSION, "id": id, "method": method, "params": params });
    if let Some(o) = origin {
        r["origin"] = json!(o);
    }
    r.to_string()
}

/// `{"id":…,"ok":true,"result":…}`.
pub fn ok_line(id: u64, result: Value) -> String {
    json!({ "id": id, "ok": true, "result": result }).to_string()
}

/// `{"id":…,"ok":false,"error":{code, class, message, details}}`; `id` is null when the line
/// could not be parsed far enough to know it.
pub fn error_line(id: Option<u64>, error: Value) -> String {
    json!({ "id": id, "ok": false, "error": error }).to_string()
}

/// An error object.
pub fn error_object(code: &str, class: &str, message: &str, details: Value) -> Value {
    json!({ "code": code, "class": class, "message": message, "details": details })
}

/// What a service line is, for clients.
#[derive(Debug, PartialEq)]
pub enum ServiceMessage {
    /// The final reply to request `id`.
    Reply {
        /// The request.
        id: Option<u64>,
        /// The whole object (`ok`, `result` or `error`).
        body: Value,
    },
    /// A question for the person.
    Ask(Ask),
    /// A progress or token event.
    Event(Value),
}

/// A workflow's question, relayed to the client.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Ask {
    /// Its number, for the answer.
    pub ask: u64,
    /// The request it belongs to.
    pub id: u64,
    /// `secret`, `text`, `confirm`, `last_attempt`.
    pub kind: String,
    /// A stable key (`pin.current.user`, `enroll.user_id`, `sign.confirm`).
    pub key: String,
    /// The words to show, in the request's language.
    pub text: String,
    /// For `last_attempt`: the role.
    #[serde(default)]
    pub role: Option<String>,
    /// The same question asked again: why the last answer was refused (a wrong OTP PIN, a
    /// wrong token password with the tries left), for the dialog's error line. Never the answer.
    #[serde(default)]
    pub error: Option<String>,
}

/// Parses a line from the service (clients).
pub fn parse_service(line: &[u8]) -> Result<ServiceMessage, ApiError> {
    if line.len() > MAX_LINE {
        return Err(ApiError::new("api.too_large", "line too long"));
    }
    let v: Value =
        serde_json::from_slice(line).map_err(|e| ApiError::new("api.bad_json", e.to_string()))?;
    if v.get("ask").is_some() {
        return serde_json::from_value(v)
            .map(ServiceMessage::Ask)
            .map_err(|e| ApiError::new("api.bad_ask", e.to_string()));
    }
    if v.get("event").is_some() {
        return Ok(ServiceMessage::Event(v));
    }
    if v.get("ok").and_then(Value::as_bool).is_some() {
        let id = v.get("id").and_then(Value::as_u64);
        return Ok(ServiceMessage::Reply { id, body: v });
    }
    Err(ApiError::new(
        "api.bad_message",
        "neither reply, ask nor event",
    ))
}

/// An ask as a line (the service).
pub fn ask_line(ask: &Ask) -> String {
    let mut v = json!({ "ask": ask.ask, "id": ask.id, "kind": ask.kind, "key": ask.key,
                        "text": ask.text, "role": ask.role });
    if let Some(error) = &ask.error {
        v["error"] = json!(error);
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_parse_and_bad_ones_have_codes() {
        let line =
            br#"{"v":1,"id":3,"method":"run","params":{"workflow":"pin","action":"status"}}"#;
        match parse_client(line).unwrap() {
            ClientMessage::Request(r) => {
                assert_eq!(r.id, 3);
                assert_eq!(
                    r.method,
                    Method::Run(RunParams {
                        workflow: "pin".into(),
                        action: "status".into(),
                        ..RunParams::default()
                    })
                );
            }
            other => panic!("{other:?}"),
        }
        let code = |l: &[u8]| parse_client(l).unwrap_err().code;
        assert_eq!(code(b"{"), "api.bad_json");
        assert_eq!(code(br#"{"v":2,"id":1,"method":"hello"}"#), "api.version");
        assert_eq!(code(br#"{"v":1,"method":"hello"}"#), "api.bad_request");
        assert_eq!(
            code(br#"{"v":1,"id":1,"method":"format"}"#),
            "api.unknown_method"
        );
        assert_eq!(
            code(br#"{"v":1,"id":1,"method":"run","params":{}}"#),
            "api.bad_params"
        );
        assert_eq!(
            code(br#"{"v":1,"id":1,"method":"hello","x":1}"#),
            "api.bad_json"
        );
        assert_eq!(
            code(br#"{"answer":1,"value":"a","yes":true}"#),
            "api.bad_answer"
        );
    }

    #[test]
    fn answers_keep_secrets_out_of_debug() {
        let m = parse_client(br#"{"answer":4,"value":"12345678"}"#).unwrap();
        let shown = format!("{m:?}");
        assert!(!shown.contains("12345678"), "{shown}");
        assert!(matches!(
            parse_client(br#"{"answer":4,"cancel":true}"#).unwrap(),
            ClientMessage::Answer(Answer {
                ask: 4,
                reply: AnswerKind::Cancel
            })
        ));
    }

    #[test]
    fn service_lines_sort() {
        let ask = Ask {
            ask: 1,
            id: 2,
            kind: "secret".into(),
            key: "pin.current.user".into(),
            text: "PIN".into(),
            role: None,
            error: None,
        };
        assert_eq!(
            parse_service(ask_line(&ask).as_bytes()).unwrap(),
            ServiceMessage::Ask(ask.clone())
        );
        // Asked again: the reason travels with the ask.
        let again = Ask {
            error: Some("wrong user PIN: 2 tries left".into()),
            ..ask
        };
        assert_eq!(
            parse_service(ask_line(&again).as_bytes()).unwrap(),
            ServiceMessage::Ask(again)
        );
        assert!(matches!(
            parse_service(ok_line(5, json!({})).as_bytes()).unwrap(),
            ServiceMessage::Reply { id: Some(5), .. }
        ));
        assert!(parse_service(b"[]").is_err());
        assert_eq!(truncate("жж", 3), "ж");
    }
}
