//! The `pin` workflow: counters, PIN change, unblock.

use serde_json::json;
use tamga_core::interaction::SecretPrompt;
use tamga_core::profile::PasswordRules;
use tamga_core::report::{counters_json, counters_text, role_title};
use tamga_core::{Context, CoreError, Lang, Outcome, Pin, PinStatus, Role, TokenError, Workflow};

use crate::{check, PasswordError};

/// The actions of the `pin` workflow.
pub const ACTIONS: &[&str] = &["status", "change-user", "change-admin", "unblock"];

/// The workflow, for the registry.
pub struct PinWorkflow;

impl Workflow for PinWorkflow {
    fn name(&self) -> &'static str {
        "pin"
    }

    fn actions(&self) -> &'static [&'static str] {
        ACTIONS
    }

    fn run(&self, ctx: &mut Context<'_>) -> Result<Outcome, CoreError> {
        match ctx.action() {
            "status" => status(ctx),
            "change-user" => change(ctx, Role::User),
            "change-admin" => change(ctx, Role::Admin),
            "unblock" => unblock(ctx),
            other => Err(CoreError::UnknownAction {
                workflow: "pin",
                action: other.to_owned(),
            }),
        }
    }
}

fn connect_label(lang: Lang) -> &'static str {
    lang.pick(
        "Подключение к токену",
        "Connecting to the token",
        Some("Токенге қосылу"),
    )
}

fn status(ctx: &mut Context<'_>) -> Result<Outcome, CoreError> {
    let lang = ctx.lang();
    ctx.step(1, 2, connect_label(lang));
    ctx.token()?;
    ctx.step(
        2,
        2,
        lang.pick(
            "Чтение счётчиков попыток",
            "Reading the retry counters",
            Some("Әрекет санауыштарын оқу"),
        ),
    );
    let counters = ctx.token()?.pin_counters()?;
    Ok(Outcome {
        summary: counters_text(&counters, lang),
        data: json!({ "counters": counters_json(&counters) }),
    })
}

/// Fails early, before any secret is asked for, when the PIN to be presented is blocked.
fn refuse_if_blocked(ctx: &mut Context<'_>, role: Role) -> Result<(), CoreError> {
    let counters = ctx.token()?.pin_counters()?;
    let status = match role {
        Role::User => counters.user,
        Role::Admin => counters.admin,
    };
    match status {
        PinStatus::Blocked => Err(TokenError::PinBlocked(role).into()),
        _ => Ok(()),
    }
}

/// Asks for a new PIN twice and checks it against the rules before anything reaches the token.
fn new_pin(ctx: &mut Context<'_>, role: Role, rules: &PasswordRules) -> Result<Pin, CoreError> {
    let new = ctx.secret(SecretPrompt::New(role))?;
    let repeat = ctx.secret(SecretPrompt::Repeat(role))?;
    let broken = check(rules, new.as_bytes(), repeat.as_bytes());
    if broken.is_empty() {
        Ok(new)
    } else {
        log::info!(
            "new {role} PIN refused: {}",
            broken
                .iter()
                .map(|v| v.code())
                .collect::<Vec<_>>()
                .join(", ")
        );
        Err(CoreError::Plugin(Box::new(PasswordError(broken))))
    }
}

fn rules_for(ctx: &Context<'_>, role: Role) -> PasswordRules {
    let pin = &ctx.profile().workflows.pin;
    match role {
        Role::User => pin.user_password.clone(),
        Role::Admin => pin.admin_password.clone(),
    }
}

fn check_label(lang: Lang) -> &'static str {
    lang.pick(
        "Проверка нового пароля по правилам банка",
        "Checking the new PIN against the password rules",
        Some("Жаңа парольді банк ережелері бойынша тексеру"),
    )
}

fn change(ctx: &mut Context<'_>, role: Role) -> Result<Outcome, CoreError> {
    let lang = ctx.lang();
    ctx.step(1, 3, connect_label(lang));
    refuse_if_blocked(ctx, role)?;
    let old = ctx.secret(SecretPrompt::Current(role))?;
    ctx.step(2, 3, check_label(lang));
    let new = new_pin(ctx, role, &rules_for(ctx, role))?;
    ctx.step(
        3,
        3,
        lang.pick(
            "Смена пароля на токене",
            "Changing the PIN on the token",
            Some("Токендегі парольді ауыстыру"),
        ),
    );
    ctx.with_last_attempt(|token, attempt| token.change_pin(role, &old, &new, attempt))?;
    let counters = ctx.token()?.pin_counters()?;
    let done = lang.pick("изменён", "changed", Some("ауыстырылды"));
    Ok(Outcome {
        summary: format!("{} {done}.", role_title(role, lang)),
        data: json!({ "role": role.name(), "changed": true, "counters": counters_json(&counters) }),
    })
}

fn unblock(ctx: &mut Context<'_>) -> Result<Outcome, CoreError> {
    let lang = ctx.lang();
    ctx.step(1, 3, connect_label(lang));
    refuse_if_blocked(ctx, Role::Admin)?;
    let admin = ctx.secret(SecretPrompt::Current(Role::Admin))?;
    ctx.step(2, 3, check_label(lang));
    let new = new_pin(ctx, Role::User, &rules_for(ctx, Role::User))?;
    ctx.step(
        3,
        3,
        lang.pick(
            "Разблокировка пароля пользователя",
            "Unblocking the user PIN",
            Some("Пайдаланушы паролін бұғаттан шығару"),
        ),
    );
    ctx.with_last_attempt(|token, attempt| token.unblock_user_pin(&admin, &new, attempt))?;
    let counters = ctx.token()?.pin_counters()?;
    Ok(Outcome {
        summary: lang
            .pick(
                "Пароль пользователя разблокирован и заменён новым.",
                "The user PIN is unblocked and replaced by the new one.",
                Some("Пайдаланушы паролі бұғаттан шығарылып, жаңасымен ауыстырылды."),
            )
            .to_owned(),
        data: json!({ "role": "user", "unblocked": true, "counters": counters_json(&counters) }),
    })
}
