//! `tamga cms sign` and `tamga cms verify`: CMS SignedData (.p7s) through tamga-pki, the job of
//! `openssl cms -sign/-verify` with the gost engine, and of Kalkan for Kazakh OIDs.

use std::time::SystemTime;

use serde_json::json;
use tamga_pki::cms::{self, SignOptions, SignedAttributesOptions, TrustOptions, VerifyOptions};
use tamga_pki::{OidFamily, PkiError, Profile, SigEncoding, SoftwareSigner};

use crate::agent::print;
use crate::cli::{CmsEncoding, CmsSignArgs, CmsVerifyArgs, GlobalArgs};
use crate::cmd::gost::write_output;
use crate::error::{display_path, pki_exit, pki_message, Result};
use crate::pki_common::{rfc3339, Ui};

pub fn sign(args: &CmsSignArgs, g: &GlobalArgs) -> Result<()> {
    let ui = Ui::new(g, &args.output);
    let cert = ui.certificate(&args.cert)?;
    let cert_key = cert
        .public_key()
        .map_err(|e| ui.pki(&e, Some(&args.cert)))?;
    // The OIDs follow the certificate's: a Russian certificate gets TC26 OIDs and, unless told
    // otherwise, the RFC 9215 layout; a Kazakh one NCA OIDs and the Kazakh layout.
    let family = cert_key.algorithm.family;
    let encoding = match (args.encoding, family) {
        (Some(CmsEncoding::Rfc9215), _) => SigEncoding::Rfc9215,
        (Some(CmsEncoding::Kz), _) => SigEncoding::Kz,
        (None, OidFamily::Tc26) => SigEncoding::Rfc9215,
        (None, _) => SigEncoding::Kz,
    };
    let profile = Profile::new(family, encoding).map_err(|e| ui.pki(&e, Some(&args.cert)))?;
    let key = ui.signing_key(&args.key, args.password_file.as_deref(), &cert, &args.cert)?;
    let content = ui.read(&args.input)?;
    let options = SignOptions {
        profile,
        detached: !args.attached,
        signed_attributes: (!args.no_attrs).then_some(SignedAttributesOptions {
            signing_time: Some(SystemTime::now()),
            signing_certificate_v2: true,
        }),
        include_certificate: !args.no_cert,
    };
    let signer = SoftwareSigner::new(key.secret().clone());
    drop(key);
    let der = cms::sign(&content, &signer, &cert, &options).map_err(|e| ui.pki(&e, None))?;
    write_output(&args.out, &der).map_err(|f| ui.failure(f))?;
    log::info!(
        "signed {} as {} ({:?} OIDs, {} layout)",
        display_path(&args.input),
        cert.subject(),
        family,
        profile.write_encoding()
    );
    if args.output.json {
        print(
            &args.output,
            "",
            json!({
                "signer": cert.subject(),
                "family": family_name(family),
                "encoding": profile.write_encoding().to_string(),
                "attached": args.attached,
                "out": display_path(&args.out),
            }),
        );
    }
    Ok(())
}

pub fn verify(args: &CmsVerifyArgs, g: &GlobalArgs) -> Result<()> {
    let ui = Ui::new(g, &args.output);
    let raw = ui.read(&args.sig)?;
    let der = tamga_pki::pem::der_block(&raw, &["CMS", "PKCS7"])
        .map_err(|e| ui.pki(&e, Some(&args.sig)))?;
    let content = match &args.input {
        Some(path) => Some(ui.read(path)?),
        None => None,
    };
    let anchors = ui.certificates(&args.ca)?;
    let extra = ui.certificates(&args.certfile)?;
    let now = SystemTime::now();
    let options = VerifyOptions {
        certificates: &extra,
        encoding: SigEncoding::Auto,
        trust: (!anchors.is_empty()).then_some(TrustOptions {
            anchors: &anchors,
            time: now,
        }),
    };
    let verified = match cms::verify(&der, content.as_deref().map(|c| &c[..]), &options) {
        Ok(v) => v,
        Err(PkiError::NoContent) => {
            return Err(ui.invalid(
                PkiError::NoContent.code(),
                format!(
                    "{}: {}",
                    display_path(&args.sig),
                    ui.pick(
                        "подпись отсоединённая: укажите подписанный файл (--in)",
                        "detached signature: give the signed file with --in"
                    )
                ),
            ))
        }
        Err(e) => return Err(ui.pki(&e, Some(&args.sig))),
    };

    let mut lines = Vec::new();
    let mut signers = Vec::new();
    for (i, s) in verified.signers.iter().enumerate() {
        let n = i + 1;
        let subject = s.subject.clone().unwrap_or_else(|| {
            ui.pick("(сертификат не найден)", "(certificate not found)")
                .into()
        });
        let mut line = format!("{} {n}: {subject}", ui.pick("Подписант", "Signer"));
        if let Some(t) = s.signing_time {
            line += &format!(", {} {}", ui.pick("время подписи", "signed at"), rfc3339(t));
        }
        match &s.result {
            Ok(enc) => {
                line += &format!(
                    " — {} ({enc}, {})",
                    ui.pick("подпись верна", "verified"),
                    s.digest.map(|d| d.name()).unwrap_or("?")
                );
            }
            Err(e) => {
                line += &format!(
                    " — {}: {}",
                    ui.pick("ОШИБКА", "FAILED"),
                    pki_message(e, ui.lang)
                )
            }
        }
        lines.push(line);
        signers.push(json!({
            "subject": s.subject,
            "verified": s.result.is_ok(),
            "encoding": s.result.as_ref().ok().map(|e| e.to_string()),
            "digest": s.digest.map(|d| d.name()),
            "signing_time": s.signing_time.map(rfc3339),
            "signed_attributes": s.has_signed_attributes,
            "error": s.result.as_ref().err().map(|e| json!({
                "code": e.code(),
                "message": pki_message(e, ui.lang),
            })),
        }));
    }
    let data = json!({
        "attached": verified.content.is_some(),
        "chain_checked": !anchors.is_empty(),
        "signers": signers,
    });
    if !args.output.json {
        for line in &lines {
            println!("{line}");
        }
    }
    match verified
        .signers
        .iter()
        .find_map(|s| s.result.as_ref().err())
    {
        None => {
            let summary = if anchors.is_empty() {
                ui.pick(
                    "Все подписи верны (цепочка сертификатов не проверялась: нет --ca).",
                    "Verification successful: every signature verifies (no --ca: chains not checked).",
                )
            } else {
                ui.pick(
                    "Все подписи верны, сертификаты подписантов действительны.",
                    "Verification successful: every signature verifies and chains to a trusted CA.",
                )
            };
            print(&args.output, summary, data);
            Ok(())
        }
        Some(e) => {
            let message = format!(
                "{}: {}",
                display_path(&args.sig),
                ui.pick("подпись не прошла проверку", "verification failed")
            ) + ": "
                + &pki_message(e, ui.lang);
            Err(ui.fail_with(pki_exit(e), e.code(), message, data))
        }
    }
}

pub fn family_name(family: OidFamily) -> &'static str {
    match family {
        OidFamily::Tc26 => "tc26",
        OidFamily::Kz => "kz",
        OidFamily::Gamma => "gamma",
    }
}
