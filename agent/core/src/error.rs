//! What can go wrong in the agent, with stable codes, a class the command line turns into an exit
//! status, and messages in Russian, English and (partly) Kazakh. No variant carries a PIN.

use core::fmt;
use std::path::PathBuf;

use serde_json::{json, Value};
use tamga_token::{Role, TokenError};

use crate::profile::ProfileError;
use crate::Lang;

/// What kind of failure, for exit statuses and for callers that branch (the browser bridge).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// A secret was presented and is wrong; tries remain.
    Rejected,
    /// Bad usage, profile, file or configuration: fix the call, not the token.
    Usage,
    /// A PIN is blocked.
    Blocked,
    /// A new PIN breaks the password rules (or the token refused it).
    Policy,
    /// The user declined, cancelled, or did not confirm spending the last try; nothing was sent.
    Cancelled,
    /// The token is missing, was removed, or failed.
    Token,
    /// The bank (CA or Internet-Banking) or the network failed or refused; an enrollment
    /// resumes where it stopped when run again.
    Remote,
}

/// An error a workflow plugin defines (the core does not know every plugin's rules).
pub trait PluginError: fmt::Debug + Send + Sync {
    /// A stable machine-readable code, `<plugin>.<what>`.
    fn code(&self) -> &'static str;
    /// How the caller should treat it.
    fn class(&self) -> ErrorClass;
    /// The message for the user.
    fn message(&self, lang: Lang) -> String;
    /// Structured details for `--json` (never secrets).
    fn details(&self) -> Value {
        Value::Null
    }
}

/// Why a secret could not be read.
#[derive(Debug)]
pub enum SecretError {
    /// No terminal, no pinentry program, no file option: nowhere to ask.
    NoSource,
    /// The secret file could not be read.
    File {
        /// The file named on the command line.
        path: PathBuf,
        /// The OS's reason.
        error: std::io::Error,
    },
    /// The secret (file or answer) is empty.
    Empty,
    /// The terminal prompt failed.
    Terminal(std::io::Error),
    /// The pinentry program failed or broke the Assuan protocol; the text never holds the PIN.
    Pinentry(String),
    /// Nobody answered the dialog within the profile's `prompt_timeout_s`; it was closed.
    TimedOut {
        /// The limit, in seconds.
        seconds: u64,
    },
}

/// An agent failure.
#[derive(Debug)]
#[non_exhaustive]
pub enum CoreError {
    /// The token refused or failed.
    Token(TokenError),
    /// The profile cannot be found, read or parsed.
    Profile(ProfileError),
    /// The profile names a driver this build leaves out.
    DriverUnavailable(String),
    /// The registry has no workflow of this name (left out of this build).
    WorkflowUnavailable(String),
    /// The workflow has no such action.
    UnknownAction {
        /// The workflow.
        workflow: &'static str,
        /// What was asked.
        action: String,
    },
    /// No token with this id is connected.
    TokenNotFound(String),
    /// A driver could not be set up (a state file, the USB bus); the text never holds secrets.
    Driver {
        /// The driver's name.
        driver: &'static str,
        /// What failed.
        reason: String,
    },
    /// A secret could not be read.
    Secret(SecretError),
    /// The user cancelled (pinentry Cancel, or "no" to the last-try question).
    Cancelled,
    /// A workflow plugin's own error.
    Plugin(Box<dyn PluginError>),
}

impl From<TokenError> for CoreError {
    fn from(e: TokenError) -> Self {
        CoreError::Token(e)
    }
}

impl From<ProfileError> for CoreError {
    fn from(e: ProfileError) -> Self {
        CoreError::Profile(e)
    }
}

impl From<SecretError> for CoreError {
    fn from(e: SecretError) -> Self {
        CoreError::Secret(e)
    }
}

