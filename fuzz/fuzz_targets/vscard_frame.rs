//! What QEMU's `ccid-card-passthru` sends the VSCard server (tools/qemu-ccid): a byte stream cut
//! into frames, each decoded; and the T=0 face of the virtual card fed the APDUs. Every input
//! must frame, wait for more, or give an error, never panic; a frame that splits off re-encodes
//! to the same bytes.
//!
//! Input: the stream, as QEMU would write it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamga_qemu_ccid::t0card::T0Card;
use tamga_qemu_ccid::vscard::{encode, split_frame, Message};
use tamga_virtual::{CardConfig, VirtualCard};

fuzz_target!(|data: &[u8]| {
    let mut card = T0Card::new(VirtualCard::new(CardConfig::default()));
    card.power_on();
    let mut rest = data;
    while let Ok(Some((frame, used))) = split_frame(rest) {
        assert_eq!(
            encode(frame.kind, frame.reader_id, frame.payload),
            rest[..used]
        );
        if let Ok(Message::Apdu(apdu)) = frame.message() {
            let answer = card.process(apdu);
            assert!(answer.len() >= 2 || answer.is_empty());
        }
        rest = &rest[used..];
    }
});
