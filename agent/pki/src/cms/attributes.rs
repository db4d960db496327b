//! Signed attributes: contentType, messageDigest, signingTime and signingCertificateV2
//! (RFC 5035 ESSCertIDv2 with a Streebog hash, or SHA-256 for EC P-256 signers), built and read.

use std::time::SystemTime;

use der::asn1::{Any, ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode, Encode, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::{Attribute, Attributes};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;

use crate::algorithm::{digest_algorithm, Profile};
use crate::cert::Certificate;
use crate::hash::HashAlg;
use crate::oid;
use crate::subject_key::SubjectKey;
use crate::PkiError;

/// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies ... OPTIONAL }`.
#[derive(Clone, Debug, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    policies: Option<Vec<Any>>,
}

/// `ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash, issuerSerial OPTIONAL }`.
#[derive(Clone, Debug, Sequence)]
struct EssCertIdV2 {
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    issuer_serial: Option<IssuerSerial>,
}

#[derive(Clone, Debug, Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

fn enc(e: der::Error) -> PkiError {
    PkiError::corrupt("encoding a signed attribute", e)
}

fn attribute(oid: ObjectIdentifier, value: &impl Encode) -> Result<Attribute, PkiError> {
    let mut values = SetOfVec::new();
    let any = Any::from_der(&value.to_der().map_err(enc)?).map_err(enc)?;
    values.insert(any).map_err(enc)?;
    Ok(Attribute { oid, values })
}

/// What [`build`] puts into signed attributes.
pub(crate) struct AttributeInput<'a> {
    pub content_type: ObjectIdentifier,
    pub message_digest: &'a [u8],
    pub signing_time: Option<SystemTime>,
    pub signing_certificate: Option<(&'a Certificate, &'a Profile, &'a SubjectKey)>,
}

/// The signed attributes, in DER order.
pub(crate) fn build(input: &AttributeInput<'_>) -> Result<Attributes, PkiError> {
    let mut attrs = SetOfVec::new();
    let mut add = |a: Attribute| attrs.insert(a).map_err(enc);
    add(attribute(oid::ATTR_CONTENT_TYPE, &input.content_type)?)?;
    add(attribute(
        oid::ATTR_MESSAGE_DIGEST,
        &OctetString::new(input.message_digest).map_err(enc)?,
    )?)?;
    if let Some(t) = input.signing_time {
        add(attribute(
            oid::ATTR_SIGNING_TIME,
            &crate::time::from_system(t)?,
        )?)?;
    }
    if let Some((cert, profile, key)) = input.signing_certificate {
        add(attribute(
            oid::ATTR_SIGNING_CERTIFICATE_V2,
            &signing_certificate_v2(cert, profile, key)?,
        )?)?;
    }
    Ok(attrs)
}

/// ESSCertIDv2 over the certificate's DER, and its issuer and serial: Streebog-256 for a GOST
/// signer; SHA-256 for an EC P-256 one, whose hashAlgorithm is then left out (the DEFAULT, which
/// DER must omit).
fn signing_certificate_v2(
    cert: &Certificate,
    profile: &Profile,
    key: &SubjectKey,
) -> Result<SigningCertificateV2, PkiError> {
    let (hash, hash_algorithm) = match key {
        SubjectKey::Gost(_) => (
            HashAlg::Streebog256,
            Some(profile.algorithm_identifier(profile.digest_oid(HashAlg::Streebog256))),
        ),
        SubjectKey::EcP256(_) => (HashAlg::Sha256, None),
    };
    Ok(SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm,
            cert_hash: OctetString::new(hash.digest(cert.to_der())).map_err(enc)?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(cert.issuer_name().clone())],
                serial_number: cert.tbs().serial_number().clone(),
            }),
        }],
        policies: None,
    })
}

/// The single value of the attribute `oid`: `None` if absent, an error if repeated or
/// multi-valued (RFC 5652 §5.3 forbids both for the attributes read here).
fn single<'a>(attrs: &'a Attributes, oid: &ObjectIdentifier) -> Result<Option<&'a Any>, PkiError> {
    let mut found = attrs.iter().filter(|a| a.oid == *oid);
    let first = found.next();
    if found.next().is_some() {
        return Err(PkiError::Corrupt(format!(
            "signed attribute {oid} repeated"
        )));
    }
    match first {
        None => Ok(None),
        Some(a) if a.values.len() == 1 => Ok(a.values.iter().next()),
        Some(_) => Err(PkiError::Corrupt(format!(
            "signed attribute {oid} has several values"
        ))),
    }
}

fn decode<T: for<'b> Decode<'b, Error = der::Error>>(v: &Any, what: &str) -> Result<T, PkiError> {
    let der = v.to_der().map_err(|e| PkiError::corrupt(what, e))?;
    T::from_der(&der).map_err(|e| PkiError::corrupt(what, e))
}

/// contentType.
pub(crate) fn content_type(attrs: &Attributes) -> Result<Option<ObjectIdentifier>, PkiError> {
    single(attrs, &oid::ATTR_CONTENT_TYPE)?
        .map(|v| decode(v, "contentType"))
        .transpose()
}

/// messageDigest.
pub(crate) fn message_digest(attrs: &Attributes) -> Result<Option<Vec<u8>>, PkiError> {
    single(attrs, &oid::ATTR_MESSAGE_DIGEST)?
        .map(|v| decode::<OctetString>(v, "messageDigest").map(|o| o.as_bytes().to_vec()))
        .transpose()
}

/// signingTime.
pub(crate) fn signing_time(attrs: &Attributes) -> Result<Option<SystemTime>, PkiError> {
    single(attrs, &oid::ATTR_SIGNING_TIME)?
        .map(|v| decode::<Time>(v, "signingTime").map(|t| crate::time::to_system(&t)))
        .transpose()
}

/// Checks signingCertificateV2, if present, against the signer's certificate: the first
/// ESSCertIDv2 (the signer's, RFC 5035 §5.4) must hash to the certificate (an absent
/// hashAlgorithm is the SHA-256 default). Hashes tamga does not have are left unchecked.
pub(crate) fn check_signing_certificate(
    attrs: &Attributes,
    cert: &Certificate,
) -> Result<(), PkiError> {
    let Some(v) = single(attrs, &oid::ATTR_SIGNING_CERTIFICATE_V2)? else {
        return Ok(());
    };
    let sc: SigningCertificateV2 = decode(v, "signingCertificateV2")?;
    let first = sc
        .certs
        .first()
        .ok_or_else(|| PkiError::Corrupt("empty signingCertificateV2".into()))?;
    let hash = match &first.hash_algorithm {
        None => HashAlg::Sha256,
        Some(a) => match digest_algorithm(&a.oid) {
            Some(h) => h,
            None => return Ok(()),
        },
    };
    if hash.digest(cert.to_der()) != first.cert_hash.as_bytes() {
        return Err(PkiError::Corrupt(
            "signingCertificateV2 names another certificate".into(),
        ));
    }
    Ok(())
}
