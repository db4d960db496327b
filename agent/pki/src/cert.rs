//! X.509 certificates with GOST (or EC P-256) keys: parsing (PEM or DER), signature verification over the
//! original TBS bytes, and the extension checks a workflow asks for.

use std::time::SystemTime;

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use tamga_gost::{PublicKey, SigEncoding};
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectKeyIdentifier,
};
use x509_cert::name::Name;

use crate::name::display_name;
use crate::public_key::GostPublicKey;
use crate::signed::SignedObject;
use crate::subject_key::SubjectKey;
use crate::time::to_system;
use crate::PkiError;

/// An X.509 certificate, kept with its original bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    signed: SignedObject,
    tbs: TbsCertificate,
}

const PEM_LABELS: [&str; 2] = ["CERTIFICATE", "X509 CERTIFICATE"];

impl Certificate {
    /// Parses DER.
    pub fn from_der(der: &[u8]) -> Result<Self, PkiError> {
        let signed = SignedObject::parse(der, "certificate")?;
        let tbs = TbsCertificate::from_der(signed.tbs())
            .map_err(|e| PkiError::corrupt("TBSCertificate", e))?;
        Ok(Certificate { signed, tbs })
    }

    /// Parses a PEM (`CERTIFICATE`) or DER certificate; with several PEM blocks, the first.
    pub fn parse(data: &[u8]) -> Result<Self, PkiError> {
        Self::from_der(&crate::pem::der_block(data, &PEM_LABELS)?)
    }

    /// Parses every certificate of a PEM bundle (or one DER certificate).
    pub fn parse_all(data: &[u8]) -> Result<Vec<Self>, PkiError> {
        crate::pem::der_blocks(data, &PEM_LABELS)?
            .iter()
            .map(|d| Self::from_der(d))
            .collect()
    }

    /// The DER as it was read.
    pub fn to_der(&self) -> &[u8] {
        self.signed.der()
    }

    /// PEM text.
    pub fn to_pem(&self) -> String {
        crate::pem::to_pem("CERTIFICATE", self.to_der())
    }

    /// The TBSCertificate bytes as they were read (what the issuer signed).
    pub fn tbs_der(&self) -> &[u8] {
        self.signed.tbs()
    }

    /// The decoded TBSCertificate (x509-cert types).
    pub fn tbs(&self) -> &TbsCertificate {
        &self.tbs
    }

    /// The subject name.
    pub fn subject_name(&self) -> &Name {
        self.tbs.subject()
    }

    /// The issuer name.
    pub fn issuer_name(&self) -> &Name {
        self.tbs.issuer()
    }

    /// The subject as one readable line (`CN=…, O=…, C=KZ`).
    pub fn subject(&self) -> String {
        display_name(self.subject_name())
    }

    /// The issuer as one readable line.
    pub fn issuer(&self) -> String {
        display_name(self.issuer_name())
    }

    /// The serial number's INTEGER content bytes (big-endian, as encoded).
    pub fn serial(&self) -> &[u8] {
        self.tbs.serial_number().as_bytes()
    }

    /// notBefore.
    pub fn not_before(&self) -> SystemTime {
        to_system(&self.tbs.validity().not_before)
    }

    /// notAfter.
    pub fn not_after(&self) -> SystemTime {
        to_system(&self.tbs.validity().not_after)
    }

    /// Whether `time` is inside the validity period (both ends inclusive).
    pub fn is_valid_at(&self, time: SystemTime) -> bool {
        self.not_before() <= time && time <= self.not_after()
    }

    /// Errs with [`PkiError::NotValidAt`] when `time` is outside the validity period.
    pub fn check_validity(&self, time: SystemTime) -> Result<(), PkiError> {
        if self.is_valid_at(time) {
            Ok(())
        } else {
            Err(PkiError::NotValidAt {
                subject: self.subject(),
            })
        }
    }

    /// The subject's GOST public key.
    pub fn public_key(&self) -> Result<GostPublicKey, PkiError> {
        GostPublicKey::from_spki(self.tbs.subject_public_key_info())
    }

    /// The subject's public key, GOST or EC P-256.
    pub fn subject_key(&self) -> Result<SubjectKey, PkiError> {
        SubjectKey::from_spki(self.tbs.subject_public_key_info())
    }

