//! What can go wrong with a token, in words a bank customer can act on.
//!
//! Every variant has a stable code (for scripts, logs and the browser bridge) and a message in
//! English (`Display`) and Russian ([`TokenError::message_ru`]). None carries a PIN, a key or
//! APDU data.

use core::fmt;

use crate::{KeyRef, ObjectId, Role};

/// A token operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// No token is connected.
    NoToken,
    /// The token was pulled out (or the reader vanished) during the operation.
    TokenRemoved,
    /// The reader or the USB link failed; the text comes from the driver.
    Communication(String),
    /// The PIN was wrong; `remaining` tries are left.
    WrongPin {
        /// Whose PIN.
        role: Role,
        /// Tries left.
        remaining: u8,
    },
    /// The PIN is blocked (no tries left).
    PinBlocked(Role),
    /// Only one try is left and the caller did not allow spending it.
    LastAttempt(Role),
    /// The card refused the new PIN (length or format outside its rules).
    PinRejected,
    /// The operation needs a login (user or admin) that has not happened.
    NotLoggedIn,
    /// No such data object.
    ObjectNotFound(ObjectId),
    /// No key in that slot.
    KeyNotFound(KeyRef),
    /// The object or key already exists.
    AlreadyExists,
    /// The token's memory is full.
    NoSpace,
    /// The token cannot generate or use a key of this algorithm.
    UnsupportedAlgorithm,
    /// Formatting was refused: an enrollment is unfinished (resume it, or override as admin).
    EnrollmentInProgress,
    /// The enrollment journal on the token cannot be read.
    CorruptJournal,
    /// The caller passed something out of range.
    InvalidArgument(&'static str),
    /// The token (or its driver) cannot do this.
    Unsupported(&'static str),
    /// The card answered with an unexpected status word.
    Card {
        /// SW1 SW2.
        sw: u16,
    },
    /// The card's answer does not parse.
    Protocol(&'static str),
}

impl TokenError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            TokenError::NoToken => "token.absent",
            TokenError::TokenRemoved => "token.removed",
            TokenError::Communication(_) => "token.communication",
            TokenError::WrongPin { .. } => "pin.wrong",
            TokenError::PinBlocked(_) => "pin.blocked",
            TokenError::LastAttempt(_) => "pin.last_attempt",
            TokenError::PinRejected => "pin.rejected",
            TokenError::NotLoggedIn => "token.not_logged_in",
            TokenError::ObjectNotFound(_) => "token.object_not_found",
            TokenError::KeyNotFound(_) => "token.key_not_found",
            TokenError::AlreadyExists => "token.exists",
            TokenError::NoSpace => "token.full",
            TokenError::UnsupportedAlgorithm => "token.unsupported_algorithm",
            TokenError::EnrollmentInProgress => "token.enrollment_in_progress",
            TokenError::CorruptJournal => "token.journal_corrupt",
            TokenError::InvalidArgument(_) => "token.invalid_argument",
            TokenError::Unsupported(_) => "token.unsupported",
            TokenError::Card { .. } => "token.card_status",
            TokenError::Protocol(_) => "token.protocol",
        }
    }

    /// The message in Russian, the language of the bank's guide.
    pub fn message_ru(&self) -> String {
        match self {
            TokenError::NoToken => "Токен не подключён. Вставьте KAZTOKEN в USB-порт.".into(),
            TokenError::TokenRemoved => {
                "Токен был извлечён во время операции. Вставьте его и повторите.".into()
            }
            TokenError::Communication(e) => format!("Ошибка связи с токеном: {e}"),
            TokenError::WrongPin { role, remaining } => format!(
                "Неверный {}. Осталось попыток: {remaining}.",
                pin_name_ru(*role)
            ),
            TokenError::PinBlocked(Role::User) => {
                "Пароль пользователя заблокирован. Разблокируйте его паролем администратора."
                    .into()
            }
            TokenError::PinBlocked(Role::Admin) => {
                "Пароль администратора заблокирован. Токен можно только заменить.".into()
            }
            TokenError::LastAttempt(role) => format!(
                "Осталась последняя попытка ввода: {} не отправлен. Подтвердите, что пароль верный.",
                pin_name_ru(*role)
            ),
            TokenError::PinRejected => {
                "Токен не принял новый пароль: недопустимая длина или символы.".into()
            }
            TokenError::NotLoggedIn => "Сначала введите пароль токена.".into(),
            TokenError::ObjectNotFound(id) => format!("На токене нет объекта {:04X}.", id.get()),
            TokenError::KeyNotFound(k) => format!("На токене нет ключа №{}.", k.get()),
            TokenError::AlreadyExists => "Такой объект уже есть на токене.".into(),
            TokenError::NoSpace => "Память токена заполнена.".into(),
            TokenError::UnsupportedAlgorithm => "Токен не поддерживает этот алгоритм.".into(),
            TokenError::EnrollmentInProgress => {
                "Регистрация на этом токене не завершена: форматирование запрещено. Продолжите регистрацию."
                    .into()
            }
            TokenError::CorruptJournal => "Журнал регистрации на токене повреждён.".into(),
            TokenError::InvalidArgument(what) => format!("Неверный параметр: {what}."),
            TokenError::Unsupported(what) => format!("Токен этого не умеет: {what}."),
            TokenError::Card { sw } => format!("Токен вернул код ошибки {sw:04X}."),
            TokenError::Protocol(what) => format!("Непонятный ответ токена: {what}."),
        }
    }
}

