//! The enroll workflow's own errors, worded after the bank's guide (§3.16) where it has words.

use serde_json::{json, Value};
use tamga_core::{CoreError, ErrorClass, Lang, PluginError};

/// The guide's checklist after «Неверный пароль или ключевой контейнер» (§3.16, Рис. 21).
pub fn wrong_container_checklist(lang: Lang) -> &'static str {
    lang.pick(
        "Неверный пароль или ключевой контейнер. Проверьте:\n\
         \x20 - ID пользователя: например, вместо aq набрано ag;\n\
         \x20 - ПИН с OTP-карты: 11 символов, заглавными буквами;\n\
         \x20 - в ПИНе цифра 1 может быть английской буквой I (ай) и наоборот, буква O — цифрой 0\n\
         \x20   (tamga уже попробовала эти замены);\n\
         \x20 - ключ первичной инициализации (GOST.pfx, Key.pfx): возможно, он от другой организации\n\
         \x20   или другого пользователя.",
        "Wrong password or key container. Check:\n\
         \x20 - the user ID: e.g. ag typed instead of aq;\n\
         \x20 - the PIN from the OTP card: 11 characters, upper case;\n\
         \x20 - a digit 1 in the PIN may be the letter I and the other way round, the letter O a\n\
         \x20   digit 0 (tamga has already tried these swaps);\n\
         \x20 - the initialization key file (GOST.pfx, Key.pfx): it may belong to another company\n\
         \x20   or another user.",
        None,
    )
}

/// What can stop an enrollment before or while it talks to the token and the bank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnrollError {
    /// The profile has no `enroll` section.
    NotConfigured,
    /// A required answer is missing and nobody can be asked (`field` is its key).
    Missing(&'static str),
    /// The user ID does not have the profile's shape.
    UserIdShape {
        /// The expected pattern (`aa999999_aaaaaaaa`).
        pattern: String,
    },
    /// The OTP PIN does not have the card's shape.
    OtpShape {
        /// Its length on the card.
        length: usize,
    },
    /// The token name is not Latin letters, digits, space, `-`, `_`, `.` (at most 32).
    TokenName,
    /// The term is not one the profile allows.
    Term(Vec<u16>),
    /// The key file does not open with the OTP PIN (nor its 1/I, 0/O variants) or the password.
    WrongContainer,
    /// The key file cannot be read or is not a PFX with one GOST key and its certificate.
    KeyFile(String),
    /// The initialization certificate belongs to another user ID.
    CertUserMismatch {
        /// Who the certificate names.
        cert_user: String,
    },
    /// The token is already enrolled (a completed journal or keys on it).
    AlreadyEnrolled,
    /// The unfinished enrollment on the token is for another user ID or key file.
    ResumeMismatch {
        /// Which input differs (`user_id`, `key_file`).
        what: &'static str,
        /// The user ID in the journal.
        journal_user: String,
    },
    /// The journal on the token does not parse.
    CorruptJournal(String),
    /// The keys on the token are not the ones the journal recorded.
    KeysChanged,
    /// The person did not confirm the summary.
    Declined,
    /// The CA refused or answered something unusable.
    Ca(String),
    /// The CA still says "waiting" after the profile's number of polls.
    StillWaiting,
    /// A certificate from the CA does not carry our key, or names someone else.
    BadCertificate(String),
    /// The key file or a certificate from the CA failed a PKI check.
    Pki(String),
}

