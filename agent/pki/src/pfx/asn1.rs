//! The ASN.1 structures of PKCS#12 (RFC 7292), PKCS#5 (RFC 8018) and the GOST cipher parameters
//! (RFC 9337, RFC 4357), as `der` types borrowing from a DER buffer.
//!
//! Every input goes through [`super::ber::to_der`] first, so these only ever see DER (minimal,
//! definite lengths); the one BER leftover they handle is a constructed `[0] IMPLICIT OCTET
//! STRING`, which only the schema can recognise ([`implicit_octets`]).

use der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef, SetOfVec};
use der::{
    DecodeValue, Encode, EncodeValue, FixedTag, Header, Length, Reader, Sequence, Tag, TagNumber,
    Tagged, ValueOrd, Writer,
};
use spki::AlgorithmIdentifierRef;

/// PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
#[derive(Clone, Debug, Sequence)]
pub(crate) struct Pfx<'a> {
    pub version: u8,
    pub auth_safe: ContentInfo<'a>,
    pub mac_data: Option<MacData<'a>>,
}

/// ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY OPTIONAL }
#[derive(Clone, Debug, Sequence)]
pub(crate) struct ContentInfo<'a> {
    pub content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", optional = "true")]
    pub content: Option<AnyRef<'a>>,
}

/// MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
#[derive(Clone, Debug, Sequence)]
pub(crate) struct MacData<'a> {
    pub mac: DigestInfo<'a>,
    pub mac_salt: &'a OctetStringRef,
    #[asn1(default = "one")]
    pub iterations: u64,
}

fn one() -> u64 {
    1
}

/// DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET STRING }
#[derive(Clone, Debug, Sequence)]
pub(crate) struct DigestInfo<'a> {
    pub algorithm: AlgorithmIdentifierRef<'a>,
    pub digest: &'a OctetStringRef,
}

/// EncryptedData ::= SEQUENCE { version INTEGER, encryptedContentInfo EncryptedContentInfo }
/// (unprotectedAttrs, never seen in a PFX, is refused).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct EncryptedData<'a> {
    pub version: u8,
    pub encrypted_content_info: EncryptedContentInfo<'a>,
}

/// EncryptedContentInfo ::= SEQUENCE { contentType OID, contentEncryptionAlgorithm
/// AlgorithmIdentifier, encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL }
///
/// Written by hand because `encryptedContent` may arrive constructed (Kalkan).
#[derive(Clone, Debug)]
pub(crate) struct EncryptedContentInfo<'a> {
    pub content_type: ObjectIdentifier,
    pub algorithm: AlgorithmIdentifierRef<'a>,
    pub encrypted_content: Option<Vec<u8>>,
}

impl<'a> DecodeValue<'a> for EncryptedContentInfo<'a> {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, _header: Header) -> der::Result<Self> {
        let content_type = reader.decode()?;
        let algorithm = reader.decode()?;
        let encrypted_content = if reader.is_finished() {
            None
        } else {
            Some(implicit_octets(reader.decode()?, 0)?)
        };
        Ok(Self {
            content_type,
            algorithm,
            encrypted_content,
        })
    }
}

impl EncodeValue for EncryptedContentInfo<'_> {
    fn value_len(&self) -> der::Result<Length> {
        let content = match &self.encrypted_content {
            Some(c) => (implicit_header(c.len())?.encoded_len()? + Length::try_from(c.len())?)?,
            None => Length::ZERO,
        };
        self.content_type.encoded_len()? + self.algorithm.encoded_len()? + content
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        self.content_type.encode(writer)?;
        self.algorithm.encode(writer)?;
        if let Some(c) = &self.encrypted_content {
            implicit_header(c.len())?.encode(writer)?;
            writer.write(c)?;
        }
        Ok(())
    }
}

impl FixedTag for EncryptedContentInfo<'_> {
    const TAG: Tag = Tag::Sequence;
}

fn implicit_header(len: usize) -> der::Result<Header> {
    Ok(Header::new(
        Tag::ContextSpecific {
            constructed: false,
            number: TagNumber(0),
        },
        Length::try_from(len)?,
    ))
}

