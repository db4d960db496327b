//! Steps 5 and 6: CMP with the CA. `ir` with both keys under the journal's transactionID (a
//! repeat is a retransmission: the CA answers the same certificates), polling while it says
//! "waiting", checks of each certificate, the certificates written to the token, then
//! `certConf` → `pkiConf`.

use std::cell::RefCell;
use std::time::Duration;

use tamga_bank_client::http::Http;
use tamga_bank_client::{pki_profile, TokenSigner};
use tamga_core::profile::{CmpProtection, EnrollSettings};
use tamga_core::{Context, CoreError};
use tamga_gost::SigEncoding;
use tamga_pki::{Certificate, SubjectKey};

use super::keys;
use crate::cmp_client::{CaSession, Credentials};
use crate::journal::{Journal, Step};
use crate::keyfile::common_name;
use crate::wizard::Collected;
use crate::{hooks, store, EnrollError};

/// The CA certificate pinned in the profile (its first trust anchor).
pub fn ca_certificate(
    ctx: &Context<'_>,
    settings: &EnrollSettings,
) -> Result<Certificate, CoreError> {
    let file = settings
        .trust_anchors
        .first()
        .ok_or_else(|| EnrollError::Pki("the profile names no CA trust anchor".into()))?;
    let path = ctx.profile_dir().join(file);
    let bytes =
        std::fs::read(&path).map_err(|e| EnrollError::Pki(format!("{}: {e}", path.display())))?;
    Certificate::parse(&bytes)
        .map_err(|e| EnrollError::Pki(format!("{}: {e}", path.display())).into())
}

/// A certificate from the CA is ours: our key, our user ID, issued by the pinned CA.
fn check_certificate(
    cert: &Certificate,
    key: &SubjectKey,
    user_id: &str,
    ca: &Certificate,
) -> Result<(), EnrollError> {
    let bad = |m: &str| EnrollError::BadCertificate(m.to_owned());
    if cert.subject_key().map_err(|e| bad(&e.to_string()))? != *key {
        return Err(bad("it does not carry the key generated on the token"));
    }
    if common_name(cert).as_deref() != Some(user_id) {
        return Err(bad("it names another user"));
    }
    cert.verify_issued_by(ca, SigEncoding::Auto)
        .map_err(|e| bad(&format!("not issued by the pinned CA: {e}")))?;
    Ok(())
}

/// Runs steps 5 and 6 as far as the journal says they are needed.
pub fn run(
    ctx: &mut Context<'_>,
    settings: &EnrollSettings,
    c: &Collected,
    j: &mut Journal,
    mut step: impl FnMut(&mut Context<'_>, usize),
) -> Result<(), CoreError> {
    if j.step >= Step::Confirmed {
        return Ok(());
    }
    let sign_pub = keys::recorded(ctx, j.sign_key, j.sign_public_sha256)?;
    let auth_pub = keys::recorded(ctx, j.auth_key, j.auth_public_sha256)?;
    let ca = ca_certificate(ctx, settings)?;
    let http = Http::new(&settings.ca, ctx.profile_dir())?;
    let pki = pki_profile(settings.oids, settings.signature_encoding)
        .map_err(|e| EnrollError::Pki(e.to_string()))?;
    let credentials = match settings.protection {
        CmpProtection::Signature => Credentials::Signature(&c.init),
        CmpProtection::Pbm => {
            Credentials::Pbm(c.init.otp_corrected.as_ref().unwrap_or(&c.inputs.otp_pin))
        }
    };
    let polls = (
        settings.max_polls,
        Duration::from_secs(settings.max_poll_interval_s),
    );
    let mut session = CaSession::new(
        &http,
        &ca,
        credentials,
        pki,
        j.transaction_id,
        &j.user_id,
        polls,
    )?;
    step(ctx, 5);
    // The proofs of possession are the only part that needs the token; polling does not hold it.
    let requests = {
        let shared = RefCell::new(ctx.token()?);
        let sign = TokenSigner::new(&shared, j.sign_key, sign_pub.clone());
        let auth = TokenSigner::new(&shared, j.auth_key, auth_pub.clone());
        session
            .build_requests(&sign, &auth, &j.user_id, j.term_months)
            .map_err(|e| match sign.take_failure().or(auth.take_failure()) {
                Some(token) => CoreError::from(token),
                None => EnrollError::Ca(e.to_string()).into(),
            })?
    };
    let lang = ctx.lang();
    let (sign_cert, auth_cert) = session.request(requests, |n, secs| {
        log::info!("the CA says waiting; poll {n} in {secs} s");
        let text = lang.pick(
            format!("УЦ обрабатывает запрос, ожидание {secs} с (опрос {n})"),
            format!("the CA is processing the request; waiting {secs} s (poll {n})"),
            None,
        );
        ctx.step(5, super::TOTAL, &text);
    })?;
    hooks::point("ip-received");
    check_certificate(&sign_cert, &sign_pub, &j.user_id, &ca)?;
    check_certificate(&auth_cert, &auth_pub, &j.user_id, &ca)?;
    if j.step == Step::KeysGenerated {
        j.sign_cert = Some(sign_cert.to_der().to_vec());
        j.auth_cert = Some(auth_cert.to_der().to_vec());
        j.step = Step::CertsStored;
        store::write(ctx.token()?, j)?;
        hooks::point("journal-certs");
    } else if j.sign_cert.as_deref() != Some(sign_cert.to_der())
        || j.auth_cert.as_deref() != Some(auth_cert.to_der())
    {
        // A retransmitted ir must bring back the certificates already on the token.
        return Err(EnrollError::BadCertificate(
            "the CA answered other certificates than before".into(),
        )
        .into());
    }
    step(ctx, 6);
    session.confirm(&sign_cert, &auth_cert)?;
    hooks::point("pkiconf-received");
    j.step = Step::Confirmed;
    store::write(ctx.token()?, j)?;
    hooks::point("journal-confirmed");
    Ok(())
}
