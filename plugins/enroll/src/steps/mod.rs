//! The enrollment as journaled steps (`shared/design/enrollment.md`, "The flow"). Each step
//! does idempotent work, then records itself in the journal on the token; a run that finds a
//! journal starts at the step after the last one recorded.

mod certify;
mod keys;
mod register;
mod token_setup;

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::json;
use tamga_core::profile::EnrollSettings;
use tamga_core::token::{JournalState, ProfileState, TokenInfo};
use tamga_core::{Context, CoreError, Lang, Outcome};

use crate::journal::{Journal, Step};
use crate::wizard::{self, Collected};
use crate::{hooks, store, EnrollError};

/// The progress steps shown (the guide's Рис. 24 shows one bar; tamga names the parts).
pub const TOTAL: usize = 7;

fn label(lang: Lang, n: usize) -> &'static str {
    let (ru, en) = match n {
        1 => ("Чтение состояния токена", "Reading the token's state"),
        2 => (
            "Проверка данных и ключевого файла",
            "Checking the inputs and the key file",
        ),
        3 => (
            "Установка нового пароля токена",
            "Setting the new token password",
        ),
        4 => (
            "Генерация ключей на токене (может занять до 5 минут)",
            "Generating the keys on the token (up to 5 minutes)",
        ),
        5 => (
            "Получение сертификатов в УЦ",
            "Getting the certificates from the CA",
        ),
        6 => ("Подтверждение сертификатов", "Confirming the certificates"),
        _ => (
            "Регистрация в Интернет-банкинге",
            "Registering with the Internet-Banking",
        ),
    };
    lang.pick(ru, en, None)
}

/// Runs the enrollment: a new one on an empty token, or the rest of an unfinished one.
pub fn run(ctx: &mut Context<'_>) -> Result<Outcome, CoreError> {
    let settings = ctx
        .profile()
        .workflows
        .enroll
        .clone()
        .ok_or(EnrollError::NotConfigured)?;
    let lang = ctx.lang();
    ctx.step(1, TOTAL, label(lang, 1));
    let info = ctx.token()?.info()?;
    let journal = store::read(ctx.token()?)?;
    match (&journal, info.state) {
        (Some(j), _) if j.state == JournalState::Complete => return already_done(ctx, j, &info),
        (None, ProfileState::Enrolled) => return Err(EnrollError::AlreadyEnrolled.into()),
        _ => {}
    }
    ctx.tell(&state_screen(lang, &info, journal.as_ref()));
    ctx.step(2, TOTAL, label(lang, 2));
    let collected = wizard::collect(ctx, &settings, journal.as_ref())?;
    hooks::point("checked");
    let token_label = format!("{} {} ({})", info.model, info.serial, info.label);
    wizard::confirm(ctx, &collected, &token_label, journal.is_some())?;
    let resumed_from = journal.as_ref().map(|j| j.step);
    let journal = drive(ctx, &settings, &collected, journal)?;
    Ok(outcome(lang, &journal, &info, resumed_from, &collected))
}

/// The steps after the checks.
fn drive(
    ctx: &mut Context<'_>,
    settings: &EnrollSettings,
    c: &Collected,
    journal: Option<Journal>,
) -> Result<Journal, CoreError> {
    let lang = ctx.lang();
    ctx.step(3, TOTAL, label(lang, 3));
    let mut journal = token_setup::run(ctx, c, journal)?;
    if journal.step < Step::KeysGenerated {
        ctx.step(4, TOTAL, label(lang, 4));
    }
    keys::run(ctx, settings, &mut journal)?;
    certify::run(ctx, settings, c, &mut journal, |ctx, n| {
        ctx.step(n, TOTAL, label(lang, n))
    })?;
    ctx.step(7, TOTAL, label(lang, 7));
    register::run(ctx, settings, &mut journal)?;
    if journal.step < Step::Complete {
        // The profile's name in the applet's list (§3.21); repeating it is harmless.
        if !journal.token_name.is_empty() {
            match ctx.token()?.set_label(&journal.token_name) {
                Ok(()) => {}
                Err(tamga_core::TokenError::Unsupported(why)) => {
                    log::info!("token name kept in the journal only: {why}")
                }
                Err(e) => return Err(e.into()),
            }
        }
        journal.step = Step::Complete;
        journal.state = JournalState::Complete;
        store::write(ctx.token()?, &journal)?;
        hooks::point("journal-complete");
    }
    Ok(journal)
}

