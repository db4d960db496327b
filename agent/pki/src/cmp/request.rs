//! One CRMF certificate request (`CertReqMsg`): built with a proof of possession signed by the
//! new key, and read back with the exact bytes that proof covers.

use std::time::SystemTime;

use der::asn1::BitString;
use der::{Any, Decode, Encode};
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::time::Time;

use super::asn1::{self, CertTemplate, OptionalValidity, PopoSigningKey, ProofOfPossession};
use super::error::{CmpError, FailInfo};
use crate::algorithm::Profile;
use crate::public_key::GostPublicKey;
use crate::signer::{sign_data, Signer};
use crate::subject_key::SubjectKey;
use crate::SigEncoding;

/// What to ask for in one request. The public key is the signer's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertReqSpec {
    /// `certReqId` (PROTOCOL.md: 0 = SIGN, 1 = AUTH).
    pub cert_req_id: i64,
    /// The subject (CN = user ID).
    pub subject: Name,
    /// Requested notBefore.
    pub not_before: Option<SystemTime>,
    /// Requested notAfter (the term).
    pub not_after: Option<SystemTime>,
    /// Requested extensions (none: the CA decides from the certReqId).
    pub extensions: Vec<Extension>,
}

/// A parsed or built `CertReqMsg`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertReq {
    pub(crate) msg: asn1::CertReqMsg,
    req: asn1::CertRequest,
    cert_req_der: Vec<u8>,
}

fn to_time(t: SystemTime) -> Result<Time, CmpError> {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_err(|_| CmpError::new(FailInfo::BadTime, "time before 1970"))?
        .as_secs();
    Time::try_from(SystemTime::UNIX_EPOCH + core::time::Duration::from_secs(secs))
        .map_err(|e| CmpError::format("validity", e))
}

impl CertReq {
    /// Builds the request for `signer`'s key (SPKI written with `profile`'s OIDs) and signs the
    /// proof of possession (POPOSigningKey over the DER `CertRequest`) with it.
    pub fn build(
        spec: &CertReqSpec,
        signer: &dyn Signer,
        profile: &Profile,
    ) -> Result<Self, CmpError> {
        let enc = |e: der::Error| CmpError::format("encoding the request", e);
        let key = signer.public_key();
        let validity = match (spec.not_before, spec.not_after) {
            (None, None) => None,
            (nb, na) => Some(OptionalValidity {
                not_before: nb.map(to_time).transpose()?,
                not_after: na.map(to_time).transpose()?,
            }),
        };
        let req = asn1::CertRequest {
            cert_req_id: spec.cert_req_id,
            cert_template: CertTemplate {
                subject: Some(spec.subject.clone()),
                public_key: Some(key.spki(profile)?),
                validity,
                extensions: (!spec.extensions.is_empty()).then(|| spec.extensions.clone()),
                ..CertTemplate::default()
            },
            controls: None,
        };
        let cert_req_der = req.to_der().map_err(enc)?;
        let signature = sign_data(signer, &cert_req_der, profile)?;
        let popo = PopoSigningKey {
            poposk_input: None,
            algorithm: key.signature_identifier(profile)?,
            signature: BitString::from_bytes(&signature).map_err(enc)?,
        };
        let msg = asn1::CertReqMsg {
            cert_req: Any::from_der(&cert_req_der).map_err(enc)?,
            popo: Some(ProofOfPossession::Signature(popo)),
            reg_info: None,
        };
        Ok(CertReq {
            msg,
            req,
            cert_req_der,
        })
    }

    /// Reads a DER `CertReqMsg`.
    pub fn from_der(der: &[u8]) -> Result<Self, CmpError> {
        Self::from_asn1(
            asn1::CertReqMsg::from_der(der).map_err(|e| CmpError::format("CertReqMsg", e))?,
        )
    }

    /// The DER `CertReqMsg`.
    pub fn to_der(&self) -> Result<Vec<u8>, CmpError> {
        self.msg
            .to_der()
            .map_err(|e| CmpError::format("CertReqMsg", e))
    }

