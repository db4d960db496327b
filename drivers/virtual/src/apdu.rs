//! Command APDUs as the card receives them: short encoding only (ISO 7816-4 §5.1), parsed from
//! outside bytes without trusting any length byte.

/// A status word.
pub type Sw = u16;

/// The status words of PROTOCOL.md, by name.
pub mod sw {
    use super::Sw;
    pub const OK: Sw = 0x9000;
    pub const END_OF_FILE: Sw = 0x6282;
    /// 63Cx: wrong PIN, x tries left.
    pub const fn wrong_pin(left: u8) -> Sw {
        0x63C0 | (left & 0x0F) as Sw
    }
    /// A persistent write failed: the card cannot vouch for its state (not in PROTOCOL.md's list;
    /// only a broken disk under the virtual token produces it).
    pub const MEMORY_FAILURE: Sw = 0x6581;
    pub const WRONG_LENGTH: Sw = 0x6700;
    pub const SECURITY_NOT_SATISFIED: Sw = 0x6982;
    pub const PIN_BLOCKED: Sw = 0x6983;
    pub const NO_CURRENT_EF: Sw = 0x6986;
    pub const BAD_DATA: Sw = 0x6A80;
    pub const NOT_FOUND: Sw = 0x6A82;
    pub const NO_SPACE: Sw = 0x6A84;
    pub const BAD_P1P2: Sw = 0x6A86;
    pub const REF_NOT_FOUND: Sw = 0x6A88;
    pub const EXISTS: Sw = 0x6A89;
    pub const BAD_OFFSET: Sw = 0x6B00;
    pub const UNKNOWN_INS: Sw = 0x6D00;
    pub const UNKNOWN_CLA: Sw = 0x6E00;
    /// No precise diagnosis (e.g. the random generator failed).
    pub const UNKNOWN: Sw = 0x6F00;
}

/// One parsed command APDU, borrowing its data field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Command<'a> {
    pub cla: u8,
    pub ins: u8,
    pub p1: u8,
    pub p2: u8,
    /// The command data (empty when Lc is absent).
    pub data: &'a [u8],
    /// Ne, the maximum response length: `None` when Le is absent, 256 for Le = 00.
    pub le: Option<usize>,
}

impl<'a> Command<'a> {
    /// Parses a short APDU (cases 1–4). Extended encodings (Lc byte 00 followed by data) and any
    /// length that does not add up are `6700`: the card speaks short APDUs only.
    pub fn parse(apdu: &'a [u8]) -> Result<Self, Sw> {
        let (header, body) = apdu.split_at_checked(4).ok_or(sw::WRONG_LENGTH)?;
        let (data, le) = match body {
            [] => (&body[..0], None),
            [le] => (&body[..0], Some(ne(*le))),
            [0, _, ..] => return Err(sw::WRONG_LENGTH),
            [lc, rest @ ..] => {
                let lc = usize::from(*lc);
                match rest.len().checked_sub(lc) {
                    Some(0) => (rest, None),
                    Some(1) => (&rest[..lc], Some(ne(rest[lc]))),
                    _ => return Err(sw::WRONG_LENGTH),
                }
            }
        };
        Ok(Command {
            cla: header[0],
            ins: header[1],
            p1: header[2],
            p2: header[3],
            data,
            le,
        })
    }

    /// P1 and P2 as one big-endian number (offsets, references).
    pub fn p1p2(&self) -> u16 {
        u16::from_be_bytes([self.p1, self.p2])
    }
}

fn ne(le: u8) -> usize {
    if le == 0 {
        256
    } else {
        usize::from(le)
    }
}

/// A response APDU under construction: data, then the status word.
pub(crate) fn response(mut data: Vec<u8>, sw: Sw) -> Vec<u8> {
    data.extend_from_slice(&sw.to_be_bytes());
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        let c = Command::parse(&[0x80, 0x40, 0, 0]).unwrap();
        assert_eq!((c.cla, c.ins, c.data, c.le), (0x80, 0x40, &[][..], None));
        assert_eq!(Command::parse(&[0, 0xB0, 1, 2, 0]).unwrap().le, Some(256));
        assert_eq!(Command::parse(&[0, 0xB0, 1, 2, 7]).unwrap().p1p2(), 0x0102);
        let c = Command::parse(&[0, 0xA4, 0, 0, 2, 0x10, 0x02]).unwrap();
        assert_eq!((c.data, c.le), (&[0x10, 0x02][..], None));
        let c = Command::parse(&[0, 0xA4, 0, 2, 2, 0x10, 0x02, 0]).unwrap();
        assert_eq!((c.data, c.le), (&[0x10, 0x02][..], Some(256)));
    }

    #[test]
    fn bad_lengths() {
        for apdu in [
            &[][..],
            &[0, 0xA4, 0],
            &[0, 0xA4, 0, 0, 2, 1],
            &[0, 0xA4, 0, 0, 2, 1, 2, 3, 4],
            // Extended encodings.
            &[0, 0xA4, 0, 0, 0, 0, 2, 1, 2],
            &[0, 0xB0, 0, 0, 0, 1, 0],
        ] {
            assert_eq!(Command::parse(apdu), Err(sw::WRONG_LENGTH), "{apdu:02X?}");
        }
    }
}
