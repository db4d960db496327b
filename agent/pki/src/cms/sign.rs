//! Making SignedData and adding co-signatures.

use std::time::SystemTime;

use cms::cert::IssuerAndSerialNumber;
use cms::content_info::CmsVersion;
use cms::signed_data::{SignerIdentifier, SignerInfo};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;

use super::attributes::{self, AttributeInput};
use super::parse;
use crate::algorithm::Profile;
use crate::cert::Certificate;
use crate::oid;
use crate::signer::{sign_for, Signer};
use crate::tlv::{encode, CONTEXT_0, SEQUENCE, SET};
use crate::PkiError;

/// Which signed attributes to write (contentType and messageDigest always).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SignedAttributesOptions {
    /// signingTime, as the caller's clock says (the library never reads one).
    pub signing_time: Option<SystemTime>,
    /// signingCertificateV2 (ESSCertIDv2 with Streebog-256 over the signer's certificate).
    pub signing_certificate_v2: bool,
}

/// How to sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignOptions {
    /// OIDs and signature layout.
    pub profile: Profile,
    /// Leave the content out (the verifier must have it).
    pub detached: bool,
    /// `None`: no signed attributes; the signature is over the content digest itself (like
    /// `openssl cms -noattr`).
    pub signed_attributes: Option<SignedAttributesOptions>,
    /// Put the signer's certificate into the SignedData.
    pub include_certificate: bool,
}

impl Default for SignOptions {
    /// TC26, detached, contentType + messageDigest, certificate included.
    fn default() -> Self {
        SignOptions {
            profile: Profile::TC26,
            detached: true,
            signed_attributes: Some(SignedAttributesOptions::default()),
            include_certificate: true,
        }
    }
}

fn enc(e: der::Error) -> PkiError {
    PkiError::corrupt("encoding CMS", e)
}

/// Signs `content` (as id-data) with `signer`, whose certificate is `cert`; returns the DER of a
/// ContentInfo with SignedData. The digest follows the key: Streebog-256 for 256-bit keys,
/// Streebog-512 for 512-bit keys (GOST 34.311-95 for Kazakh 2004 keys), SHA-256 with
/// `ecdsa-with-SHA256` for EC P-256 keys (RFC 5753; the profile's OIDs do not apply).
pub fn sign(
    content: &[u8],
    signer: &dyn Signer,
    cert: &Certificate,
    options: &SignOptions,
) -> Result<Vec<u8>, PkiError> {
    let (digest_alg, signer_info) = signer_info(content, oid::CMS_DATA, signer, cert, options)?;
    let encap = encapsulated(oid::CMS_DATA, (!options.detached).then_some(content))?;
    let certs = if options.include_certificate {
        vec![cert.to_der().to_vec()]
    } else {
        Vec::new()
    };
    assemble(1, vec![digest_alg], &encap, certs, None, vec![signer_info])
}

/// Adds a SignerInfo for `signer` to an existing SignedData, keeping everything already there
/// (the first signer's bytes are not touched). `content` is needed for a detached SignedData;
/// for an attached one it may be omitted (and must match if given). `options.detached` is
/// ignored: the content stays as it was.
pub fn add_signer(
    cms: &[u8],
    content: Option<&[u8]>,
    signer: &dyn Signer,
    cert: &Certificate,
    options: &SignOptions,
) -> Result<Vec<u8>, PkiError> {
    let parts = parse::parse(cms)?;
    check_parts(&parts)?;
    let content = parts.content(
        content,
        PkiError::InvalidArgument("the content given differs from the one inside the SignedData"),
    )?;
    let (digest_alg, new_signer) = signer_info(content, parts.content_type, signer, cert, options)?;
    let mut digest_algs: Vec<Vec<u8>> =
        parts.digest_algorithms.iter().map(|d| d.to_vec()).collect();
    if !digest_algs.contains(&digest_alg) {
        digest_algs.push(digest_alg);
    }
    let mut certs: Vec<Vec<u8>> = parts.certificates.iter().map(|c| c.to_vec()).collect();
    if options.include_certificate && !certs.iter().any(|c| c.as_slice() == cert.to_der()) {
        certs.push(cert.to_der().to_vec());
    }
    let mut signers: Vec<Vec<u8>> = parts.signer_infos.iter().map(|s| s.to_vec()).collect();
    signers.push(new_signer);
    assemble(
        parts.version.max(1),
        digest_algs,
        parts.encap,
        certs,
        parts.crls,
        signers,
    )
}

