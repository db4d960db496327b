//! `tamga crl verify`: a CRL's signature by its issuer and its currency now.

use std::time::SystemTime;

use serde_json::json;
use tamga_pki::{PkiError, SigEncoding};

use crate::agent::print;
use crate::cli::{CrlVerifyArgs, GlobalArgs};
use crate::error::{pki_exit, pki_message, Result};
use crate::pki_common::{rfc3339, Ui};

pub fn verify(args: &CrlVerifyArgs, g: &GlobalArgs) -> Result<()> {
    let ui = Ui::new(g, &args.output);
    let crl = ui.crl(&args.crl)?;
    let cas = ui.certificates(&args.ca)?;
    let issuer = crl.issuer();
    let refuse = |e: PkiError| {
        let message = format!(
            "{}: {}: {}",
            args.crl.display(),
            ui.pick("список отзыва недействителен", "the CRL is not valid"),
            pki_message(&e, ui.lang)
        );
        ui.fail_with(pki_exit(&e), e.code(), message, json!({ "issuer": issuer }))
    };
    // The CA certificate named as the CRL's issuer; with several, the first whose key verifies.
    let mut result = Err(PkiError::SignerNotFound);
    for ca in cas.iter().filter(|c| c.subject_name() == crl.issuer_name()) {
        result = crl.verify_issued_by(ca, SigEncoding::Auto);
        if result.is_ok() {
            break;
        }
    }
    result.map_err(refuse)?;
    let now = SystemTime::now();
    if !crl.is_current_at(now) {
        return Err(refuse(PkiError::CrlOutdated));
    }
    let revoked = crl.tbs().revoked_certificates.as_ref().map_or(0, Vec::len);
    let next = crl.next_update().map(rfc3339);
    let summary = format!(
        "{}: {issuer}\n{} {}, {} {}\n{}: {revoked}",
        ui.pick("Список отзыва действителен", "CRL OK"),
        ui.pick("выпущен", "issued"),
        rfc3339(crl.this_update()),
        ui.pick("следующий", "next update"),
        next.as_deref().unwrap_or("—"),
        ui.pick("Отозвано сертификатов", "Revoked certificates"),
    );
    print(
        &args.output,
        &summary,
        json!({
            "issuer": issuer,
            "this_update": rfc3339(crl.this_update()),
            "next_update": next,
            "revoked": revoked,
        }),
    );
    Ok(())
}
