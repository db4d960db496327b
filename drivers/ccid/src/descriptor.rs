//! The CCID class descriptor (CCID 1.1 §5.1, type 0x21, 54 bytes).

use crate::bytes::{le_u16, le_u32};
use crate::CcidError;

/// The descriptor type of the CCID class descriptor.
pub const DESCRIPTOR_TYPE: u8 = 0x21;
/// Pre-1.0 readers give their class descriptor this vendor-specific type instead.
const LEGACY_DESCRIPTOR_TYPE: u8 = 0xFF;
/// The length of the CCID class descriptor.
pub const DESCRIPTOR_LEN: usize = 54;

/// dwFeatures, the reader's automatic behaviours and exchange level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Features(pub u32);

impl Features {
    /// The reader configures itself from the ATR.
    pub const AUTO_CONF_ATR: u32 = 0x0000_0002;
    /// The reader activates the card on insertion.
    pub const AUTO_ACTIVATION: u32 = 0x0000_0004;
    /// The reader selects the voltage itself.
    pub const AUTO_VOLTAGE: u32 = 0x0000_0008;
    /// The reader selects the clock frequency itself.
    pub const AUTO_CLOCK: u32 = 0x0000_0010;
    /// The reader selects the baud rate itself.
    pub const AUTO_BAUD: u32 = 0x0000_0020;
    /// The reader negotiates the protocol parameters itself (no SetParameters needed).
    pub const AUTO_PARAMS: u32 = 0x0000_0040;
    /// The reader does the PPS itself.
    pub const AUTO_PPS: u32 = 0x0000_0080;
    /// The reader can stop the clock.
    pub const CLOCK_STOP: u32 = 0x0000_0100;
    /// The reader accepts NAD values other than 0.
    pub const NAD: u32 = 0x0000_0200;
    /// The reader negotiates IFSD itself.
    pub const AUTO_IFSD: u32 = 0x0000_0400;
    /// TPDU-level exchanges.
    pub const LEVEL_TPDU: u32 = 0x0001_0000;
    /// Short-APDU-level exchanges.
    pub const LEVEL_SHORT_APDU: u32 = 0x0002_0000;
    /// Extended-APDU-level exchanges.
    pub const LEVEL_EXTENDED_APDU: u32 = 0x0004_0000;
    /// The mask of the exchange level bits.
    pub const LEVEL_MASK: u32 = 0x0007_0000;

    /// Whether every bit of `bits` is set.
    pub fn contains(self, bits: u32) -> bool {
        self.0 & bits == bits
    }

    /// The exchange level these features declare.
    pub fn exchange_level(self) -> ExchangeLevel {
        // A reader that sets several level bits gets the most capable one.
        if self.contains(Self::LEVEL_EXTENDED_APDU) {
            ExchangeLevel::ExtendedApdu
        } else if self.contains(Self::LEVEL_SHORT_APDU) {
            ExchangeLevel::ShortApdu
        } else if self.contains(Self::LEVEL_TPDU) {
            ExchangeLevel::Tpdu
        } else {
            ExchangeLevel::Character
        }
    }
}

/// What one XfrBlock carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExchangeLevel {
    /// Characters: the host runs the T=0 procedure bytes or reads T=1 blocks piecewise.
    Character,
    /// One TPDU (T=0) or one T=1 block.
    Tpdu,
    /// One short APDU; the reader runs the card protocol.
    ShortApdu,
    /// An APDU of any length, chained over several XfrBlocks when longer than a message.
    ExtendedApdu,
}

/// The parsed CCID class descriptor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CcidDescriptor {
    /// bcdCCID, the specification release.
    pub bcd_ccid: u16,
    /// bMaxSlotIndex: the reader has this many slots, minus one.
    pub max_slot_index: u8,
    /// bVoltageSupport: 0x01 5 V, 0x02 3 V, 0x04 1.8 V.
    pub voltage_support: u8,
    /// dwProtocols: bit 0 T=0, bit 1 T=1.
    pub protocols: u32,
    /// dwDefaultClock, kHz.
    pub default_clock: u32,
    /// dwMaximumClock, kHz.
    pub maximum_clock: u32,
    /// dwDataRate, bps.
    pub data_rate: u32,
    /// dwMaxDataRate, bps.
    pub max_data_rate: u32,
    /// dwMaxIFSD, the largest T=1 block the reader accepts from the card.
    pub max_ifsd: u32,
    /// dwFeatures.
    pub features: Features,
    /// dwMaxCCIDMessageLength, header included.
    pub max_message_length: u32,
    /// bClassGetResponse (APDU levels).
    pub class_get_response: u8,
    /// bClassEnvelope (APDU levels).
    pub class_envelope: u8,
    /// wLcdLayout.
    pub lcd_layout: u16,
    /// bPINSupport.
    pub pin_support: u8,
    /// bMaxCCIDBusySlots.
    pub max_busy_slots: u8,
}

