//! A workflow run as the API shows it: parameters in, `{"summary","data"}` or an error object
//! (tamga-core's code, class and message) out. Shared by the service and the native host.

use serde_json::{json, Value};
use tamga_core::profile::LoadedProfile;
use tamga_core::progress::Progress;
use tamga_core::{CoreError, Interaction, Lang, Runner};
use tamga_service::api::{error_object, RunParams};

use crate::registry::REGISTRY;

/// Runs `params` on the profile's tokens.
pub fn run(
    profile: &LoadedProfile,
    lang: Lang,
    params: &RunParams,
    interaction: &mut dyn Interaction,
    progress: &mut dyn Progress,
) -> Result<Value, CoreError> {
    let runner = Runner {
        registry: REGISTRY,
        profile,
        lang,
        token_id: params.token.clone(),
    };
    let outcome = runner.run(&params.workflow, &params.action, interaction, progress)?;
    Ok(json!({ "summary": outcome.summary, "data": outcome.data }))
}

/// The tokens, as `tokens` answers.
pub fn tokens(profile: &LoadedProfile, lang: Lang) -> Result<Value, CoreError> {
    let runner = Runner {
        registry: REGISTRY,
        profile,
        lang,
        token_id: None,
    };
    let slots = runner.list()?;
    Ok(json!({ "tokens": slots.iter().map(slot_json).collect::<Vec<_>>() }))
}

/// One token slot.
pub fn slot_json(s: &tamga_core::TokenSlot) -> Value {
    json!({ "id": s.id, "driver": s.driver, "description": s.description })
}

/// tamga-core's error as the API's error object.
pub fn error(e: &CoreError, lang: Lang) -> Value {
    // `Debug` of the class is its variant name: new classes need no change here.
    let class = format!("{:?}", e.class()).to_lowercase();
    error_object(e.code(), &class, &e.message(lang), e.details())
}

/// An error of the service or the bridge itself (not of a workflow).
pub fn own_error(code: &str, class: &str, ru: &str, en: &str, lang: Lang) -> Value {
    error_object(code, class, lang.pick(ru, en, None), Value::Null)
}

/// The request's language, else `fallback`.
pub fn lang_of(params: &RunParams, fallback: Lang) -> Lang {
    params
        .lang
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or(fallback)
}
