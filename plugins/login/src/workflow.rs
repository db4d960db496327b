//! The `login` workflow: prints the session (its token only with `--json`, for scripts).

use serde_json::json;
use tamga_core::{Context, CoreError, Outcome, Workflow};

use crate::session::{open_session, settings, token_login};

/// The workflow.
pub struct LoginWorkflow;

impl Workflow for LoginWorkflow {
    fn name(&self) -> &'static str {
        "login"
    }

    fn actions(&self) -> &'static [&'static str] {
        &["login"]
    }

    fn run(&self, ctx: &mut Context<'_>) -> Result<Outcome, CoreError> {
        let lang = ctx.lang();
        let s = settings(ctx)?;
        ctx.step(
            1,
            2,
            lang.pick("Вход на токен", "Logging in to the token", None),
        );
        let enrolled = token_login(ctx)?;
        ctx.step(
            2,
            2,
            lang.pick(
                "Вход в Интернет-банкинг (подпись ключом AUTH)",
                "Logging in to the Internet-Banking (signed with the AUTH key)",
                None,
            ),
        );
        let session = open_session(ctx, &s, &enrolled)?;
        Ok(Outcome {
            summary: lang.pick(
                format!(
                    "Вход выполнен: {}. Сессия действует до {}.",
                    enrolled.user_id, session.expires_at
                ),
                format!(
                    "Logged in as {}; the session is valid until {}.",
                    enrolled.user_id, session.expires_at
                ),
                None,
            ),
            data: json!({
                "user_id": enrolled.user_id,
                "session": session.session,
                "expires_at": session.expires_at,
            }),
        })
    }
}
