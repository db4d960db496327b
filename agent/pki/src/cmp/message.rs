//! A whole `PKIMessage`: parsed with the bytes its protection covers, and encoded with a
//! protection.

use der::asn1::BitString;
use der::{Any, Decode, Encode, Tagged};
use spki::AlgorithmIdentifierOwned;
use tamga_gost::SigEncoding;

use super::asn1::{PkiBody, PkiHeader, ProtectedPart, RawPkiMessage};
use super::body::Body;
use super::error::{CmpError, FailInfo};
use super::header::Header;
use super::protection::{
    kind_of, macs_equal, pbm_mac, protect_bytes, protection_alg, Protect, ProtectionKind,
};
use crate::Certificate;

/// Largest message accepted, in bytes: an enrollment is a few kilobytes.
pub const MAX_MESSAGE_LEN: usize = 256 * 1024;
/// Most extraCerts accepted.
const MAX_EXTRA_CERTS: usize = 16;

/// A received `PKIMessage`.
#[derive(Clone, Debug)]
pub struct CmpMessage {
    /// The header.
    pub header: Header,
    /// The body.
    pub body: Body,
    protection_alg: Option<AlgorithmIdentifierOwned>,
    protected_part: Vec<u8>,
    protection: Option<Vec<u8>>,
    extra_certs: Vec<Certificate>,
}

fn split(der: &[u8]) -> Result<(RawPkiMessage, PkiHeader), CmpError> {
    if der.len() > MAX_MESSAGE_LEN {
        return Err(CmpError::new(
            FailInfo::BadDataFormat,
            format!("message of {} bytes (at most {MAX_MESSAGE_LEN})", der.len()),
        ));
    }
    let raw = RawPkiMessage::from_der(der).map_err(|e| CmpError::format("PKIMessage", e))?;
    let header = raw
        .header
        .decode_as::<PkiHeader>()
        .map_err(|e| CmpError::format("PKIHeader", e))?;
    Ok((raw, header))
}

