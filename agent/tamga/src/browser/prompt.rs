//! The dialogs of a browser's request, drawn by tamga through pinentry in the user's session —
//! never by the page. Every text starts with the requesting site (gpg-agent's "Note: Request
//! from the web browser." precedent); a payment's parsed details head the PIN dialog too, so the
//! person sees what the PIN is for.

use std::collections::BTreeMap;
use std::time::Duration;

use tamga_core::interaction::last_attempt_question;
use tamga_core::{
    Confirmation, CoreError, Field, Interaction, Lang, Pin, Role, SecretError, SecretPrompt,
};

use crate::secrets::pinentry::Pinentry;

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
}

impl BrowserPrompt<'_> {
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

    /// A secret with `label` under the context.
    pub fn secret_text(&mut self, label: &str) -> Result<Pin, CoreError> {
        let desc = format!("{}\n\n{label}", self.context);
        let answer = self.pinentry()?.get_secret(&desc, "PIN:", self.lang);
        self.note(answer)?.ok_or(CoreError::Cancelled)
    }

    /// A yes/no question under the context.
    pub fn yes_no(&mut self, question: &str) -> Result<bool, CoreError> {
        let desc = if question.starts_with(&self.context) {
            question.to_owned()
        } else {
            format!("{}\n\n{question}", self.context)
        };
        let answer = self.pinentry()?.confirm(&desc, self.lang);
        self.note(answer)
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
        Ok(self.fields.get(field.key).cloned())
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
}
