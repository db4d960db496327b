//! PKCS#10 certification requests: built and signed through a [`Signer`], and their
//! self-signature verified.
//!
//! `CertReqInfo` is assembled by hand rather than with x509-cert's `RequestBuilder`, which always
//! adds an extensionRequest — empty (`30 00`) when there are no extensions, which CAs refuse.

use der::asn1::{Any, BitString, SetOfVec};
use der::{Decode, Encode};
use tamga_gost::SigEncoding;
use x509_cert::attr::Attribute;
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::request::{CertReqInfo, ExtensionReq, Version};

use crate::algorithm::Profile;
use crate::name::display_name;
use crate::public_key::GostPublicKey;
use crate::signed::SignedObject;
use crate::signer::{sign_data, Signer};
use crate::subject_key::SubjectKey;
use crate::tlv::{encode, SEQUENCE};
use crate::{oid, PkiError};

/// A PKCS#10 request, kept with its original bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificationRequest {
    signed: SignedObject,
    info: CertReqInfo,
}

const PEM_LABELS: [&str; 2] = ["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"];

impl CertificationRequest {
    /// Builds and signs a request for `signer`'s key: `subject`, the SubjectPublicKeyInfo with
    /// `profile`'s OIDs, and an extensionRequest with `extensions` (none when empty). The
    /// signature is over the DER of CertificationRequestInfo, hashed per the profile and key size.
    pub fn build(
        subject: &Name,
        extensions: &[Extension],
        signer: &dyn Signer,
        profile: &Profile,
    ) -> Result<Self, PkiError> {
        let enc = |e: der::Error| PkiError::corrupt("encoding the request", e);
        let key = signer.public_key();
        let mut attributes = SetOfVec::new();
        if !extensions.is_empty() {
            let attr = Attribute::try_from(ExtensionReq(extensions.to_vec())).map_err(enc)?;
            attributes.insert(attr).map_err(enc)?;
        }
        let info = CertReqInfo {
            version: Version::V1,
            subject: subject.clone(),
            public_key: key.spki(profile)?,
            attributes,
        };
        let info_der = info.to_der().map_err(enc)?;
        let signature = sign_data(signer, &info_der, profile)?;
        let algorithm = key.signature_identifier(profile)?;
        let mut body = info_der;
        body.extend(algorithm.to_der().map_err(enc)?);
        body.extend(
            BitString::from_bytes(&signature)
                .and_then(|b| b.to_der())
                .map_err(enc)?,
        );
        Self::from_der(&encode(SEQUENCE, &body))
    }

    /// Parses DER.
    pub fn from_der(der: &[u8]) -> Result<Self, PkiError> {
        let signed = SignedObject::parse(der, "certification request")?;
        let info = CertReqInfo::from_der(signed.tbs())
            .map_err(|e| PkiError::corrupt("CertificationRequestInfo", e))?;
        Ok(CertificationRequest { signed, info })
    }

    /// Parses PEM (`CERTIFICATE REQUEST`) or DER.
    pub fn parse(data: &[u8]) -> Result<Self, PkiError> {
        Self::from_der(&crate::pem::der_block(data, &PEM_LABELS)?)
    }

    /// The DER.
    pub fn to_der(&self) -> &[u8] {
        self.signed.der()
    }

    /// PEM text.
    pub fn to_pem(&self) -> String {
        crate::pem::to_pem("CERTIFICATE REQUEST", self.to_der())
    }

    /// The decoded CertificationRequestInfo.
    pub fn info(&self) -> &CertReqInfo {
        &self.info
    }

    /// The subject as one readable line.
    pub fn subject(&self) -> String {
        display_name(&self.info.subject)
    }

    /// The requested GOST public key.
    pub fn public_key(&self) -> Result<GostPublicKey, PkiError> {
        GostPublicKey::from_spki(&self.info.public_key)
    }

    /// The requested public key, GOST or EC P-256.
    pub fn subject_key(&self) -> Result<SubjectKey, PkiError> {
        SubjectKey::from_spki(&self.info.public_key)
    }

    /// The extensions of the extensionRequest attribute (empty if none).
    pub fn extensions(&self) -> Result<Vec<Extension>, PkiError> {
        let mut out = Vec::new();
        for attr in self
            .info
            .attributes
            .iter()
            .filter(|a| a.oid == oid::EXTENSION_REQUEST)
        {
            for value in attr.values.iter() {
                let exts: Vec<Extension> =
                    Any::decode_as(value).map_err(|e| PkiError::corrupt("extensionRequest", e))?;
                out.extend(exts);
            }
        }
        Ok(out)
    }

    /// Verifies the self-signature with the request's own key; answers the layout that verified.
    pub fn verify(&self, encoding: SigEncoding) -> Result<SigEncoding, PkiError> {
        self.signed.verify_with(&self.subject_key()?, encoding)
    }
}
