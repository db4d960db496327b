//! How token facts read for people and for scripts, shared by every front end and workflow.

use serde_json::{json, Value};
use tamga_token::{PinCounters, PinStatus, ProfileState, Role, TokenInfo};

use crate::Lang;

/// One PIN's state for `--json`: `{"state": "not_verified", "remaining": 9}`.
pub fn pin_status_json(s: PinStatus) -> Value {
    match s {
        PinStatus::Verified => json!({ "state": "verified" }),
        PinStatus::NotVerified { remaining } => {
            json!({ "state": "not_verified", "remaining": remaining })
        }
        PinStatus::Blocked => json!({ "state": "blocked", "remaining": 0 }),
    }
}

/// Both counters for `--json`.
pub fn counters_json(c: &PinCounters) -> Value {
    json!({ "user": pin_status_json(c.user), "admin": pin_status_json(c.admin) })
}

/// Both counters, one line each.
pub fn counters_text(c: &PinCounters, lang: Lang) -> String {
    format!(
        "{}: {}\n{}: {}",
        role_title(Role::User, lang),
        pin_status_text(c.user, lang),
        role_title(Role::Admin, lang),
        pin_status_text(c.admin, lang)
    )
}

/// "Пароль пользователя" / "User PIN".
pub fn role_title(role: Role, lang: Lang) -> &'static str {
    match role {
        Role::User => lang.pick(
            "Пароль пользователя",
            "User PIN",
            Some("Пайдаланушы паролі"),
        ),
        Role::Admin => lang.pick("Пароль администратора", "Admin PIN", Some("Әкімші паролі")),
    }
}

fn pin_status_text(s: PinStatus, lang: Lang) -> String {
    match s {
        PinStatus::Verified => lang
            .pick(
                "введён в этом сеансе",
                "verified in this session",
                Some("осы сеанста енгізілген"),
            )
            .to_owned(),
        PinStatus::NotVerified { remaining } => lang.pick(
            format!("осталось попыток: {remaining}"),
            format!(
                "{remaining} {} left",
                if remaining == 1 { "try" } else { "tries" }
            ),
            Some(format!("қалған әрекеттер: {remaining}")),
        ),
        PinStatus::Blocked => lang
            .pick("заблокирован", "blocked", Some("бұғатталған"))
            .to_owned(),
    }
}

/// The token's identity for `--json`.
pub fn info_json(i: &TokenInfo) -> Value {
    json!({
        "label": i.label,
        "serial": i.serial,
        "model": i.model,
        "state": state_code(i.state),
    })
}

/// The token's identity, one field a line.
pub fn info_text(i: &TokenInfo, lang: Lang) -> String {
    let state = match i.state {
        ProfileState::Empty => lang.pick(
            "пуст, готов к регистрации",
            "empty, ready for enrollment",
            Some("бос, тіркеуге дайын"),
        ),
        ProfileState::Enrolled => lang.pick("зарегистрирован", "enrolled", Some("тіркелген")),
        ProfileState::EnrollmentInProgress => lang.pick(
            "регистрация не завершена: продолжите её, не форматируйте токен",
            "enrollment unfinished: resume it, do not format the token",
            None,
        ),
    };
    let [label, serial, model, st] = match lang {
        Lang::En => ["Label", "Serial", "Model", "State"],
        Lang::Ru => ["Имя", "Серийный номер", "Модель", "Состояние"],
        Lang::Kk => ["Атауы", "Сериялық нөмірі", "Моделі", "Күйі"],
    };
    format!(
        "{label}: {}\n{serial}: {}\n{model}: {}\n{st}: {state}",
        i.label, i.serial, i.model
    )
}

fn state_code(s: ProfileState) -> &'static str {
    match s {
        ProfileState::Empty => "empty",
        ProfileState::Enrolled => "enrolled",
        ProfileState::EnrollmentInProgress => "enrollment_in_progress",
    }
}
