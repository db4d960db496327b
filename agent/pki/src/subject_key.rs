//! A key tamga signs or verifies with, whatever its algorithm: GOST (the KAZTOKEN's), or EC P-256
//! (a PKCS#11 token without GOST). What gets written follows the key: GOST objects take the
//! caller's [`Profile`], P-256 ones have a single standard form (SHA-256, `ecdsa-with-SHA256`,
//! DER signatures) and ignore it.

use der::asn1::ObjectIdentifier;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use tamga_gost::{Curve, PublicKey, SigEncoding};

use crate::algorithm::{check_no_params, Profile};
use crate::ec_key::{self, EcP256PublicKey};
use crate::hash::HashAlg;
use crate::public_key::{spki_for, GostPublicKey};
use crate::{oid, PkiError};

/// A public key of any algorithm tamga-pki handles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubjectKey {
    /// A GOST key.
    Gost(PublicKey),
    /// An EC P-256 key.
    EcP256(EcP256PublicKey),
}

impl From<PublicKey> for SubjectKey {
    fn from(k: PublicKey) -> Self {
        SubjectKey::Gost(k)
    }
}

impl From<EcP256PublicKey> for SubjectKey {
    fn from(k: EcP256PublicKey) -> Self {
        SubjectKey::EcP256(k)
    }
}

impl SubjectKey {
    /// Reads a SubjectPublicKeyInfo: `id-ecPublicKey` on P-256, or any GOST family.
    pub fn from_spki(spki: &SubjectPublicKeyInfoOwned) -> Result<Self, PkiError> {
        if EcP256PublicKey::is_ec(spki) {
            EcP256PublicKey::from_spki(spki).map(SubjectKey::EcP256)
        } else {
            GostPublicKey::from_spki(spki).map(|k| SubjectKey::Gost(k.key))
        }
    }

    /// Reads a DER SubjectPublicKeyInfo.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, PkiError> {
        let spki = <SubjectPublicKeyInfoOwned as der::Decode>::from_der(der)
            .map_err(|e| PkiError::corrupt("SubjectPublicKeyInfo", e))?;
        Self::from_spki(&spki)
    }

    /// The GOST key, or [`PkiError::Unsupported`] for another algorithm (for code that only
    /// makes sense with GOST, such as a GOST CA's own key).
    pub fn gost(&self) -> Result<&PublicKey, PkiError> {
        match self {
            SubjectKey::Gost(k) => Ok(k),
            SubjectKey::EcP256(_) => Err(PkiError::Unsupported(
                "an EC P-256 key where a GOST key is needed".into(),
            )),
        }
    }

    /// A short name of the algorithm, for messages.
    pub fn algorithm_name(&self) -> &'static str {
        match self {
            SubjectKey::Gost(_) => "GOST",
            SubjectKey::EcP256(_) => "EC P-256",
        }
    }

    /// The SubjectPublicKeyInfo (GOST keys with `profile`'s OIDs).
    pub fn spki(&self, profile: &Profile) -> Result<SubjectPublicKeyInfoOwned, PkiError> {
        match self {
            SubjectKey::Gost(k) => spki_for(k, profile),
            SubjectKey::EcP256(k) => k.to_spki(),
        }
    }

    /// The hash signatures by this key are made over.
    pub fn hash(&self, profile: &Profile) -> Result<HashAlg, PkiError> {
        match self {
            SubjectKey::Gost(k) => profile.hash(k.curve()),
            SubjectKey::EcP256(_) => Ok(HashAlg::Sha256),
        }
    }

    /// The signature AlgorithmIdentifier of certificates, CSRs, proofs of possession and CMP
    /// protection made with this key.
    pub(crate) fn signature_identifier(
        &self,
        profile: &Profile,
    ) -> Result<AlgorithmIdentifierOwned, PkiError> {
        self.signature_identifier_with(profile, Profile::signature_oid)
    }

    /// The CMS `SignerInfo.signatureAlgorithm` (RFC 5753 §2.1.1 for ECDSA).
    pub(crate) fn cms_signature_identifier(
        &self,
        profile: &Profile,
    ) -> Result<AlgorithmIdentifierOwned, PkiError> {
        self.signature_identifier_with(profile, Profile::cms_signature_oid)
    }

    /// GOST names its signature algorithm differently in CMS than in certificates; ECDSA's name
    /// is the same everywhere.
    fn signature_identifier_with(
        &self,
        profile: &Profile,
        gost_oid: fn(&Profile, Curve) -> Result<ObjectIdentifier, PkiError>,
    ) -> Result<AlgorithmIdentifierOwned, PkiError> {
        match self {
            SubjectKey::Gost(k) => Ok(profile.algorithm_identifier(gost_oid(profile, k.curve())?)),
            SubjectKey::EcP256(_) => Ok(ec_key::signature_identifier()),
        }
    }

    /// The CMS `digestAlgorithm`.
    pub(crate) fn digest_identifier(
        &self,
        profile: &Profile,
    ) -> Result<AlgorithmIdentifierOwned, PkiError> {
        Ok(match self {
            SubjectKey::Gost(_) => {
                profile.algorithm_identifier(profile.digest_oid(self.hash(profile)?))
            }
            SubjectKey::EcP256(_) => ec_key::digest_identifier(),
        })
    }

    /// Verifies a signature over a digest; answers the layout that verified (ECDSA has only the
    /// DER one, reported as [`SigEncoding::Rfc9215`], the standard layout).
    pub(crate) fn verify_digest(
        &self,
        digest: &[u8],
        signature: &[u8],
        encoding: SigEncoding,
    ) -> Result<SigEncoding, PkiError> {
        match self {
            SubjectKey::Gost(k) => crate::signed::verify_digest(k, digest, signature, encoding),
            SubjectKey::EcP256(k) => k
                .verify_digest(digest, signature)
                .map(|()| SigEncoding::Rfc9215),
        }
    }

    /// Verifies a signature over `data` as the signature AlgorithmIdentifier says, refusing an
    /// identifier of another algorithm than the key's (no algorithm confusion).
    pub(crate) fn verify_signature(
        &self,
        algorithm: &AlgorithmIdentifierOwned,
        data: &[u8],
        signature: &[u8],
        encoding: SigEncoding,
    ) -> Result<SigEncoding, PkiError> {
        match self {
            SubjectKey::Gost(k) => {
                crate::signed::verify_signature(algorithm, data, signature, k, encoding)
            }
            SubjectKey::EcP256(_) => {
                check_ecdsa_identifier(algorithm)?;
                self.verify_digest(&HashAlg::Sha256.digest(data), signature, encoding)
            }
        }
    }
}

/// An ECDSA signature must say `ecdsa-with-SHA256`; RFC 5758 §3.2 wants the parameters absent,
/// NULL is tolerated as for GOST (some writers add it).
pub(crate) fn check_ecdsa_identifier(alg: &AlgorithmIdentifierOwned) -> Result<(), PkiError> {
    if alg.oid != oid::ECDSA_WITH_SHA256 {
        return Err(PkiError::UnknownAlgorithm(format!(
            "{} with an EC P-256 key (expected ecdsa-with-SHA256)",
            alg.oid
        )));
    }
    check_no_params(alg)
}
