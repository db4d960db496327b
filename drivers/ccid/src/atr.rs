//! The Answer-To-Reset (ISO/IEC 7816-3 §8.2).

use crate::params::{ProtocolParameters, T0Parameters, T1Parameters};
use crate::t1::Edc;
use crate::CcidError;

/// The longest ATR ISO 7816-3 allows.
const MAX_ATR_LEN: usize = 33;
/// IFSC when the ATR names none (ISO 7816-3 §11.4.2).
const DEFAULT_IFSC: u8 = 32;
/// BWI and CWI when the ATR names none (ISO 7816-3 §11.4.3).
const DEFAULT_BWI: u8 = 4;
const DEFAULT_CWI: u8 = 13;
/// The T=0 waiting integer when TC2 is absent.
const DEFAULT_WI: u8 = 10;
/// Fi = 372, Di = 1: the rates before any PPS.
const DEFAULT_FI_DI: u8 = 0x11;

/// TS: the bit convention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Convention {
    /// TS = 3B.
    Direct,
    /// TS = 3F.
    Inverse,
}

/// One group of interface bytes (TAi, TBi, TCi) and the protocol its TD(i-1) named.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Group {
    /// The protocol the preceding TD byte announced (None for the first group).
    protocol: Option<u8>,
    ta: Option<u8>,
    tb: Option<u8>,
    tc: Option<u8>,
}

/// A parsed ATR.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Atr {
    bytes: Vec<u8>,
    convention: Convention,
    groups: Vec<Group>,
    protocols: Vec<u8>,
    historical: core::ops::Range<usize>,
}

impl Atr {
    /// Parses an ATR as the reader delivers it (already in direct convention, TS kept).
    pub fn parse(bytes: &[u8]) -> Result<Atr, CcidError> {
        let bad = |what: &str| CcidError::protocol(format!("ATR: {what}"));
        if bytes.len() > MAX_ATR_LEN {
            return Err(bad("longer than 33 bytes"));
        }
        let &ts = bytes.first().ok_or_else(|| bad("empty"))?;
        let convention = match ts {
            0x3B => Convention::Direct,
            0x3F => Convention::Inverse,
            _ => return Err(bad("TS is neither 3B nor 3F")),
        };
        let mut pos = 1usize;
        let mut next = |what: &str| -> Result<u8, CcidError> {
            let b = bytes.get(pos).copied().ok_or_else(|| bad(what))?;
            pos += 1;
            Ok(b)
        };
        let t0 = next("no T0")?;
        let historical_len = usize::from(t0 & 0x0F);
        let mut y = t0 >> 4;
        let mut groups = Vec::new();
        let mut protocols = Vec::new();
        let mut protocol = None;
        loop {
            let mut g = Group {
                protocol,
                ..Group::default()
            };
            if y & 0x1 != 0 {
                g.ta = Some(next("truncated in TA")?);
            }
            if y & 0x2 != 0 {
                g.tb = Some(next("truncated in TB")?);
            }
            if y & 0x4 != 0 {
                g.tc = Some(next("truncated in TC")?);
            }
            groups.push(g);
            if y & 0x8 == 0 {
                break;
            }
            let td = next("truncated in TD")?;
            let t = td & 0x0F;
            if !protocols.contains(&t) {
                protocols.push(t);
            }
            protocol = Some(t);
            y = td >> 4;
        }
        let historical = pos..pos + historical_len;
        if bytes.len() < historical.end {
            return Err(bad("truncated in the historical bytes"));
        }
        // TCK is present unless T=0 is the only protocol indicated (§8.2.5).
        if protocols.iter().any(|&t| t != 0) {
            let tck_at = historical.end;
            let covered = bytes.get(1..=tck_at).ok_or_else(|| bad("no TCK"))?;
            if covered.iter().fold(0, |acc, b| acc ^ b) != 0 {
                return Err(bad("TCK mismatch"));
            }
        }
        if protocols.is_empty() {
            protocols.push(0);
        }
        let atr = Atr {
            bytes: bytes.to_vec(),
            convention,
            groups,
            protocols,
            historical,
        };
        if !(1..=254).contains(&atr.ifsc()) {
            return Err(bad("IFSC outside 1..=254"));
        }
        Ok(atr)
    }

    /// The ATR bytes as received.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The historical bytes.
    pub fn historical_bytes(&self) -> &[u8] {
        self.bytes.get(self.historical.clone()).unwrap_or_default()
    }

    /// TS.
    pub fn convention(&self) -> Convention {
        self.convention
    }

    /// The protocols the card offers, in ATR order (T=0 when the ATR names none).
    pub fn protocols(&self) -> &[u8] {
        &self.protocols
    }

    /// The protocol the card uses without a PPS: TA2's in specific mode, else the first offered.
    pub fn default_protocol(&self) -> u8 {
        match self.specific_mode() {
            Some(t) => t,
            None => self.protocols.first().copied().unwrap_or(0),
        }
    }

    /// TA2: the card runs in specific mode, with this protocol.
    pub fn specific_mode(&self) -> Option<u8> {
        self.groups.get(1).and_then(|g| g.ta).map(|ta2| ta2 & 0x0F)
    }

    /// TA2 bit 5: in specific mode, the card uses the default rates, not TA1's.
    pub fn implicit_rates(&self) -> bool {
        self.groups
            .get(1)
            .and_then(|g| g.ta)
            .is_some_and(|ta2| ta2 & 0x10 != 0)
    }

    /// TA1 (Fi, Di), or the default rates.
    pub fn fi_di(&self) -> u8 {
        self.global(0, |g| g.ta).unwrap_or(DEFAULT_FI_DI)
    }

