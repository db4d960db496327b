//! A small certificate builder: a TBSCertificate from x509-cert's pieces, signed by the CA
//! through tamga-pki's `Signer`.
//!
//! x509-cert 0.3 keeps `TbsCertificate`'s fields private (its builder wants RustCrypto signer
//! crates), so the structure is declared here with the same shape.

use std::time::SystemTime;

use der::asn1::{BitString, OctetString, Uint};
use der::{Encode, Sequence};
use sha1::{Digest, Sha1};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use tamga_pki::extensions::{extended_key_usage, key_usage};
use tamga_pki::{oid, Certificate, KeyUsages, PkiError, Profile, Signer};
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, BasicConstraints, SubjectKeyIdentifier};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::time::Time;

/// What a certificate is for; decides its extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The root: CA, keyCertSign + cRLSign (+ digitalSignature for CMP protection).
    Ca,
    /// The init key of `GOST.pfx`: signs CMP messages.
    Init,
    /// SIGN: digitalSignature + nonRepudiation.
    Sign,
    /// AUTH: digitalSignature + EKU clientAuth.
    Auth,
}

impl Role {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Ca => "ca",
            Role::Init => "init",
            Role::Sign => "sign",
            Role::Auth => "auth",
        }
    }
}

#[derive(Sequence)]
struct Validity {
    not_before: Time,
    not_after: Time,
}

#[derive(Sequence)]
struct TbsCertificate {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    version: u8,
    serial_number: Uint,
    signature: AlgorithmIdentifierOwned,
    issuer: Name,
    validity: Validity,
    subject: Name,
    subject_public_key_info: SubjectPublicKeyInfoOwned,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    extensions: Option<Vec<Extension>>,
}

#[derive(Sequence)]
struct CertificateDer {
    tbs: der::Any,
    algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
}

/// The issuer's side of a signature.
pub struct Issuer<'a> {
    /// Its name.
    pub name: &'a Name,
    /// Its key.
    pub signer: &'a dyn Signer,
    /// Its subjectKeyIdentifier (for authorityKeyIdentifier), `None` for a self-signed root.
    pub key_id: Option<&'a [u8]>,
    /// OIDs and layout.
    pub profile: Profile,
}

/// RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits.
pub fn key_identifier(spki: &SubjectPublicKeyInfoOwned) -> Vec<u8> {
    Sha1::digest(spki.subject_public_key.raw_bytes()).to_vec()
}

fn ext(
    id: der::asn1::ObjectIdentifier,
    critical: bool,
    value: &impl Encode,
) -> Result<Extension, PkiError> {
    let der = value
        .to_der()
        .map_err(|e| PkiError::corrupt("extension", e))?;
    Ok(Extension {
        extn_id: id,
        critical,
        extn_value: OctetString::new(der).map_err(|e| PkiError::corrupt("extension", e))?,
    })
}

fn time(t: SystemTime) -> Result<Time, PkiError> {
    Time::try_from(t).map_err(|e| PkiError::corrupt("validity", e))
}

/// Builds and signs a certificate.
#[allow(clippy::too_many_arguments)]
pub fn issue(
    issuer: &Issuer<'_>,
    serial: u64,
    subject: &Name,
    spki: &SubjectPublicKeyInfoOwned,
    not_before: SystemTime,
    not_after: SystemTime,
    role: Role,
) -> Result<Certificate, PkiError> {
    let enc = |e: der::Error| PkiError::corrupt("encoding a certificate", e);
    let ski = key_identifier(spki);
    let mut extensions = Vec::new();
    match role {
        Role::Ca => {
            extensions.push(ext(
                oid::EXT_BASIC_CONSTRAINTS,
                true,
                &BasicConstraints {
                    ca: true,
                    path_len_constraint: Some(0),
                },
            )?);
            // digitalSignature too: the CA signs its CMP answers with this key, and RFC 9483
            // (and `openssl cmp`) want that usage on the protection certificate.
            extensions.push(key_usage(
                KeyUsages::DigitalSignature | KeyUsages::KeyCertSign | KeyUsages::CRLSign,
            )?);
        }
        Role::Init => extensions.push(key_usage(KeyUsages::DigitalSignature)?),
        Role::Sign => extensions.push(key_usage(
            KeyUsages::DigitalSignature | KeyUsages::NonRepudiation,
        )?),
        Role::Auth => {
            extensions.push(key_usage(KeyUsages::DigitalSignature)?);
            extensions.push(extended_key_usage(&[oid::EKU_CLIENT_AUTH])?);
        }
    }
    extensions.push(ext(
        oid::EXT_SUBJECT_KEY_ID,
        false,
        &SubjectKeyIdentifier(OctetString::new(ski).map_err(enc)?),
    )?);
    if let Some(aki) = issuer.key_id {
        extensions.push(ext(
            oid::EXT_AUTHORITY_KEY_ID,
            false,
            &AuthorityKeyIdentifier {
                key_identifier: Some(OctetString::new(aki.to_vec()).map_err(enc)?),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            },
        )?);
    }
    let curve = issuer.signer.public_key().gost()?.curve();
    let algorithm = issuer
        .profile
        .algorithm_identifier(issuer.profile.signature_oid(curve)?);
    let tbs = TbsCertificate {
        version: 2,
        serial_number: Uint::new(&serial.max(1).to_be_bytes()).map_err(enc)?,
        signature: algorithm.clone(),
        issuer: issuer.name.clone(),
        validity: Validity {
            not_before: time(not_before)?,
            not_after: time(not_after)?,
        },
        subject: subject.clone(),
        subject_public_key_info: spki.clone(),
        extensions: Some(extensions),
    }
    .to_der()
    .map_err(enc)?;
    let signature = sign(issuer, &tbs)?;
    let der = CertificateDer {
        tbs: der::Any::from_der_bytes(&tbs)?,
        algorithm,
        signature: BitString::from_bytes(&signature).map_err(enc)?,
    }
    .to_der()
    .map_err(enc)?;
    Certificate::from_der(&der)
}

/// Signs `tbs` (a TBSCertificate or TBSCertList) as `issuer`'s profile says, checking the
/// signature against the key first.
pub fn sign(issuer: &Issuer<'_>, tbs: &[u8]) -> Result<Vec<u8>, PkiError> {
    let key = issuer.signer.public_key().gost()?;
    let digest = issuer.profile.hash(key.curve())?.digest(tbs);
    let mut sig = issuer.signer.sign_digest(&digest)?;
    key.verify_digest(&digest, &sig, tamga_pki::SigEncoding::Rfc9215)
        .map_err(|_| PkiError::Signer("the CA signature does not verify".into()))?;
    if issuer.profile.write_encoding() == tamga_pki::SigEncoding::Kz {
        sig.reverse();
    }
    Ok(sig)
}

/// `Any` from DER bytes.
trait AnyFromDer: Sized {
    fn from_der_bytes(der: &[u8]) -> Result<Self, PkiError>;
}

impl AnyFromDer for der::Any {
    fn from_der_bytes(der: &[u8]) -> Result<Self, PkiError> {
        <der::Any as der::Decode>::from_der(der).map_err(|e| PkiError::corrupt("DER", e))
    }
}
