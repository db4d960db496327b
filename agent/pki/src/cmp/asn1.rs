//! The ASN.1 of CMP (RFC 4210 / RFC 9480) and CRMF (RFC 4211) that tamga speaks, with `der`
//! derive.
//!
//! Written here rather than taken from RustCrypto's `cmpv2`/`crmf`: the published 0.3.0-pre.0
//! releases pin `x509-cert =0.3.0-pre.0` and `cms =0.3.0-pre.0`, which cannot live in one
//! build with the `x509-cert 0.3` / `cms 0.3.0-rc.0` tamga-pki uses. The shapes follow those
//! crates (and their tagging), trimmed to the messages of the lightweight profile tamga uses:
//! ir/ip, pollReq/pollRep, certConf/pkiConf, error. Certificates are kept as [`Any`] so their
//! bytes are never re-encoded.
//!
//! The PKIXCMP module is EXPLICIT TAGS, CRMF is IMPLICIT TAGS (but a CHOICE such as `Name` or
//! `Time` under an implicit tag is tagged explicitly).

use der::asn1::{BitString, GeneralizedTime, Null, ObjectIdentifier, OctetString};
use der::{Any, Choice, Sequence};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::Extensions;
use x509_cert::name::Name;
use x509_cert::time::Time;

/// `PKIMessage`, with the header and the body left undecoded so the protection is checked
/// over exactly the bytes that were sent.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct RawPkiMessage {
    /// `PKIHeader` as sent.
    pub header: Any,
    /// `PKIBody` as sent (a context-tagged CHOICE).
    pub body: Any,
    /// `protection [0] PKIProtection` (a BIT STRING).
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub protection: Option<BitString>,
    /// `extraCerts [1] SEQUENCE OF CMPCertificate`.
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub extra_certs: Option<Vec<Any>>,
}

/// `PKIHeader` (RFC 4210 §5.1.1).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct PkiHeader {
    /// 2 = cmp2000, 3 = cmp2021 (RFC 9480).
    pub pvno: u8,
    /// Who sends.
    pub sender: GeneralName,
    /// Who is meant to receive.
    pub recipient: GeneralName,
    /// `messageTime [0]`.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub message_time: Option<GeneralizedTime>,
    /// `protectionAlg [1]`.
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub protection_alg: Option<AlgorithmIdentifierOwned>,
    /// `senderKID [2]`.
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    pub sender_kid: Option<OctetString>,
    /// `recipKID [3]`.
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    pub recip_kid: Option<OctetString>,
    /// `transactionID [4]`.
    #[asn1(context_specific = "4", tag_mode = "EXPLICIT", optional = "true")]
    pub transaction_id: Option<OctetString>,
    /// `senderNonce [5]`.
    #[asn1(context_specific = "5", tag_mode = "EXPLICIT", optional = "true")]
    pub sender_nonce: Option<OctetString>,
    /// `recipNonce [6]`.
    #[asn1(context_specific = "6", tag_mode = "EXPLICIT", optional = "true")]
    pub recip_nonce: Option<OctetString>,
    /// `freeText [7] PKIFreeText`.
    #[asn1(context_specific = "7", tag_mode = "EXPLICIT", optional = "true")]
    pub free_text: Option<Vec<String>>,
    /// `generalInfo [8]`.
    #[asn1(context_specific = "8", tag_mode = "EXPLICIT", optional = "true")]
    pub general_info: Option<Vec<InfoTypeAndValue>>,
}

/// `InfoTypeAndValue`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct InfoTypeAndValue {
    /// `infoType`.
    pub info_type: ObjectIdentifier,
    /// `infoValue`.
    pub info_value: Option<Any>,
}

