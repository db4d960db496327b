//! Challenge → CMS by the AUTH key → session.

use std::cell::RefCell;
use std::time::SystemTime;

use tamga_bank_client::http::Http;
use tamga_bank_client::ib::{Ib, Session};
use tamga_bank_client::TokenSigner;
use tamga_core::interaction::SecretPrompt;
use tamga_core::profile::LoginSettings;
use tamga_core::{Context, CoreError, Lang, PluginError, Role};
use tamga_pki::cms::{self, SignOptions, SignedAttributesOptions};
use tamga_pki::Profile;
use tamga_plugin_enroll::enrolled::Enrolled;

/// The profile has no `login` section.
#[derive(Clone, Copy, Debug)]
pub struct NotConfigured;

impl PluginError for NotConfigured {
    fn code(&self) -> &'static str {
        "login.not_configured"
    }
    fn class(&self) -> tamga_core::ErrorClass {
        tamga_core::ErrorClass::Usage
    }
    fn message(&self, lang: Lang) -> String {
        lang.pick(
            "В профиле нет настроек входа в Интернет-банкинг (workflows.login).",
            "the profile has no Internet-Banking login settings (workflows.login)",
            None,
        )
        .to_owned()
    }
}

/// The login settings of the profile.
pub fn settings(ctx: &Context<'_>) -> Result<LoginSettings, CoreError> {
    ctx.profile()
        .workflows
        .login
        .clone()
        .ok_or(CoreError::Plugin(Box::new(NotConfigured)))
}

/// Reads the enrollment and presents the token password (the last try only after a yes).
pub fn token_login(ctx: &mut Context<'_>) -> Result<Enrolled, CoreError> {
    let enrolled = Enrolled::read(ctx.token()?)?;
    let pin = ctx.secret(SecretPrompt::Current(Role::User))?;
    ctx.with_last_attempt(|t, a| t.login(Role::User, &pin, a))?;
    Ok(enrolled)
}

/// The CMS written for login: the profile's OIDs of the AUTH certificate's family are not
/// needed by IB, which verifies either; TC26 with signed attributes is what OpenSSL reads too.
fn options() -> SignOptions {
    SignOptions {
        profile: Profile::TC26,
        detached: false,
        signed_attributes: Some(SignedAttributesOptions {
            signing_time: Some(SystemTime::now()),
            signing_certificate_v2: false,
        }),
        include_certificate: true,
    }
}

/// Opens an IB session for the enrolled user (the token logged in already).
pub fn open_session(
    ctx: &mut Context<'_>,
    settings: &LoginSettings,
    enrolled: &Enrolled,
) -> Result<Session, CoreError> {
    let ib = Ib::new(Http::new(&settings.bank, ctx.profile_dir())?);
    let challenge = ib.challenge(&enrolled.user_id)?;
    let nonce = challenge.nonce_bytes()?;
    let cms_der = {
        let shared = RefCell::new(ctx.token()?);
        let signer = TokenSigner::open(&shared, enrolled.auth_key)?;
        cms::sign(&nonce, &signer, &enrolled.auth_cert, &options()).map_err(|e| {
            match signer.take_failure() {
                Some(t) => CoreError::from(t),
                None => CoreError::Plugin(Box::new(tamga_bank_client::NetError::Malformed(
                    format!("signing the login challenge: {e}"),
                ))),
            }
        })?
    };
    Ok(ib.login(&challenge.challenge_id, &cms_der)?)
}
