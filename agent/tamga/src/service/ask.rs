//! The service's [`Interaction`]: a workflow's questions become `ask` lines to the client, which
//! puts them to the person in its own session (a terminal, pinentry, the browser's dialog) and
//! answers. The service itself never draws anything and never reads a terminal.

use std::collections::BTreeMap;

use serde_json::json;
use tamga_core::interaction::last_attempt_question;
use tamga_core::progress::{Event, Progress};
use tamga_core::{Confirmation, CoreError, Field, Interaction, Lang, Pin, Role, SecretPrompt};
use tamga_service::api::{ask_line, AnswerKind, Ask};

use super::conn::{send_line, Conn, Writer};

/// Asks over one connection, for one request.
pub struct AskInteraction<'a> {
    pub conn: &'a mut Conn,
    pub request: u64,
    pub lang: Lang,
    pub fields: &'a BTreeMap<String, String>,
    pub next_ask: u64,
    /// A browser's payment the person already confirmed with its details: the workflow's own
    /// "sign this?" is answered yes rather than asked twice.
    pub preconfirmed: bool,
    /// A person answers the asks (a browser's request: the native host draws each in a
    /// pinentry dialog), so a wrong answer is explained and asked again. A plain API client
    /// may be a script: its wrong answer ends the workflow.
    pub interactive: bool,
    /// Why the last answer was refused: sent with the next ask (`error`).
    pub wrong: Option<String>,
}

/// A stable key for a secret prompt.
pub fn secret_key(prompt: SecretPrompt) -> &'static str {
    match prompt {
        SecretPrompt::Current(Role::User) => "pin.current.user",
        SecretPrompt::Current(Role::Admin) => "pin.current.admin",
        SecretPrompt::New(Role::User) => "pin.new.user",
        SecretPrompt::New(Role::Admin) => "pin.new.admin",
        SecretPrompt::Repeat(Role::User) => "pin.repeat.user",
        SecretPrompt::Repeat(Role::Admin) => "pin.repeat.admin",
    }
}

impl AskInteraction<'_> {
    fn ask(
        &mut self,
        kind: &str,
        key: &str,
        text: &str,
        role: Option<Role>,
    ) -> Result<AnswerKind, CoreError> {
        self.next_ask += 1;
        let ask = Ask {
            ask: self.next_ask,
            id: self.request,
            kind: kind.into(),
            key: key.into(),
            text: text.into(),
            role: role.map(|r| r.name().to_owned()),
            error: self.wrong.take(),
        };
        self.conn
            .send(&ask_line(&ask))
            .map_err(|_| CoreError::Cancelled)?;
        self.conn.wait_answer(ask.ask, self.request)
    }
}

fn pin_of(answer: AnswerKind) -> Result<Pin, CoreError> {
    match answer {
        AnswerKind::Value(v) => Ok(Pin::new(v.0.as_bytes())),
        _ => Err(CoreError::Cancelled),
    }
}

impl Interaction for AskInteraction<'_> {
    fn secret(&mut self, prompt: SecretPrompt) -> Result<Pin, CoreError> {
        let text = prompt.text(self.lang);
        pin_of(self.ask("secret", secret_key(prompt), text, None)?)
    }

    fn confirm_last_attempt(&mut self, role: Role) -> Result<Confirmation, CoreError> {
        let q = last_attempt_question(role, self.lang);
        Ok(
            match self.ask("last_attempt", "pin.last_attempt", q, Some(role))? {
                AnswerKind::Yes(true) => Confirmation::Yes,
                AnswerKind::Yes(false) => Confirmation::No,
                _ => Confirmation::CannotAsk,
            },
        )
    }

    fn text(&mut self, field: Field<'_>) -> Result<Option<String>, CoreError> {
        if let Some(v) = self.fields.get(field.key) {
            return Ok(Some(v.clone()));
        }
        match self.ask("text", field.key, field.label, None)? {
            AnswerKind::Value(v) => Ok(Some(v.0.as_str().to_owned())),
            AnswerKind::Cancel => Err(CoreError::Cancelled),
            AnswerKind::Yes(_) => Ok(None),
        }
    }

    fn secret_field(&mut self, field: Field<'_>) -> Result<Option<Pin>, CoreError> {
        match self.ask("secret", field.key, field.label, None)? {
            AnswerKind::Value(v) => Ok(Some(Pin::new(v.0.as_bytes()))),
            AnswerKind::Cancel => Err(CoreError::Cancelled),
            AnswerKind::Yes(_) => Ok(None),
        }
    }

    fn confirm(&mut self, key: &'static str, question: &str) -> Result<Confirmation, CoreError> {
        if self.preconfirmed && key == super::gate::WORKFLOW_CONFIRM {
            return Ok(Confirmation::Yes);
        }
        Ok(match self.ask("confirm", key, question, None)? {
            AnswerKind::Yes(true) => Confirmation::Yes,
            AnswerKind::Yes(false) | AnswerKind::Cancel => Confirmation::No,
            AnswerKind::Value(_) => Confirmation::CannotAsk,
        })
    }

    fn tell(&mut self, text: &str) {
        let line = json!({ "event": "tell", "id": self.request, "text": text }).to_string();
        let _ = self.conn.send(&line);
    }

    fn is_interactive(&self) -> bool {
        self.interactive
    }

    fn wrong_answer(&mut self, text: &str) {
        self.wrong = Some(text.to_owned());
    }
}

/// Progress events of one request, as `progress` lines.
pub struct AskProgress {
    pub writer: Writer,
    pub request: u64,
}

impl Progress for AskProgress {
    fn event(&mut self, event: Event<'_>) {
        let mut line = progress_event(event);
        line["id"] = json!(self.request);
        let _ = send_line(&self.writer, &line.to_string());
    }
}

/// A progress event as the API and the browser bridge send it (the caller adds the id).
pub fn progress_event(event: Event<'_>) -> serde_json::Value {
    match event {
        Event::Step {
            index,
            total,
            label,
        } => json!({ "event": "progress", "step": index, "total": total, "label": label }),
        Event::Finished => json!({ "event": "progress", "finished": true }),
    }
}
