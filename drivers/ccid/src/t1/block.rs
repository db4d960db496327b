//! T=1 blocks: prologue (NAD, PCB, LEN), information field, epilogue (LRC or CRC).

use core::fmt;

/// The largest information field (LEN 0xFF is reserved).
pub const MAX_INF: usize = 254;

/// The error detection code of the epilogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Edc {
    /// One byte, the XOR of the block.
    Lrc,
    /// Two bytes, CRC-16 (ISO 3309).
    Crc,
}

impl Edc {
    /// Its length in bytes.
    pub fn size(self) -> usize {
        match self {
            Edc::Lrc => 1,
            Edc::Crc => 2,
        }
    }

    /// The epilogue of `bytes`.
    fn compute(self, bytes: &[u8]) -> ([u8; 2], usize) {
        match self {
            Edc::Lrc => ([bytes.iter().fold(0, |a, b| a ^ b), 0], 1),
            Edc::Crc => (crc16(bytes).to_be_bytes(), 2),
        }
    }
}

/// The CRC of OpenCT's T=1 code, which libccid uses: reflected CCITT polynomial, initial 0xFFFF,
/// no final XOR, sent high byte first.
fn crc16(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &b in bytes {
        crc ^= u16::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0x8408
            } else {
                crc >> 1
            };
        }
    }
    crc
}

/// The error an R-block reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RError {
    /// No error: an acknowledgement.
    None,
    /// A bad EDC or parity.
    Edc,
    /// Any other error.
    Other,
}

/// What an S-block asks or answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SType {
    /// Reset the sequence numbers.
    Resynch,
    /// A new information field size (IFSC from the card, IFSD from us).
    Ifs(u8),
    /// Abort the chain.
    Abort,
    /// Waiting time extension: a BWT multiplier.
    Wtx(u8),
}

/// One T=1 block.
#[derive(Clone, PartialEq, Eq)]
pub enum Block {
    /// An information block.
    I {
        /// N(S), 0 or 1.
        ns: u8,
        /// The more-data bit: the chain continues.
        more: bool,
        /// The information field.
        data: Vec<u8>,
    },
    /// A receive-ready block.
    R {
        /// N(R), 0 or 1: the sequence number of the I-block expected next.
        nr: u8,
        /// What went wrong, if anything.
        error: RError,
    },
    /// A supervisory block.
    S {
        /// Whether it answers a request.
        response: bool,
        /// What it asks or answers.
        kind: SType,
    },
}

// An I-block carries APDU bytes (maybe a PIN): Debug shows only the length.
impl fmt::Debug for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Block::I { ns, more, data } => {
                write!(f, "I(ns={ns}, more={more}, {} bytes)", data.len())
            }
            Block::R { nr, error } => write!(f, "R(nr={nr}, {error:?})"),
            Block::S { response, kind } => {
                write!(
                    f,
                    "S({kind:?} {})",
                    if *response { "response" } else { "request" }
                )
            }
        }
    }
}

/// Why a received block is unusable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockError {
    /// The epilogue does not match: the block was corrupted in transit.
    Edc,
    /// The block is not well formed.
    Malformed(&'static str),
}

impl fmt::Display for BlockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BlockError::Edc => f.write_str("T=1 block with a bad EDC"),
            BlockError::Malformed(what) => write!(f, "malformed T=1 block: {what}"),
        }
    }
}

impl Block {
    /// The block's bytes with `nad` and the epilogue. An I-block's data must fit in 254 bytes.
    pub fn encode(&self, nad: u8, edc: Edc) -> Vec<u8> {
        let (pcb, inf): (u8, &[u8]) = match self {
            Block::I { ns, more, data } => (
                (ns & 1) << 6 | u8::from(*more) << 5,
                data.get(..MAX_INF).unwrap_or(data),
            ),
            Block::R { nr, error } => {
                let e = match error {
                    RError::None => 0,
                    RError::Edc => 1,
                    RError::Other => 2,
                };
                (0x80 | (nr & 1) << 4 | e, &[])
            }
            Block::S { response, kind } => {
                let pcb = 0xC0 | u8::from(*response) << 5;
                match kind {
                    SType::Resynch => (pcb, &[][..]),
                    SType::Ifs(n) => (pcb | 1, core::slice::from_ref(n)),
                    SType::Abort => (pcb | 2, &[][..]),
                    SType::Wtx(n) => (pcb | 3, core::slice::from_ref(n)),
                }
            }
        };
        let mut b = Vec::with_capacity(3 + inf.len() + 2);
        b.push(nad);
        b.push(pcb);
        // The slice is at most 254 long.
        b.push(u8::try_from(inf.len()).unwrap_or(0xFE));
        b.extend_from_slice(inf);
        let (e, n) = edc.compute(&b);
        b.extend_from_slice(e.get(..n).unwrap_or_default());
        b
    }

