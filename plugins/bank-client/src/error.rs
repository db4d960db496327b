//! Failures of the bank's side, as agent errors: class `Remote` (run again to resume) unless the
//! bank refused on purpose.

use serde_json::{json, Value};
use tamga_core::{CoreError, ErrorClass, Lang, PluginError};

/// The network or the bank failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetError {
    /// The profile's endpoint cannot be used (URL, pin, roots).
    Config(String),
    /// No connection (refused, unreachable, DNS).
    Connect(String),
    /// The TLS handshake failed; a wrong pinned certificate lands here.
    Tls(String),
    /// No answer in time.
    Timeout,
    /// The connection closed before the whole answer arrived.
    Dropped,
    /// The answer is not HTTP as expected, or too large.
    Malformed(String),
    /// The server answered an HTTP error without the API's error body.
    Status(u16),
    /// The bank's API refused: its code and messages.
    Api {
        /// HTTP status.
        status: u16,
        /// The API's stable code (`signature_invalid`, `already_registered`, …).
        code: String,
        /// Its English message.
        message: String,
        /// Its Russian message.
        message_ru: String,
    },
}

impl NetError {
    /// Whether running again later may succeed (the network, a 5xx) rather than never (a
    /// refusal).
    pub fn is_transient(&self) -> bool {
        match self {
            NetError::Connect(_) | NetError::Timeout | NetError::Dropped => true,
            NetError::Status(s) | NetError::Api { status: s, .. } => *s >= 500,
            _ => false,
        }
    }
}

impl PluginError for NetError {
    fn code(&self) -> &'static str {
        match self {
            NetError::Config(_) => "net.config",
            NetError::Connect(_) => "net.connect",
            NetError::Tls(_) => "net.tls",
            NetError::Timeout => "net.timeout",
            NetError::Dropped => "net.dropped",
            NetError::Malformed(_) => "net.malformed",
            NetError::Status(_) => "net.status",
            NetError::Api { .. } => "bank.refused",
        }
    }

    fn class(&self) -> ErrorClass {
        match self {
            NetError::Config(_) => ErrorClass::Usage,
            _ => ErrorClass::Remote,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            NetError::Config(m) => lang.pick(
                format!("Адрес банка в профиле не годится: {m}"),
                format!("the bank endpoint in the profile is unusable: {m}"),
                None,
            ),
            NetError::Connect(m) => lang.pick(
                format!("Нет связи с банком ({m}). Проверьте подключение к интернету и повторите."),
                format!("cannot reach the bank ({m}); check the network and run again"),
                None,
            ),
            NetError::Tls(m) => lang.pick(
                format!("Защищённое соединение с банком не установлено: {m}"),
                format!("the secure connection to the bank failed: {m}"),
                None,
            ),
            NetError::Timeout => lang
                .pick(
                    "Банк не ответил вовремя. Повторите позже.",
                    "the bank did not answer in time; run again later",
                    None,
                )
                .to_owned(),
            NetError::Dropped => lang
                .pick(
                    "Связь с банком прервалась. Повторите: работа продолжится с того же места.",
                    "the connection to the bank dropped; run again to continue where it stopped",
                    None,
                )
                .to_owned(),
            NetError::Malformed(m) => lang.pick(
                format!("Непонятный ответ банка: {m}"),
                format!("unexpected answer from the bank: {m}"),
                None,
            ),
            NetError::Status(s) => lang.pick(
                format!("Банк ответил ошибкой HTTP {s}. Повторите позже."),
                format!("the bank answered HTTP {s}; run again later"),
                None,
            ),
            NetError::Api {
                message,
                message_ru,
                ..
            } => lang.pick(
                message_ru.clone(),
                message.clone(),
                Some(message_ru.clone()),
            ),
        }
    }

    fn details(&self) -> Value {
        match self {
            NetError::Api { status, code, .. } => json!({ "status": status, "bank_code": code }),
            NetError::Status(status) => json!({ "status": status }),
            _ => Value::Null,
        }
    }
}

impl From<NetError> for CoreError {
    fn from(e: NetError) -> Self {
        CoreError::Plugin(Box::new(e))
    }
}
