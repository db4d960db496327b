//! The browser policy, in the order the issue asks: the origin against the profile's allow-list
//! before anything else, then the reduced command set, then the rate limit, then what the person
//! must confirm (a payment order is parsed and checked here, not rendered by the page). Both the
//! service and a native host running alone apply it.

use serde_json::Value;
use tamga_core::profile::LoadedProfile;
use tamga_core::Lang;
use tamga_service::api::RunParams;
use tamga_service::audit::sha256_hex;
use tamga_service::payment::{shown, PaymentOrder};
use tamga_service::{browser, origin};

use super::outcome::own_error;

/// The field that carries the payment order's exact bytes (as UTF-8 JSON text).
pub const ORDER_FIELD: &str = "sign.order";

/// What a request that passed must still do.
#[derive(Debug, Default)]
pub struct Gate {
    /// The confirmation to show first (origin, and for a payment its parsed details).
    pub confirm: Option<String>,
    /// The SHA-256 of the data to sign, for the audit line.
    pub data_sha256: Option<String>,
}

/// The web origins the profile allows: those of login, sign and enroll.
pub fn allowed_origins(profile: &LoadedProfile) -> Vec<String> {
    let w = &profile.profile.workflows;
    let mut all: Vec<String> = Vec::new();
    if let Some(e) = &w.enroll {
        all.extend(e.origins.iter().cloned());
    }
    if let Some(l) = &w.login {
        all.extend(l.origins.iter().cloned());
    }
    if let Some(s) = &w.sign {
        all.extend(s.origins.iter().cloned());
    }
    all
}

/// The origin check alone.
pub fn origin_only(profile: &LoadedProfile, origin: &str, lang: Lang) -> Result<(), Value> {
    if origin::is_allowed(origin, &allowed_origins(profile)) {
        Ok(())
    } else {
        Err(refused_origin(origin, lang))
    }
}

fn refused_origin(origin: &str, lang: Lang) -> Value {
    let shown = shown(origin);
    own_error(
        "browser.origin_refused",
        "usage",
        &format!("Сайт {shown} не входит в список разрешённых профилем."),
        &format!("the site {shown} is not on the profile's list of origins"),
        lang,
    )
}

/// One prompt at a time.
pub fn busy(lang: Lang) -> Value {
    own_error(
        "browser.prompt_busy",
        "cancelled",
        "Уже открыт другой запрос tamga: завершите его и повторите.",
        "another tamga prompt is open: finish it and try again",
        lang,
    )
}

