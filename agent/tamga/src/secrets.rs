//! Where PINs come from: `--*-pin-file` first (automation), then a no-echo prompt on the
//! terminal, then `pinentry` when there is no terminal; never the command line itself. The same
//! order answers the last-try question, with `--confirm-last-attempt` as the scripted "yes".

pub(crate) mod file;
pub mod pinentry;
pub(crate) mod tty;

use std::path::Path;

use tamga_core::interaction::last_attempt_question;
use tamga_core::{
    Confirmation, CoreError, Interaction, Lang, Pin, Role, SecretError, SecretPrompt,
};

use crate::cli::PinArgs;
use pinentry::Pinentry;

/// A password (of a PFX or an encrypted key): from `file`, else a no-echo prompt on the terminal,
/// else pinentry — the order PINs come in.
pub fn password(file: Option<&Path>, prompt: &str, lang: Lang) -> Result<Pin, CoreError> {
    if let Some(path) = file {
        return Ok(file::read(path)?);
    }
    if tty::available() {
        return Ok(tty::secret(prompt)?);
    }
    let label = lang.pick("Пароль:", "Password:", Some("Құпиясөз:"));
    match Pinentry::find() {
        Some(p) => p
            .get_secret(prompt, label, lang)?
            .ok_or(CoreError::Cancelled),
        None => Err(SecretError::NoSource.into()),
    }
}

/// The command line's [`Interaction`].
pub struct CliInteraction<'a> {
    files: Option<&'a PinArgs>,
    lang: Lang,
}

impl<'a> CliInteraction<'a> {
    /// With the secret files and consent of `pin` commands, or none (`token info`, `pin status`).
    pub fn new(files: Option<&'a PinArgs>, lang: Lang) -> Self {
        CliInteraction { files, lang }
    }

    fn file_for(&self, prompt: SecretPrompt) -> Option<&'a Path> {
        let a = self.files?;
        match prompt {
            SecretPrompt::Current(Role::User) => a.pin_file.as_deref(),
            SecretPrompt::Current(Role::Admin) => a.admin_pin_file.as_deref(),
            SecretPrompt::New(_) => a.new_pin_file.as_deref(),
            SecretPrompt::Repeat(_) => a.repeat_pin_file.as_deref().or(a.new_pin_file.as_deref()),
        }
    }
}

impl Interaction for CliInteraction<'_> {
    fn secret(&mut self, prompt: SecretPrompt) -> Result<Pin, CoreError> {
        if let Some(path) = self.file_for(prompt) {
            return Ok(file::read(path)?);
        }
        let text = prompt.text(self.lang);
        if tty::available() {
            return Ok(tty::secret(text)?);
        }
        match Pinentry::find() {
            Some(p) => p.get_pin(text, self.lang)?.ok_or(CoreError::Cancelled),
            None => Err(SecretError::NoSource.into()),
        }
    }

    fn confirm_last_attempt(&mut self, role: Role) -> Result<Confirmation, CoreError> {
        if self.files.is_some_and(|a| a.confirm_last_attempt) {
            return Ok(Confirmation::Yes);
        }
        let question = last_attempt_question(role, self.lang);
        let yes = if tty::available() {
            tty::confirm(question)?
        } else if let Some(p) = Pinentry::find() {
            match p.confirm(question, self.lang) {
                Ok(yes) => yes,
                Err(e) => {
                    log::warn!("cannot ask through pinentry: {}", CoreError::from(e));
                    return Ok(Confirmation::CannotAsk);
                }
            }
        } else {
            return Ok(Confirmation::CannotAsk);
        };
        Ok(if yes {
            Confirmation::Yes
        } else {
            Confirmation::No
        })
    }
}
