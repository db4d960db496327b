//! Interrupt-IN messages (CCID 1.1 §6.3): slot changes and hardware errors.

use crate::CcidError;

/// RDR_to_PC_NotifySlotChange.
pub const RDR_TO_PC_NOTIFY_SLOT_CHANGE: u8 = 0x50;
/// RDR_to_PC_HardwareError.
pub const RDR_TO_PC_HARDWARE_ERROR: u8 = 0x51;

/// One slot's state in a NotifySlotChange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SlotState {
    /// The slot.
    pub slot: u8,
    /// A card is present.
    pub present: bool,
    /// The state changed since the last notification.
    pub changed: bool,
}

/// An interrupt message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReaderEvent {
    /// The state of every slot.
    SlotChange(Vec<SlotState>),
    /// The reader reports a hardware error on a slot.
    HardwareError {
        /// bSlot.
        slot: u8,
        /// bSeq of the command that was running.
        seq: u8,
        /// bHardwareErrorCode (0x01: overcurrent).
        code: u8,
    },
}

impl ReaderEvent {
    /// Parses one interrupt message of a reader with `slot_count` slots.
    pub fn parse(message: &[u8], slot_count: usize) -> Result<ReaderEvent, CcidError> {
        match message {
            [RDR_TO_PC_NOTIFY_SLOT_CHANGE, bits @ ..] => {
                // Two bits per slot, four slots per byte; readers may pad the message.
                let needed = slot_count.div_ceil(4);
                let bits = bits.get(..needed).ok_or_else(|| {
                    CcidError::protocol(format!(
                        "NotifySlotChange of {} bytes for {slot_count} slots",
                        message.len()
                    ))
                })?;
                let slots = (0..slot_count)
                    .zip(0u8..)
                    .filter_map(|(i, slot)| {
                        let pair = bits.get(i / 4)? >> ((i % 4) * 2);
                        Some(SlotState {
                            slot,
                            present: pair & 1 != 0,
                            changed: pair & 2 != 0,
                        })
                    })
                    .collect();
                Ok(ReaderEvent::SlotChange(slots))
            }
            &[RDR_TO_PC_HARDWARE_ERROR, slot, seq, code] => {
                Ok(ReaderEvent::HardwareError { slot, seq, code })
            }
            [kind, ..] => Err(CcidError::protocol(format!(
                "interrupt message 0x{kind:02X} of {} bytes",
                message.len()
            ))),
            [] => Err(CcidError::protocol("empty interrupt message")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_slots_in_one_byte() {
        // Slot 0 present and unchanged, slot 1 present and changed: 0b1101.
        let e = ReaderEvent::parse(&[0x50, 0x0D], 2).expect("valid");
        assert_eq!(
            e,
            ReaderEvent::SlotChange(vec![
                SlotState {
                    slot: 0,
                    present: true,
                    changed: false
                },
                SlotState {
                    slot: 1,
                    present: true,
                    changed: true
                },
            ])
        );
        assert!(ReaderEvent::parse(&[0x50], 1).is_err());
        assert!(ReaderEvent::parse(&[0x51, 0, 1], 1).is_err());
        assert_eq!(
            ReaderEvent::parse(&[0x51, 0, 7, 1], 1),
            Ok(ReaderEvent::HardwareError {
                slot: 0,
                seq: 7,
                code: 1
            })
        );
    }
}
