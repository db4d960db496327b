//! The sign workflow's own errors.

use serde_json::{json, Value};
use tamga_core::{CoreError, ErrorClass, Lang, PluginError};

/// What stops a payment before or after signing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignError {
    /// The order file does not parse or a field is invalid.
    Order {
        /// The field (`amount`, `recipient.iik`, …).
        field: &'static str,
        /// Why.
        why: String,
    },
    /// The order file cannot be read.
    File(String),
    /// The person declined (or no `--yes` without a terminal).
    NotConfirmed {
        /// Whether anyone could be asked.
        asked: bool,
    },
    /// Signing failed (PKI).
    Pki(String),
    /// IB accepted the submission but then reports another status.
    NotAccepted(String),
}

impl PluginError for SignError {
    fn code(&self) -> &'static str {
        match self {
            SignError::Order { .. } => "sign.order_invalid",
            SignError::File(_) => "sign.order_file",
            SignError::NotConfirmed { .. } => "sign.not_confirmed",
            SignError::Pki(_) => "sign.pki",
            SignError::NotAccepted(_) => "sign.not_accepted",
        }
    }

    fn class(&self) -> ErrorClass {
        match self {
            SignError::NotConfirmed { .. } => ErrorClass::Cancelled,
            SignError::NotAccepted(_) => ErrorClass::Remote,
            _ => ErrorClass::Usage,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            SignError::Order { field, why } => lang.pick(
                format!("Платёжное поручение не подписано: поле «{field}» неверно ({why})."),
                format!("the payment order was not signed: `{field}` is invalid ({why})"),
                None,
            ),
            SignError::File(m) => lang.pick(
                format!("Не удалось прочитать платёжное поручение: {m}"),
                format!("cannot read the payment order: {m}"),
                None,
            ),
            SignError::NotConfirmed { asked: true } => lang
                .pick("Подпись отменена: ничего не подписано.", "declined: nothing was signed", None)
                .to_owned(),
            SignError::NotConfirmed { asked: false } => lang
                .pick(
                    "Некому подтвердить подпись (нет терминала): добавьте --yes, если поручение проверено.",
                    "nobody to confirm the signature (no terminal): add --yes once the order is checked",
                    None,
                )
                .to_owned(),
            SignError::Pki(m) => lang.pick(format!("Ошибка подписи: {m}"), format!("signing failed: {m}"), None),
            SignError::NotAccepted(status) => lang.pick(
                format!("Банк не принял платёж: статус «{status}»."),
                format!("the bank did not accept the payment: status `{status}`"),
                None,
            ),
        }
    }

    fn details(&self) -> Value {
        match self {
            SignError::Order { field, .. } => json!({ "field": field }),
            _ => Value::Null,
        }
    }
}

impl From<SignError> for CoreError {
    fn from(e: SignError) -> Self {
        CoreError::Plugin(Box::new(e))
    }
}
