//! The registration wizard in the guide's order (§3.13–3.18): the token's password, user ID
//! (shown back), OTP PIN, key file, "password matches PIN" — then the key file is opened offline
//! and checked — token name, the new password twice, the term, and the confirmation screen.
//! With a person answering (a terminal, the browser's pinentry dialogs) a wrong answer is
//! explained ([`Context::wrong_answer`]) and asked again, up to [`RETRIES`] times; without one
//! (flags, answers file) it ends the run before the token is touched. The same rule covers the
//! token's password, which only the token can check ([`may_ask_again`], [`token_password`]).

use std::path::PathBuf;

use tamga_core::interaction::Confirmation;
use tamga_core::profile::EnrollSettings;
use tamga_core::{Context, CoreError, Field, Lang, Pin};

use crate::inputs::{self, keys, Inputs, FACTORY_PIN};
use crate::journal::{Journal, Step};
use crate::keyfile::{self, InitKey, Password};
use crate::otp_variants;
use crate::EnrollError;

/// How many times a person is asked a question, the first time included.
pub const RETRIES: usize = 3;

/// Whether the question whose `round`-th answer (1-based) was wrong may be asked again: only a
/// person is, and only [`RETRIES`] times in all.
pub fn may_ask_again(ctx: &Context<'_>, round: usize) -> bool {
    ctx.is_interactive() && round < RETRIES
}

/// The inputs and the opened key file.
pub struct Collected {
    /// What the person gave.
    pub inputs: Inputs,
    /// The key file, opened and checked.
    pub init: InitKey,
}

fn field<'a>(key: &'static str, label: &'a str, default: Option<&'a str>) -> Field<'a> {
    Field {
        key,
        label,
        default,
    }
}