/// Now, Unix seconds.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn state_screen(lang: Lang, info: &TokenInfo, journal: Option<&Journal>) -> String {
    let label = if info.label.is_empty() {
        "<no label>".to_owned()
    } else {
        info.label.clone()
    };
    match journal {
        None => lang.pick(
            format!("Профиль: {} {label} - ? (токен пуст, можно регистрироваться)", info.model),
            format!("Profile: {} {label} - ? (the token is empty and ready for enrollment)", info.model),
            None,
        ),
        Some(j) => lang.pick(
            format!(
                "Профиль: {} {label}: регистрация пользователя {} не завершена (шаг «{}»). Она будет продолжена; форматировать токен до её завершения запрещено.",
                info.model, j.user_id, j.step.name()
            ),
            format!(
                "Profile: {} {label}: the enrollment of {} is unfinished (step `{}`); it will be resumed (formatting is refused until it completes).",
                info.model, j.user_id, j.step.name()
            ),
            None,
        ),
    }
}

fn already_done(
    ctx: &mut Context<'_>,
    j: &Journal,
    info: &TokenInfo,
) -> Result<Outcome, CoreError> {
    let lang = ctx.lang();
    Ok(Outcome {
        summary: lang.pick(
            format!("Токен уже зарегистрирован: пользователь {}.", j.user_id),
            format!("The token is already enrolled for {}.", j.user_id),
            None,
        ),
        data: json!({
            "enrolled": true,
            "already": true,
            "user_id": j.user_id,
            "token": { "serial": info.serial, "label": info.label },
            "token_name": j.token_name,
            "keys": { "sign": j.sign_key.get(), "auth": j.auth_key.get() },
        }),
    })
}

fn outcome(
    lang: Lang,
    j: &Journal,
    info: &TokenInfo,
    resumed_from: Option<Step>,
    c: &Collected,
) -> Outcome {
    let cert_line = |der: &Option<Vec<u8>>| {
        der.as_deref()
            .and_then(|d| tamga_pki::Certificate::from_der(d).ok())
            .map(|c| (hex::encode(c.serial()), c.subject()))
            .unwrap_or_default()
    };
    let (sign_serial, subject) = cert_line(&j.sign_cert);
    let (auth_serial, _) = cert_line(&j.auth_cert);
    let name = if j.token_name.is_empty() {
        info.label.clone()
    } else {
        j.token_name.clone()
    };
    let summary = lang.pick(
        format!(
            "Регистрация завершена успешно.\n  Профиль: KAZTOKEN {name} ({})\n  Сертификаты: {subject}; SIGN №{sign_serial}, AUTH №{auth_serial}\n  Теперь можно войти в Интернет-банкинг с паролем токена (tamga login).",
            j.user_id
        ),
        format!(
            "Enrollment complete.\n  Profile: KAZTOKEN {name} ({})\n  Certificates: {subject}; SIGN #{sign_serial}, AUTH #{auth_serial}\n  You can now log in to the Internet-Banking with the token password (tamga login).",
            j.user_id
        ),
        None,
    );
    Outcome {
        summary,
        data: json!({
            "enrolled": true,
            "user_id": j.user_id,
            "token": { "serial": info.serial, "label": name },
            "token_name": j.token_name,
            "resumed_from": resumed_from.map(Step::name),
            "otp_pin_corrected": c.init.otp_corrected.is_some(),
            "term_months": j.term_months,
            "keys": { "sign": j.sign_key.get(), "auth": j.auth_key.get() },
            "certificates": { "sign_serial": sign_serial, "auth_serial": auth_serial, "subject": subject },
        }),
    }
}
