//! The CCID class descriptor (CCID 1.1 §5.1) the model presents: Rutoken ECP's, with the exchange
//! level and message size the test asks for.

use super::ExchangeLevel;

/// bLength of the class descriptor.
pub const LENGTH: usize = 54;

/// dwFeatures: automatic configuration from the ATR, activation, voltage, clock, baud rate,
/// parameters and PPS — the reader does everything below the exchange level itself.
pub const AUTO_FEATURES: u32 = 0x0000_00FE;
pub const LEVEL_TPDU: u32 = 0x0001_0000;
pub const LEVEL_SHORT_APDU: u32 = 0x0002_0000;
pub const LEVEL_EXTENDED_APDU: u32 = 0x0004_0000;

/// The clock (kHz) and data rate (bps) the reader reports; nothing depends on them.
pub const CLOCK_KHZ: u32 = 4000;
pub const DATA_RATE: u32 = 10752;

/// dwMaxIFSD: the largest block the reader accepts from the card.
pub const MAX_IFSD: u32 = 254;

pub fn features(level: ExchangeLevel) -> u32 {
    AUTO_FEATURES
        | match level {
            // No AUTO_IFSD (0x400): the host must negotiate the IFSD with S(IFS request).
            ExchangeLevel::Tpdu => LEVEL_TPDU,
            ExchangeLevel::ShortApdu => LEVEL_SHORT_APDU,
            ExchangeLevel::ExtendedApdu => LEVEL_EXTENDED_APDU,
        }
}

pub fn class_descriptor(level: ExchangeLevel, max_message_length: u32) -> [u8; LENGTH] {
    let mut d = [0u8; LENGTH];
    let mut at = 0;
    let mut put = |bytes: &[u8]| {
        d[at..at + bytes.len()].copy_from_slice(bytes);
        at += bytes.len();
    };
    put(&[LENGTH as u8, 0x21]);
    put(&0x0110u16.to_le_bytes()); // bcdCCID 1.10
    put(&[0x00]); // bMaxSlotIndex: one slot
    put(&[0x07]); // bVoltageSupport: 5 V, 3 V, 1.8 V
    put(&2u32.to_le_bytes()); // dwProtocols: T=1 only
    put(&CLOCK_KHZ.to_le_bytes()); // dwDefaultClock
    put(&CLOCK_KHZ.to_le_bytes()); // dwMaximumClock
    put(&[0x00]); // bNumClockSupported
    put(&DATA_RATE.to_le_bytes()); // dwDataRate
    put(&DATA_RATE.to_le_bytes()); // dwMaxDataRate
    put(&[0x00]); // bNumDataRatesSupported
    put(&MAX_IFSD.to_le_bytes());
    put(&0u32.to_le_bytes()); // dwSynchProtocols
    put(&0u32.to_le_bytes()); // dwMechanical
    put(&features(level).to_le_bytes());
    put(&max_message_length.to_le_bytes());
    put(&[0xFF, 0xFF]); // bClassGetResponse, bClassEnvelope: echo the command's class
    put(&0u16.to_le_bytes()); // wLcdLayout: none
    put(&[0x00]); // bPINSupport: none
    put(&[0x01]); // bMaxCCIDBusySlots
    debug_assert_eq!(at, LENGTH);
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rutoken_like() {
        let d = class_descriptor(ExchangeLevel::ShortApdu, 271);
        assert_eq!(&d[..4], &[54, 0x21, 0x10, 0x01]);
        assert_eq!(d[4], 0);
        assert_eq!(&d[6..10], &2u32.to_le_bytes());
        assert_eq!(&d[28..32], &254u32.to_le_bytes());
        assert_eq!(&d[40..44], &0x0002_00FEu32.to_le_bytes());
        assert_eq!(&d[44..48], &271u32.to_le_bytes());
        assert_eq!(d[53], 1);
    }
}
