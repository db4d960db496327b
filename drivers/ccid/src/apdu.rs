//! Command APDUs (ISO/IEC 7816-4 §5.1) and the status-word rules applied above every exchange
//! level: 61xx (GET RESPONSE) and 6Cxx (resend with the exact Le).

use core::fmt;

use log::{debug, trace};

use crate::{ApduChannel, CcidError};

/// GET RESPONSE rounds after which a card that keeps answering 61xx is broken.
const MAX_GET_RESPONSE: usize = 512;
/// The longest response assembled from GET RESPONSE rounds.
const MAX_RESPONSE: usize = 65538;

/// A parsed command APDU. Holds the caller's bytes; its `Display` shows only the header and
/// lengths, never data (VERIFY carries PINs).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct CommandApdu<'a> {
    /// CLA INS P1 P2.
    pub header: [u8; 4],
    /// The command data field.
    pub data: &'a [u8],
    /// Ne, the number of response bytes expected (1..=65536), if any.
    pub le: Option<usize>,
    /// Whether Lc/Le are in the extended (3- or 2-byte) form.
    pub extended: bool,
}

impl fmt::Debug for CommandApdu<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for CommandApdu<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [cla, ins, p1, p2] = self.header;
        write!(
            f,
            "{cla:02X} {ins:02X} {p1:02X} {p2:02X} Lc={}",
            self.data.len()
        )?;
        match self.le {
            Some(le) => write!(f, " Le={le}"),
            None => f.write_str(" no Le"),
        }
    }
}

impl<'a> CommandApdu<'a> {
    /// Parses the four cases of ISO 7816-4, short and extended.
    pub fn parse(bytes: &'a [u8]) -> Result<CommandApdu<'a>, CcidError> {
        let Some((&header, body)) = bytes.split_first_chunk::<4>() else {
            return Err(CcidError::InvalidCommand("shorter than 4 bytes"));
        };
        let short_le = |b: u8| if b == 0 { 256 } else { usize::from(b) };
        let ext_le = |hi: u8, lo: u8| match u16::from_be_bytes([hi, lo]) {
            0 => 65536,
            n => usize::from(n),
        };
        let (data, le, extended): (&[u8], Option<usize>, bool) = match *body {
            // Case 1.
            [] => (&[], None, false),
            // Case 2 short.
            [le] => (&[], Some(short_le(le)), false),
            // Case 2 extended.
            [0, hi, lo] => (&[], Some(ext_le(hi, lo)), true),
            // Case 3 or 4 extended.
            [0, hi, lo, ref rest @ ..] if u16::from_be_bytes([hi, lo]) != 0 => {
                let lc = usize::from(u16::from_be_bytes([hi, lo]));
                match (rest.get(..lc), rest.get(lc..)) {
                    (Some(data), Some([])) => (data, None, true),
                    (Some(data), Some(&[h, l])) => (data, Some(ext_le(h, l)), true),
                    _ => return Err(CcidError::InvalidCommand("extended Lc does not match")),
                }
            }
            // Case 3 or 4 short.
            [lc, ref rest @ ..] if lc != 0 => {
                match (rest.get(..usize::from(lc)), rest.get(usize::from(lc)..)) {
                    (Some(data), Some([])) => (data, None, false),
                    (Some(data), Some(&[le])) => (data, Some(short_le(le)), false),
                    _ => return Err(CcidError::InvalidCommand("Lc does not match the length")),
                }
            }
            _ => return Err(CcidError::InvalidCommand("malformed length fields")),
        };
        Ok(CommandApdu {
            header,
            data,
            le,
            extended,
        })
    }

    /// The same command with another Le, in the same (short or extended) form.
    pub fn with_le(&self, le: usize) -> Vec<u8> {
        let mut out = self.header.to_vec();
        // Lc ≤ 255 (short) or ≤ 65535 (extended): the parser only accepts such commands.
        let lc = self.data.len();
        if self.extended {
            if lc > 0 {
                out.push(0);
                out.extend_from_slice(&u16::try_from(lc).unwrap_or(u16::MAX).to_be_bytes());
                out.extend_from_slice(self.data);
            } else {
                out.push(0);
            }
            // 65536 is encoded as 00 00.
            out.extend_from_slice(&u16::try_from(le % 65536).unwrap_or(0).to_be_bytes());
        } else {
            if lc > 0 {
                out.push(u8::try_from(lc).unwrap_or(u8::MAX));
                out.extend_from_slice(self.data);
            }
            out.push(u8::try_from(le % 256).unwrap_or(0));
        }
        out
    }
}

/// Splits a response into its data and SW1 SW2.
pub fn split_status(response: &[u8]) -> Result<(&[u8], u8, u8), CcidError> {
    match response.split_last_chunk::<2>() {
        Some((data, &[sw1, sw2])) => Ok((data, sw1, sw2)),
        None => Err(CcidError::protocol(format!(
            "response of {} bytes, without a status word",
            response.len()
        ))),
    }
}

/// A card channel that moves one command and its immediate answer, with no status-word rules:
/// what an exchange level gives.
pub trait RawChannel {
    /// Exchanges one command APDU for its raw response (data, SW1, SW2).
    fn exchange(&mut self, command: &[u8]) -> Result<Vec<u8>, CcidError>;

