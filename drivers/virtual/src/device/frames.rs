//! CCID bulk messages (CCID 1.1 §6.1–6.2), parsed and built on the device side. Written apart from
//! the host driver's framing on purpose: the two must agree only through the specification.

/// PC_to_RDR message types.
pub mod cmd {
    pub const SET_PARAMETERS: u8 = 0x61;
    pub const ICC_POWER_ON: u8 = 0x62;
    pub const ICC_POWER_OFF: u8 = 0x63;
    pub const GET_SLOT_STATUS: u8 = 0x65;
    pub const SECURE: u8 = 0x69;
    pub const T0_APDU: u8 = 0x6A;
    pub const ESCAPE: u8 = 0x6B;
    pub const GET_PARAMETERS: u8 = 0x6C;
    pub const RESET_PARAMETERS: u8 = 0x6D;
    pub const ICC_CLOCK: u8 = 0x6E;
    pub const XFR_BLOCK: u8 = 0x6F;
    pub const MECHANICAL: u8 = 0x71;
    pub const ABORT: u8 = 0x72;
    pub const SET_DATA_RATE_AND_CLOCK: u8 = 0x73;
}

/// RDR_to_PC message types.
pub mod rsp {
    pub const DATA_BLOCK: u8 = 0x80;
    pub const SLOT_STATUS: u8 = 0x81;
    pub const PARAMETERS: u8 = 0x82;
    pub const ESCAPE: u8 = 0x83;
    pub const DATA_RATE_AND_CLOCK: u8 = 0x84;
    /// Interrupt IN.
    pub const NOTIFY_SLOT_CHANGE: u8 = 0x50;
}

/// bError values the model uses (besides the offset of a bad header field).
pub mod err {
    pub const CMD_NOT_SUPPORTED: u8 = 0x00;
    pub const BAD_LENGTH: u8 = 1;
    pub const BAD_SLOT: u8 = 5;
    pub const BAD_PROTOCOL_OR_POWER: u8 = 7;
    pub const BAD_LEVEL_PARAMETER: u8 = 8;
    pub const ICC_MUTE: u8 = 0xFE;
    pub const CMD_ABORTED: u8 = 0xFF;
}

/// bmCommandStatus of bStatus.
pub mod status {
    pub const FAILED: u8 = 0x40;
    pub const TIME_EXTENSION: u8 = 0x80;
}

pub const HEADER: usize = 10;

/// One PC_to_RDR message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostMessage<'a> {
    pub kind: u8,
    pub slot: u8,
    pub seq: u8,
    /// Bytes 7..10, whose meaning depends on the message type.
    pub params: [u8; 3],
    pub data: &'a [u8],
}

/// Why a bulk-OUT transfer is not a valid message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameError {
    /// Shorter than a header: there is not even a bSeq to answer to.
    TooShort,
    /// dwLength disagrees with the transfer (or exceeds dwMaxCCIDMessageLength): answered with
    /// bError 1 under the header's type, slot and sequence number.
    BadLength { kind: u8, slot: u8, seq: u8 },
}

impl<'a> HostMessage<'a> {
    pub fn parse(bytes: &'a [u8], max_message_length: usize) -> Result<Self, FrameError> {
        let (header, data) = bytes
            .split_first_chunk::<HEADER>()
            .ok_or(FrameError::TooShort)?;
        let declared = u32::from_le_bytes([header[1], header[2], header[3], header[4]]);
        let (kind, slot, seq) = (header[0], header[5], header[6]);
        if usize::try_from(declared).ok() != Some(data.len()) || bytes.len() > max_message_length {
            return Err(FrameError::BadLength { kind, slot, seq });
        }
        Ok(HostMessage {
            kind,
            slot,
            seq,
            params: [header[7], header[8], header[9]],
            data,
        })
    }

    /// wLevelParameter of XfrBlock (bytes 8–9).
    pub fn level_parameter(&self) -> u16 {
        u16::from_le_bytes([self.params[1], self.params[2]])
    }
}

/// The RDR_to_PC message type that answers a PC_to_RDR one; unknown types get a SlotStatus.
pub fn reply_kind(command: u8) -> u8 {
    match command {
        cmd::ICC_POWER_ON | cmd::XFR_BLOCK | cmd::SECURE => rsp::DATA_BLOCK,
        cmd::GET_PARAMETERS | cmd::RESET_PARAMETERS | cmd::SET_PARAMETERS => rsp::PARAMETERS,
        cmd::ESCAPE => rsp::ESCAPE,
        cmd::SET_DATA_RATE_AND_CLOCK => rsp::DATA_RATE_AND_CLOCK,
        _ => rsp::SLOT_STATUS,
    }
}

/// One RDR_to_PC message: header (bStatus, bError, the type-specific byte 9) and data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub kind: u8,
    pub slot: u8,
    pub seq: u8,
    pub status: u8,
    pub error: u8,
    pub param: u8,
    pub data: Vec<u8>,
}

impl Reply {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + self.data.len());
        out.push(self.kind);
        // Data never exceeds dwMaxCCIDMessageLength, a u32.
        out.extend_from_slice(&(self.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&[self.slot, self.seq, self.status, self.error, self.param]);
        out.extend_from_slice(&self.data);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_check_length() {
        let m = HostMessage::parse(&[0x6F, 2, 0, 0, 0, 0, 7, 4, 0x10, 0, 0xAA, 0xBB], 271).unwrap();
        assert_eq!(
            (m.kind, m.seq, m.params[0], m.level_parameter()),
            (0x6F, 7, 4, 0x10)
        );
        assert_eq!(m.data, [0xAA, 0xBB]);
        assert_eq!(
            HostMessage::parse(&[0x6F, 3, 0, 0, 0, 0, 7, 0, 0, 0, 0xAA, 0xBB], 271),
            Err(FrameError::BadLength {
                kind: 0x6F,
                slot: 0,
                seq: 7
            })
        );
        assert_eq!(
            HostMessage::parse(&[0x65, 0, 0], 271),
            Err(FrameError::TooShort)
        );
        let big = [
            [0x6F, 0xFF, 0xFF, 0xFF, 0xFF, 0, 1, 0, 0, 0].as_slice(),
            &[0; 4],
        ]
        .concat();
        assert!(HostMessage::parse(&big, 271).is_err());
    }

    #[test]
    fn encode() {
        let r = Reply {
            kind: rsp::DATA_BLOCK,
            slot: 0,
            seq: 9,
            status: 0,
            error: 0,
            param: 0,
            data: vec![0x90, 0x00],
        };
        assert_eq!(r.encode(), [0x80, 2, 0, 0, 0, 0, 9, 0, 0, 0, 0x90, 0x00]);
    }
}
