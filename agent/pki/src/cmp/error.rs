//! What goes wrong in a CMP exchange, in RFC 4210's own words (`PKIFailureInfo`), so a server
//! can answer it as an `error` message and a client can show what the other side said.

use core::fmt;

/// The named bits of `PKIFailureInfo` (RFC 4210 §5.2.3, RFC 9480).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum FailInfo {
    BadAlg = 0,
    BadMessageCheck = 1,
    BadRequest = 2,
    BadTime = 3,
    BadCertId = 4,
    BadDataFormat = 5,
    WrongAuthority = 6,
    IncorrectData = 7,
    MissingTimeStamp = 8,
    BadPop = 9,
    CertRevoked = 10,
    CertConfirmed = 11,
    WrongIntegrity = 12,
    BadRecipientNonce = 13,
    TimeNotAvailable = 14,
    UnacceptedPolicy = 15,
    UnacceptedExtension = 16,
    AddInfoNotAvailable = 17,
    BadSenderNonce = 18,
    BadCertTemplate = 19,
    SignerNotTrusted = 20,
    TransactionIdInUse = 21,
    UnsupportedVersion = 22,
    NotAuthorized = 23,
    SystemUnavail = 24,
    SystemFailure = 25,
    DuplicateCertReq = 26,
}

const ALL: [FailInfo; 27] = [
    FailInfo::BadAlg,
    FailInfo::BadMessageCheck,
    FailInfo::BadRequest,
    FailInfo::BadTime,
    FailInfo::BadCertId,
    FailInfo::BadDataFormat,
    FailInfo::WrongAuthority,
    FailInfo::IncorrectData,
    FailInfo::MissingTimeStamp,
    FailInfo::BadPop,
    FailInfo::CertRevoked,
    FailInfo::CertConfirmed,
    FailInfo::WrongIntegrity,
    FailInfo::BadRecipientNonce,
    FailInfo::TimeNotAvailable,
    FailInfo::UnacceptedPolicy,
    FailInfo::UnacceptedExtension,
    FailInfo::AddInfoNotAvailable,
    FailInfo::BadSenderNonce,
    FailInfo::BadCertTemplate,
    FailInfo::SignerNotTrusted,
    FailInfo::TransactionIdInUse,
    FailInfo::UnsupportedVersion,
    FailInfo::NotAuthorized,
    FailInfo::SystemUnavail,
    FailInfo::SystemFailure,
    FailInfo::DuplicateCertReq,
];

impl FailInfo {
    /// The ASN.1 name (`badPOP`, `transactionIdInUse`, …).
    pub fn name(self) -> &'static str {
        match self {
            FailInfo::BadAlg => "badAlg",
            FailInfo::BadMessageCheck => "badMessageCheck",
            FailInfo::BadRequest => "badRequest",
            FailInfo::BadTime => "badTime",
            FailInfo::BadCertId => "badCertId",
            FailInfo::BadDataFormat => "badDataFormat",
            FailInfo::WrongAuthority => "wrongAuthority",
            FailInfo::IncorrectData => "incorrectData",
            FailInfo::MissingTimeStamp => "missingTimeStamp",
            FailInfo::BadPop => "badPOP",
            FailInfo::CertRevoked => "certRevoked",
            FailInfo::CertConfirmed => "certConfirmed",
            FailInfo::WrongIntegrity => "wrongIntegrity",
            FailInfo::BadRecipientNonce => "badRecipientNonce",
            FailInfo::TimeNotAvailable => "timeNotAvailable",
            FailInfo::UnacceptedPolicy => "unacceptedPolicy",
            FailInfo::UnacceptedExtension => "unacceptedExtension",
            FailInfo::AddInfoNotAvailable => "addInfoNotAvailable",
            FailInfo::BadSenderNonce => "badSenderNonce",
            FailInfo::BadCertTemplate => "badCertTemplate",
            FailInfo::SignerNotTrusted => "signerNotTrusted",
            FailInfo::TransactionIdInUse => "transactionIdInUse",
            FailInfo::UnsupportedVersion => "unsupportedVersion",
            FailInfo::NotAuthorized => "notAuthorized",
            FailInfo::SystemUnavail => "systemUnavail",
            FailInfo::SystemFailure => "systemFailure",
            FailInfo::DuplicateCertReq => "duplicateCertReq",
        }
    }

    /// The bit with this number.
    pub fn from_bit(bit: usize) -> Option<FailInfo> {
        ALL.get(bit).copied()
    }

    /// The bit number.
    pub fn bit(self) -> usize {
        self as usize
    }
}

impl fmt::Display for FailInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A CMP failure: what `PKIFailureInfo` bit it is, and a sentence for people.
///
/// `remote` is true when the other side said it (an `error` message or a rejection), false when
/// this side found it (a protection that does not verify, a nonce that does not match, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CmpError {
    /// The failure bit.
    pub fail: FailInfo,
    /// What went wrong (never a secret).
    pub detail: String,
    /// Whether the peer reported it.
    pub remote: bool,
}

impl CmpError {
    /// A failure found locally.
    pub fn new(fail: FailInfo, detail: impl Into<String>) -> Self {
        CmpError {
            fail,
            detail: detail.into(),
            remote: false,
        }
    }

    /// Undecodable input.
    pub fn format(what: &str, err: impl fmt::Display) -> Self {
        CmpError::new(FailInfo::BadDataFormat, format!("{what}: {err}"))
    }
}

impl fmt::Display for CmpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let who = if self.remote { "the CA says " } else { "" };
        write!(f, "CMP {who}{}: {}", self.fail, self.detail)
    }
}

impl std::error::Error for CmpError {}

impl From<crate::PkiError> for CmpError {
    fn from(e: crate::PkiError) -> Self {
        use crate::PkiError as P;
        let fail = match &e {
            P::BadSignature => FailInfo::BadMessageCheck,
            P::UnknownAlgorithm(_) | P::Unsupported(_) => FailInfo::BadAlg,
            P::Signer(_) => FailInfo::SystemFailure,
            _ => FailInfo::BadDataFormat,
        };
        CmpError::new(fail, e.to_string())
    }
}

/// `PKIFailureInfo` bits → DER BIT STRING (named bits: trailing zero bits dropped).
pub(crate) fn bits_to_bitstring(bits: &[FailInfo]) -> Result<der::asn1::BitString, CmpError> {
    let max = bits.iter().map(|b| b.bit()).max().unwrap_or(0);
    let mut bytes = vec![0u8; max / 8 + 1];
    for b in bits {
        bytes[b.bit() / 8] |= 0x80 >> (b.bit() % 8);
    }
    let unused = if bits.is_empty() {
        0
    } else {
        7 - (max % 8) as u8
    };
    der::asn1::BitString::new(unused, bytes).map_err(|e| CmpError::format("failInfo", e))
}

/// DER BIT STRING → the bits set.
pub(crate) fn bitstring_to_bits(bs: &der::asn1::BitString) -> Vec<FailInfo> {
    let raw = bs.raw_bytes();
    let mut out = Vec::new();
    for (i, byte) in raw.iter().enumerate() {
        for j in 0..8 {
            if byte & (0x80 >> j) != 0 {
                if let Some(f) = FailInfo::from_bit(i * 8 + j) {
                    out.push(f);
                }
            }
        }
    }
    out
}
