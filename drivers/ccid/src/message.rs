//! CCID bulk messages (CCID 1.1 §6.1, §6.2): PC_to_RDR requests out, RDR_to_PC replies in.

use crate::CcidError;

/// Every bulk message starts with a 10-byte header.
pub const HEADER_LEN: usize = 10;

/// PC_to_RDR_IccPowerOn.
pub const PC_TO_RDR_ICC_POWER_ON: u8 = 0x62;
/// PC_to_RDR_IccPowerOff.
pub const PC_TO_RDR_ICC_POWER_OFF: u8 = 0x63;
/// PC_to_RDR_GetSlotStatus.
pub const PC_TO_RDR_GET_SLOT_STATUS: u8 = 0x65;
/// PC_to_RDR_XfrBlock.
pub const PC_TO_RDR_XFR_BLOCK: u8 = 0x6F;
/// PC_to_RDR_GetParameters.
pub const PC_TO_RDR_GET_PARAMETERS: u8 = 0x6C;
/// PC_to_RDR_ResetParameters.
pub const PC_TO_RDR_RESET_PARAMETERS: u8 = 0x6D;
/// PC_to_RDR_SetParameters.
pub const PC_TO_RDR_SET_PARAMETERS: u8 = 0x61;
/// PC_to_RDR_Abort.
pub const PC_TO_RDR_ABORT: u8 = 0x72;
/// RDR_to_PC_DataBlock.
pub const RDR_TO_PC_DATA_BLOCK: u8 = 0x80;
/// RDR_to_PC_SlotStatus.
pub const RDR_TO_PC_SLOT_STATUS: u8 = 0x81;
/// RDR_to_PC_Parameters.
pub const RDR_TO_PC_PARAMETERS: u8 = 0x82;
/// RDR_to_PC_Escape.
pub const RDR_TO_PC_ESCAPE: u8 = 0x83;
/// RDR_to_PC_DataRateAndClockFrequency.
pub const RDR_TO_PC_DATA_RATE_AND_CLOCK: u8 = 0x84;

/// bPowerSelect of IccPowerOn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Voltage {
    /// The reader chooses.
    Auto = 0,
    /// Class A.
    V5 = 1,
    /// Class B.
    V3 = 2,
    /// Class C.
    V1_8 = 3,
}

/// A PC_to_RDR request (the ones this driver sends).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request<'a> {
    /// Activates the card; answered by a DataBlock with the ATR.
    IccPowerOn(Voltage),
    /// Deactivates the card.
    IccPowerOff,
    /// Asks for the slot status.
    GetSlotStatus,
    /// Carries data to the card.
    XfrBlock {
        /// The block waiting time multiplier (T=1 WTX), 0 for none.
        bwi: u8,
        /// wLevelParameter: the expected length (character level) or the chaining step
        /// (extended APDU level).
        level: u16,
        /// abData.
        data: &'a [u8],
    },
    /// Reads the protocol parameters.
    GetParameters,
    /// Resets the protocol parameters to the reader's defaults.
    ResetParameters,
    /// Sets the protocol parameters (`data` is the T=0 or T=1 structure).
    SetParameters {
        /// bProtocolNum.
        protocol: u8,
        /// abProtocolDataStructure.
        data: &'a [u8],
    },
    /// Aborts the slot's current command (after the ABORT class request).
    Abort,
}

impl Request<'_> {
    /// bMessageType.
    pub fn message_type(&self) -> u8 {
        match self {
            Request::IccPowerOn(_) => PC_TO_RDR_ICC_POWER_ON,
            Request::IccPowerOff => PC_TO_RDR_ICC_POWER_OFF,
            Request::GetSlotStatus => PC_TO_RDR_GET_SLOT_STATUS,
            Request::XfrBlock { .. } => PC_TO_RDR_XFR_BLOCK,
            Request::GetParameters => PC_TO_RDR_GET_PARAMETERS,
            Request::ResetParameters => PC_TO_RDR_RESET_PARAMETERS,
            Request::SetParameters { .. } => PC_TO_RDR_SET_PARAMETERS,
            Request::Abort => PC_TO_RDR_ABORT,
        }
    }

    /// The bMessageType of the reply.
    pub fn reply_type(&self) -> u8 {
        match self {
            Request::IccPowerOn(_) | Request::XfrBlock { .. } => RDR_TO_PC_DATA_BLOCK,
            Request::IccPowerOff | Request::GetSlotStatus | Request::Abort => RDR_TO_PC_SLOT_STATUS,
            Request::GetParameters | Request::ResetParameters | Request::SetParameters { .. } => {
                RDR_TO_PC_PARAMETERS
            }
        }
    }

    /// The whole message, header and abData.
    pub fn encode(&self, slot: u8, seq: u8) -> Vec<u8> {
        let (specific, data): ([u8; 3], &[u8]) = match *self {
            Request::IccPowerOn(v) => ([v as u8, 0, 0], &[]),
            Request::XfrBlock { bwi, level, data } => {
                let [lo, hi] = level.to_le_bytes();
                ([bwi, lo, hi], data)
            }
            Request::SetParameters { protocol, data } => ([protocol, 0, 0], data),
            _ => ([0; 3], &[]),
        };
        // abData never exceeds a reader's message length, which is far below 4 GiB.
        let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
        let mut m = Vec::with_capacity(HEADER_LEN + data.len());
        m.push(self.message_type());
        m.extend_from_slice(&len.to_le_bytes());
        m.extend_from_slice(&[slot, seq]);
        m.extend_from_slice(&specific);
        m.extend_from_slice(data);
        m
    }
}

