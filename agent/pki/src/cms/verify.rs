//! Verifying every signer of a SignedData.

use std::time::SystemTime;

use cms::signed_data::{SignerIdentifier, SignerInfo};
use der::asn1::ObjectIdentifier;
use der::Decode;
use tamga_gost::SigEncoding;

use super::{attributes, parse};
use crate::algorithm::{digest_of, signature_algorithm};
use crate::cert::Certificate;
use crate::chain::{verify_chain, ChainOptions};
use crate::hash::HashAlg;
use crate::subject_key::{check_ecdsa_identifier, SubjectKey};
use crate::tlv::SET;
use crate::PkiError;

/// Chain checking for signers' certificates.
#[derive(Clone, Copy, Debug)]
pub struct TrustOptions<'a> {
    /// Trust anchors.
    pub anchors: &'a [Certificate],
    /// Validity time for the whole chain (e.g. now, or the time of signing).
    pub time: SystemTime,
}

/// What to verify against.
#[derive(Clone, Copy, Debug)]
pub struct VerifyOptions<'a> {
    /// Certificates besides those inside the SignedData (signers' and intermediates).
    pub certificates: &'a [Certificate],
    /// The signature layout accepted (`Auto`: either).
    pub encoding: SigEncoding,
    /// Check each signer's chain to these anchors; `None`: signatures only.
    pub trust: Option<TrustOptions<'a>>,
}

impl Default for VerifyOptions<'_> {
    fn default() -> Self {
        VerifyOptions {
            certificates: &[],
            encoding: SigEncoding::Auto,
            trust: None,
        }
    }
}

/// The verdict on one signer.
#[derive(Clone, Debug)]
pub struct SignerReport {
    /// The signer's certificate, when found.
    pub certificate: Option<Certificate>,
    /// Its subject as one readable line.
    pub subject: Option<String>,
    /// The digest algorithm.
    pub digest: Option<HashAlg>,
    /// signingTime, if signed.
    pub signing_time: Option<SystemTime>,
    /// Whether signed attributes were present.
    pub has_signed_attributes: bool,
    /// The layout the signature verified in, or why it did not verify.
    pub result: Result<SigEncoding, PkiError>,
}

/// A verified SignedData.
#[derive(Clone, Debug)]
pub struct VerifiedCms {
    /// eContentType.
    pub content_type: ObjectIdentifier,
    /// The content when it was inside (attached).
    pub content: Option<Vec<u8>>,
    /// One report per SignerInfo, in the file's order.
    pub signers: Vec<SignerReport>,
}

impl VerifiedCms {
    /// Whether there is at least one signer and every one verified.
    pub fn all_valid(&self) -> bool {
        !self.signers.is_empty() && self.signers.iter().all(|s| s.result.is_ok())
    }

    /// The first failure, or `Ok` when [`VerifiedCms::all_valid`].
    pub fn require_all_valid(&self) -> Result<(), PkiError> {
        match self.signers.iter().find_map(|s| s.result.clone().err()) {
            Some(e) => Err(e),
            None if self.signers.is_empty() => Err(PkiError::SignerNotFound),
            None => Ok(()),
        }
    }
}

/// Verifies every signer of a DER ContentInfo/SignedData. `content` is needed when the
/// SignedData is detached (and must match when it is attached). A structural error is an `Err`;
/// a signer that does not verify is a report with an `Err` result.
pub fn verify(
    cms: &[u8],
    content: Option<&[u8]>,
    options: &VerifyOptions<'_>,
) -> Result<VerifiedCms, PkiError> {
    let parts = parse::parse(cms)?;
    let data = parts.content(content, PkiError::DigestMismatch)?;
    // Certificates in the SignedData that are not plain certificates (attribute certificates,
    // `other`) are skipped; a broken one is an error.
    let mut certs: Vec<Certificate> = Vec::new();
    for raw in &parts.certificates {
        if raw.first() == Some(&0x30) {
            certs.push(Certificate::from_der(raw)?);
        }
    }
    certs.extend(options.certificates.iter().cloned());
    if parts.signer_infos.is_empty() {
        return Err(PkiError::Corrupt("CMS SignedData without signers".into()));
    }
    let signers = parts
        .signer_infos
        .iter()
        .map(|raw| verify_signer(raw, parts.content_type, data, &certs, options))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(VerifiedCms {
        content_type: parts.content_type,
        content: parts.content,
        signers,
    })
}

