//! The `sign` workflow: read and check the order, show it, confirm, sign with the SIGN key,
//! log in with the AUTH key, submit, and read the payment back from IB.

use std::cell::RefCell;

use serde_json::json;
use tamga_bank_client::http::Http;
use tamga_bank_client::ib::Ib;
use tamga_bank_client::{cms_options, TokenSigner};
use tamga_core::interaction::Confirmation;
use tamga_core::{Context, CoreError, Field, Lang, Outcome, PluginError, Workflow};
use tamga_pki::cms;

use crate::display;
use crate::order::{Order, MAX_ORDER};
use crate::SignError;

/// Field keys.
pub mod keys {
    /// The order file's path.
    pub const ORDER_FILE: &str = "sign.order_file";
    /// Where to keep the signed CMS (optional).
    pub const CMS_OUT: &str = "sign.cms_out";
    /// The confirmation before signing.
    pub const CONFIRM: &str = "sign.confirm";
}

/// The workflow.
pub struct SignWorkflow;

/// The sign section is missing.
#[derive(Clone, Copy, Debug)]
struct NotConfigured;

impl PluginError for NotConfigured {
    fn code(&self) -> &'static str {
        "sign.not_configured"
    }
    fn class(&self) -> tamga_core::ErrorClass {
        tamga_core::ErrorClass::Usage
    }
    fn message(&self, lang: Lang) -> String {
        lang.pick(
            "В профиле нет настроек подписи (workflows.sign).",
            "the profile has no signing settings (workflows.sign)",
            None,
        )
        .to_owned()
    }
}

impl Workflow for SignWorkflow {
    fn name(&self) -> &'static str {
        "sign"
    }

    fn actions(&self) -> &'static [&'static str] {
        &["payment"]
    }

    fn run(&self, ctx: &mut Context<'_>) -> Result<Outcome, CoreError> {
        payment(ctx)
    }
}

fn payment(ctx: &mut Context<'_>) -> Result<Outcome, CoreError> {
    let lang = ctx.lang();
    let l = |ru: &'static str, en: &'static str| lang.pick(ru, en, None);
    let settings = ctx
        .profile()
        .workflows
        .sign
        .clone()
        .ok_or(CoreError::Plugin(Box::new(NotConfigured)))?;
    let login = tamga_plugin_login::open_session;
    let login_settings = tamga_plugin_login_settings(ctx)?;
    ctx.step(
        1,
        5,
        l(
            "Проверка платёжного поручения",
            "Checking the payment order",
        ),
    );
    let field = |key, label| Field {
        key,
        label,
        default: None,
    };
    let path = ctx
        .text(field(
            keys::ORDER_FILE,
            l(
                "Файл платёжного поручения (JSON)",
                "Payment order file (JSON)",
            ),
        ))?
        .ok_or(SignError::File("no file given".into()))?;
    let bytes = read_bounded(&path)?;
    let order = Order::parse(&bytes).map_err(SignError::from)?;
    ctx.tell(&display::screen(&order, lang, settings.detached));
    match ctx.confirm(
        keys::CONFIRM,
        l("Подписать это поручение?", "Sign this order?"),
    )? {
        Confirmation::Yes => {}
        Confirmation::No => return Err(SignError::NotConfirmed { asked: true }.into()),
        Confirmation::CannotAsk => return Err(SignError::NotConfirmed { asked: false }.into()),
    }
    ctx.step(2, 5, l("Вход на токен", "Logging in to the token"));
    let enrolled = tamga_plugin_login::token_login(ctx)?;
    ctx.step(
        3,
        5,
        l(
            "Подпись ключом SIGN на токене",
            "Signing with the SIGN key on the token",
        ),
    );
    let options = cms_options(
        settings.oids,
        settings.signature_encoding,
        settings.detached,
    )
    .map_err(|e| SignError::Pki(e.to_string()))?;
    let cms_der = {
        let shared = RefCell::new(ctx.token()?);
        let signer = TokenSigner::open(&shared, enrolled.sign_key)?;
        cms::sign(&bytes, &signer, &enrolled.sign_cert, &options).map_err(|e| {
            match signer.take_failure() {
                Some(t) => CoreError::from(t),
                None => SignError::Pki(e.to_string()).into(),
            }
        })?
    };
    if let Some(out) = ctx.text(field(
        keys::CMS_OUT,
        l("Куда сохранить подпись", "Where to keep the signature"),
    ))? {
        std::fs::write(&out, &cms_der).map_err(|e| SignError::File(format!("{out}: {e}")))?;
    }
    ctx.step(
        4,
        5,
        l(
            "Вход в Интернет-банкинг (ключ AUTH)",
            "Logging in to the Internet-Banking (AUTH key)",
        ),
    );
    let session = login(ctx, &login_settings, &enrolled)?;
    ctx.step(5, 5, l("Отправка в банк", "Submitting to the bank"));
    let ib = Ib::new(Http::new(&login_settings.bank, ctx.profile_dir())?);
    let accepted = ib.submit_payment(&session, &bytes, &cms_der)?;
    let state = ib.payment(&session, &accepted.payment_id)?;
    let status = state["status"].as_str().unwrap_or_default().to_owned();
    if status != "accepted" {
        return Err(SignError::NotAccepted(status).into());
    }
    Ok(Outcome {
        summary: lang.pick(
            format!(
                "Платёж № {} на {} {} подписан и принят банком (ID {}).",
                order.number,
                display::amount(&order.amount),
                order.currency,
                accepted.payment_id
            ),
            format!(
                "Payment no. {} of {} {} signed and accepted by the bank (ID {}).",
                order.number,
                display::amount(&order.amount),
                order.currency,
                accepted.payment_id
            ),
            None,
        ),
        data: json!({
            "payment_id": accepted.payment_id,
            "status": status,
            "signed_by": state["signed_by"],
            "detached": settings.detached,
            "order": { "number": order.number, "amount": order.amount, "currency": order.currency,
                       "recipient": order.recipient.name, "iik": order.recipient.iik,
                       "bin": order.recipient.bin, "knp": order.knp },
        }),
    })
}

fn tamga_plugin_login_settings(
    ctx: &Context<'_>,
) -> Result<tamga_core::profile::LoginSettings, CoreError> {
    ctx.profile().workflows.login.clone().ok_or_else(|| {
        SignError::File("the profile has no workflows.login (the bank endpoint)".into()).into()
    })
}

fn read_bounded(path: &str) -> Result<Vec<u8>, CoreError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| SignError::File(format!("{path}: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_ORDER as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SignError::File(format!("{path}: {e}")))?;
    Ok(bytes)
}
