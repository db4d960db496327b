//! A raw TLV walk over DER, for the places where the original bytes matter (signed TBS parts,
//! CMS signed attributes) and the typed decoders would re-encode or re-sort them.

use der::{Decode, Header, Reader, SliceReader};

use crate::PkiError;

/// One TLV: its tag byte, the whole encoding and the value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    pub tag: u8,
    pub raw: &'a [u8],
    pub value: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// The single TLV that makes up all of `bytes`.
    pub fn parse(bytes: &'a [u8], what: &str) -> Result<Self, PkiError> {
        let (tlv, rest) = Self::parse_prefix(bytes, what)?;
        if !rest.is_empty() {
            return Err(PkiError::Corrupt(format!("{what}: trailing data")));
        }
        Ok(tlv)
    }

    /// The TLV at the start of `bytes`, and what follows it.
    pub fn parse_prefix(bytes: &'a [u8], what: &str) -> Result<(Self, &'a [u8]), PkiError> {
        let bad = |e: der::Error| PkiError::corrupt(what, e);
        let mut reader = SliceReader::new(bytes).map_err(bad)?;
        let header = Header::decode(&mut reader).map_err(bad)?;
        let header_len = usize::try_from(reader.position()).map_err(bad)?;
        let value_len = usize::try_from(header.length()).map_err(bad)?;
        let end = header_len
            .checked_add(value_len)
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| PkiError::Corrupt(format!("{what}: truncated")))?;
        let tag = bytes[0];
        Ok((
            Tlv {
                tag,
                raw: &bytes[..end],
                value: &bytes[header_len..end],
            },
            &bytes[end..],
        ))
    }

    /// The elements inside a constructed TLV.
    pub fn children(&self, what: &str) -> Result<Vec<Tlv<'a>>, PkiError> {
        if self.tag & 0x20 == 0 {
            return Err(PkiError::Corrupt(format!(
                "{what}: not a constructed value"
            )));
        }
        let mut items = Vec::new();
        let mut rest = self.value;
        while !rest.is_empty() {
            let (tlv, next) = Tlv::parse_prefix(rest, what)?;
            items.push(tlv);
            rest = next;
        }
        Ok(items)
    }

    /// Checks the tag byte.
    pub fn expect(self, tag: u8, what: &str) -> Result<Self, PkiError> {
        if self.tag == tag {
            Ok(self)
        } else {
            Err(PkiError::Corrupt(format!(
                "{what}: expected tag {tag:#04x}, found {:#04x}",
                self.tag
            )))
        }
    }
}

/// `SEQUENCE`, `SET` and the context tags used in CMS.
pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const SET: u8 = 0x31;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const CONTEXT_0: u8 = 0xA0;
pub(crate) const CONTEXT_1: u8 = 0xA1;

/// Wraps `value` in a TLV with `tag` (DER definite length).
pub(crate) fn encode(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_and_refuses_garbage() {
        let bytes = [0x30, 0x06, 0x02, 0x01, 0x05, 0xA0, 0x01, 0x00];
        let t = Tlv::parse(&bytes, "x").unwrap();
        let kids = t.children("x").unwrap();
        assert_eq!(kids.len(), 2);
        assert_eq!(kids[1].raw, &[0xA0, 0x01, 0x00]);
        assert!(Tlv::parse(&bytes[..5], "x").is_err());
        assert!(Tlv::parse(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff], "x").is_err());
        assert!(Tlv::parse(&[], "x").is_err());
        assert_eq!(encode(0x31, &[1, 2]), vec![0x31, 2, 1, 2]);
        let long = encode(0x04, &[0u8; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2c]);
    }
}
