//! File control parameters (tag 62): what CREATE FILE sends and SELECT answers.

use tamga_token::TokenError;

/// The kind of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileType {
    WorkingEf,
    Df,
    Key,
}

impl FileType {
    fn byte(self) -> u8 {
        match self {
            FileType::WorkingEf => 0x01,
            FileType::Df => 0x38,
            FileType::Key => 0x10,
        }
    }

    fn from_byte(b: u8) -> Option<Self> {
        match b {
            0x01 => Some(FileType::WorkingEf),
            0x38 => Some(FileType::Df),
            0x10 => Some(FileType::Key),
            _ => None,
        }
    }
}

/// The parts of an FCP tamga uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fcp {
    pub fid: u16,
    pub file_type: FileType,
    pub size: u16,
    /// Tag 85: for key files, algorithm byte and parameter-set byte.
    pub proprietary: Vec<u8>,
}

impl Fcp {
    pub fn encode(&self) -> Vec<u8> {
        let mut body = Vec::with_capacity(16 + self.proprietary.len());
        tlv(&mut body, 0x80, &self.size.to_be_bytes());
        tlv(&mut body, 0x82, &[self.file_type.byte(), 0]);
        tlv(&mut body, 0x83, &self.fid.to_be_bytes());
        if !self.proprietary.is_empty() {
            tlv(&mut body, 0x85, &self.proprietary);
        }
        let mut out = Vec::with_capacity(body.len() + 2);
        tlv(&mut out, 0x62, &body);
        out
    }

    pub fn parse(bytes: &[u8]) -> Result<Self, TokenError> {
        const BAD: TokenError = TokenError::Protocol("malformed file control parameters");
        let (tag, body, rest) = split_tlv(bytes).ok_or(BAD)?;
        if tag != 0x62 || !rest.is_empty() {
            return Err(BAD);
        }
        let (mut fid, mut file_type, mut size, mut proprietary) = (None, None, 0u16, Vec::new());
        let mut cur = body;
        while !cur.is_empty() {
            let (tag, value, rest) = split_tlv(cur).ok_or(BAD)?;
            match (tag, value) {
                (0x80, [hi, lo]) => size = u16::from_be_bytes([*hi, *lo]),
                (0x82, [t, ..]) => file_type = FileType::from_byte(*t),
                (0x83, [hi, lo]) => fid = Some(u16::from_be_bytes([*hi, *lo])),
                (0x85, v) => proprietary = v.to_vec(),
                (0x80 | 0x82 | 0x83, _) => return Err(BAD),
                _ => {}
            }
            cur = rest;
        }
        Ok(Fcp {
            fid: fid.ok_or(BAD)?,
            file_type: file_type.ok_or(BAD)?,
            size,
            proprietary,
        })
    }
}

fn tlv(out: &mut Vec<u8>, tag: u8, value: &[u8]) {
    out.push(tag);
    if value.len() > 127 {
        out.push(0x81);
    }
    out.push(value.len() as u8);
    out.extend_from_slice(value);
}

/// One BER-TLV with a one-byte tag and a short or 0x81 length: (tag, value, rest).
fn split_tlv(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = bytes.split_first()?;
    let (&len, rest) = rest.split_first()?;
    let (len, rest) = match len {
        0..=0x7F => (len as usize, rest),
        0x81 => {
            let (&l, rest) = rest.split_first()?;
            (l as usize, rest)
        }
        _ => return None,
    };
    if rest.len() < len {
        return None;
    }
    let (value, rest) = rest.split_at(len);
    Some((tag, value, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let fcp = Fcp {
            fid: 0x6003,
            file_type: FileType::Key,
            size: 0,
            proprietary: vec![0x03, 0x21],
        };
        let enc = fcp.encode();
        assert_eq!(
            enc,
            [0x62, 0x10, 0x80, 2, 0, 0, 0x82, 2, 0x10, 0, 0x83, 2, 0x60, 0x03, 0x85, 2, 3, 0x21]
        );
        assert_eq!(Fcp::parse(&enc).unwrap(), fcp);
    }

    #[test]
    fn rejects_truncation_and_trailing_bytes() {
        let enc = Fcp {
            fid: 0x0101,
            file_type: FileType::WorkingEf,
            size: 900,
            proprietary: vec![],
        }
        .encode();
        for n in 0..enc.len() {
            assert!(Fcp::parse(&enc[..n]).is_err(), "prefix {n}");
        }
        let mut long = enc.clone();
        long.push(0);
        assert!(Fcp::parse(&long).is_err());
    }
}
