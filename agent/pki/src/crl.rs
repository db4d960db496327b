//! Certificate revocation lists: signature by the issuer, currency at a given time, and the
//! status of a serial number.

use std::time::SystemTime;

use der::Decode;
use tamga_gost::{PublicKey, SigEncoding};
use x509_cert::crl::TbsCertList;
use x509_cert::ext::pkix::{CrlReason, KeyUsages};
use x509_cert::name::Name;

use crate::cert::Certificate;
use crate::name::display_name;
use crate::signed::SignedObject;
use crate::time::to_system;
use crate::PkiError;

/// An X.509 CRL, kept with its original bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crl {
    signed: SignedObject,
    tbs: TbsCertList,
}

/// Whether a certificate is on a CRL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevocationStatus {
    /// Not listed.
    Good,
    /// Listed.
    Revoked {
        /// The reasonCode entry extension (RFC 5280 name), if any.
        reason: Option<&'static str>,
        /// revocationDate.
        date: SystemTime,
    },
}

impl Crl {
    /// Parses DER.
    pub fn from_der(der: &[u8]) -> Result<Self, PkiError> {
        let signed = SignedObject::parse(der, "CRL")?;
        let tbs =
            TbsCertList::from_der(signed.tbs()).map_err(|e| PkiError::corrupt("TBSCertList", e))?;
        Ok(Crl { signed, tbs })
    }

    /// Parses PEM (`X509 CRL`) or DER.
    pub fn parse(data: &[u8]) -> Result<Self, PkiError> {
        Self::from_der(&crate::pem::der_block(data, &["X509 CRL"])?)
    }

    /// The DER as it was read.
    pub fn to_der(&self) -> &[u8] {
        self.signed.der()
    }

    /// The TBSCertList bytes as they were read (what the issuer signed).
    pub fn tbs_der(&self) -> &[u8] {
        self.signed.tbs()
    }

    /// The decoded TBSCertList.
    pub fn tbs(&self) -> &TbsCertList {
        &self.tbs
    }

    /// The issuer name.
    pub fn issuer_name(&self) -> &Name {
        &self.tbs.issuer
    }

    /// The issuer as one readable line.
    pub fn issuer(&self) -> String {
        display_name(&self.tbs.issuer)
    }

    /// thisUpdate.
    pub fn this_update(&self) -> SystemTime {
        to_system(&self.tbs.this_update)
    }

    /// nextUpdate, if present.
    pub fn next_update(&self) -> Option<SystemTime> {
        self.tbs.next_update.as_ref().map(to_system)
    }

    /// Whether the CRL can be relied on at `time`: thisUpdate ≤ time ≤ nextUpdate.
    pub fn is_current_at(&self, time: SystemTime) -> bool {
        self.this_update() <= time && self.next_update().is_none_or(|n| time <= n)
    }

    /// Verifies the CRL signature with a key; answers the layout that verified.
    pub fn verify_signature(
        &self,
        key: &PublicKey,
        encoding: SigEncoding,
    ) -> Result<SigEncoding, PkiError> {
        if self.signed.algorithm != self.tbs.signature {
            return Err(PkiError::Corrupt(
                "CRL: signatureAlgorithm differs from the TBS signature field".into(),
            ));
        }
        self.signed.verify(key, encoding)
    }

    /// Verifies that `issuer` signed this CRL (names match, cRLSign allowed, signature).
    pub fn verify_issued_by(
        &self,
        issuer: &Certificate,
        encoding: SigEncoding,
    ) -> Result<SigEncoding, PkiError> {
        if self.issuer_name() != issuer.subject_name() {
            return Err(PkiError::SignerNotFound);
        }
        if !issuer.allows_key_usage(KeyUsages::CRLSign) {
            return Err(PkiError::KeyUsage("cRLSign"));
        }
        self.verify_signature(&issuer.public_key()?.key, encoding)
    }

    /// The entry for a serial number (INTEGER content bytes, as [`Certificate::serial`]).
    pub fn status_of_serial(&self, serial: &[u8]) -> Result<RevocationStatus, PkiError> {
        for entry in self.tbs.revoked_certificates.iter().flatten() {
            if entry.serial_number.as_bytes() == serial {
                let reason = entry
                    .crl_entry_extensions
                    .iter()
                    .flatten()
                    .find(|e| e.extn_id == crate::oid::EXT_CRL_REASON)
                    .map(|e| CrlReason::from_der(e.extn_value.as_bytes()))
                    .transpose()
                    .map_err(|e| PkiError::corrupt("CRL reasonCode", e))?
                    .map(reason_name);
                return Ok(RevocationStatus::Revoked {
                    reason,
                    date: to_system(&entry.revocation_date),
                });
            }
        }
        Ok(RevocationStatus::Good)
    }

    /// The whole check a workflow needs: `issuer` signed this CRL, it is current at `time`, it
    /// covers `cert` (same issuer), and `cert`'s serial is or is not on it.
    pub fn check(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        time: SystemTime,
        encoding: SigEncoding,
    ) -> Result<RevocationStatus, PkiError> {
        self.verify_issued_by(issuer, encoding)?;
        if !self.is_current_at(time) {
            return Err(PkiError::CrlOutdated);
        }
        if cert.issuer_name() != self.issuer_name() {
            return Err(PkiError::InvalidArgument(
                "the CRL is not from the certificate's issuer",
            ));
        }
        self.status_of_serial(cert.serial())
    }

    /// Like [`Crl::check`], with a revoked certificate as an error ([`PkiError::Revoked`]).
    pub fn require_not_revoked(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        time: SystemTime,
        encoding: SigEncoding,
    ) -> Result<(), PkiError> {
        match self.check(cert, issuer, time, encoding)? {
            RevocationStatus::Good => Ok(()),
            RevocationStatus::Revoked { reason, .. } => Err(PkiError::Revoked {
                reason: reason.map(str::to_string),
            }),
        }
    }
}

fn reason_name(r: CrlReason) -> &'static str {
    match r {
        CrlReason::Unspecified => "unspecified",
        CrlReason::KeyCompromise => "keyCompromise",
        CrlReason::CaCompromise => "cACompromise",
        CrlReason::AffiliationChanged => "affiliationChanged",
        CrlReason::Superseded => "superseded",
        CrlReason::CessationOfOperation => "cessationOfOperation",
        CrlReason::CertificateHold => "certificateHold",
        CrlReason::RemoveFromCRL => "removeFromCRL",
        CrlReason::PrivilegeWithdrawn => "privilegeWithdrawn",
        CrlReason::AaCompromise => "aACompromise",
    }
}
