//! `PKIHeader` as plain fields: who, which transaction, which nonces.

use std::time::SystemTime;

use der::asn1::{GeneralizedTime, ObjectIdentifier, OctetString};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::name::Name;

use super::asn1::{InfoTypeAndValue, PkiHeader};
use super::error::{CmpError, FailInfo};

/// `id-it-implicitConfirm` (RFC 4210 §5.1.1.1).
pub const IMPLICIT_CONFIRM: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.4.13");

/// The header fields of one message. `protectionAlg` is not here: [`super::encode`] sets it from
/// the protection chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// `pvno`: 2 (cmp2000) unless a feature of RFC 9480 needs 3.
    pub pvno: u8,
    /// `sender` as a directoryName (an empty name is RFC 4210's NULL-DN).
    pub sender: Name,
    /// `recipient` as a directoryName.
    pub recipient: Name,
    /// `messageTime`, from the caller's clock.
    pub message_time: Option<SystemTime>,
    /// `transactionID` (the client picks 16 random bytes).
    pub transaction_id: Vec<u8>,
    /// `senderNonce`: fresh random bytes for every message.
    pub sender_nonce: Vec<u8>,
    /// `recipNonce`: the `senderNonce` of the message this one answers.
    pub recip_nonce: Option<Vec<u8>>,
    /// `senderKID` (the user ID's UTF-8 for PBM).
    pub sender_kid: Option<Vec<u8>>,
    /// `recipKID`.
    pub recip_kid: Option<Vec<u8>>,
    /// `generalInfo` carries implicitConfirm.
    pub implicit_confirm: bool,
}

impl Header {
    /// A cmp2000 header with the required fields and nothing optional.
    pub fn new(
        sender: Name,
        recipient: Name,
        transaction_id: Vec<u8>,
        sender_nonce: Vec<u8>,
        time: SystemTime,
    ) -> Header {
        Header {
            pvno: 2,
            sender,
            recipient,
            message_time: Some(time),
            transaction_id,
            sender_nonce,
            recip_nonce: None,
            sender_kid: None,
            recip_kid: None,
            implicit_confirm: false,
        }
    }

    /// The header of an answer to `request`: names swapped, same transaction, `recipNonce` =
    /// the request's `senderNonce`, `recipKID` = its `senderKID`.
    pub fn reply_to(
        request: &Header,
        sender: Name,
        sender_nonce: Vec<u8>,
        time: SystemTime,
    ) -> Header {
        Header {
            pvno: request.pvno.clamp(2, 3),
            sender,
            recipient: request.sender.clone(),
            message_time: Some(time),
            transaction_id: request.transaction_id.clone(),
            sender_nonce,
            recip_nonce: Some(request.sender_nonce.clone()),
            sender_kid: None,
            recip_kid: request.sender_kid.clone(),
            implicit_confirm: false,
        }
    }

    pub(crate) fn from_asn1(h: &PkiHeader) -> Result<Header, CmpError> {
        if !(2..=3).contains(&h.pvno) {
            return Err(CmpError::new(
                FailInfo::UnsupportedVersion,
                format!("pvno {} (2 or 3 expected)", h.pvno),
            ));
        }
        let name = |g: &GeneralName, what: &str| match g {
            GeneralName::DirectoryName(n) => Ok(n.clone()),
            _ => Err(CmpError::new(
                FailInfo::BadDataFormat,
                format!("{what} is not a directoryName"),
            )),
        };
        let octets = |o: &Option<OctetString>| o.as_ref().map(|o| o.as_bytes().to_vec());
        let transaction_id = octets(&h.transaction_id).ok_or_else(|| {
            CmpError::new(FailInfo::BadDataFormat, "the header has no transactionID")
        })?;
        let sender_nonce = octets(&h.sender_nonce).ok_or_else(|| {
            CmpError::new(FailInfo::BadSenderNonce, "the header has no senderNonce")
        })?;
        Ok(Header {
            pvno: h.pvno,
            sender: name(&h.sender, "sender")?,
            recipient: name(&h.recipient, "recipient")?,
            message_time: h.message_time.as_ref().map(|t| t.to_system_time()),
            transaction_id,
            sender_nonce,
            recip_nonce: octets(&h.recip_nonce),
            sender_kid: octets(&h.sender_kid),
            recip_kid: octets(&h.recip_kid),
            implicit_confirm: h
                .general_info
                .iter()
                .flatten()
                .any(|i| i.info_type == IMPLICIT_CONFIRM),
        })
    }

    pub(crate) fn to_asn1(
        &self,
        protection_alg: Option<spki::AlgorithmIdentifierOwned>,
    ) -> Result<PkiHeader, CmpError> {
        let enc = |e: der::Error| CmpError::format("encoding the header", e);
        let octets = |v: &Option<Vec<u8>>| -> Result<Option<OctetString>, CmpError> {
            v.as_ref()
                .map(|b| OctetString::new(b.clone()).map_err(enc))
                .transpose()
        };
        let message_time = self
            .message_time
            .map(|t| {
                // GeneralizedTime in DER carries whole seconds.
                let secs = t
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map_err(|_| CmpError::new(FailInfo::BadTime, "time before 1970"))?
                    .as_secs();
                GeneralizedTime::from_unix_duration(core::time::Duration::from_secs(secs))
                    .map_err(enc)
            })
            .transpose()?;
        Ok(PkiHeader {
            pvno: self.pvno,
            sender: GeneralName::DirectoryName(self.sender.clone()),
            recipient: GeneralName::DirectoryName(self.recipient.clone()),
            message_time,
            protection_alg,
            sender_kid: octets(&self.sender_kid)?,
            recip_kid: octets(&self.recip_kid)?,
            transaction_id: Some(OctetString::new(self.transaction_id.clone()).map_err(enc)?),
            sender_nonce: Some(OctetString::new(self.sender_nonce.clone()).map_err(enc)?),
            recip_nonce: octets(&self.recip_nonce)?,
            free_text: None,
            general_info: self.implicit_confirm.then(|| {
                vec![InfoTypeAndValue {
                    info_type: IMPLICIT_CONFIRM,
                    info_value: Some(der::Any::from(der::asn1::Null)),
                }]
            }),
        })
    }
}
