//! Certificate paths: from an end-entity certificate through untrusted intermediates to one of
//! the caller's trust anchors, at a time the caller gives.

use std::time::SystemTime;

use tamga_gost::SigEncoding;
use x509_cert::ext::pkix::KeyUsages;

use crate::cert::Certificate;
use crate::PkiError;

/// Longest path tried (end entity + intermediates + anchor).
const MAX_DEPTH: usize = 8;

/// What a chain check needs besides the certificates.
#[derive(Clone, Copy, Debug)]
pub struct ChainOptions {
    /// The time validity is checked at (every certificate on the path must be valid then).
    pub time: SystemTime,
    /// The signature layout expected on the path (`Auto`: either, per certificate).
    pub encoding: SigEncoding,
}

/// Builds and checks a path from `leaf` to one of `anchors`; returns it leaf first, anchor last.
///
/// Checked on every step: the issuer's name and signature, validity at `options.time`, and for
/// every issuer basicConstraints CA (anchors included, unless the leaf is itself an anchor) and,
/// when keyUsage is present, keyCertSign. The first issuer candidate that passes is taken, with
/// backtracking when a branch dead-ends.
pub fn verify_chain(
    leaf: &Certificate,
    intermediates: &[Certificate],
    anchors: &[Certificate],
    options: &ChainOptions,
) -> Result<Vec<Certificate>, PkiError> {
    leaf.check_validity(options.time)?;
    let mut path = vec![leaf.clone()];
    if anchors.iter().any(|a| a.to_der() == leaf.to_der()) {
        return Ok(path);
    }
    let mut last_error = None;
    if extend(&mut path, intermediates, anchors, options, &mut last_error) {
        return Ok(path);
    }
    // No candidate issuer at all is no chain of trust, not a missing signer.
    Err(match last_error {
        None | Some(PkiError::SignerNotFound) => PkiError::Untrusted {
            subject: leaf.subject(),
        },
        Some(e) => e,
    })
}

/// Depth-first search for an issuer of the last certificate of `path`.
fn extend(
    path: &mut Vec<Certificate>,
    intermediates: &[Certificate],
    anchors: &[Certificate],
    options: &ChainOptions,
    last_error: &mut Option<PkiError>,
) -> bool {
    let Some(current) = path.last().cloned() else {
        return false;
    };
    for anchor in anchors {
        match check_issuer(&current, anchor, options) {
            Ok(()) => {
                path.push(anchor.clone());
                return true;
            }
            Err(e) => note(last_error, e),
        }
    }
    if path.len() + 1 >= MAX_DEPTH {
        return false;
    }
    for candidate in intermediates {
        if path.iter().any(|p| p.to_der() == candidate.to_der()) {
            continue;
        }
        match check_issuer(&current, candidate, options) {
            Ok(()) => {
                path.push(candidate.clone());
                if extend(path, intermediates, anchors, options, last_error) {
                    return true;
                }
                path.pop();
            }
            Err(e) => note(last_error, e),
        }
    }
    false
}

/// Keeps the most telling error: anything beats "not the issuer".
fn note(last: &mut Option<PkiError>, e: PkiError) {
    if e != PkiError::SignerNotFound || last.is_none() {
        *last = Some(e);
    }
}

fn check_issuer(
    subject: &Certificate,
    issuer: &Certificate,
    options: &ChainOptions,
) -> Result<(), PkiError> {
    subject.verify_issued_by(issuer, options.encoding)?;
    if !issuer.is_ca() {
        return Err(PkiError::NotCa {
            subject: issuer.subject(),
        });
    }
    if !issuer.allows_key_usage(KeyUsages::KeyCertSign) {
        return Err(PkiError::KeyUsage("keyCertSign"));
    }
    issuer.check_validity(options.time)
}