/// The octets of a `[n] IMPLICIT OCTET STRING`, primitive or constructed (BER: a run of
/// OCTET STRING chunks, already merged into definite form by the normaliser).
pub(crate) fn implicit_octets(any: AnyRef<'_>, number: u32) -> der::Result<Vec<u8>> {
    let Tag::ContextSpecific {
        constructed,
        number: n,
    } = any.tag()
    else {
        return Err(any.tag().unexpected_error(None).into());
    };
    if n.value() != number {
        return Err(any.tag().unexpected_error(None).into());
    }
    if !constructed {
        return Ok(any.value().to_vec());
    }
    let mut reader = der::SliceReader::new(any.value())?;
    let mut out = Vec::with_capacity(any.value().len());
    while !reader.is_finished() {
        let chunk: &OctetStringRef = reader.decode()?;
        out.extend_from_slice(chunk.as_bytes());
    }
    Ok(out)
}

/// SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OF
/// PKCS12Attribute OPTIONAL }
#[derive(Clone, Debug, Sequence)]
pub(crate) struct SafeBag<'a> {
    pub bag_id: ObjectIdentifier,
    #[asn1(context_specific = "0")]
    pub bag_value: AnyRef<'a>,
    pub bag_attributes: Option<SetOfVec<Attribute<'a>>>,
}

/// PKCS12Attribute ::= SEQUENCE { attrId OID, attrValues SET OF ANY }
#[derive(Clone, Debug, Eq, PartialEq, Sequence, ValueOrd)]
pub(crate) struct Attribute<'a> {
    pub oid: ObjectIdentifier,
    pub values: SetOfVec<AnyRef<'a>>,
}

/// CertBag ::= SEQUENCE { certId OID, certValue [0] EXPLICIT ANY }
#[derive(Clone, Debug, Sequence)]
pub(crate) struct CertBag<'a> {
    pub cert_id: ObjectIdentifier,
    #[asn1(context_specific = "0")]
    pub cert_value: AnyRef<'a>,
}

/// EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier,
/// encryptedData OCTET STRING } (pkcs8's own type cannot carry GOST PBES2 parameters).
#[derive(Clone, Debug, Sequence)]
pub(crate) struct EncryptedPrivateKeyInfo<'a> {
    pub algorithm: AlgorithmIdentifierRef<'a>,
    pub encrypted_data: &'a OctetStringRef,
}

/// PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme
/// AlgorithmIdentifier }
#[derive(Clone, Debug, Sequence)]
pub(crate) struct Pbes2Params<'a> {
    pub kdf: AlgorithmIdentifierRef<'a>,
    pub encryption: AlgorithmIdentifierRef<'a>,
}

/// PBKDF2-params ::= SEQUENCE { salt OCTET STRING (the `specified` choice), iterationCount
/// INTEGER, keyLength INTEGER OPTIONAL, prf AlgorithmIdentifier DEFAULT hmacWithSHA1 }
#[derive(Clone, Debug, Sequence)]
pub(crate) struct Pbkdf2Params<'a> {
    pub salt: &'a OctetStringRef,
    pub iterations: u64,
    pub key_length: Option<u16>,
    pub prf: Option<AlgorithmIdentifierRef<'a>>,
}

/// Gost28147-89-Parameters ::= SEQUENCE { iv OCTET STRING (8), encryptionParamSet OID }
#[derive(Clone, Debug, Sequence)]
pub(crate) struct Gost28147Params<'a> {
    pub iv: &'a OctetStringRef,
    pub param_set: ObjectIdentifier,
}

/// Gost3412-15-Encryption-Parameters ::= SEQUENCE { ukm OCTET STRING } (RFC 9337 §7.3)
#[derive(Clone, Debug, Sequence)]
pub(crate) struct GostCtrParams<'a> {
    pub ukm: &'a OctetStringRef,
}

/// pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }
#[derive(Clone, Debug, Sequence)]
pub(crate) struct LegacyPbeParams<'a> {
    pub salt: &'a OctetStringRef,
    pub iterations: u64,
}