    pub(crate) fn from_asn1(msg: asn1::CertReqMsg) -> Result<Self, CmpError> {
        let cert_req_der = msg
            .cert_req
            .to_der()
            .map_err(|e| CmpError::format("CertRequest", e))?;
        let req = asn1::CertRequest::from_der(&cert_req_der)
            .map_err(|e| CmpError::format("CertRequest", e))?;
        Ok(CertReq {
            msg,
            req,
            cert_req_der,
        })
    }

    /// `certReqId`.
    pub fn cert_req_id(&self) -> i64 {
        self.req.cert_req_id
    }

    /// The requested subject.
    pub fn subject(&self) -> Option<&Name> {
        self.req.cert_template.subject.as_ref()
    }

    /// The requested public key.
    pub fn public_key(&self) -> Option<&SubjectPublicKeyInfoOwned> {
        self.req.cert_template.public_key.as_ref()
    }

    /// The DER of the requested public key.
    pub fn public_key_der(&self) -> Result<Vec<u8>, CmpError> {
        let spki = self.public_key().ok_or_else(|| {
            CmpError::new(FailInfo::BadCertTemplate, "the template has no public key")
        })?;
        spki.to_der().map_err(|e| CmpError::format("publicKey", e))
    }

    /// The requested validity (either end may be absent).
    pub fn validity(&self) -> (Option<SystemTime>, Option<SystemTime>) {
        match &self.req.cert_template.validity {
            Some(v) => (
                v.not_before.as_ref().map(|t| t.to_system_time()),
                v.not_after.as_ref().map(|t| t.to_system_time()),
            ),
            None => (None, None),
        }
    }

    /// The requested extensions.
    pub fn extensions(&self) -> &[Extension] {
        self.req.cert_template.extensions.as_deref().unwrap_or(&[])
    }

    /// The whole template as decoded.
    pub fn template(&self) -> &CertTemplate {
        &self.req.cert_template
    }

    /// The signature proof of possession, if that is the kind given.
    pub fn pop_signature(&self) -> Option<&PopoSigningKey> {
        match &self.msg.popo {
            Some(ProofOfPossession::Signature(p)) => Some(p),
            _ => None,
        }
    }

    /// The bytes the proof of possession signs: the DER `CertRequest`, as sent.
    pub fn pop_signed_bytes(&self) -> &[u8] {
        &self.cert_req_der
    }

    /// Verifies a GOST proof of possession against the template's key (either signature
    /// layout); any other key is `badAlg`, for a caller that takes GOST keys only.
    pub fn verify_gost_pop(&self) -> Result<(), CmpError> {
        let spki = self.public_key().ok_or_else(|| {
            CmpError::new(FailInfo::BadCertTemplate, "the template has no public key")
        })?;
        GostPublicKey::from_spki(spki)
            .map_err(|e| CmpError::new(FailInfo::BadAlg, e.to_string()))?;
        self.verify_pop()
    }

    /// Verifies the proof of possession against the template's key, GOST (either signature
    /// layout) or EC P-256 (`ecdsa-with-SHA256`, DER signature).
    pub fn verify_pop(&self) -> Result<(), CmpError> {
        let pop = self
            .pop_signature()
            .ok_or_else(|| CmpError::new(FailInfo::BadPop, "no signature proof of possession"))?;
        if pop.poposk_input.is_some() {
            return Err(CmpError::new(
                FailInfo::BadPop,
                "poposkInput is not accepted (the template names subject and key)",
            ));
        }
        let spki = self.public_key().ok_or_else(|| {
            CmpError::new(FailInfo::BadCertTemplate, "the template has no public key")
        })?;
        let key = SubjectKey::from_spki(spki)
            .map_err(|e| CmpError::new(FailInfo::BadAlg, e.to_string()))?;
        let sig = pop
            .signature
            .as_bytes()
            .ok_or_else(|| CmpError::new(FailInfo::BadPop, "POP signature has unused bits"))?;
        key.verify_signature(&pop.algorithm, &self.cert_req_der, sig, SigEncoding::Auto)
            .map(|_| ())
            .map_err(|e| CmpError::new(FailInfo::BadPop, format!("proof of possession: {e}")))
    }
}
