//! The raw walk of ContentInfo → SignedData: each part as its original bytes.

use der::asn1::ObjectIdentifier;
use der::Decode;

use crate::oid;
use crate::tlv::{Tlv, CONTEXT_0, CONTEXT_1, OCTET_STRING, SEQUENCE, SET};
use crate::PkiError;

/// The parts of a SignedData, borrowed from the input.
pub(crate) struct SignedDataParts<'a> {
    /// CMSVersion.
    pub version: u8,
    /// The elements of digestAlgorithms.
    pub digest_algorithms: Vec<&'a [u8]>,
    /// EncapsulatedContentInfo, whole.
    pub encap: &'a [u8],
    /// eContentType.
    pub content_type: ObjectIdentifier,
    /// eContent (the OCTET STRING's content; a constructed BER string is joined).
    pub content: Option<Vec<u8>>,
    /// The CertificateChoices elements, each as it was.
    pub certificates: Vec<&'a [u8]>,
    /// The `[1] crls` field, whole.
    pub crls: Option<&'a [u8]>,
    /// Each SignerInfo, as it was.
    pub signer_infos: Vec<&'a [u8]>,
}

const WHAT: &str = "CMS SignedData";

impl SignedDataParts<'_> {
    /// The signed content: the one inside, or the detached one given (`mismatch` when both are
    /// there and differ; [`PkiError::NoContent`] when neither is).
    pub fn content<'c>(
        &'c self,
        given: Option<&'c [u8]>,
        mismatch: PkiError,
    ) -> Result<&'c [u8], PkiError> {
        match (&self.content, given) {
            (Some(inside), Some(given)) if inside.as_slice() != given => Err(mismatch),
            (Some(inside), _) => Ok(inside),
            (None, Some(given)) => Ok(given),
            (None, None) => Err(PkiError::NoContent),
        }
    }
}

/// Reads ContentInfo { id-signedData, [0] SignedData }.
pub(crate) fn parse(der: &[u8]) -> Result<SignedDataParts<'_>, PkiError> {
    let info = Tlv::parse(der, WHAT)?
        .expect(SEQUENCE, WHAT)?
        .children(WHAT)?;
    let [ty, content] = info[..] else {
        return Err(PkiError::Corrupt(
            "CMS ContentInfo: expected two elements".into(),
        ));
    };
    if read_oid(ty)? != oid::CMS_SIGNED_DATA {
        return Err(PkiError::Unsupported(
            "CMS content other than SignedData".into(),
        ));
    }
    let explicit = content.expect(CONTEXT_0, WHAT)?.children(WHAT)?;
    let [signed_data] = explicit[..] else {
        return Err(PkiError::Corrupt("CMS ContentInfo content".into()));
    };
    let mut fields = signed_data
        .expect(SEQUENCE, WHAT)?
        .children(WHAT)?
        .into_iter();
    let mut next = || {
        fields
            .next()
            .ok_or_else(|| PkiError::Corrupt("CMS SignedData: too few fields".into()))
    };
    let version = match next()?.expect(0x02, WHAT)?.value {
        [v @ 0..=5] => *v,
        _ => return Err(PkiError::Corrupt("CMS SignedData version".into())),
    };
    let digest_algorithms = next()?
        .expect(SET, WHAT)?
        .children(WHAT)?
        .iter()
        .map(|t| t.raw)
        .collect();
    let encap = next()?.expect(SEQUENCE, WHAT)?;
    let (content_type, content) = encapsulated(encap)?;
    let mut field = next()?;
    let mut certificates = Vec::new();
    if field.tag == CONTEXT_0 {
        certificates = field.children(WHAT)?.iter().map(|t| t.raw).collect();
        field = next()?;
    }
    let mut crls = None;
    if field.tag == CONTEXT_1 {
        crls = Some(field.raw);
        field = next()?;
    }
    let signer_infos = field
        .expect(SET, WHAT)?
        .children(WHAT)?
        .iter()
        .map(|t| t.raw)
        .collect();
    if next().is_ok() {
        return Err(PkiError::Corrupt("CMS SignedData: trailing fields".into()));
    }
    Ok(SignedDataParts {
        version,
        digest_algorithms,
        encap: encap.raw,
        content_type,
        content,
        certificates,
        crls,
        signer_infos,
    })
}

fn encapsulated(encap: Tlv<'_>) -> Result<(ObjectIdentifier, Option<Vec<u8>>), PkiError> {
    let parts = encap.children(WHAT)?;
    let (ty, content) = match parts[..] {
        [ty] => (ty, None),
        [ty, c] => (ty, Some(c)),
        _ => return Err(PkiError::Corrupt("CMS EncapsulatedContentInfo".into())),
    };
    let content = match content {
        None => None,
        Some(c) => {
            let inner = c.expect(CONTEXT_0, WHAT)?.children(WHAT)?;
            let [octets] = inner[..] else {
                return Err(PkiError::Corrupt("CMS eContent".into()));
            };
            Some(octet_string(octets)?)
        }
    };
    Ok((read_oid(ty)?, content))
}

/// An OCTET STRING's content; BER's constructed form (0x24) is joined.
fn octet_string(t: Tlv<'_>) -> Result<Vec<u8>, PkiError> {
    match t.tag {
        OCTET_STRING => Ok(t.value.to_vec()),
        0x24 => {
            let mut out = Vec::new();
            for piece in t.children(WHAT)? {
                out.extend(octet_string(piece)?);
            }
            Ok(out)
        }
        _ => Err(PkiError::Corrupt(
            "CMS eContent is not an OCTET STRING".into(),
        )),
    }
}

pub(crate) fn read_oid(t: Tlv<'_>) -> Result<ObjectIdentifier, PkiError> {
    ObjectIdentifier::from_der(t.raw).map_err(|e| PkiError::corrupt(WHAT, e))
}

/// The `[0] signedAttrs` of a raw SignerInfo, whole (tag byte included), if present.
pub(crate) fn signed_attrs_raw(signer_info: &[u8]) -> Result<Option<&[u8]>, PkiError> {
    let fields = Tlv::parse(signer_info, "SignerInfo")?
        .expect(SEQUENCE, "SignerInfo")?
        .children("SignerInfo")?;
    // version, sid, digestAlgorithm, then [0] signedAttrs if present.
    Ok(fields.get(3).filter(|t| t.tag == CONTEXT_0).map(|t| t.raw))
}