/// bmICCStatus, bits 0-1 of bStatus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IccStatus {
    /// A card is present and powered.
    Active,
    /// A card is present but not powered.
    Inactive,
    /// No card.
    Absent,
}

/// bmCommandStatus, bits 6-7 of bStatus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CommandStatus {
    /// The command succeeded.
    Ok,
    /// The command failed; bError says why.
    Failed,
    /// The reader needs more time; bError is the waiting time multiplier.
    TimeExtension,
}

/// A parsed RDR_to_PC message.
#[derive(Clone, PartialEq, Eq)]
pub struct Reply {
    /// bMessageType.
    pub message_type: u8,
    /// bSlot.
    pub slot: u8,
    /// bSeq.
    pub seq: u8,
    /// bmICCStatus.
    pub icc: IccStatus,
    /// bmCommandStatus.
    pub command: CommandStatus,
    /// bError.
    pub error: u8,
    /// The message-specific byte: bChainParameter, bClockStatus or bProtocolNum.
    pub specific: u8,
    /// abData.
    pub data: Vec<u8>,
}

// abData may hold an ATR or a card response, so the Debug form shows only its length.
impl core::fmt::Debug for Reply {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Reply")
            .field("message_type", &self.message_type)
            .field("slot", &self.slot)
            .field("seq", &self.seq)
            .field("icc", &self.icc)
            .field("command", &self.command)
            .field("error", &self.error)
            .field("specific", &self.specific)
            .field("data_len", &self.data.len())
            .finish()
    }
}

impl Reply {
    /// Parses one bulk-IN transfer, which must be exactly one message.
    pub fn parse(frame: &[u8]) -> Result<Reply, CcidError> {
        let Some((header, data)) = frame.split_first_chunk::<HEADER_LEN>() else {
            return Err(CcidError::protocol(format!(
                "reply of {} bytes, shorter than a header",
                frame.len()
            )));
        };
        let [message_type, l0, l1, l2, l3, slot, seq, status, error, specific] = *header;
        if !(RDR_TO_PC_DATA_BLOCK..=RDR_TO_PC_DATA_RATE_AND_CLOCK).contains(&message_type) {
            return Err(CcidError::protocol(format!(
                "unknown reply type 0x{message_type:02X}"
            )));
        }
        let length = u32::from_le_bytes([l0, l1, l2, l3]);
        if usize::try_from(length).ok() != Some(data.len()) {
            return Err(CcidError::protocol(format!(
                "reply dwLength {length} but {} data bytes",
                data.len()
            )));
        }
        let icc = match status & 0x03 {
            0 => IccStatus::Active,
            1 => IccStatus::Inactive,
            2 => IccStatus::Absent,
            _ => return Err(CcidError::protocol("reply bmICCStatus 3 (RFU)")),
        };
        let command = match status >> 6 {
            0 => CommandStatus::Ok,
            1 => CommandStatus::Failed,
            2 => CommandStatus::TimeExtension,
            _ => return Err(CcidError::protocol("reply bmCommandStatus 3 (RFU)")),
        };
        Ok(Reply {
            message_type,
            slot,
            seq,
            icc,
            command,
            error,
            specific,
            data: data.to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xfr_block_header_is_little_endian() {
        let m = Request::XfrBlock {
            bwi: 3,
            level: 0x0110,
            data: &[1, 2, 3],
        }
        .encode(1, 0x42);
        assert_eq!(m, [0x6F, 3, 0, 0, 0, 1, 0x42, 3, 0x10, 0x01, 1, 2, 3]);
    }

    #[test]
    fn qemu_7_2_parameters_with_dw_length_0_is_refused() {
        // QEMU 7.2 answers GetParameters with dwLength = 0 and 7 bytes of T=1 structure.
        let frame = [
            0x82, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0x11, 0x10, 0, 0x4D, 0, 0xFE, 0,
        ];
        let err = Reply::parse(&frame).unwrap_err();
        assert_eq!(
            err,
            CcidError::protocol("reply dwLength 0 but 7 data bytes")
        );
    }

    #[test]
    fn status_bits_decode() {
        let r = Reply::parse(&[0x81, 0, 0, 0, 0, 0, 9, 0x42, 0xFE, 0]).expect("valid");
        assert_eq!(
            (r.icc, r.command, r.error, r.seq),
            (IccStatus::Absent, CommandStatus::Failed, 0xFE, 9)
        );
        assert!(Reply::parse(&[0x81, 0, 0, 0, 0, 0, 9, 0x03, 0, 0]).is_err());
        assert!(Reply::parse(&[0x81, 0, 0, 0, 0, 0, 9, 0xC0, 0, 0]).is_err());
        assert!(Reply::parse(&[0x70, 0, 0, 0, 0, 0, 9, 0, 0, 0]).is_err());
    }
}
