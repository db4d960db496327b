//! What every token, PIN and profile command shares: the language, the profile, the runner,
//! and how results and failures are printed (text, or one JSON object with `--json`).

use serde_json::{json, Map, Value};
use tamga_core::profile::{LoadedProfile, Lookup};
use tamga_core::{CoreError, ErrorClass, Lang, Runner, TokenError};

use crate::cli::{GlobalArgs, OutputArgs, PinArgs, TokenSelect};
use crate::error::{exit, Failure, Result};
use crate::registry::REGISTRY;
use crate::secrets::CliInteraction;

/// `--lang`, else the locale.
pub fn lang(g: &GlobalArgs) -> Lang {
    g.lang.unwrap_or_else(Lang::from_env)
}

/// The exit status of an agent failure.
pub fn exit_code(class: ErrorClass) -> u8 {
    match class {
        ErrorClass::Rejected => exit::REJECTED,
        ErrorClass::Usage => exit::USAGE,
        ErrorClass::Blocked => exit::BLOCKED,
        ErrorClass::Policy => exit::POLICY,
        ErrorClass::Cancelled => exit::CANCELLED,
        ErrorClass::Token => exit::TOKEN,
        ErrorClass::Remote => exit::REMOTE,
    }
}

/// Prints a failure as JSON (with `--json`) and returns it for `main` to print and exit with.
pub fn fail(output: &OutputArgs, e: &CoreError, lang: Lang) -> Failure {
    let mut message = e.message(lang);
    // A script that hit the last try must say so explicitly; tell it how.
    if matches!(e, CoreError::Token(TokenError::LastAttempt(_))) {
        message.push_str(lang.pick(
            " Чтобы потратить её, добавьте --confirm-last-attempt.",
            " (add --confirm-last-attempt to spend it)",
            None,
        ));
    }
    let exit = exit_code(e.class());
    log::debug!("failed: {} (exit {exit})", e.code());
    if output.json {
        let error = json!({ "code": e.code(), "message": message, "details": e.details() });
        println!("{}", json!({ "ok": false, "exit": exit, "error": error }));
    }
    Failure::Agent { exit, message }
}

/// Prints a result: the summary, or `{"ok": true, …data}`.
pub fn print(output: &OutputArgs, summary: &str, data: Value) {
    if output.json {
        let mut object = Map::new();
        object.insert("ok".into(), Value::Bool(true));
        if let Value::Object(fields) = data {
            object.extend(fields);
        }
        println!("{}", Value::Object(object));
    } else if !summary.is_empty() {
        println!("{summary}");
    }
}

/// The language and the profile in effect.
pub struct Agent {
    pub lang: Lang,
    pub profile: LoadedProfile,
}

impl Agent {
    /// Finds and reads the profile.
    pub fn load(g: &GlobalArgs, output: &OutputArgs) -> Result<Agent> {
        let lang = lang(g);
        let profile = Lookup::from_env(g.profile.clone())
            .load()
            .map_err(|e| fail(output, &e.into(), lang))?;
        log::debug!("profile `{}` from {}", profile.profile.name, profile.source);
        Ok(Agent { lang, profile })
    }

    /// A runner over this build's registry.
    pub fn runner(&self, select: Option<&TokenSelect>) -> Runner<'_> {
        Runner {
            registry: REGISTRY,
            profile: &self.profile,
            lang: self.lang,
            token_id: select.and_then(|s| s.token.clone()),
        }
    }

    /// Runs a workflow action and prints its outcome.
    pub fn run_workflow(
        &self,
        workflow: &str,
        action: &str,
        select: &TokenSelect,
        secrets: Option<&PinArgs>,
        output: &OutputArgs,
    ) -> Result<()> {
        let mut interaction = CliInteraction::new(secrets, self.lang);
        let mut progress = crate::progress::for_stderr();
        let outcome = self
            .runner(Some(select))
            .run(workflow, action, &mut interaction, progress.as_mut())
            .map_err(|e| fail(output, &e, self.lang))?;
        print(output, &outcome.summary, outcome.data);
        Ok(())
    }

    /// Runs a workflow action with a front end of the command's own (the wizards) and prints
    /// its outcome.
    pub fn run_with(
        &self,
        workflow: &str,
        action: &str,
        select: &TokenSelect,
        interaction: &mut dyn tamga_core::Interaction,
        output: &OutputArgs,
    ) -> Result<()> {
        let mut progress = crate::progress::for_stderr();
        let outcome = self
            .runner(Some(select))
            .run(workflow, action, interaction, progress.as_mut())
            .map_err(|e| fail(output, &e, self.lang))?;
        print(output, &outcome.summary, outcome.data);
        Ok(())
    }

    /// Prints a failure (see [`fail`]) in this agent's language.
    pub fn fail(&self, output: &OutputArgs, e: &CoreError) -> Failure {
        fail(output, e, self.lang)
    }
}