    /// TC1, the extra guard time N.
    pub fn extra_guard_time(&self) -> u8 {
        self.global(0, |g| g.tc).unwrap_or(0)
    }

    /// TC2, the T=0 waiting integer.
    pub fn waiting_integer(&self) -> u8 {
        match self.groups.get(1) {
            Some(g) if g.protocol == Some(0) => g.tc.unwrap_or(DEFAULT_WI),
            _ => DEFAULT_WI,
        }
    }

    /// The first TA for T=1 (i > 2): IFSC.
    pub fn ifsc(&self) -> u8 {
        self.t1_byte(|g| g.ta).unwrap_or(DEFAULT_IFSC)
    }

    /// The first TB for T=1 (i > 2), high nibble: BWI.
    pub fn bwi(&self) -> u8 {
        self.t1_byte(|g| g.tb).map_or(DEFAULT_BWI, |tb| tb >> 4)
    }

    /// The first TB for T=1 (i > 2), low nibble: CWI.
    pub fn cwi(&self) -> u8 {
        self.t1_byte(|g| g.tb).map_or(DEFAULT_CWI, |tb| tb & 0x0F)
    }

    /// The first TC for T=1 (i > 2), bit 0: the error detection code.
    pub fn edc(&self) -> Edc {
        match self.t1_byte(|g| g.tc) {
            Some(tc) if tc & 1 != 0 => Edc::Crc,
            _ => Edc::Lrc,
        }
    }

    /// The SetParameters structure for `protocol`, from the ATR. `fi_di` is what the reader
    /// may use: TA1 only after a PPS or in specific mode, else the default.
    pub fn parameters(&self, protocol: u8, fi_di: u8) -> ProtocolParameters {
        let inverse = u8::from(self.convention == Convention::Inverse) << 1;
        if protocol == 1 {
            ProtocolParameters::T1(T1Parameters {
                fi_di,
                tccks: 0x10 | inverse | u8::from(self.edc() == Edc::Crc),
                guard_time: self.extra_guard_time(),
                waiting_integers: (self.bwi() << 4) | (self.cwi() & 0x0F),
                clock_stop: 0,
                ifsc: self.ifsc(),
                nad: 0,
            })
        } else {
            ProtocolParameters::T0(T0Parameters {
                fi_di,
                tccks: inverse,
                guard_time: self.extra_guard_time(),
                waiting_integer: self.waiting_integer(),
                clock_stop: 0,
            })
        }
    }

    /// The TA1/TB1/TC1 byte of the first group.
    fn global(&self, i: usize, byte: impl Fn(&Group) -> Option<u8>) -> Option<u8> {
        self.groups.get(i).and_then(byte)
    }

    /// A byte of the first group (i > 2) announced for T=1.
    fn t1_byte(&self, byte: impl Fn(&Group) -> Option<u8>) -> Option<u8> {
        self.groups
            .iter()
            .skip(2)
            .filter(|g| g.protocol == Some(1))
            .find_map(byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KAZTOKEN: [u8; 12] = [
        0x3B, 0x88, 0x01, 0x4B, 0x41, 0x5A, 0x54, 0x4F, 0x4B, 0x45, 0x4E, 0x82,
    ];

    #[test]
    fn kaztoken_atr_is_t1_with_default_ifsc() {
        let atr = Atr::parse(&KAZTOKEN).expect("valid");
        assert_eq!(atr.protocols(), [1]);
        assert_eq!(atr.default_protocol(), 1);
        assert_eq!(atr.ifsc(), 32);
        assert_eq!(atr.edc(), Edc::Lrc);
        assert_eq!((atr.bwi(), atr.cwi()), (4, 13));
        assert_eq!(atr.historical_bytes(), b"KAZTOKEN");
    }

    #[test]
    fn kaztoken_atr_with_a_wrong_tck_is_refused() {
        let mut bad = KAZTOKEN;
        bad[11] ^= 1;
        assert!(Atr::parse(&bad).is_err());
        assert!(Atr::parse(&KAZTOKEN[..11]).is_err());
    }

    #[test]
    fn smart_card_form_is_t0_without_tck() {
        let atr = Atr::parse(&[
            0x3B, 0x98, 0x96, 0x00, 0x4B, 0x41, 0x5A, 0x54, 0x4F, 0x4B, 0x45, 0x4E,
        ])
        .expect("valid");
        assert_eq!(atr.protocols(), [0]);
        assert_eq!(atr.fi_di(), 0x96);
        assert_eq!(atr.historical_bytes(), b"KAZTOKEN");
    }

    #[test]
    fn t1_bytes_come_from_the_third_group() {
        // TD1 = 0x81 (TD2 follows, T=1), TD2 = 0x71 (TA3 TB3 TC3, T=1): IFSC 0xFE, BWI 4 CWI 5, CRC.
        let mut atr = vec![0x3B, 0x80, 0x81, 0x71, 0xFE, 0x45, 0x01];
        let tck = atr[1..].iter().fold(0, |a, b| a ^ b);
        atr.push(tck);
        let atr = Atr::parse(&atr).expect("valid");
        assert_eq!(
            (atr.ifsc(), atr.bwi(), atr.cwi(), atr.edc()),
            (0xFE, 4, 5, Edc::Crc)
        );
        let ProtocolParameters::T1(p) = atr.parameters(1, 0x11) else {
            panic!("T=1 expected")
        };
        assert_eq!((p.tccks, p.waiting_integers, p.ifsc), (0x11, 0x45, 0xFE));
    }
}
