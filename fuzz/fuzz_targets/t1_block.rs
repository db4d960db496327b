//! T=1 blocks from a card, with LRC and with CRC: a block that parses must encode back to the
//! same bytes.
//!
//! Input: `[edc, block…]`; `edc & 1` picks CRC.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamga_ccid::t1::{Block, Edc};

fuzz_target!(|data: &[u8]| {
    let [edc, bytes @ ..] = data else {
        return;
    };
    let edc = if edc & 1 == 0 { Edc::Lrc } else { Edc::Crc };
    if let Ok((nad, block)) = Block::parse(bytes, edc) {
        assert_eq!(block.encode(nad, edc), bytes);
    }
});