/// Asks a text field until it passes `check` (a person) or once (a script).
fn text(
    ctx: &mut Context<'_>,
    f: Field<'_>,
    check: impl Fn(&str) -> Result<(), EnrollError>,
) -> Result<String, CoreError> {
    let mut round = 0;
    loop {
        round += 1;
        let answer = match ctx.text(f)? {
            Some(a) => a.trim().to_owned(),
            None => match f.default {
                Some(d) => d.to_owned(),
                None => return Err(EnrollError::Missing(f.key).into()),
            },
        };
        let answer = if answer.is_empty() {
            f.default.unwrap_or_default().to_owned()
        } else {
            answer
        };
        match check(&answer) {
            Ok(()) => return Ok(answer),
            Err(e) if may_ask_again(ctx, round) => {
                ctx.wrong_answer(&tamga_core::PluginError::message(&e, ctx.lang()))
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Asks a secret field until it passes `check`.
fn secret(
    ctx: &mut Context<'_>,
    f: Field<'_>,
    check: impl Fn(&Pin) -> Result<(), CoreError>,
) -> Result<Pin, CoreError> {
    let mut round = 0;
    loop {
        round += 1;
        let pin = ctx.secret_field(f)?.ok_or(EnrollError::Missing(f.key))?;
        match check(&pin) {
            Ok(()) => return Ok(pin),
            Err(e) if may_ask_again(ctx, round) => ctx.wrong_answer(&e.message(ctx.lang())),
            Err(e) => return Err(e),
        }
    }
}

/// The token's password asked again after the token refused it (`why`: the token's words,
/// with the tries left); `None` when it may not be asked again (`round` answers were wrong, or
/// nobody answers). `current`: the password the token has now, else the one set by this
/// enrollment (an unfinished one, resumed). The caller presents it with the last-try guard.
pub fn token_password(
    ctx: &mut Context<'_>,
    current: bool,
    why: &CoreError,
    round: usize,
) -> Result<Option<Pin>, CoreError> {
    if !may_ask_again(ctx, round) {
        return Ok(None);
    }
    let lang = ctx.lang();
    ctx.wrong_answer(&why.message(lang));
    let f = if current {
        current_pin_field(lang)
    } else {
        token_pin_field(lang)
    };
    let pin = ctx.secret_field(f)?.ok_or(EnrollError::Missing(f.key))?;
    Ok(Some(pin))
}

fn current_pin_field(lang: Lang) -> Field<'static> {
    field(
        keys::CURRENT_PIN,
        l(
            lang,
            "Пароль токена (по умолчанию 12345678)",
            "Token password (factory default 12345678)",
        ),
        None,
    )
}

fn token_pin_field(lang: Lang) -> Field<'static> {
    field(
        keys::NEW_PIN,
        l(lang, "Пароль токена", "Token password"),
        None,
    )
}

fn l(lang: Lang, ru: &'static str, en: &'static str) -> &'static str {
    lang.pick(ru, en, None)
}

/// Runs the wizard. `resume`: the unfinished journal on the token, whose user ID and key file
/// must come again.
pub fn collect(
    ctx: &mut Context<'_>,
    settings: &EnrollSettings,
    resume: Option<&Journal>,
) -> Result<Collected, CoreError> {
    let lang = ctx.lang();
    let pin_changed = resume.is_some_and(|j| j.step >= Step::PinChanged);
    // §3.13: the token's password — the factory one on an empty token.
    let current_pin = if pin_changed {
        None
    } else {
        ctx.secret_field(current_pin_field(lang))?
    }
    .unwrap_or_else(|| Pin::from(FACTORY_PIN));

    // §3.16: user ID, OTP PIN, key file, "password matches PIN"; then the key file is opened.
    let (user_id, otp_pin, key_file, key_password, init) = {
        let mut round = 0;
        loop {
            round += 1;
            let pattern = settings.user_id_pattern.clone();
            let user_id = text(
                ctx,
                field(
                    keys::USER_ID,
                    l(lang, "ID пользователя", "User ID"),
                    resume.map(|j| j.user_id.as_str()),
                ),
                |u| inputs::check_user_id(u, &pattern),
            )?;
            if let Some(j) = resume.filter(|j| j.user_id != user_id) {
                return Err(EnrollError::ResumeMismatch {
                    what: "user_id",
                    journal_user: j.user_id.clone(),
                }
                .into());
            }
            // Shown back letter by letter: aq and ag look alike in a hurry (guide, Рис. 21).
            let spaced: String = user_id.chars().map(|c| format!("{c} ")).collect();
            ctx.tell(&format!(
                "{}: {user_id}   ({})",
                l(lang, "ID пользователя", "User ID"),
                spaced.trim_end()
            ));
            let rules = settings.otp_pin;
            let otp_pin = secret(
                ctx,
                field(
                    keys::OTP_PIN,
                    l(
                        lang,
                        "ПИН с OTP-карты (11 символов, заглавными буквами)",
                        "PIN from the OTP card (11 characters, upper case)",
                    ),
                    None,
                ),
                |p| inputs::check_otp(p, &rules).map_err(Into::into),
            )?;
            let key_file = PathBuf::from(text(
                ctx,
                field(
                    keys::KEY_FILE,
                    l(
                        lang,
                        "Ключевой файл (GOST.pfx или Key.pfx)",
                        "Key file (GOST.pfx or Key.pfx)",
                    ),
                    None,
                ),
                |p| {
                    if std::path::Path::new(p).is_file() {
                        Ok(())
                    } else {
                        Err(EnrollError::KeyFile(format!("{p}: no such file")))
                    }
                },
            )?);
            let same = ctx.confirm(
                keys::PASSWORD_MATCHES_PIN,
                l(
                    lang,
                    "Пароль совпадает с ПИНом?",
                    "Does the key file's password match the PIN?",
                ),
            )?;
            let key_password = match same {
                Confirmation::No => Some(secret(
                    ctx,
                    field(
                        keys::KEY_PASSWORD,
                        l(lang, "Пароль ключевого файла", "Key file password"),
                        None,
                    ),
                    |_| Ok(()),
                )?),
                _ => None,
            };
            let bytes = std::fs::read(&key_file)
                .map_err(|e| EnrollError::KeyFile(format!("{}: {e}", key_file.display())))?;
            let password = match &key_password {
                Some(p) => Password::Own(p),
                None => Password::SameAsOtp(&otp_pin),
            };
            match keyfile::open(&bytes, password, &user_id) {
                Ok(init) => break (user_id, otp_pin, key_file, key_password, init),
                Err(e @ (EnrollError::WrongContainer | EnrollError::CertUserMismatch { .. }))
                    if may_ask_again(ctx, round) =>
                {
                    ctx.wrong_answer(&tamga_core::PluginError::message(&e, lang));
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    if let Some(j) = resume.filter(|j| j.key_file_sha256 != init.file_sha256) {
        return Err(EnrollError::ResumeMismatch {
            what: "key_file",
            journal_user: j.user_id.clone(),
        }
        .into());
    }
    if let Some(corrected) = &init.otp_corrected {
        let typed = String::from_utf8_lossy(otp_pin.as_bytes()).into_owned();
        let worked = String::from_utf8_lossy(corrected.as_bytes()).into_owned();
        let swaps: Vec<String> = otp_variants::swaps(&typed, &worked)
            .into_iter()
            .map(|(pos, was, is)| match lang {
                Lang::En => format!(
                    "position {pos}: {} rather than {}",
                    describe(is, lang),
                    describe(was, lang)
                ),
                _ => format!(
                    "позиция {pos}: {}, а не {}",
                    describe(is, lang),
                    describe(was, lang)
                ),
            })
            .collect();
        ctx.tell(&format!(
            "{} {}",
            l(
                lang,
                "Ключевой файл открылся с исправленным ПИНом:",
                "The key file opened with a corrected PIN:"
            ),
            if swaps.is_empty() {
                l(lang, "заглавными буквами", "in upper case").to_owned()
            } else {
                swaps.join("; ")
            }
        ));
    }

    // §3.17: token name, the new password twice.
    let token_name = text(
        ctx,
        field(
            keys::TOKEN_NAME,
            l(
                lang,
                "Имя токена (латиницей, не обязательно)",
                "Token name (Latin, optional)",
            ),
            Some(resume.map_or("", |j| j.token_name.as_str())),
        ),
        inputs::check_token_name,
    )?;
    let rules = ctx.profile().workflows.pin.user_password.clone();
    let new_pin = if pin_changed {
        // The password is already set on the token: asked once, to log in.
        secret(ctx, token_pin_field(lang), |_| Ok(()))?
    } else {
        let mut result = None;
        for round in 1..=RETRIES {
            let new = secret(
                ctx,
                field(
                    keys::NEW_PIN,
                    l(lang, "Новый пароль токена", "New token password"),
                    None,
                ),
                |_| Ok(()),
            )?;
            let repeat = secret(
                ctx,
                field(
                    keys::NEW_PIN_REPEAT,
                    l(lang, "Подтверждение пароля", "Repeat the new password"),
                    None,
                ),
                |_| Ok(()),
            )?;
            let broken = tamga_plugin_pin::check(&rules, new.as_bytes(), repeat.as_bytes());
            if broken.is_empty() {
                result = Some(new);
                break;
            }
            let e = CoreError::Plugin(Box::new(tamga_plugin_pin::PasswordError(broken)));
            if !may_ask_again(ctx, round) {
                return Err(e);
            }
            ctx.wrong_answer(&e.message(lang));
        }
        result.ok_or(CoreError::Cancelled)?
    };
    let default_term = resume
        .map(|j| j.term_months)
        .or(settings.certificate_terms_months.first().copied())
        .unwrap_or(12)
        .to_string();
    let term_text = text(
        ctx,
        field(
            keys::TERM,
            l(
                lang,
                "Срок сертификатов, месяцев (по договору)",
                "Certificate term in months (from the contract)",
            ),
            Some(&default_term),
        ),
        |t| inputs::parse_term(t, settings).map(drop),
    )?;
    let term_months = inputs::parse_term(&term_text, settings)?;
    Ok(Collected {
        inputs: Inputs {
            current_pin,
            user_id,
            otp_pin,
            key_file,
            key_password,
            token_name,
            new_pin,
            term_months,
        },
        init,
    })
}

fn describe(c: char, lang: Lang) -> &'static str {
    match (c, lang) {
        ('1', Lang::En) => "digit one",
        ('I', Lang::En) => "letter I",
        ('0', Lang::En) => "digit zero",
        ('O', Lang::En) => "letter O",
        ('1', _) => "цифра 1",
        ('I', _) => "буква I",
        ('0', _) => "цифра 0",
        ('O', _) => "буква O",
        _ => "?",
    }
}

/// The confirmation screen (§3.18); `Ok` on yes. A script's answers are its consent.
pub fn confirm(
    ctx: &mut Context<'_>,
    c: &Collected,
    token_label: &str,
    resuming: bool,
) -> Result<(), CoreError> {
    let lang = ctx.lang();
    let i = &c.inputs;
    let cert = c.init.certs.first();
    let yes_no = |b: bool| {
        if b {
            l(lang, "да", "yes")
        } else {
            l(lang, "нет", "no")
        }
    };
    let screen = [
        l(lang, "Проверьте данные регистрации:", "Check the registration data:").to_owned(),
        format!("  {}: {token_label}", l(lang, "Токен", "Token")),
        format!("  {}: {}", l(lang, "ID пользователя", "User ID"), i.user_id),
        format!(
            "  {}: {} ({})",
            l(lang, "Ключевой файл", "Key file"),
            i.key_file.display(),
            cert.map(|c| c.subject()).unwrap_or_default()
        ),
        format!("  {}: {}", l(lang, "Пароль совпадает с ПИНом", "Password matches PIN"), yes_no(i.key_password.is_none())),
        format!("  {}: {}", l(lang, "Имя токена", "Token name"), if i.token_name.is_empty() { "—" } else { &i.token_name }),
        format!("  {}: ********", l(lang, "Новый пароль", "New password")),
        format!("  {}: {}", l(lang, "Срок сертификатов, месяцев", "Certificate term, months"), i.term_months),
        if resuming {
            l(lang, "Регистрация на токене не завершена и будет продолжена.", "The unfinished enrollment on the token will be resumed.").to_owned()
        } else {
            l(lang, "Будут созданы ключи на токене, получены сертификаты в УЦ и зарегистрированы в Интернет-банкинге.", "Keys will be generated on the token, certified by the CA and registered with the Internet-Banking.").to_owned()
        },
    ]
    .join("\n");
    ctx.tell(&screen);
    match ctx.confirm(
        keys::CONFIRM,
        l(
            lang,
            "Данные верны, продолжить?",
            "The data is correct; continue?",
        ),
    )? {
        Confirmation::No => Err(EnrollError::Declined.into()),
        Confirmation::Yes | Confirmation::CannotAsk => Ok(()),
    }
}
