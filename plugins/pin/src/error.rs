//! The pin workflow's own error: a new PIN that breaks the password rules.

use serde_json::{json, Value};
use tamga_core::{ErrorClass, Lang, PluginError};

use crate::Violation;

/// The new PIN breaks these rules (all of them are listed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordError(pub Vec<Violation>);

impl PluginError for PasswordError {
    fn code(&self) -> &'static str {
        "pin.password_rules"
    }

    fn class(&self) -> ErrorClass {
        ErrorClass::Policy
    }

    fn message(&self, lang: Lang) -> String {
        let head = lang.pick(
            "Новый пароль не соответствует правилам банка, на токен ничего не отправлено. Требуется:",
            "the new PIN breaks the password rules; nothing was sent to the token. It needs:",
            Some("Жаңа пароль банк ережелеріне сәйкес емес, токенге ештеңе жіберілмеді. Талаптар:"),
        );
        self.0.iter().fold(head.to_owned(), |mut text, v| {
            text.push_str("\n  - ");
            text.push_str(&v.text(lang));
            text
        })
    }

    fn details(&self) -> Value {
        json!({ "violations": self.0.iter().map(|v| v.code()).collect::<Vec<_>>() })
    }
}