impl PluginError for EnrollError {
    fn code(&self) -> &'static str {
        match self {
            EnrollError::NotConfigured => "enroll.not_configured",
            EnrollError::Missing(_) => "enroll.missing_input",
            EnrollError::UserIdShape { .. } => "enroll.user_id",
            EnrollError::OtpShape { .. } => "enroll.otp_pin",
            EnrollError::TokenName => "enroll.token_name",
            EnrollError::Term(_) => "enroll.term",
            EnrollError::WrongContainer => "enroll.wrong_password_or_container",
            EnrollError::KeyFile(_) => "enroll.key_file",
            EnrollError::CertUserMismatch { .. } => "enroll.key_file_user",
            EnrollError::AlreadyEnrolled => "enroll.already_enrolled",
            EnrollError::ResumeMismatch { .. } => "enroll.resume_mismatch",
            EnrollError::CorruptJournal(_) => "enroll.journal_corrupt",
            EnrollError::KeysChanged => "enroll.keys_changed",
            EnrollError::Declined => "enroll.declined",
            EnrollError::Ca(_) => "enroll.ca_refused",
            EnrollError::StillWaiting => "enroll.ca_waiting",
            EnrollError::BadCertificate(_) => "enroll.bad_certificate",
            EnrollError::Pki(_) => "enroll.pki",
        }
    }

    fn class(&self) -> ErrorClass {
        match self {
            EnrollError::WrongContainer => ErrorClass::Rejected,
            EnrollError::Declined => ErrorClass::Cancelled,
            EnrollError::Ca(_) | EnrollError::StillWaiting | EnrollError::BadCertificate(_) => {
                ErrorClass::Remote
            }
            EnrollError::KeysChanged | EnrollError::CorruptJournal(_) => ErrorClass::Token,
            _ => ErrorClass::Usage,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            EnrollError::NotConfigured => lang
                .pick(
                    "В профиле нет настроек регистрации (workflows.enroll).",
                    "the profile has no enrollment settings (workflows.enroll)",
                    None,
                )
                .into(),
            EnrollError::Missing(key) => lang.pick(
                format!("Не задано «{key}»: укажите его флагом или в файле ответов (--answers)."),
                format!("`{key}` is not given: pass its flag or put it in the answers file (--answers)"),
                None,
            ),
            EnrollError::UserIdShape { pattern } => lang.pick(
                format!("ID пользователя должен иметь вид {pattern} (a — латинская буква, 9 — цифра), как в приложении №2 к договору."),
                format!("the user ID must look like {pattern} (a = a Latin letter, 9 = a digit), as in annex 2 of the contract"),
                None,
            ),
            EnrollError::OtpShape { length } => lang.pick(
                format!("ПИН с OTP-карты состоит из {length} латинских букв и цифр."),
                format!("the OTP card's PIN is {length} Latin letters and digits"),
                None,
            ),
            EnrollError::TokenName => lang
                .pick(
                    "Имя токена: латинские буквы, цифры, пробел, «-», «_», «.», не длиннее 32 символов.",
                    "the token name takes Latin letters, digits, space, -, _ and . (at most 32)",
                    None,
                )
                .into(),
            EnrollError::Term(terms) => lang.pick(
                format!("Срок сертификатов по договору — один из: {terms:?} месяцев."),
                format!("the certificate term must be one of {terms:?} months"),
                None,
            ),
            EnrollError::WrongContainer => wrong_container_checklist(lang).into(),
            EnrollError::KeyFile(m) => lang.pick(
                format!("Ключевой файл не годится: {m}"),
                format!("the key file is unusable: {m}"),
                None,
            ),
            EnrollError::CertUserMismatch { cert_user } => lang.pick(
                format!("Ключ первичной инициализации выдан пользователю «{cert_user}», а не введённому ID. Перепроверьте ID пользователя (например, aq вместо ag) или возьмите свой GOST.pfx."),
                format!("the initialization key belongs to user `{cert_user}`, not to the user ID typed; check the user ID (aq vs ag) or the key file"),
                None,
            ),
            EnrollError::AlreadyEnrolled => lang
                .pick(
                    "Токен уже зарегистрирован: на нём есть ключи. Для новой регистрации нужен пустой токен.",
                    "the token is already enrolled (it holds keys); a new enrollment needs an empty token",
                    None,
                )
                .into(),
            EnrollError::ResumeMismatch { what, journal_user } => lang.pick(
                format!("На токене не завершена регистрация пользователя «{journal_user}», а {} другой. Продолжите регистрацию с теми же данными: форматировать токен до её завершения запрещено.",
                    if *what == "user_id" { "введённый ID пользователя" } else { "ключевой файл" }),
                format!("the token holds the unfinished enrollment of `{journal_user}`, and the {} given differs; resume it with the same inputs (formatting is refused until it completes)",
                    if *what == "user_id" { "user ID" } else { "key file" }),
                None,
            ),
            EnrollError::CorruptJournal(m) => lang.pick(
                format!("Журнал регистрации на токене повреждён ({m}). Обратитесь в банк."),
                format!("the enrollment journal on the token is corrupt ({m}); contact the bank"),
                None,
            ),
            EnrollError::KeysChanged => lang
                .pick(
                    "Ключи на токене не совпадают с записанными в журнале регистрации. Обратитесь в банк.",
                    "the keys on the token differ from those the enrollment journal recorded; contact the bank",
                    None,
                )
                .into(),
            EnrollError::Declined => lang
                .pick(
                    "Данные не подтверждены: токен не изменён.",
                    "not confirmed: the token was not changed",
                    None,
                )
                .into(),
            EnrollError::Ca(m) => lang.pick(
                format!("Удостоверяющий центр отказал: {m}"),
                format!("the CA refused: {m}"),
                None,
            ),
            EnrollError::StillWaiting => lang
                .pick(
                    "Удостоверяющий центр ещё обрабатывает запрос. Запустите регистрацию позже: она продолжится с того же места.",
                    "the CA is still processing the request; run the enrollment again later to continue where it stopped",
                    None,
                )
                .into(),
            EnrollError::BadCertificate(m) => lang.pick(
                format!("Сертификат от УЦ не годится: {m}"),
                format!("a certificate from the CA is unusable: {m}"),
                None,
            ),
            EnrollError::Pki(m) => lang.pick(
                format!("Ошибка PKI: {m}"),
                format!("PKI error: {m}"),
                None,
            ),
        }
    }

    fn details(&self) -> Value {
        match self {
            EnrollError::Missing(key) => json!({ "field": key }),
            EnrollError::ResumeMismatch { what, .. } => json!({ "differs": what }),
            _ => Value::Null,
        }
    }
}

impl From<EnrollError> for CoreError {
    fn from(e: EnrollError) -> Self {
        CoreError::Plugin(Box::new(e))
    }
}