/// `PKIBody`, the alternatives tamga handles. Anything else fails to decode (and is answered
/// with an error message by a server).
#[derive(Clone, Debug, Eq, PartialEq, Choice)]
#[allow(clippy::large_enum_variant)]
pub enum PkiBody {
    /// `ir [0] CertReqMessages`.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", constructed = "true")]
    Ir(Vec<CertReqMsg>),
    /// `ip [1] CertRepMessage`.
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", constructed = "true")]
    Ip(CertRepMessage),
    /// `pkiconf [19] PKIConfirmContent` (NULL).
    #[asn1(context_specific = "19", tag_mode = "EXPLICIT", constructed = "true")]
    PkiConf(Null),
    /// `error [23] ErrorMsgContent`.
    #[asn1(context_specific = "23", tag_mode = "EXPLICIT", constructed = "true")]
    Error(ErrorMsgContent),
    /// `certConf [24] CertConfirmContent`.
    #[asn1(context_specific = "24", tag_mode = "EXPLICIT", constructed = "true")]
    CertConf(Vec<CertStatus>),
    /// `pollReq [25] PollReqContent`.
    #[asn1(context_specific = "25", tag_mode = "EXPLICIT", constructed = "true")]
    PollReq(Vec<PollReqEntry>),
    /// `pollRep [26] PollRepContent`.
    #[asn1(context_specific = "26", tag_mode = "EXPLICIT", constructed = "true")]
    PollRep(Vec<PollRepEntry>),
}

/// `ProtectedPart ::= SEQUENCE { header, body }` over the bytes as sent.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct ProtectedPart {
    /// The header.
    pub header: Any,
    /// The body.
    pub body: Any,
}

/// `CertReqMsg` (RFC 4211 §3).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct CertReqMsg {
    /// `certReq`, kept undecoded: proof of possession signs its exact DER.
    pub cert_req: Any,
    /// `popo`.
    pub popo: Option<ProofOfPossession>,
    /// `regInfo`.
    pub reg_info: Option<Vec<Any>>,
}

/// `CertRequest`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct CertRequest {
    /// `certReqId`.
    pub cert_req_id: i64,
    /// `certTemplate`.
    pub cert_template: CertTemplate,
    /// `controls`.
    pub controls: Option<Vec<Any>>,
}

/// `CertTemplate` (IMPLICIT tags; `issuer`/`subject` are CHOICEs, so explicit).
#[derive(Clone, Debug, Default, Eq, PartialEq, Sequence)]
pub struct CertTemplate {
    /// `version [0]`.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub version: Option<u8>,
    /// `serialNumber [1]`.
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub serial_number: Option<der::asn1::Int>,
    /// `signingAlg [2]`.
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT", optional = "true")]
    pub signing_alg: Option<AlgorithmIdentifierOwned>,
    /// `issuer [3]`.
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    pub issuer: Option<Name>,
    /// `validity [4]`.
    #[asn1(context_specific = "4", tag_mode = "IMPLICIT", optional = "true")]
    pub validity: Option<OptionalValidity>,
    /// `subject [5]`.
    #[asn1(context_specific = "5", tag_mode = "EXPLICIT", optional = "true")]
    pub subject: Option<Name>,
    /// `publicKey [6]`.
    #[asn1(context_specific = "6", tag_mode = "IMPLICIT", optional = "true")]
    pub public_key: Option<SubjectPublicKeyInfoOwned>,
    /// `issuerUID [7]`.
    #[asn1(context_specific = "7", tag_mode = "IMPLICIT", optional = "true")]
    pub issuer_uid: Option<BitString>,
    /// `subjectUID [8]`.
    #[asn1(context_specific = "8", tag_mode = "IMPLICIT", optional = "true")]
    pub subject_uid: Option<BitString>,
    /// `extensions [9]`.
    #[asn1(context_specific = "9", tag_mode = "IMPLICIT", optional = "true")]
    pub extensions: Option<Extensions>,
}

/// `OptionalValidity` (`Time` is a CHOICE, so its tags are explicit).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct OptionalValidity {
    /// `notBefore [0]`.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub not_before: Option<Time>,
    /// `notAfter [1]`.
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub not_after: Option<Time>,
}