impl CmpMessage {
    /// Parses DER. Structure only: the protection is checked with [`CmpMessage::verify_pbm`]
    /// or [`CmpMessage::verify_signature`].
    pub fn parse(der: &[u8]) -> Result<CmpMessage, CmpError> {
        let (raw, h) = split(der)?;
        let header = Header::from_asn1(&h)?;
        let body_der = raw
            .body
            .to_der()
            .map_err(|e| CmpError::format("PKIBody", e))?;
        let body = match PkiBody::from_der(&body_der) {
            Ok(b) => Body::from_asn1(b)?,
            Err(e) => {
                let tag = raw.body.tag();
                return Err(CmpError::new(
                    FailInfo::BadRequest,
                    format!("unsupported or malformed PKIBody ({tag}): {e}"),
                ));
            }
        };
        let protected_part = ProtectedPart {
            header: raw.header.clone(),
            body: raw.body.clone(),
        }
        .to_der()
        .map_err(|e| CmpError::format("ProtectedPart", e))?;
        let protection = raw
            .protection
            .as_ref()
            .map(|b| {
                b.as_bytes().map(<[u8]>::to_vec).ok_or_else(|| {
                    CmpError::new(FailInfo::BadDataFormat, "protection has unused bits")
                })
            })
            .transpose()?;
        let raw_certs = raw.extra_certs.unwrap_or_default();
        if raw_certs.len() > MAX_EXTRA_CERTS {
            return Err(CmpError::new(
                FailInfo::BadDataFormat,
                "too many extraCerts",
            ));
        }
        let extra_certs = raw_certs
            .iter()
            .map(|c| {
                let der = c.to_der().map_err(|e| CmpError::format("extraCerts", e))?;
                Certificate::from_der(&der).map_err(CmpError::from)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CmpMessage {
            header,
            body,
            protection_alg: h.protection_alg,
            protected_part,
            protection,
            extra_certs,
        })
    }

    /// The header alone, when the body cannot be read: a server still answers such a message
    /// with an `error` in the same transaction.
    pub fn peek_header(der: &[u8]) -> Option<Header> {
        let (_, h) = split(der).ok()?;
        Header::from_asn1(&h).ok()
    }

    /// The kind of protection the message says it has.
    pub fn protection(&self) -> ProtectionKind {
        kind_of(self.protection_alg.as_ref())
    }

    /// extraCerts, in order (a signer's own certificate first).
    pub fn extra_certs(&self) -> &[Certificate] {
        &self.extra_certs
    }

    fn protection_value(&self) -> Result<&[u8], CmpError> {
        self.protection
            .as_deref()
            .ok_or_else(|| CmpError::new(FailInfo::BadMessageCheck, "the message is not protected"))
    }

    /// Checks a PBM protection with the shared secret; `badMessageCheck` if it differs.
    pub fn verify_pbm(&self, secret: &[u8]) -> Result<(), CmpError> {
        let alg = self.protection_alg.as_ref().ok_or_else(|| {
            CmpError::new(FailInfo::BadMessageCheck, "the message is not protected")
        })?;
        let expected = pbm_mac(alg, secret, &self.protected_part)?;
        if macs_equal(&expected, self.protection_value()?) {
            Ok(())
        } else {
            Err(CmpError::new(
                FailInfo::BadMessageCheck,
                "the password-based MAC does not verify (wrong shared secret)",
            ))
        }
    }

    /// Checks a signature protection with `cert`'s key (the caller decides which certificate
    /// to trust: the pinned CA certificate, or an extraCerts entry it checked itself).
    pub fn verify_signature(&self, cert: &Certificate) -> Result<(), CmpError> {
        let alg = match &self.protection_alg {
            Some(a) if a.oid != super::protection::PASSWORD_BASED_MAC => a,
            _ => {
                return Err(CmpError::new(
                    FailInfo::BadMessageCheck,
                    "the message is not signature-protected",
                ))
            }
        };
        let key = cert
            .subject_key()
            .map_err(|e| CmpError::new(FailInfo::BadAlg, e.to_string()))?;
        key.verify_signature(
            alg,
            &self.protected_part,
            self.protection_value()?,
            SigEncoding::Auto,
        )
        .map(|_| ())
        .map_err(|e| {
            CmpError::new(
                FailInfo::BadMessageCheck,
                format!("the protection signature does not verify: {e}"),
            )
        })
    }
}

/// Encodes a message with `protect` (which also fixes the header's protectionAlg and, for a
/// signature, the extraCerts).
pub fn encode(header: &Header, body: &Body, protect: &Protect<'_>) -> Result<Vec<u8>, CmpError> {
    let enc = |e: der::Error| CmpError::format("encoding PKIMessage", e);
    let alg = protection_alg(protect)?;
    let h = header.to_asn1(alg.clone())?;
    let header_any = Any::encode_from(&h).map_err(enc)?;
    let body_any = Any::encode_from(&body.to_asn1()?).map_err(enc)?;
    let protected_part = ProtectedPart {
        header: header_any.clone(),
        body: body_any.clone(),
    }
    .to_der()
    .map_err(enc)?;
    let protection = match &alg {
        Some(a) => protect_bytes(protect, a, &protected_part)?
            .map(|p| BitString::from_bytes(&p).map_err(enc))
            .transpose()?,
        None => None,
    };
    let extra_certs = match protect {
        Protect::Signature { certs, .. } if !certs.is_empty() => Some(
            certs
                .iter()
                .map(|c| Any::from_der(c.to_der()).map_err(enc))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        _ => None,
    };
    RawPkiMessage {
        header: header_any,
        body: body_any,
        protection,
        extra_certs,
    }
    .to_der()
    .map_err(enc)
}

/// The `certHash` of `cert` for certConf (RFC 4210 §5.3.18): the hash of its DER under the
/// hash algorithm of its own signature — Streebog-256/512 for GOST, SHA-256 for
/// sha256WithRSA/ecdsa-with-SHA256, SHA-256 as OpenSSL's fallback for anything else.
pub fn cert_hash(cert: &Certificate) -> Vec<u8> {
    use sha2::Digest;
    match crate::algorithm::signature_algorithm(&cert.signature_algorithm()) {
        Ok(sig) => sig.hash.digest(cert.to_der()),
        Err(_) => sha2::Sha256::digest(cert.to_der()).to_vec(),
    }
}
