//! Workflow plugins and the context they run in.

use serde_json::Value;
use tamga_token::{Attempt, Pin, Role, Token, TokenError};

use crate::interaction::{Confirmation, Field, Interaction, SecretPrompt};
use crate::profile::Profile;
use crate::progress::{Event, Progress};
use crate::{CoreError, Lang, Runner, TokenSlot};

/// A workflow plugin (pin; later enroll, login, sign). A unit struct in the static registry.
pub trait Workflow: Sync {
    /// The registry name.
    fn name(&self) -> &'static str;

    /// The actions it understands (`status`, `change-user`, …).
    fn actions(&self) -> &'static [&'static str];

    /// Runs `ctx.action()`.
    fn run(&self, ctx: &mut Context<'_>) -> Result<Outcome, CoreError>;
}

/// What a workflow produced.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// One or more lines for a person, in the context's language.
    pub summary: String,
    /// The same for scripts (`--json`); never secrets.
    pub data: Value,
}

/// Everything a running workflow may use: its action, the profile, the token (opened on first
/// use), the person (secrets, confirmation) and the progress display.
pub struct Context<'a> {
    action: &'a str,
    runner: &'a Runner<'a>,
    interaction: &'a mut dyn Interaction,
    progress: &'a mut dyn Progress,
    token: Option<(TokenSlot, Box<dyn Token>)>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        action: &'a str,
        runner: &'a Runner<'a>,
        interaction: &'a mut dyn Interaction,
        progress: &'a mut dyn Progress,
    ) -> Self {
        Context {
            action,
            runner,
            interaction,
            progress,
            token: None,
        }
    }

    /// The action asked for.
    pub fn action(&self) -> &str {
        self.action
    }

    /// The user's language.
    pub fn lang(&self) -> Lang {
        self.runner.lang
    }

    /// The profile in effect.
    pub fn profile(&self) -> &Profile {
        &self.runner.profile.profile
    }

    /// The token, connected on first use.
    pub fn token(&mut self) -> Result<&mut dyn Token, CoreError> {
        if self.token.is_none() {
            self.token = Some(self.runner.open()?);
        }
        match &mut self.token {
            Some((_, token)) => Ok(token.as_mut()),
            None => Err(TokenError::NoToken.into()),
        }
    }

    /// The token's slot, once connected.
    pub fn slot(&self) -> Option<&TokenSlot> {
        self.token.as_ref().map(|(slot, _)| slot)
    }

    /// Asks for a secret.
    pub fn secret(&mut self, prompt: SecretPrompt) -> Result<Pin, CoreError> {
        self.interaction.secret(prompt)
    }

    /// The directory the profile's relative paths (trust anchors) resolve against.
    pub fn profile_dir(&self) -> &std::path::Path {
        &self.runner.profile.base_dir
    }

    /// Whether a person answers (see [`Interaction::is_interactive`]).
    pub fn is_interactive(&self) -> bool {
        self.interaction.is_interactive()
    }

    /// Asks for a text field.
    pub fn text(&mut self, field: Field<'_>) -> Result<Option<String>, CoreError> {
        self.interaction.text(field)
    }

    /// Asks for a secret field.
    pub fn secret_field(&mut self, field: Field<'_>) -> Result<Option<Pin>, CoreError> {
        self.interaction.secret_field(field)
    }

    /// Asks a yes/no question.
    pub fn confirm(
        &mut self,
        key: &'static str,
        question: &str,
    ) -> Result<Confirmation, CoreError> {
        self.interaction.confirm(key, question)
    }

    /// Shows a screen of text.
    pub fn tell(&mut self, text: &str) {
        self.interaction.tell(text)
    }

    /// Explains why the last answer was wrong before it is asked again.
    pub fn wrong_answer(&mut self, text: &str) {
        self.interaction.wrong_answer(text)
    }

    /// Forgets the connected token (after it was pulled out), so that the next
    /// [`Context::token`] connects again.
    pub fn drop_token(&mut self) {
        self.token = None;
    }

    /// Reports that step `index` of `total` begins.
    pub fn step(&mut self, index: usize, total: usize, label: &str) {
        log::info!("[{index}/{total}] {label}");
        self.progress.event(Event::Step {
            index,
            total,
            label,
        });
    }

    /// Runs a PIN presentation that must not spend the last try unasked: first with
    /// [`Attempt::SpareLast`]; if the token says only one try is left, asks the person, and runs
    /// it again with [`Attempt::MaySpendLast`] only on a yes.
    pub fn with_last_attempt<T>(
        &mut self,
        mut present: impl FnMut(&mut dyn Token, Attempt) -> Result<T, TokenError>,
    ) -> Result<T, CoreError> {
        match present(self.token()?, Attempt::SpareLast) {
            Err(TokenError::LastAttempt(role)) => match self.confirm_last_attempt(role)? {
                Confirmation::Yes => Ok(present(self.token()?, Attempt::MaySpendLast)?),
                Confirmation::No => Err(CoreError::Cancelled),
                Confirmation::CannotAsk => Err(TokenError::LastAttempt(role).into()),
            },
            other => Ok(other?),
        }
    }

    fn confirm_last_attempt(&mut self, role: Role) -> Result<Confirmation, CoreError> {
        log::warn!("one {role} PIN try is left; asking before spending it");
        self.interaction.confirm_last_attempt(role)
    }

    pub(crate) fn finish(&mut self) {
        self.progress.event(Event::Finished);
    }
}
