//! What a CCID reader sends: bulk-IN messages (RDR_to_PC), the class descriptor (alone and in a
//! run of descriptors) and interrupt messages. Every input must parse or give an error, never
//! panic; a reply that parses must have exactly dwLength bytes of data.
//!
//! Input: `[which, bytes…]`; `which % 3` picks the parser (for interrupt messages, `which / 3`
//! is the slot count).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamga_ccid::{CcidDescriptor, ReaderEvent, Reply};

fuzz_target!(|data: &[u8]| {
    let [which, bytes @ ..] = data else {
        return;
    };
    match which % 3 {
        0 => {
            if let Ok(reply) = Reply::parse(bytes) {
                assert_eq!(reply.data.len() + 10, bytes.len());
            }
        }
        1 => {
            if let Ok(d) = CcidDescriptor::parse(bytes) {
                let _ = (d.exchange_level(), d.max_payload(), d.slot_count());
            }
            let _ = CcidDescriptor::find(bytes);
        }
        _ => {
            if let Ok(ReaderEvent::SlotChange(slots)) =
                ReaderEvent::parse(bytes, usize::from(which / 3))
            {
                assert_eq!(slots.len(), usize::from(which / 3));
            }
        }
    }
});