/// Refuses to co-sign something that would not verify afterwards for structural reasons: the
/// pieces kept as they are must at least decode.
fn check_parts(parts: &parse::SignedDataParts<'_>) -> Result<(), PkiError> {
    for d in &parts.digest_algorithms {
        AlgorithmIdentifierOwned::from_der(d)
            .map_err(|e| PkiError::corrupt("digestAlgorithms", e))?;
    }
    for c in parts
        .certificates
        .iter()
        .filter(|c| c.first() == Some(&SEQUENCE))
    {
        Certificate::from_der(c)?;
    }
    for s in &parts.signer_infos {
        SignerInfo::from_der(s).map_err(|e| PkiError::corrupt("SignerInfo", e))?;
    }
    Ok(())
}

/// One SignerInfo (DER) and its digestAlgorithm (DER).
fn signer_info(
    content: &[u8],
    content_type: ObjectIdentifier,
    signer: &dyn Signer,
    cert: &Certificate,
    options: &SignOptions,
) -> Result<(Vec<u8>, Vec<u8>), PkiError> {
    let key = signer.public_key();
    if cert.subject_key()? != *key {
        return Err(PkiError::InvalidArgument(
            "the certificate is not the signer's",
        ));
    }
    let profile = &options.profile;
    let hash = key.hash(profile)?;
    let content_digest = hash.digest(content);
    let (signed_attrs, digest) = match &options.signed_attributes {
        Some(a) => {
            let attrs = attributes::build(&AttributeInput {
                content_type,
                message_digest: &content_digest,
                signing_time: a.signing_time,
                signing_certificate: a.signing_certificate_v2.then_some((cert, profile, key)),
            })?;
            // RFC 5652 §5.4: the signature covers the DER of the SET OF (tag 0x31).
            let digest = hash.digest(&attrs.to_der().map_err(enc)?);
            (Some(attrs), digest)
        }
        None => (None, content_digest),
    };
    let signature = sign_for(signer, &digest, profile)?;
    let digest_alg = key.digest_identifier(profile)?;
    let info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.issuer_name().clone(),
            serial_number: cert.tbs().serial_number().clone(),
        }),
        digest_alg: digest_alg.clone(),
        signed_attrs,
        signature_algorithm: key.cms_signature_identifier(profile)?,
        signature: OctetString::new(signature).map_err(enc)?,
        unsigned_attrs: None,
    };
    Ok((
        digest_alg.to_der().map_err(enc)?,
        info.to_der().map_err(enc)?,
    ))
}

/// EncapsulatedContentInfo { eContentType, [0] EXPLICIT OCTET STRING OPTIONAL }.
fn encapsulated(
    content_type: ObjectIdentifier,
    content: Option<&[u8]>,
) -> Result<Vec<u8>, PkiError> {
    let mut body = content_type.to_der().map_err(enc)?;
    if let Some(c) = content {
        body.extend(encode(
            CONTEXT_0,
            &OctetString::new(c).map_err(enc)?.to_der().map_err(enc)?,
        ));
    }
    Ok(encode(SEQUENCE, &body))
}

/// ContentInfo { id-signedData, [0] SignedData } from DER pieces. SET OF elements are sorted
/// (DER); the certificates keep their order (OpenSSL's reading does not care, and a reordered
/// chain would surprise people reading the file).
fn assemble(
    version: u8,
    mut digest_algs: Vec<Vec<u8>>,
    encap: &[u8],
    certs: Vec<Vec<u8>>,
    crls: Option<&[u8]>,
    mut signer_infos: Vec<Vec<u8>>,
) -> Result<Vec<u8>, PkiError> {
    digest_algs.sort();
    signer_infos.sort();
    let mut sd = encode(0x02, &[version]);
    sd.extend(encode(SET, &digest_algs.concat()));
    sd.extend_from_slice(encap);
    if !certs.is_empty() {
        sd.extend(encode(CONTEXT_0, &certs.concat()));
    }
    if let Some(c) = crls {
        sd.extend_from_slice(c);
    }
    sd.extend(encode(SET, &signer_infos.concat()));
    let mut info = oid::CMS_SIGNED_DATA.to_der().map_err(enc)?;
    info.extend(encode(CONTEXT_0, &encode(SEQUENCE, &sd)));
    Ok(encode(SEQUENCE, &info))
}