impl CoreError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Token(e) => e.code(),
            CoreError::Profile(e) => e.code(),
            CoreError::DriverUnavailable(_) => "driver.unavailable",
            CoreError::WorkflowUnavailable(_) => "workflow.unavailable",
            CoreError::UnknownAction { .. } => "workflow.unknown_action",
            CoreError::TokenNotFound(_) => "token.not_found",
            CoreError::Driver { .. } => "driver.failed",
            CoreError::Secret(SecretError::NoSource) => "secret.no_source",
            CoreError::Secret(SecretError::File { .. }) => "secret.file",
            CoreError::Secret(SecretError::Empty) => "secret.empty",
            CoreError::Secret(SecretError::Terminal(_)) => "secret.terminal",
            CoreError::Secret(SecretError::Pinentry(_)) => "secret.pinentry",
            CoreError::Secret(SecretError::TimedOut { .. }) => "secret.timeout",
            CoreError::Cancelled => "cancelled",
            CoreError::Plugin(e) => e.code(),
        }
    }

    /// How to treat it.
    pub fn class(&self) -> ErrorClass {
        match self {
            CoreError::Token(e) => token_class(e),
            // Nothing was sent: like a declined dialog, not a mistake in the call.
            CoreError::Secret(SecretError::TimedOut { .. }) => ErrorClass::Cancelled,
            CoreError::Profile(_)
            | CoreError::DriverUnavailable(_)
            | CoreError::WorkflowUnavailable(_)
            | CoreError::UnknownAction { .. }
            | CoreError::Secret(_) => ErrorClass::Usage,
            CoreError::TokenNotFound(_) | CoreError::Driver { .. } => ErrorClass::Token,
            CoreError::Cancelled => ErrorClass::Cancelled,
            CoreError::Plugin(e) => e.class(),
        }
    }

    /// Structured details for `--json`.
    pub fn details(&self) -> Value {
        match self {
            CoreError::Token(TokenError::WrongPin { role, remaining }) => {
                json!({ "role": role.name(), "remaining": remaining })
            }
            CoreError::Token(TokenError::PinBlocked(role) | TokenError::LastAttempt(role)) => {
                json!({ "role": role.name() })
            }
            CoreError::Profile(e) => e.details(),
            CoreError::Plugin(e) => e.details(),
            _ => Value::Null,
        }
    }

    /// The message for the user.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            CoreError::Token(e) => token_message(e, lang),
            CoreError::Profile(e) => e.message(lang),
            CoreError::DriverUnavailable(name) => lang.pick(
                format!("Драйвер «{name}» из профиля не входит в эту сборку tamga."),
                format!("the profile's driver `{name}` is not part of this tamga build"),
                None,
            ),
            CoreError::WorkflowUnavailable(name) => lang.pick(
                format!("Сценарий «{name}» не входит в эту сборку tamga."),
                format!("the workflow `{name}` is not part of this tamga build"),
                None,
            ),
            CoreError::UnknownAction { workflow, action } => lang.pick(
                format!("Сценарий «{workflow}» не умеет «{action}»."),
                format!("the workflow `{workflow}` has no action `{action}`"),
                None,
            ),
            CoreError::TokenNotFound(id) => lang.pick(
                format!("Токен «{id}» не найден. Список: tamga token list."),
                format!("no token `{id}` is connected (see `tamga token list`)"),
                None,
            ),
            CoreError::Driver { driver, reason } => lang.pick(
                format!("Драйвер «{driver}»: {reason}"),
                format!("driver `{driver}`: {reason}"),
                None,
            ),
            CoreError::Secret(e) => secret_message(e, lang),
            CoreError::Cancelled => lang
                .pick(
                    "Отменено пользователем: на токен ничего не отправлено.",
                    "cancelled: nothing was sent to the token",
                    Some("Пайдаланушы бас тартты: токенге ештеңе жіберілмеді."),
                )
                .to_owned(),
            CoreError::Plugin(e) => e.message(lang),
        }
    }
}

