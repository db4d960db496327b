//! The certificate a browser's payment would be signed with, read from the token for the
//! confirmation: the person must see whose signature they give (subject, IIN, serial), not only
//! what is signed. Read before the dialog opens, so a token without an enrollment still shows a
//! dialog that says so rather than failing silently.

use tamga_core::profile::LoadedProfile;
use tamga_core::Lang;

/// The dialog's lines about the signing certificate on the token `token_id` (else the first).
pub fn describe(profile: &LoadedProfile, token_id: Option<&str>, lang: Lang) -> String {
    let head = lang.pick(
        "Сертификат подписи",
        "Signing certificate",
        Some("Қолтаңба сертификаты"),
    );
    match read(profile, token_id, lang) {
        Ok(lines) => format!("{head}: {lines}"),
        Err(why) => format!(
            "{head}: {} ({why})",
            lang.pick("не прочитан", "not read", None)
        ),
    }
}

#[cfg(feature = "enroll")]
fn read(profile: &LoadedProfile, token_id: Option<&str>, lang: Lang) -> Result<String, String> {
    use tamga_plugin_enroll::enrolled::Enrolled;

    let runner = tamga_core::Runner {
        registry: crate::registry::REGISTRY,
        profile,
        lang,
        token_id: token_id.map(str::to_owned),
    };
    let (_, mut token) = runner.open().map_err(|e| e.message(lang))?;
    let enrolled = Enrolled::read(token.as_mut()).map_err(|e| e.message(lang))?;
    let cert = &enrolled.sign_cert;
    let until = crate::pki_common::rfc3339(cert.not_after());
    Ok(format!(
        "{}\n  {}: {}\n  {}: {}",
        tamga_service::payment::shown(&cert.subject()),
        lang.pick("серийный номер", "serial number", None),
        // Lower-case hex, as the enrollment's summary prints it.
        cert.serial()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
        lang.pick("действует до", "valid until", None),
        until.get(..10).unwrap_or(&until),
    ))
}

#[cfg(not(feature = "enroll"))]
fn read(_: &LoadedProfile, _: Option<&str>, lang: Lang) -> Result<String, String> {
    Err(lang
        .pick(
            "эта сборка без регистрации",
            "this build has no enrollment",
            None,
        )
        .to_owned())
}

/// `confirm` with the signing certificate added when the request signs a payment.
pub fn with_certificate(
    confirm: Option<String>,
    profile: &LoadedProfile,
    params: &tamga_service::api::RunParams,
    lang: Lang,
) -> Option<String> {
    match confirm {
        Some(text) if params.workflow == "sign" => Some(format!(
            "{text}\n\n{}",
            describe(profile, params.token.as_deref(), lang)
        )),
        other => other,
    }
}