    /// Parses a block; returns its NAD and the block.
    pub fn parse(bytes: &[u8], edc: Edc) -> Result<(u8, Block), BlockError> {
        let body_len = bytes
            .len()
            .checked_sub(edc.size())
            .ok_or(BlockError::Malformed("shorter than its epilogue"))?;
        let (body, epilogue) = bytes.split_at(body_len);
        let Some((&[nad, pcb, len], inf)) = body.split_first_chunk::<3>() else {
            return Err(BlockError::Malformed("shorter than its prologue"));
        };
        if len == 0xFF {
            return Err(BlockError::Malformed("LEN 0xFF"));
        }
        if usize::from(len) != inf.len() {
            return Err(BlockError::Malformed("LEN does not match the block"));
        }
        let (e, n) = edc.compute(body);
        if e.get(..n) != Some(epilogue) {
            return Err(BlockError::Edc);
        }
        // RFU bits set mean a garbled PCB (ISO 7816-3 §11.3.2.2): better an R-block than a guess.
        let block = if pcb & 0x80 == 0 {
            if pcb & 0x1F != 0 {
                return Err(BlockError::Malformed("I-block with RFU bits"));
            }
            Block::I {
                ns: (pcb >> 6) & 1,
                more: pcb & 0x20 != 0,
                data: inf.to_vec(),
            }
        } else if pcb & 0x40 == 0 {
            if !inf.is_empty() || pcb & 0x20 != 0 {
                return Err(BlockError::Malformed("R-block with data or RFU bits"));
            }
            let error = match pcb & 0x0F {
                0 => RError::None,
                1 => RError::Edc,
                2 => RError::Other,
                _ => return Err(BlockError::Malformed("R-block error code")),
            };
            Block::R {
                nr: (pcb >> 4) & 1,
                error,
            }
        } else {
            let kind = match (pcb & 0x1F, inf) {
                (0, []) => SType::Resynch,
                (1, &[n]) => SType::Ifs(n),
                (2, []) => SType::Abort,
                (3, &[n]) => SType::Wtx(n),
                _ => return Err(BlockError::Malformed("S-block type or length")),
            };
            Block::S {
                response: pcb & 0x20 != 0,
                kind,
            }
        };
        Ok((nad, block))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ifs_request_matches_iso_7816_3_annex_a() {
        // ISO 7816-3 A.3: S(IFS request, 254) = 00 C1 01 FE 3E.
        let b = Block::S {
            response: false,
            kind: SType::Ifs(0xFE),
        };
        assert_eq!(b.encode(0, Edc::Lrc), [0x00, 0xC1, 0x01, 0xFE, 0x3E]);
        assert_eq!(
            Block::parse(&[0x00, 0xC1, 0x01, 0xFE, 0x3E], Edc::Lrc),
            Ok((0, b))
        );
    }

    #[test]
    fn i_and_r_blocks_round_trip() {
        let i = Block::I {
            ns: 1,
            more: true,
            data: vec![1, 2, 3],
        };
        let bytes = i.encode(0, Edc::Lrc);
        assert_eq!(bytes, [0x00, 0x60, 0x03, 1, 2, 3, 0x60 ^ 3 ^ 1 ^ 2 ^ 3]);
        assert_eq!(Block::parse(&bytes, Edc::Lrc), Ok((0, i)));
        let r = Block::R {
            nr: 1,
            error: RError::Edc,
        };
        assert_eq!(r.encode(0, Edc::Lrc), [0x00, 0x91, 0x00, 0x91]);
    }

    #[test]
    fn crc_epilogue_is_checked() {
        let i = Block::I {
            ns: 0,
            more: false,
            data: vec![0x00, 0xA4, 0x04, 0x00],
        };
        let mut bytes = i.encode(0, Edc::Crc);
        assert_eq!(bytes.len(), 3 + 4 + 2);
        assert_eq!(Block::parse(&bytes, Edc::Crc), Ok((0, i)));
        bytes[4] ^= 0x10;
        assert_eq!(Block::parse(&bytes, Edc::Crc), Err(BlockError::Edc));
        // CRC-16 of "123456789" with this variant (X-25 without the final XOR).
        assert_eq!(crc16(b"123456789"), 0x906E ^ 0xFFFF);
    }

    #[test]
    fn malformed_blocks_are_refused() {
        assert!(Block::parse(&[], Edc::Lrc).is_err());
        assert!(Block::parse(&[0, 0, 5, 0], Edc::Lrc).is_err());
        assert!(Block::parse(&[0, 0xFF, 0xFF, 0], Edc::Lrc).is_err());
        assert!(Block::parse(&[0, 0x01, 0x00, 0x01], Edc::Lrc).is_err());
        assert!(Block::parse(&[0, 0xA0, 0x00, 0xA0], Edc::Lrc).is_err());
        assert_eq!(
            Block::parse(&[0, 0xC3, 0, 0xC3], Edc::Lrc),
            Err(BlockError::Malformed("S-block type or length"))
        );
    }
}
