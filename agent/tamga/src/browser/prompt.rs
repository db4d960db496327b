//! The dialogs of a browser's request, drawn by tamga through pinentry in the user's session —
//! never by the page. Every text starts with the requesting site (gpg-agent's "Note: Request
//! from the web browser." precedent); a payment's parsed details head the PIN dialog too, so the
//! person sees what the PIN is for.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use tamga_core::interaction::last_attempt_question;
use tamga_core::profile::LoadedProfile;
use tamga_core::{
    Confirmation, CoreError, Field, Interaction, Lang, Pin, Role, SecretError, SecretPrompt,
};

use super::keyfile;
use crate::secrets::pinentry::Pinentry;

/// The field of the enrollment's key file: answered by tamga's own search, never by the page.
const KEY_FILE_FIELD: &str = "enroll.key_file";

/// Pinentry dialogs for one browser request.
pub struct BrowserPrompt<'a> {
    pub lang: Lang,
    /// "Request from the web browser: <origin>" (and, for a payment, its details).
    pub context: String,
    /// The page's fields (`sign.order`, `enroll.user_id`); never secrets.
    pub fields: &'a BTreeMap<String, String>,
    /// tamga's confirmation with the order's details was accepted: the workflow's own "sign
    /// this?" is not asked again.
    pub preconfirmed: bool,
    /// How long each dialog may stay open (the profile's `service.prompt_timeout_s`).
    pub timeout: Duration,
    /// Set when a dialog was closed for lack of an answer (the relay reports it rather than
    /// the service's "cancelled").
    pub timed_out: Option<u64>,
    /// Where the bank's key file is looked for (the profile's `enroll.key_file_dirs`).
    pub key_dirs: Vec<PathBuf>,
    /// What a workflow told the person (the registration's summary): shown atop the next
    /// dialog, since pinentry has no other screen.
    pending: Vec<String>,
    /// Why the last answer was refused (a wrong OTP PIN, key file password or token password):
    /// the next dialog's error line, since the workflow asks the same question again.
    error: Option<String>,
}

impl<'a> BrowserPrompt<'a> {
    pub fn new(
        profile: &LoadedProfile,
        lang: Lang,
        context: String,
        fields: &'a BTreeMap<String, String>,
    ) -> BrowserPrompt<'a> {
        BrowserPrompt {
            lang,
            context,
            fields,
            preconfirmed: false,
            timeout: Duration::from_secs(profile.profile.service.prompt_timeout_s),
            timed_out: None,
            key_dirs: keyfile::search_dirs(profile),
            pending: Vec::new(),
            error: None,
        }
    }

    /// The same dialogs for other fields (the order's file added for the workflow).
    pub fn with_fields<'b>(&self, fields: &'b BTreeMap<String, String>) -> BrowserPrompt<'b> {
        BrowserPrompt {
            lang: self.lang,
            context: self.context.clone(),
            fields,
            preconfirmed: self.preconfirmed,
            timeout: self.timeout,
            timed_out: None,
            key_dirs: self.key_dirs.clone(),
            pending: Vec::new(),
            error: None,
        }
    }

    fn pinentry(&self) -> Result<Pinentry, CoreError> {
        Pinentry::find()
            .map(|p| p.with_timeout(self.timeout))
            .ok_or(CoreError::Secret(SecretError::NoSource))
    }

    fn note<T>(&mut self, r: Result<T, SecretError>) -> Result<T, CoreError> {
        if let Err(SecretError::TimedOut { seconds }) = &r {
            self.timed_out = Some(*seconds);
        }
        Ok(r?)
    }

    /// The context, then anything told since the last dialog, then `text`.
    fn description(&mut self, text: &str) -> String {
        let mut parts = Vec::with_capacity(3);
        if !text.starts_with(&self.context) {
            parts.push(self.context.clone());
        }
        parts.append(&mut self.pending);
        parts.push(text.to_owned());
        parts.join("\n\n")
    }

    /// A secret with `label` under the context; after a wrong answer, with its error line.
    pub fn secret_text(&mut self, label: &str) -> Result<Pin, CoreError> {
        // Pinentry's error line is one short line: the explanation's headline goes there, the
        // rest of it (a checklist) above the question.
        let error = self.error.take().map(|e| match e.split_once('\n') {
            Some((head, rest)) => {
                self.pending.insert(0, rest.to_owned());
                head.to_owned()
            }
            None => e,
        });
        let desc = self.description(label);
        let answer = self
            .pinentry()?
            .get_secret_again(&desc, "PIN:", error.as_deref(), self.lang);
        self.note(answer)?.ok_or(CoreError::Cancelled)
    }

    /// Why the last answer was refused, for the next dialog.
    pub fn wrong_answer(&mut self, text: &str) {
        self.error = Some(text.to_owned());
    }

    /// A yes/no question under the context.
    pub fn yes_no(&mut self, question: &str) -> Result<bool, CoreError> {
        // A confirmation has no error line: a pending explanation heads its text.
        if let Some(e) = self.error.take() {
            self.pending.insert(0, e);
        }
        let desc = self.description(question);
        let answer = self.pinentry()?.confirm(&desc, self.lang);
        self.note(answer)
    }

    /// A text field: the page's value, or for the key file the one the person picks.
    pub fn text_for(&mut self, key: &str) -> Result<Option<String>, CoreError> {
        if key == KEY_FILE_FIELD {
            let dirs = self.key_dirs.clone();
            let lang = self.lang;
            let path = keyfile::choose(&dirs, lang, &mut |q| self.yes_no(q))?;
            return Ok(Some(path.display().to_string()));
        }
        Ok(self.fields.get(key).cloned())
    }
}

impl Interaction for BrowserPrompt<'_> {
    fn secret(&mut self, prompt: SecretPrompt) -> Result<Pin, CoreError> {
        self.secret_text(prompt.text(self.lang))
    }

    fn confirm_last_attempt(&mut self, role: Role) -> Result<Confirmation, CoreError> {
        Ok(match self.yes_no(last_attempt_question(role, self.lang)) {
            Ok(true) => Confirmation::Yes,
            Ok(false) => Confirmation::No,
            Err(e @ CoreError::Secret(SecretError::TimedOut { .. })) => return Err(e),
            Err(_) => Confirmation::CannotAsk,
        })
    }

    fn text(&mut self, field: Field<'_>) -> Result<Option<String>, CoreError> {
        self.text_for(field.key)
    }

    fn secret_field(&mut self, field: Field<'_>) -> Result<Option<Pin>, CoreError> {
        self.secret_text(field.label).map(Some)
    }

    fn confirm(&mut self, key: &'static str, question: &str) -> Result<Confirmation, CoreError> {
        if self.preconfirmed && key == crate::service::gate::WORKFLOW_CONFIRM {
            return Ok(Confirmation::Yes);
        }
        Ok(if self.yes_no(question)? {
            Confirmation::Yes
        } else {
            Confirmation::No
        })
    }

    fn tell(&mut self, text: &str) {
        self.pending.push(text.to_owned());
    }

    /// A person answers each dialog: a wrong answer is explained and asked again.
    fn is_interactive(&self) -> bool {
        true
    }

    fn wrong_answer(&mut self, text: &str) {
        BrowserPrompt::wrong_answer(self, text);
    }
}