/// Checks a browser's `run` request; `admit(origin, per_minute)` is the rate limit.
pub fn check(
    profile: &LoadedProfile,
    origin: &str,
    params: &RunParams,
    lang: Lang,
    admit: &mut dyn FnMut(&str, u32) -> bool,
) -> Result<Gate, (&'static str, Value)> {
    if !origin::is_allowed(origin, &allowed_origins(profile)) {
        return Err(("browser.origin_refused", refused_origin(origin, lang)));
    }
    // Per-workflow lists: a login origin may not sign unless sign lists it too, and only an
    // origin the enroll section names may register (new keys, the bank's key file).
    let w = &profile.profile.workflows;
    let listed = match params.workflow.as_str() {
        "login" => w.login.as_ref().map(|l| l.origins.clone()),
        "sign" => w.sign.as_ref().map(|s| s.origins.clone()),
        "enroll" => w.enroll.as_ref().map(|e| e.origins.clone()),
        _ => Some(allowed_origins(profile)),
    };
    if !listed.is_some_and(|l| origin::is_allowed(origin, &l)) {
        return Err(("browser.origin_refused", refused_origin(origin, lang)));
    }
    page_fields(params, lang)?;
    if !browser::may_run(&params.workflow, &params.action) {
        let e = own_error(
            "browser.forbidden",
            "usage",
            "Это действие недоступно из браузера: выполните его командой tamga.",
            "this action is not available to web pages; use the tamga command",
            lang,
        );
        return Err(("browser.forbidden", e));
    }
    let normal = origin::normalize(origin).unwrap_or_default();
    if !admit(&normal, profile.profile.service.browser_requests_per_minute) {
        let e = own_error(
            "browser.rate_limited",
            "cancelled",
            "Слишком много запросов с этого сайта: подождите минуту.",
            "too many requests from this site: wait a minute",
            lang,
        );
        return Err(("browser.rate_limited", e));
    }
    let from = lang.pick(
        "Запрос из веб-браузера",
        "Request from the web browser",
        Some("Веб-браузерден сұрау"),
    );
    let site = format!("{from}: {}", shown(&normal));
    let mut gate = Gate::default();
    match params.workflow.as_str() {
        "sign" => {
            let Some(order) = params.fields.get(ORDER_FIELD) else {
                let e = own_error(
                    "browser.no_order",
                    "usage",
                    "Нет платёжного поручения для подписи.",
                    "no payment order to sign",
                    lang,
                );
                return Err(("browser.no_order", e));
            };
            let parsed = PaymentOrder::parse(order.as_bytes()).map_err(|b| {
                let e = own_error(
                    "browser.bad_order",
                    "usage",
                    &format!("Платёжное поручение неверно: {}", b.0),
                    &b.to_string(),
                    lang,
                );
                ("browser.bad_order", e)
            })?;
            let q = lang.pick(
                "Подписать это платёжное поручение?",
                "Sign this payment order?",
                Some("Осы төлем тапсырмасына қол қою керек пе?"),
            );
            gate.confirm = Some(format!("{site}\n{q}\n\n{}", parsed.summary(lang)));
            gate.data_sha256 = Some(sha256_hex(order.as_bytes()));
        }
        "login" => {
            let q = lang.pick(
                "Войти в интернет-банк с ключом токена?",
                "Sign in to the Internet-Banking with the token's key?",
                None,
            );
            gate.confirm = Some(format!("{site}\n{q}"));
        }
        "enroll" => {
            let q = lang.pick(
                "Зарегистрировать токен в банке (новые ключи и сертификаты)?",
                "Register the token with the bank (new keys and certificates)?",
                None,
            );
            gate.confirm = Some(format!("{site}\n{q}"));
        }
        _ => {}
    }
    Ok(gate)
}

/// The fields a page may fill; everything else (file paths above all: `sign.order_file`,
/// `sign.cms_out`) is the front end's business, never the page's.
const PAGE_FIELDS: &[&str] = &[ORDER_FIELD, "enroll.user_id"];

/// Refuses fields a page may not set.
pub fn page_fields(params: &RunParams, lang: Lang) -> Result<(), (&'static str, Value)> {
    match params
        .fields
        .keys()
        .find(|k| !PAGE_FIELDS.contains(&k.as_str()))
    {
        None => Ok(()),
        Some(k) => Err((
            "browser.bad_field",
            own_error(
                "browser.bad_field",
                "usage",
                &format!("Поле «{}» нельзя задать со страницы.", shown(k)),
                &format!("a page may not set the field `{}`", shown(k)),
                lang,
            ),
        )),
    }
}

/// The order's bytes in a private file, for the `sign` workflow (which reads a file); removed
/// when dropped.
pub struct OrderFile(std::path::PathBuf);

impl Drop for OrderFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// For a payment: writes the order into `dir` (created 0700) and names the file in the
/// workflow's field; other requests pass unchanged.
pub fn with_order_file(
    params: &RunParams,
    dir: &std::path::Path,
) -> std::io::Result<(RunParams, Option<OrderFile>)> {
    let Some(order) = params
        .fields
        .get(ORDER_FIELD)
        .filter(|_| params.workflow == "sign")
    else {
        return Ok((params.clone(), None));
    };
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let path = dir.join(format!(
        "order-{}-{}.json",
        std::process::id(),
        sha256_hex(order.as_bytes()).get(..16).unwrap_or("x")
    ));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)?;
    std::io::Write::write_all(&mut f, order.as_bytes())?;
    let mut p = params.clone();
    p.fields
        .insert("sign.order_file".into(), path.display().to_string());
    Ok((p, Some(OrderFile(path))))
}

/// The workflow's own "sign this?" after tamga's confirmation of the same order was accepted.
pub const WORKFLOW_CONFIRM: &str = "sign.confirm";
