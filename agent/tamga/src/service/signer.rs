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
    let attribute = |oid: &str| {
        let oid = der::asn1::ObjectIdentifier::new(oid).ok()?;
        tamga_pki::name::find_attribute(cert.subject_name(), &oid)
    };
    Ok(format!(
        "{}\n  {}: {}\n  {}: {}",
        holder(
            attribute("2.5.4.3"),
            attribute("2.5.4.5"),
            &cert.subject(),
            lang
        ),
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

/// The certificate's holder in a few words: its CN and IIN (a Kazakh certificate's
/// SERIALNUMBER is `IIN` and 12 digits), else the whole subject. Short on purpose: pinentry
/// takes a description of at most about 1000 bytes, and the payment's details come first.
#[cfg_attr(not(feature = "enroll"), allow(dead_code))]
fn holder(cn: Option<String>, serial_number: Option<String>, subject: &str, lang: Lang) -> String {
    let shown = tamga_service::payment::shown;
    let iin = serial_number.map(|s| match s.strip_prefix("IIN") {
        Some(digits) => format!("{} {}", lang.pick("ИИН", "IIN", Some("ЖСН")), shown(digits)),
        None => shown(&s),
    });
    match (cn, iin) {
        (Some(cn), Some(iin)) => format!("{}, {iin}", shown(&cn)),
        (Some(cn), None) => shown(&cn),
        (None, Some(iin)) => iin,
        (None, None) => shown(subject),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_is_its_name_and_iin() {
        let h = |cn: Option<&str>, sn: Option<&str>, lang| {
            holder(cn.map(Into::into), sn.map(Into::into), "CN=x, O=y", lang)
        };
        assert_eq!(
            h(Some("ИВАНОВ ИВАН"), Some("IIN123456789012"), Lang::Ru),
            "ИВАНОВ ИВАН, ИИН 123456789012"
        );
        assert_eq!(
            h(Some("qq111111_qwertyui"), None, Lang::En),
            "qq111111_qwertyui"
        );
        assert_eq!(
            h(None, Some("BIN940740000911"), Lang::En),
            "BIN940740000911"
        );
        assert_eq!(h(None, None, Lang::En), "CN=x, O=y");
        // A name that would reorder or break the dialog is cleaned.
        assert_eq!(h(Some("a\u{202e}b\nc"), None, Lang::En), "a b c");
    }
}