impl CcidDescriptor {
    /// Parses the 54-byte class descriptor (bLength and bDescriptorType included).
    pub fn parse(bytes: &[u8]) -> Result<CcidDescriptor, CcidError> {
        let bad = |what: &str| CcidError::protocol(format!("CCID class descriptor: {what}"));
        let b: &[u8; DESCRIPTOR_LEN] = bytes
            .get(..DESCRIPTOR_LEN)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| bad("shorter than 54 bytes"))?;
        if usize::from(b[0]) < DESCRIPTOR_LEN {
            return Err(bad("bLength below 54"));
        }
        if b[1] != DESCRIPTOR_TYPE && b[1] != LEGACY_DESCRIPTOR_TYPE {
            return Err(bad("not of type 0x21"));
        }
        let d = CcidDescriptor {
            bcd_ccid: le_u16(b, 2),
            max_slot_index: b[4],
            voltage_support: b[5],
            protocols: le_u32(b, 6),
            default_clock: le_u32(b, 10),
            maximum_clock: le_u32(b, 14),
            data_rate: le_u32(b, 19),
            max_data_rate: le_u32(b, 23),
            max_ifsd: le_u32(b, 28),
            features: Features(le_u32(b, 40)),
            max_message_length: le_u32(b, 44),
            class_get_response: b[48],
            class_envelope: b[49],
            lcd_layout: le_u16(b, 50),
            pin_support: b[52],
            max_busy_slots: b[53],
        };
        // A message must at least hold a header and a short command's header.
        if d.max_message_length < 15 {
            return Err(bad("dwMaxCCIDMessageLength below 15"));
        }
        if d.protocols & 0b11 == 0 {
            return Err(bad("neither T=0 nor T=1 supported"));
        }
        Ok(d)
    }

    /// Finds and parses the class descriptor in a run of descriptors (see [`Self::locate`]).
    pub fn find(descriptors: &[u8]) -> Result<CcidDescriptor, CcidError> {
        let one = Self::locate(descriptors)
            .ok_or_else(|| CcidError::protocol("no CCID class descriptor"))?;
        CcidDescriptor::parse(one)
    }

    /// Finds the class descriptor's bytes in a run of descriptors: an interface's extra
    /// descriptors, or everything after the interface descriptor, since some readers (O2Micro,
    /// Reiner SCT) put it after the last endpoint.
    pub fn locate(descriptors: &[u8]) -> Option<&[u8]> {
        let mut rest = descriptors;
        while let [len, kind, ..] = *rest {
            let len = usize::from(len);
            let one = rest.get(..len).filter(|_| len >= 2)?;
            if (kind == DESCRIPTOR_TYPE || kind == LEGACY_DESCRIPTOR_TYPE) && len == DESCRIPTOR_LEN
            {
                return Some(one);
            }
            rest = rest.get(len..)?;
        }
        None
    }

    /// The exchange level the reader declares.
    pub fn exchange_level(&self) -> ExchangeLevel {
        self.features.exchange_level()
    }

    /// Whether the reader speaks T=`protocol` (0 or 1) to cards.
    pub fn supports_protocol(&self, protocol: u8) -> bool {
        protocol < 2 && self.protocols & (1 << protocol) != 0
    }

    /// The number of slots.
    pub fn slot_count(&self) -> usize {
        usize::from(self.max_slot_index) + 1
    }

    /// The most abData bytes one message carries.
    pub fn max_payload(&self) -> usize {
        usize::try_from(self.max_message_length)
            .unwrap_or(usize::MAX)
            .saturating_sub(crate::message::HEADER_LEN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Rutoken ECP-like descriptor: T=1, short-APDU level, 271-byte messages, IFSD 254.
    fn rutoken_like() -> [u8; 54] {
        let mut d = [0u8; 54];
        d[0] = 54;
        d[1] = 0x21;
        d[2..4].copy_from_slice(&0x0100u16.to_le_bytes());
        d[5] = 0x07;
        d[6..10].copy_from_slice(&2u32.to_le_bytes());
        d[28..32].copy_from_slice(&254u32.to_le_bytes());
        d[40..44].copy_from_slice(&0x0002_04BAu32.to_le_bytes());
        d[44..48].copy_from_slice(&271u32.to_le_bytes());
        d[53] = 1;
        d
    }

    #[test]
    fn finds_the_descriptor_after_the_last_endpoint() {
        let mut run = vec![7, 5, 0x81, 3, 8, 0, 0x10];
        run.extend_from_slice(&[7, 5, 0x02, 2, 64, 0, 0]);
        run.extend_from_slice(&rutoken_like());
        let d = CcidDescriptor::find(&run).expect("found");
        assert_eq!(d.max_message_length, 271);
        assert!(CcidDescriptor::find(&run[..20]).is_err());
    }

    #[test]
    fn rejects_a_descriptor_without_protocols() {
        let good = rutoken_like();
        assert!(CcidDescriptor::parse(&good).is_ok());
        let mut d = good;
        d[6] = 0;
        assert!(CcidDescriptor::parse(&d).is_err());
        assert!(CcidDescriptor::parse(&good[..53]).is_err());
    }
}
