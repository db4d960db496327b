//! Step 7: registration with the Internet-Banking: both certificates and the user ID, in a CMS
//! signed by the new SIGN key. IB answers a repeat of the same pair with success.

use std::cell::RefCell;

use tamga_bank_client::http::Http;
use tamga_bank_client::ib::{self, Ib, Registration};
use tamga_bank_client::{cms_options, TokenSigner};
use tamga_core::profile::EnrollSettings;
use tamga_core::{Context, CoreError};
use tamga_pki::cms;
use tamga_pki::Certificate;

use super::keys;
use crate::journal::{Journal, Step};
use crate::{hooks, store, EnrollError};

/// Registers unless the journal says it is done.
pub fn run(
    ctx: &mut Context<'_>,
    settings: &EnrollSettings,
    j: &mut Journal,
) -> Result<(), CoreError> {
    if j.step >= Step::Registered {
        return Ok(());
    }
    let (Some(sign_der), Some(auth_der)) = (j.sign_cert.clone(), j.auth_cert.clone()) else {
        return Err(
            EnrollError::CorruptJournal("no certificates at the registration step".into()).into(),
        );
    };
    let sign_cert =
        Certificate::from_der(&sign_der).map_err(|e| EnrollError::CorruptJournal(e.to_string()))?;
    let sign_pub = keys::recorded(ctx, j.sign_key, j.sign_public_sha256)?;
    let statement = ib::registration_statement(&j.user_id, &sign_der, &auth_der);
    let options = cms_options(settings.oids, settings.signature_encoding, false)
        .map_err(|e| EnrollError::Pki(e.to_string()))?;
    let cms_der = {
        let shared = RefCell::new(ctx.token()?);
        let signer = TokenSigner::new(&shared, j.sign_key, sign_pub);
        cms::sign(&statement, &signer, &sign_cert, &options).map_err(|e| {
            match signer.take_failure() {
                Some(t) => CoreError::from(t),
                None => EnrollError::Pki(e.to_string()).into(),
            }
        })?
    };
    let ib_client = Ib::new(Http::new(&settings.bank, ctx.profile_dir())?);
    ib_client.register(&Registration {
        user_id: &j.user_id,
        sign_cert: ib::base64(&sign_der),
        auth_cert: ib::base64(&auth_der),
        cms: ib::base64(&cms_der),
    })?;
    hooks::point("registration-sent");
    j.step = Step::Registered;
    store::write(ctx.token()?, j)?;
    hooks::point("journal-registered");
    Ok(())
}
