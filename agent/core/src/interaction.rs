//! What a workflow asks of the person in front of the token: secrets and one confirmation. The
//! front end (terminal, pinentry, files, later the browser bridge) implements [`Interaction`];
//! the words are here so that every front end asks the same question.

use tamga_token::{Pin, Role};

use crate::{CoreError, Lang};

/// Which secret is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SecretPrompt {
    /// The PIN the token has now.
    Current(Role),
    /// A new PIN.
    New(Role),
    /// The new PIN again (the confirmation).
    Repeat(Role),
}

impl SecretPrompt {
    /// The prompt, without a trailing colon.
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            SecretPrompt::Current(Role::User) => lang.pick(
                "Пароль пользователя токена",
                "User PIN",
                Some("Токен пайдаланушысының паролі"),
            ),
            SecretPrompt::Current(Role::Admin) => lang.pick(
                "Пароль администратора токена",
                "Admin PIN",
                Some("Токен әкімшісінің паролі"),
            ),
            SecretPrompt::New(Role::User) => lang.pick(
                "Новый пароль пользователя",
                "New user PIN",
                Some("Пайдаланушының жаңа паролі"),
            ),
            SecretPrompt::New(Role::Admin) => lang.pick(
                "Новый пароль администратора",
                "New admin PIN",
                Some("Әкімшінің жаңа паролі"),
            ),
            SecretPrompt::Repeat(Role::User) => lang.pick(
                "Подтверждение нового пароля пользователя",
                "Repeat the new user PIN",
                Some("Пайдаланушының жаңа паролін қайталаңыз"),
            ),
            SecretPrompt::Repeat(Role::Admin) => lang.pick(
                "Подтверждение нового пароля администратора",
                "Repeat the new admin PIN",
                Some("Әкімшінің жаңа паролін қайталаңыз"),
            ),
        }
    }
}

/// The question asked before the last remaining try is spent; a yes/no answer follows it.
pub fn last_attempt_question(role: Role, lang: Lang) -> &'static str {
    match role {
        Role::User => lang.pick(
            "Осталась последняя попытка ввода пароля пользователя: если пароль неверен, токен будет заблокирован. Продолжить?",
            "Only one user PIN try is left: a wrong PIN blocks the token. Continue?",
            Some("Пайдаланушы паролін енгізудің соңғы әрекеті қалды: пароль қате болса, токен бұғатталады. Жалғастыру керек пе?"),
        ),
        Role::Admin => lang.pick(
            "Осталась последняя попытка ввода пароля администратора: если пароль неверен, токен станет непригоден. Продолжить?",
            "Only one admin PIN try is left: a wrong PIN makes the token unusable. Continue?",
            Some("Әкімші паролін енгізудің соңғы әрекеті қалды: пароль қате болса, токен жарамсыз болады. Жалғастыру керек пе?"),
        ),
    }
}

/// The answer to [`last_attempt_question`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirmation {
    /// Spend the last try.
    Yes,
    /// Do not.
    No,
    /// Nobody can be asked (no terminal, no pinentry) and no standing confirmation was given.
    CannotAsk,
}

/// A field of a wizard (enrollment's user ID, OTP PIN, key file, …), beyond the PINs of
/// [`SecretPrompt`]. The `key` is stable so that a front end can answer it from a flag or an
/// answers file; the label is what a person reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    /// A stable name, `<workflow>.<field>` (`enroll.user_id`).
    pub key: &'static str,
    /// The label, in the user's language, without a trailing colon.
    pub label: &'a str,
    /// A default a person may accept with Enter (never for secrets).
    pub default: Option<&'a str>,
}

/// The front end a workflow talks to.
pub trait Interaction {
    /// Reads a secret. Errors: no source, unreadable file, cancelled.
    fn secret(&mut self, prompt: SecretPrompt) -> Result<Pin, CoreError>;

    /// Asks whether the last remaining try of `role`'s PIN may be spent.
    fn confirm_last_attempt(&mut self, role: Role) -> Result<Confirmation, CoreError>;

    /// Whether a person answers (a terminal): then a wrong answer is asked again rather than
    /// ending the workflow.
    fn is_interactive(&self) -> bool {
        false
    }

    /// A text field; `None` when the front end has no answer and nobody to ask.
    fn text(&mut self, field: Field<'_>) -> Result<Option<String>, CoreError> {
        let _ = field;
        Ok(None)
    }

    /// A secret field (never echoed, never logged); `None` as for [`Interaction::text`].
    fn secret_field(&mut self, field: Field<'_>) -> Result<Option<Pin>, CoreError> {
        let _ = field;
        Ok(None)
    }

    /// A yes/no question (`key` names it for scripts: `--yes` answers them all).
    fn confirm(&mut self, key: &'static str, question: &str) -> Result<Confirmation, CoreError> {
        let _ = (key, question);
        Ok(Confirmation::CannotAsk)
    }

    /// Shows a screen of text to the person (a summary, a warning); scripts may ignore it.
    fn tell(&mut self, text: &str) {
        let _ = text;
    }

    /// The last answer was wrong and is about to be asked again (only when
    /// [`Interaction::is_interactive`]): `text` says why, in the user's language, and never holds
    /// the answer itself. A dialog shows it as the next question's error line (pinentry's
    /// `SETERROR`); the default shows it as a screen of text.
    fn wrong_answer(&mut self, text: &str) {
        self.tell(text);
    }
}