    /// The DER of the SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> Result<Vec<u8>, PkiError> {
        self.tbs
            .subject_public_key_info()
            .to_der()
            .map_err(|e| PkiError::corrupt("SubjectPublicKeyInfo", e))
    }

    /// The signature algorithm OID of the outer certificate.
    pub fn signature_algorithm(&self) -> ObjectIdentifier {
        self.signed.algorithm.oid
    }

    /// Verifies the issuer's signature with its GOST key. `encoding`: the layout expected, or
    /// `Auto` to accept either; the answer is the layout that verified.
    pub fn verify_signature(
        &self,
        issuer_key: &PublicKey,
        encoding: SigEncoding,
    ) -> Result<SigEncoding, PkiError> {
        self.verify_signature_with(&SubjectKey::Gost(issuer_key.clone()), encoding)
    }

    /// Verifies the issuer's signature with its key of any algorithm (GOST or ECDSA P-256).
    pub fn verify_signature_with(
        &self,
        issuer_key: &SubjectKey,
        encoding: SigEncoding,
    ) -> Result<SigEncoding, PkiError> {
        if self.signed.algorithm != *self.tbs.signature() {
            return Err(PkiError::Corrupt(
                "certificate: signatureAlgorithm differs from the TBS signature field".into(),
            ));
        }
        self.signed.verify_with(issuer_key, encoding)
    }

    /// Verifies that `issuer` issued this certificate: names match and its key verifies the
    /// signature. CA status is the chain's business ([`crate::chain`]).
    pub fn verify_issued_by(
        &self,
        issuer: &Certificate,
        encoding: SigEncoding,
    ) -> Result<SigEncoding, PkiError> {
        if self.issuer_name() != issuer.subject_name() {
            return Err(PkiError::SignerNotFound);
        }
        self.verify_signature_with(&issuer.subject_key()?, encoding)
    }

    /// Whether subject and issuer are the same name.
    pub fn is_self_issued(&self) -> bool {
        self.subject_name() == self.issuer_name()
    }

    /// basicConstraints, if present.
    pub fn basic_constraints(&self) -> Result<Option<BasicConstraints>, PkiError> {
        self.extension::<BasicConstraints>()
    }

    /// Whether basicConstraints says CA.
    pub fn is_ca(&self) -> bool {
        matches!(self.basic_constraints(), Ok(Some(bc)) if bc.ca)
    }

    /// keyUsage, if present.
    pub fn key_usage(&self) -> Result<Option<KeyUsage>, PkiError> {
        self.extension::<KeyUsage>()
    }

    /// Errs with [`PkiError::KeyUsage`] unless keyUsage is present and contains `usage`.
    /// (A certificate without keyUsage allows everything under RFC 5280, but a workflow that
    /// asks for a usage wants it stated.)
    pub fn require_key_usage(&self, usage: KeyUsages) -> Result<(), PkiError> {
        match self.key_usage()? {
            Some(ku) if ku.0.contains(usage) => Ok(()),
            _ => Err(PkiError::KeyUsage(key_usage_name(usage))),
        }
    }

    /// Whether keyUsage, if present, allows `usage` (absent allows all: RFC 5280).
    pub fn allows_key_usage(&self, usage: KeyUsages) -> bool {
        match self.key_usage() {
            Ok(Some(ku)) => ku.0.contains(usage),
            Ok(None) => true,
            Err(_) => false,
        }
    }

    /// The extendedKeyUsage purposes (empty when absent).
    pub fn extended_key_usage(&self) -> Result<Vec<ObjectIdentifier>, PkiError> {
        Ok(self
            .extension::<ExtendedKeyUsage>()?
            .map(|e| e.0)
            .unwrap_or_default())
    }

    /// Whether extendedKeyUsage lists `purpose` (e.g. [`crate::oid::EKU_CLIENT_AUTH`]).
    pub fn has_eku(&self, purpose: &ObjectIdentifier) -> bool {
        self.extended_key_usage()
            .map(|v| v.contains(purpose))
            .unwrap_or(false)
    }

    /// subjectKeyIdentifier bytes, if present.
    pub fn subject_key_id(&self) -> Option<Vec<u8>> {
        self.extension::<SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .map(|s| s.0.as_bytes().to_vec())
    }

    /// authorityKeyIdentifier keyIdentifier bytes, if present.
    pub fn authority_key_id(&self) -> Option<Vec<u8>> {
        self.extension::<AuthorityKeyIdentifier>()
            .ok()
            .flatten()
            .and_then(|a| a.key_identifier)
            .map(|k| k.as_bytes().to_vec())
    }

    fn extension<T>(&self) -> Result<Option<T>, PkiError>
    where
        T: for<'a> Decode<'a, Error = der::Error> + der::oid::AssociatedOid,
    {
        self.tbs
            .get_extension::<T>()
            .map(|o| o.map(|(_, v)| v))
            .map_err(|e| PkiError::corrupt("certificate extension", e))
    }
}

/// The RFC 5280 name of a key usage bit, for messages.
pub fn key_usage_name(usage: KeyUsages) -> &'static str {
    match usage {
        KeyUsages::DigitalSignature => "digitalSignature",
        KeyUsages::NonRepudiation => "nonRepudiation",
        KeyUsages::KeyEncipherment => "keyEncipherment",
        KeyUsages::DataEncipherment => "dataEncipherment",
        KeyUsages::KeyAgreement => "keyAgreement",
        KeyUsages::KeyCertSign => "keyCertSign",
        KeyUsages::CRLSign => "cRLSign",
        KeyUsages::EncipherOnly => "encipherOnly",
        KeyUsages::DecipherOnly => "decipherOnly",
    }
}