/// `ProofOfPossession`: raVerified or signature (key encipherment/agreement are refused).
#[derive(Clone, Debug, Eq, PartialEq, Choice)]
pub enum ProofOfPossession {
    /// `raVerified [0] NULL`.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", constructed = "false")]
    RaVerified(Null),
    /// `signature [1] POPOSigningKey`.
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", constructed = "true")]
    Signature(PopoSigningKey),
}

/// `POPOSigningKey`. Without `poposkInput` (the case here: the template has subject and key)
/// the signature is over the DER of `CertRequest` (RFC 4211 §4.1).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct PopoSigningKey {
    /// `poposkInput [0]` (IMPLICIT SEQUENCE), kept raw.
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub poposk_input: Option<Vec<Any>>,
    /// `algorithmIdentifier`.
    pub algorithm: AlgorithmIdentifierOwned,
    /// `signature`.
    pub signature: BitString,
}

/// `CertRepMessage`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct CertRepMessage {
    /// `caPubs [1]`.
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub ca_pubs: Option<Vec<Any>>,
    /// `response`.
    pub response: Vec<CertResponse>,
}

/// `CertResponse`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct CertResponse {
    /// `certReqId`.
    pub cert_req_id: i64,
    /// `status`.
    pub status: PkiStatusInfo,
    /// `certifiedKeyPair`.
    pub certified_key_pair: Option<CertifiedKeyPair>,
    /// `rspInfo`.
    pub rsp_info: Option<OctetString>,
}

/// `CertifiedKeyPair` (no central key generation here: `privateKey`, `publicationInfo` kept raw).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct CertifiedKeyPair {
    /// `certOrEncCert`.
    pub cert_or_enc_cert: CertOrEncCert,
    /// `privateKey [0]`.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub private_key: Option<Any>,
    /// `publicationInfo [1]`.
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub publication_info: Option<Any>,
}

/// `CertOrEncCert`.
#[derive(Clone, Debug, Eq, PartialEq, Choice)]
pub enum CertOrEncCert {
    /// `certificate [0] CMPCertificate`.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", constructed = "true")]
    Certificate(Any),
    /// `encryptedCert [1] EncryptedKey` (not used by tamga; kept raw).
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", constructed = "true")]
    EncryptedCert(Any),
}

/// `PKIStatusInfo`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct PkiStatusInfo {
    /// `status` (0 accepted … 3 waiting …).
    pub status: u8,
    /// `statusString`.
    pub status_string: Option<Vec<String>>,
    /// `failInfo` (named bits).
    pub fail_info: Option<BitString>,
}

/// `ErrorMsgContent`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct ErrorMsgContent {
    /// `pKIStatusInfo`.
    pub status: PkiStatusInfo,
    /// `errorCode`.
    pub error_code: Option<i64>,
    /// `errorDetails`.
    pub error_details: Option<Vec<String>>,
}

/// `CertStatus` (RFC 9480 adds `hashAlg`).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct CertStatus {
    /// `certHash`.
    pub cert_hash: OctetString,
    /// `certReqId`.
    pub cert_req_id: i64,
    /// `statusInfo`.
    pub status_info: Option<PkiStatusInfo>,
    /// `hashAlg [0]`.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub hash_alg: Option<AlgorithmIdentifierOwned>,
}

/// One `PollReqContent` entry.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct PollReqEntry {
    /// `certReqId`.
    pub cert_req_id: i64,
}

/// One `PollRepContent` entry.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct PollRepEntry {
    /// `certReqId`.
    pub cert_req_id: i64,
    /// `checkAfter` seconds.
    pub check_after: i64,
    /// `reason`.
    pub reason: Option<Vec<String>>,
}

/// `PBMParameter` (RFC 4211 §4.4).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct PbmParameter {
    /// `salt`.
    pub salt: OctetString,
    /// `owf`.
    pub owf: AlgorithmIdentifierOwned,
    /// `iterationCount`.
    pub iteration_count: u64,
    /// `mac`.
    pub mac: AlgorithmIdentifierOwned,
}
