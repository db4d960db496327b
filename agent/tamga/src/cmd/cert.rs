//! `tamga cert verify`: a certificate against trust anchors — the chain (through the intermediates
//! given), validity now, and revocation by the CRLs given (like `openssl verify -crl_check`).

use std::time::SystemTime;

use serde_json::json;
use tamga_pki::{verify_chain, ChainOptions, PkiError, SigEncoding};

use crate::agent::print;
use crate::cli::{CertVerifyArgs, GlobalArgs};
use crate::error::{pki_exit, pki_message, Result};
use crate::pki_common::{rfc3339, Ui};

pub fn verify(args: &CertVerifyArgs, g: &GlobalArgs) -> Result<()> {
    let ui = Ui::new(g, &args.output);
    let cert = ui.certificate(&args.cert)?;
    let anchors = ui.certificates(&args.ca)?;
    let intermediates = ui.certificates(&args.untrusted)?;
    let crls = args
        .crl
        .iter()
        .map(|p| ui.crl(p).map(|c| (p, c)))
        .collect::<Result<Vec<_>>>()?;
    let now = SystemTime::now();
    let subject = cert.subject();
    // Names the certificate verified; the reason may be about another one on the path.
    let refuse = |e: PkiError| {
        let message = format!(
            "«{subject}»: {}: {}",
            ui.pick("сертификат недействителен", "the certificate is not valid"),
            pki_message(&e, ui.lang)
        );
        ui.fail_with(
            pki_exit(&e),
            e.code(),
            message,
            json!({ "subject": subject }),
        )
    };
    let options = ChainOptions {
        time: now,
        encoding: SigEncoding::Auto,
    };
    let path = verify_chain(&cert, &intermediates, &anchors, &options).map_err(refuse)?;

    // Every certificate below the anchor is checked against each CRL of its issuer.
    let mut used = vec![false; crls.len()];
    for pair in path.windows(2) {
        let (subject_cert, issuer) = (&pair[0], &pair[1]);
        for (i, (crl_path, crl)) in crls.iter().enumerate() {
            if crl.issuer_name() != subject_cert.issuer_name() {
                continue;
            }
            used[i] = true;
            log::debug!(
                "checking «{}» against the CRL {}",
                subject_cert.subject(),
                crl_path.display()
            );
            crl.require_not_revoked(subject_cert, issuer, now, SigEncoding::Auto)
                .map_err(|e| match e {
                    // An intermediate on the CRL: the chain is broken there.
                    PkiError::Revoked { reason } if subject_cert != &cert => {
                        refuse(PkiError::Revoked {
                            reason: Some(format!(
                                "{}: {}",
                                subject_cert.subject(),
                                reason.unwrap_or_default()
                            )),
                        })
                    }
                    other => refuse(other),
                })?;
        }
    }
    for (i, (crl_path, crl)) in crls.iter().enumerate() {
        if !used[i] {
            log::warn!(
                "{}: the CRL of «{}» covers no certificate of the chain",
                crl_path.display(),
                crl.issuer()
            );
        }
    }

    let chain: Vec<String> = path.iter().map(|c| c.subject()).collect();
    let summary = format!(
        "{}: {subject}\n{} {}\n{}: {}",
        ui.pick("Сертификат действителен", "Certificate OK"),
        ui.pick("Действителен до", "Valid until"),
        rfc3339(cert.not_after()),
        ui.pick("Цепочка", "Chain"),
        chain.join(" ← ")
    );
    print(
        &args.output,
        &summary,
        json!({
            "subject": subject,
            "not_after": rfc3339(cert.not_after()),
            "chain": chain,
            "crls_checked": used.iter().filter(|u| **u).count(),
        }),
    );
    Ok(())
}
