//! The answers of a wizard (enroll, pay): from flags and an answers file first, then a person
//! at the terminal; never a secret on the command line or in the answers file itself — secrets
//! come from the files they name, the terminal, or pinentry.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use tamga_core::{Confirmation, CoreError, Field, Interaction, Lang, Pin, Role, SecretPrompt};

use crate::cli::SessionArgs;
use crate::secrets::{file, tty, CliInteraction};

/// One answer.
#[derive(Clone, Debug)]
pub enum Answer {
    /// A text field.
    Text(String),
    /// A secret field: the file that holds it (only the enroll wizard has secret files).
    #[cfg_attr(not(feature = "enroll"), allow(dead_code))]
    SecretFile(PathBuf),
    /// A yes/no question.
    Flag(bool),
}

/// The answers given ahead.
#[derive(Clone, Debug, Default)]
pub struct Answers {
    map: HashMap<&'static str, Answer>,
    /// `--yes`: every yes/no question not answered otherwise is a yes.
    pub yes_all: bool,
    /// `--confirm-last-attempt`.
    pub confirm_last_attempt: bool,
    /// `--pin-file`: the token's current password (login, pay).
    pub pin_file: Option<PathBuf>,
}

impl Answers {
    /// Sets a text answer (unless `None`).
    pub fn text(&mut self, key: &'static str, value: Option<impl Into<String>>) {
        if let Some(v) = value {
            self.map.insert(key, Answer::Text(v.into()));
        }
    }

    /// Sets a secret file (unless `None`).
    #[cfg_attr(not(feature = "enroll"), allow(dead_code))]
    pub fn secret_file(&mut self, key: &'static str, path: Option<&Path>) {
        if let Some(p) = path {
            self.map.insert(key, Answer::SecretFile(p.to_owned()));
        }
    }

    /// Sets a yes/no answer (unless `None`).
    pub fn flag(&mut self, key: &'static str, value: Option<bool>) {
        if let Some(v) = value {
            self.map.insert(key, Answer::Flag(v));
        }
    }

    /// A signing command's: no blanket yes, its last-try consent and token password file.
    #[cfg_attr(not(feature = "login"), allow(dead_code))]
    pub fn of_session(s: &SessionArgs) -> Self {
        Answers::new(false, s.confirm_last_attempt, s.pin_file.clone())
    }

    /// With the consents and the token password file of a command.
    pub fn new(yes_all: bool, confirm_last_attempt: bool, pin_file: Option<PathBuf>) -> Self {
        Answers {
            map: HashMap::new(),
            yes_all,
            confirm_last_attempt,
            pin_file,
        }
    }
}

/// The answers file of `tamga enroll --answers FILE` (RON). Paths are relative to the file;
/// secrets are named by file, never written in it.
///
/// ```ron
/// (
///     user_id: "qq111111_qwertyui",
///     otp_pin_file: "otp-pin.txt",
///     key_file: "GOST.pfx",
///     password_matches_pin: true,
///     token_name: "Office",
///     new_pin_file: "token-password.txt",
///     term: 12,
/// )
/// ```
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(not(feature = "enroll"), allow(dead_code))]
pub struct EnrollAnswersFile {
    pub user_id: Option<String>,
    pub otp_pin_file: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
    pub password_matches_pin: Option<bool>,
    pub key_password_file: Option<PathBuf>,
    pub token_name: Option<String>,
    pub pin_file: Option<PathBuf>,
    pub new_pin_file: Option<PathBuf>,
    pub repeat_pin_file: Option<PathBuf>,
    pub term: Option<u16>,
    pub confirm: Option<bool>,
}

#[cfg_attr(not(feature = "enroll"), allow(dead_code))]
impl EnrollAnswersFile {
    /// Reads and parses the file; relative paths are made relative to its directory.
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let mut a: EnrollAnswersFile = options
            .from_str(&text)
            .map_err(|e| format!("{}:{e}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        for p in [
            &mut a.otp_pin_file,
            &mut a.key_file,
            &mut a.key_password_file,
            &mut a.pin_file,
            &mut a.new_pin_file,
            &mut a.repeat_pin_file,
        ]
        .into_iter()
        .flatten()
        {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        Ok(a)
    }
}

/// The command line's [`Interaction`] for wizards: [`Answers`], then the terminal; the PIN
/// prompts of the token fall back to the terminal or pinentry as for `tamga pin`.
pub struct WizardInteraction {
    answers: Answers,
    lang: Lang,
    terminal: bool,
    quiet: bool,
}

impl WizardInteraction {
    pub fn new(answers: Answers, lang: Lang) -> Self {
        WizardInteraction {
            answers,
            lang,
            terminal: tty::available(),
            quiet: false,
        }
    }

    /// Without the terminal even if there is one (the demo).
    #[cfg_attr(not(feature = "demo"), allow(dead_code))]
    pub fn scripted(answers: Answers, lang: Lang) -> Self {
        WizardInteraction {
            answers,
            lang,
            terminal: false,
            quiet: true,
        }
    }
}

impl Interaction for WizardInteraction {
    fn secret(&mut self, prompt: SecretPrompt) -> Result<Pin, CoreError> {
        if let (SecretPrompt::Current(Role::User), Some(path)) = (prompt, &self.answers.pin_file) {
            return Ok(file::read(path)?);
        }
        if !self.terminal {
            return Err(tamga_core::SecretError::NoSource.into());
        }
        CliInteraction::new(None, self.lang).secret(prompt)
    }

    fn confirm_last_attempt(&mut self, role: Role) -> Result<Confirmation, CoreError> {
        if self.answers.confirm_last_attempt {
            return Ok(Confirmation::Yes);
        }
        if !self.terminal {
            return Ok(Confirmation::CannotAsk);
        }
        CliInteraction::new(None, self.lang).confirm_last_attempt(role)
    }

    fn is_interactive(&self) -> bool {
        self.terminal
    }

    fn text(&mut self, field: Field<'_>) -> Result<Option<String>, CoreError> {
        match self.answers.map.get(field.key) {
            Some(Answer::Text(t)) => Ok(Some(t.clone())),
            _ if self.terminal => Ok(Some(tty::line(field.label, field.default)?)),
            _ => Ok(None),
        }
    }

    fn secret_field(&mut self, field: Field<'_>) -> Result<Option<Pin>, CoreError> {
        match self.answers.map.get(field.key) {
            Some(Answer::SecretFile(p)) => Ok(Some(file::read(p)?)),
            _ if self.terminal => Ok(Some(tty::secret(field.label)?)),
            _ => Ok(None),
        }
    }

    fn confirm(&mut self, key: &'static str, question: &str) -> Result<Confirmation, CoreError> {
        let yes = |b: bool| {
            if b {
                Confirmation::Yes
            } else {
                Confirmation::No
            }
        };
        match self.answers.map.get(key) {
            Some(Answer::Flag(b)) => Ok(yes(*b)),
            _ if self.answers.yes_all => Ok(Confirmation::Yes),
            _ if self.terminal => Ok(yes(tty::confirm(question)?)),
            _ => Ok(Confirmation::CannotAsk),
        }
    }

    fn tell(&mut self, text: &str) {
        if self.terminal {
            tty::show(text);
        } else if !self.quiet {
            // Scripts see the screens too (the order before it is signed, the summary) on
            // standard error; standard output stays the result alone.
            eprintln!("{text}");
        } else {
            for line in text.lines() {
                log::info!("{line}");
            }
        }
    }
}