    /// Resets the card and returns the ATR.
    fn reset(&mut self) -> Result<Vec<u8>, CcidError>;
}

/// The APDU layer: resolves 61xx and 6Cxx once, above whatever exchange level is underneath.
#[derive(Debug)]
pub struct ApduLayer<C> {
    inner: C,
}

impl<C: RawChannel> ApduLayer<C> {
    /// Wraps a raw channel.
    pub fn new(inner: C) -> ApduLayer<C> {
        ApduLayer { inner }
    }

    /// The raw channel.
    pub fn get_ref(&self) -> &C {
        &self.inner
    }

    /// The raw channel, to send commands without the status-word rules.
    pub fn get_mut(&mut self) -> &mut C {
        &mut self.inner
    }

    /// Unwraps the raw channel.
    pub fn into_inner(self) -> C {
        self.inner
    }
}

impl<C: RawChannel> ApduChannel for ApduLayer<C> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, CcidError> {
        let apdu = CommandApdu::parse(command)?;
        trace!("APDU {apdu}");
        let mut response = self.inner.exchange(command)?;
        let (_, sw1, sw2) = split_status(&response)?;
        if sw1 == 0x6C {
            // Wrong Le: resend once with the length the card names (ISO 7816-4 §5.6).
            debug!(
                "6C{sw2:02X}: resending with Le={}",
                if sw2 == 0 { 256 } else { usize::from(sw2) }
            );
            response = self.inner.exchange(&apdu.with_le(if sw2 == 0 {
                256
            } else {
                usize::from(sw2)
            }))?;
        }
        let mut rounds = 0;
        loop {
            let (data, sw1, sw2) = split_status(&response)?;
            if sw1 != 0x61 {
                break;
            }
            rounds += 1;
            if rounds > MAX_GET_RESPONSE || data.len() > MAX_RESPONSE {
                return Err(CcidError::protocol("the card keeps answering 61xx"));
            }
            trace!("61{sw2:02X}: GET RESPONSE");
            let more = self.inner.exchange(&[0x00, 0xC0, 0x00, 0x00, sw2])?;
            split_status(&more)?;
            response.truncate(data.len());
            response.extend_from_slice(&more);
        }
        Ok(response)
    }

    fn reset(&mut self) -> Result<Vec<u8>, CcidError> {
        self.inner.reset()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_cases_parse() {
        let c = CommandApdu::parse(&[0, 0xA4, 4, 0]).expect("case 1");
        assert_eq!((c.data.len(), c.le), (0, None));
        let c = CommandApdu::parse(&[0, 0xB0, 0, 0, 0]).expect("case 2");
        assert_eq!(c.le, Some(256));
        let c = CommandApdu::parse(&[0, 0x20, 0, 1, 2, 0x31, 0x32]).expect("case 3");
        assert_eq!((c.data, c.le), (&[0x31, 0x32][..], None));
        let c = CommandApdu::parse(&[0, 0x20, 0, 1, 1, 0x31, 0x10]).expect("case 4");
        assert_eq!(c.le, Some(16));
        let c = CommandApdu::parse(&[0, 0xB0, 0, 0, 0, 0, 0]).expect("case 2 extended");
        assert_eq!((c.le, c.extended), (Some(65536), true));
        let c = CommandApdu::parse(&[0, 0xD6, 0, 0, 0, 0, 2, 7, 8, 1, 0]).expect("case 4 extended");
        assert_eq!((c.data, c.le), (&[7, 8][..], Some(256)));
        assert!(CommandApdu::parse(&[0, 0x20, 0, 1, 3, 0x31]).is_err());
        assert!(CommandApdu::parse(&[0, 0x20, 0]).is_err());
        assert!(CommandApdu::parse(&[0, 0x20, 0, 0, 0, 0]).is_err());
    }

    #[test]
    fn display_shows_no_data() {
        let c = CommandApdu::parse(&[0, 0x20, 0, 1, 4, 0x31, 0x32, 0x33, 0x34]).expect("verify");
        assert_eq!(c.to_string(), "00 20 00 01 Lc=4 no Le");
    }

    #[test]
    fn with_le_keeps_the_form() {
        let c = CommandApdu::parse(&[0, 0xCA, 0, 0x66, 0x10]).expect("short");
        assert_eq!(c.with_le(8), [0, 0xCA, 0, 0x66, 8]);
        assert_eq!(c.with_le(256), [0, 0xCA, 0, 0x66, 0]);
        let c = CommandApdu::parse(&[0, 0xCA, 0, 0x66, 0, 0, 0x10]).expect("extended");
        assert_eq!(c.with_le(8), [0, 0xCA, 0, 0x66, 0, 0, 8]);
    }
}
