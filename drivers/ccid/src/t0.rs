//! T=0 (ISO/IEC 7816-3 §10): mapping APDUs to TPDUs, and the procedure bytes a character-level
//! reader leaves to the host.

use log::trace;

use crate::apdu::CommandApdu;
use crate::CcidError;

/// NULL procedure bytes accepted in a row: the card asks for more time with each one.
const MAX_NULLS: usize = 10_000;
/// Procedure bytes accepted for one TPDU (a card sending one byte at a time needs ~260).
const MAX_PROCEDURE_BYTES: usize = 600;

/// A T=0 command TPDU: the 5-byte header, data to send, and the count of bytes to receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tpdu<'a> {
    /// CLA INS P1 P2 P3.
    pub header: [u8; 5],
    /// The data sent after the header (case 3).
    pub data: &'a [u8],
    /// The data bytes expected from the card (case 2), 0..=256.
    pub expected: usize,
}

impl<'a> Tpdu<'a> {
    /// The TPDU that carries a short APDU (ISO 7816-3 §12.2): case 4 loses its Le and the card
    /// answers 61xx, which the APDU layer resolves.
    pub fn from_apdu(apdu: &CommandApdu<'a>) -> Result<Tpdu<'a>, CcidError> {
        if apdu.extended {
            return Err(CcidError::Unsupported("extended APDU over T=0".into()));
        }
        let [cla, ins, p1, p2] = apdu.header;
        let (p3, expected) = match (apdu.data.len(), apdu.le) {
            (0, None) => (0, 0),
            (0, Some(le)) => (le % 256, le),
            (lc, _) => (lc, 0),
        };
        // p3 < 256 by construction.
        let p3 = u8::try_from(p3).unwrap_or(0);
        Ok(Tpdu {
            header: [cla, ins, p1, p2, p3],
            data: apdu.data,
            expected,
        })
    }

    /// The TPDU as one byte string, for TPDU-level readers.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = self.header.to_vec();
        b.extend_from_slice(self.data);
        b
    }
}

/// Runs one TPDU through the procedure bytes. `io(send, n)` sends `send` and returns exactly
/// the next `n` bytes from the card.
pub fn transceive<F>(tpdu: &Tpdu<'_>, io: &mut F) -> Result<Vec<u8>, CcidError>
where
    F: FnMut(&[u8], usize) -> Result<Vec<u8>, CcidError>,
{
    let ins = tpdu.header[1];
    if ins & 0xF0 == 0x60 || ins & 0xF0 == 0x90 {
        return Err(CcidError::InvalidCommand(
            "INS 6x or 9x is not allowed in T=0",
        ));
    }
    let mut to_send = tpdu.data;
    let mut to_receive = tpdu.expected;
    let mut received = Vec::with_capacity(to_receive + 2);
    let mut procedure = one(io(&tpdu.header, 1)?)?;
    let mut nulls = 0;
    for _ in 0..MAX_PROCEDURE_BYTES {
        trace!("T=0 procedure byte {procedure:02X}");
        if procedure == 0x60 {
            nulls += 1;
            if nulls > MAX_NULLS {
                return Err(CcidError::protocol("T=0: endless NULL procedure bytes"));
            }
            procedure = one(io(&[], 1)?)?;
            continue;
        }
        nulls = 0;
        if procedure & 0xF0 == 0x60 || procedure & 0xF0 == 0x90 {
            let sw2 = one(io(&[], 1)?)?;
            received.extend_from_slice(&[procedure, sw2]);
            return Ok(received);
        }
        // ACK: all remaining bytes; INS ^ FF: one byte, then another procedure byte.
        let count = if procedure == ins {
            usize::MAX
        } else if procedure == ins ^ 0xFF {
            1
        } else {
            return Err(CcidError::protocol(format!(
                "T=0: invalid procedure byte {procedure:02X}"
            )));
        };
        let answer = if !to_send.is_empty() {
            let (now, later) = to_send.split_at(count.min(to_send.len()));
            to_send = later;
            io(now, 1)?
        } else if to_receive > 0 {
            let n = count.min(to_receive);
            to_receive -= n;
            let mut bytes = io(&[], n + 1)?;
            let next = bytes.pop();
            received.extend_from_slice(&bytes);
            bytes = next.into_iter().collect();
            bytes
        } else {
            return Err(CcidError::protocol(
                "T=0: ACK with nothing left to transfer",
            ));
        };
        procedure = one(answer)?;
    }
    Err(CcidError::protocol("T=0: too many procedure bytes"))
}

fn one(bytes: Vec<u8>) -> Result<u8, CcidError> {
    match *bytes {
        [b] => Ok(b),
        _ => Err(CcidError::protocol(format!(
            "T=0: {} bytes where one was expected",
            bytes.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A card that answers each `io` call from a script of expected sends and replies.
    fn scripted(
        script: Vec<(Vec<u8>, Vec<u8>)>,
    ) -> impl FnMut(&[u8], usize) -> Result<Vec<u8>, CcidError> {
        let mut steps = script.into_iter();
        move |send, n| {
            let (want, reply) = steps.next().expect("script too short");
            assert_eq!(send, &want[..]);
            assert_eq!(n, reply.len());
            Ok(reply)
        }
    }

    #[test]
    fn case_2_with_null_ack_and_single_bytes() {
        let apdu = CommandApdu::parse(&[0x00, 0xB0, 0, 0, 3]).expect("valid");
        let tpdu = Tpdu::from_apdu(&apdu).expect("short");
        let mut io = scripted(vec![
            (vec![0x00, 0xB0, 0, 0, 3], vec![0x60]),
            (vec![], vec![0x4F]),       // INS ^ FF: one byte
            (vec![], vec![0xAA, 0xB0]), // the byte, then ACK
            (vec![], vec![0xBB, 0xCC, 0x90]),
            (vec![], vec![0x00]),
        ]);
        assert_eq!(
            transceive(&tpdu, &mut io),
            Ok(vec![0xAA, 0xBB, 0xCC, 0x90, 0x00])
        );
    }

    #[test]
    fn case_4_sends_data_and_gets_61xx() {
        let apdu = CommandApdu::parse(&[0x00, 0x88, 0, 0, 2, 1, 2, 0]).expect("valid");
        let tpdu = Tpdu::from_apdu(&apdu).expect("short");
        assert_eq!(tpdu.header[4], 2);
        let mut io = scripted(vec![
            (vec![0x00, 0x88, 0, 0, 2], vec![0x88]),
            (vec![1, 2], vec![0x61]),
            (vec![], vec![0x10]),
        ]);
        assert_eq!(transceive(&tpdu, &mut io), Ok(vec![0x61, 0x10]));
    }

    #[test]
    fn invalid_procedure_bytes_and_ins_are_refused() {
        let apdu = CommandApdu::parse(&[0x00, 0xB0, 0, 0, 3]).expect("valid");
        let tpdu = Tpdu::from_apdu(&apdu).expect("short");
        let mut io = scripted(vec![(vec![0x00, 0xB0, 0, 0, 3], vec![0x12])]);
        assert!(transceive(&tpdu, &mut io).is_err());
        let bad = CommandApdu::parse(&[0x00, 0x62, 0, 0]).expect("valid");
        let tpdu = Tpdu::from_apdu(&bad).expect("short");
        assert_eq!(
            transceive(&tpdu, &mut scripted(vec![])),
            Err(CcidError::InvalidCommand(
                "INS 6x or 9x is not allowed in T=0"
            ))
        );
    }
}