fn pin_name_ru(role: Role) -> &'static str {
    match role {
        Role::User => "пароль пользователя",
        Role::Admin => "пароль администратора",
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::NoToken => f.write_str("no token connected: insert the KAZTOKEN"),
            TokenError::TokenRemoved => {
                f.write_str("the token was removed during the operation: insert it and retry")
            }
            TokenError::Communication(e) => write!(f, "token communication failed: {e}"),
            TokenError::WrongPin { role, remaining } => {
                let tries = if *remaining == 1 { "try" } else { "tries" };
                write!(f, "wrong {role} PIN: {remaining} {tries} left")
            }
            TokenError::PinBlocked(Role::User) => {
                f.write_str("the user PIN is blocked: unblock it with the admin PIN")
            }
            TokenError::PinBlocked(Role::Admin) => {
                f.write_str("the admin PIN is blocked: the token can only be replaced")
            }
            TokenError::LastAttempt(role) => write!(
                f,
                "one {role} PIN try is left: not sent without explicit confirmation"
            ),
            TokenError::PinRejected => {
                f.write_str("the token refused the new PIN (its length or characters)")
            }
            TokenError::NotLoggedIn => f.write_str("log in to the token first"),
            TokenError::ObjectNotFound(id) => write!(f, "{id} is not on the token"),
            TokenError::KeyNotFound(k) => write!(f, "{k} is not on the token"),
            TokenError::AlreadyExists => f.write_str("the object already exists on the token"),
            TokenError::NoSpace => f.write_str("the token's memory is full"),
            TokenError::UnsupportedAlgorithm => {
                f.write_str("the token does not support this algorithm")
            }
            TokenError::EnrollmentInProgress => f.write_str(
                "formatting refused: an enrollment on this token is unfinished; resume it",
            ),
            TokenError::CorruptJournal => {
                f.write_str("the enrollment journal on the token is corrupt")
            }
            TokenError::InvalidArgument(what) => write!(f, "invalid argument: {what}"),
            TokenError::Unsupported(what) => write!(f, "the token cannot do this: {what}"),
            TokenError::Card { sw } => write!(f, "the card answered status {sw:04X}"),
            TokenError::Protocol(what) => write!(f, "unexpected answer from the card: {what}"),
        }
    }
}

impl std::error::Error for TokenError {}
