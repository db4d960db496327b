//! The runner: profile → registry → driver → token → workflow.

use tamga_token::{Token, TokenError};

use crate::interaction::Interaction;
use crate::profile::{DriverSpec, LoadedProfile};
use crate::progress::Progress;
use crate::workflow::{Context, Outcome};
use crate::{CoreError, Lang, Registry, TokenDriver, TokenSlot};

/// Runs workflows against the tokens a profile's drivers see.
pub struct Runner<'a> {
    /// What this build contains.
    pub registry: Registry,
    /// The profile in effect.
    pub profile: &'a LoadedProfile,
    /// The user's language.
    pub lang: Lang,
    /// `--token ID`: open this token rather than the first one found.
    pub token_id: Option<String>,
}

impl<'a> Runner<'a> {
    /// The profile's drivers, each with its registry entry; a driver this build lacks is an
    /// error (a silently skipped driver would look like "no token").
    fn drivers(&self) -> Result<Vec<(&'static dyn TokenDriver, &'a DriverSpec)>, CoreError> {
        self.profile
            .profile
            .drivers
            .iter()
            .map(|spec| Ok((self.registry.driver(spec.name())?, spec)))
            .collect()
    }

    /// Every token the profile's drivers see. A driver that fails to list is logged and skipped
    /// while another one lists tokens.
    pub fn list(&self) -> Result<Vec<TokenSlot>, CoreError> {
        let mut slots = Vec::new();
        let mut first_error = None;
        for (driver, spec) in self.drivers()? {
            match driver.list(spec, self.profile) {
                Ok(found) => slots.extend(found),
                Err(e) => {
                    log::warn!("{e}");
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) if slots.is_empty() => Err(e),
            _ => Ok(slots),
        }
    }

    /// Connects to the selected token (`--token`), or the first one that opens.
    pub fn open(&self) -> Result<(TokenSlot, Box<dyn Token>), CoreError> {
        let mut first_error = None;
        for (driver, spec) in self.drivers()? {
            let slots = match driver.list(spec, self.profile) {
                Ok(slots) => slots,
                Err(e) => {
                    log::warn!("{e}");
                    first_error.get_or_insert(e);
                    continue;
                }
            };
            let wanted = slots
                .into_iter()
                .filter(|s| self.token_id.as_ref().is_none_or(|id| *id == s.id));
            for slot in wanted {
                log::debug!("opening {slot}");
                match driver.open(spec, self.profile, &slot) {
                    Ok(token) => return Ok((slot, token)),
                    Err(e) => {
                        log::warn!("{}: {e}", slot.id);
                        first_error.get_or_insert(e);
                    }
                }
            }
        }
        Err(match (first_error, &self.token_id) {
            (Some(e), _) => e,
            (None, Some(id)) => CoreError::TokenNotFound(id.clone()),
            (None, None) => TokenError::NoToken.into(),
        })
    }

    /// Runs `action` of the workflow `name`.
    pub fn run(
        &self,
        name: &str,
        action: &str,
        interaction: &mut dyn Interaction,
        progress: &mut dyn Progress,
    ) -> Result<Outcome, CoreError> {
        let workflow = self.registry.workflow(name)?;
        if !workflow.actions().contains(&action) {
            return Err(CoreError::UnknownAction {
                workflow: workflow.name(),
                action: action.to_owned(),
            });
        }
        log::debug!("workflow {name}: {action}");
        let mut ctx = Context::new(action, self, interaction, progress);
        let result = workflow.run(&mut ctx);
        ctx.finish();
        result
    }
}