impl fmt::Display for CoreError {
    /// English, for logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for CoreError {}

fn token_class(e: &TokenError) -> ErrorClass {
    match e {
        TokenError::WrongPin { .. } => ErrorClass::Rejected,
        TokenError::PinBlocked(_) => ErrorClass::Blocked,
        TokenError::LastAttempt(_) => ErrorClass::Cancelled,
        TokenError::PinRejected => ErrorClass::Policy,
        TokenError::InvalidArgument(_) => ErrorClass::Usage,
        _ => ErrorClass::Token,
    }
}

fn role_kk(role: Role) -> &'static str {
    match role {
        Role::User => "пайдаланушы паролі",
        Role::Admin => "әкімші паролі",
    }
}

fn token_message(e: &TokenError, lang: Lang) -> String {
    let kk = match e {
        TokenError::NoToken => {
            Some("Токен қосылмаған. KAZTOKEN-ді USB портына салыңыз.".to_owned())
        }
        TokenError::WrongPin { role, remaining } => Some(format!(
            "Қате {}. Қалған әрекеттер саны: {remaining}.",
            role_kk(*role)
        )),
        TokenError::PinBlocked(Role::User) => Some(
            "Пайдаланушы паролі бұғатталған. Оны әкімші паролімен бұғаттан шығарыңыз.".to_owned(),
        ),
        TokenError::PinBlocked(Role::Admin) => {
            Some("Әкімші паролі бұғатталған. Токенді тек ауыстыруға болады.".to_owned())
        }
        _ => None,
    };
    lang.pick(e.message_ru(), e.to_string(), kk)
}

fn secret_message(e: &SecretError, lang: Lang) -> String {
    match e {
        SecretError::NoSource => lang
            .pick(
                "Негде спросить пароль: нет терминала и программы pinentry. Укажите --pin-file, --new-pin-file или --admin-pin-file.",
                "no way to ask for the PIN: no terminal and no pinentry program; use --pin-file, --new-pin-file or --admin-pin-file",
                None,
            )
            .to_owned(),
        SecretError::File { path, error } => lang.pick(
            format!("Не удалось прочитать файл с паролем {}: {error}", path.display()),
            format!("cannot read the PIN file {}: {error}", path.display()),
            None,
        ),
        SecretError::Empty => lang
            .pick("Пароль пуст.", "the PIN is empty", Some("Пароль бос."))
            .to_owned(),
        SecretError::Terminal(error) => lang.pick(
            format!("Не удалось спросить пароль в терминале: {error}"),
            format!("cannot ask for the PIN on the terminal: {error}"),
            None,
        ),
        SecretError::Pinentry(what) => lang.pick(
            format!("Ошибка pinentry: {what}"),
            format!("pinentry failed: {what}"),
            None,
        ),
        SecretError::TimedOut { seconds } => lang.pick(
            format!("Нет ответа в окне tamga за {seconds} с: окно закрыто, запрос отменён. Повторите его."),
            format!("no answer in tamga's dialog within {seconds} s: the dialog was closed and the request refused; try again"),
            None,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_errors_keep_their_codes_and_get_a_class() {
        let e = CoreError::from(TokenError::WrongPin {
            role: Role::User,
            remaining: 2,
        });
        assert_eq!(e.code(), "pin.wrong");
        assert_eq!(e.class(), ErrorClass::Rejected);
        assert_eq!(e.details(), json!({"role": "user", "remaining": 2}));
        assert!(e.message(Lang::Ru).contains("Осталось попыток: 2"));
        assert!(e.message(Lang::En).contains("2 tries left"));
        assert!(e.message(Lang::Kk).contains("Қалған әрекеттер саны: 2"));
        assert_eq!(
            CoreError::from(TokenError::PinBlocked(Role::User)).class(),
            ErrorClass::Blocked
        );
        assert_eq!(
            CoreError::from(TokenError::NoToken).class(),
            ErrorClass::Token
        );
    }

    #[test]
    fn untranslated_kazakh_falls_back_to_russian() {
        let e = CoreError::TokenNotFound("x".into());
        assert_eq!(e.message(Lang::Kk), e.message(Lang::Ru));
    }
}