fn verify_signer(
    raw: &[u8],
    content_type: ObjectIdentifier,
    content: &[u8],
    certs: &[Certificate],
    options: &VerifyOptions<'_>,
) -> Result<SignerReport, PkiError> {
    let info = SignerInfo::from_der(raw).map_err(|e| PkiError::corrupt("SignerInfo", e))?;
    // Several certificates may carry the same issuer and serial (a reissue, or a forgery among
    // the ones sent): the one whose key verifies is the signer's.
    let candidates: Vec<&Certificate> = certs.iter().filter(|c| identifies(&info.sid, c)).collect();
    let mut outcome = (None, Err(PkiError::SignerNotFound));
    for cert in candidates {
        let result = check_signer(raw, &info, content_type, content, cert, certs, options);
        let ok = result.is_ok();
        if ok || outcome.0.is_none() {
            outcome = (Some(cert.clone()), result);
        }
        if ok {
            break;
        }
    }
    let (certificate, result) = outcome;
    let signing_time = match &info.signed_attrs {
        Some(attrs) => attributes::signing_time(attrs).unwrap_or(None),
        None => None,
    };
    Ok(SignerReport {
        subject: certificate.as_ref().map(Certificate::subject),
        certificate,
        digest: digest_of(&info.digest_alg).ok(),
        signing_time,
        has_signed_attributes: info.signed_attrs.is_some(),
        result,
    })
}

fn check_signer(
    raw: &[u8],
    info: &SignerInfo,
    content_type: ObjectIdentifier,
    content: &[u8],
    cert: &Certificate,
    certs: &[Certificate],
    options: &VerifyOptions<'_>,
) -> Result<SigEncoding, PkiError> {
    let hash = digest_of(&info.digest_alg)?;
    let key = cert.subject_key()?;
    // The signature OID must be of the key's algorithm and agree with the digest. For GOST,
    // OpenSSL writes the key OID here, RFC 9215-style writers the sign-with-digest OID.
    let sig_hash = match &key {
        SubjectKey::Gost(_) => signature_algorithm(&info.signature_algorithm.oid)?.hash,
        SubjectKey::EcP256(_) => {
            check_ecdsa_identifier(&info.signature_algorithm)?;
            HashAlg::Sha256
        }
    };
    if sig_hash != hash {
        return Err(PkiError::Corrupt(
            "SignerInfo: digest and signature algorithms disagree".into(),
        ));
    }
    let content_digest = hash.digest(content);
    let signed_digest = match &info.signed_attrs {
        None => content_digest,
        Some(attrs) => {
            if attributes::message_digest(attrs)?.as_deref() != Some(content_digest.as_slice()) {
                return Err(PkiError::DigestMismatch);
            }
            if attributes::content_type(attrs)? != Some(content_type) {
                return Err(PkiError::Corrupt(
                    "contentType attribute missing or different from eContentType".into(),
                ));
            }
            attributes::check_signing_certificate(attrs, cert)?;
            // Hash the attributes exactly as sent, re-tagged from [0] IMPLICIT to SET OF.
            let mut bytes = parse::signed_attrs_raw(raw)?
                .ok_or_else(|| PkiError::Corrupt("signedAttrs".into()))?
                .to_vec();
            bytes[0] = SET;
            hash.digest(&bytes)
        }
    };
    let encoding =
        key.verify_digest(&signed_digest, info.signature.as_bytes(), options.encoding)?;
    if let Some(trust) = &options.trust {
        verify_chain(
            cert,
            certs,
            trust.anchors,
            &ChainOptions {
                time: trust.time,
                encoding: options.encoding,
            },
        )?;
    }
    Ok(encoding)
}

/// Whether `cert` is the one a SignerIdentifier names.
fn identifies(sid: &SignerIdentifier, cert: &Certificate) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            ias.issuer == *cert.issuer_name() && ias.serial_number.as_bytes() == cert.serial()
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            cert.subject_key_id().as_deref() == Some(ski.0.as_bytes())
        }
    }
}
