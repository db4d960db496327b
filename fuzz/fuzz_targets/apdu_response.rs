//! What a card sends and what the APDU layer parses: response APDUs (status word split), ATRs,
//! command APDUs (re-encoding with another Le keeps the data), and Get/SetParameters structures.
//!
//! Input: `[which, bytes…]`; `which % 4` picks the parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamga_ccid::{split_status, Atr, CommandApdu, ProtocolParameters};

fuzz_target!(|data: &[u8]| {
    let [which, bytes @ ..] = data else {
        return;
    };
    match which % 4 {
        0 => {
            if let Ok((body, _, _)) = split_status(bytes) {
                assert_eq!(body.len() + 2, bytes.len());
            }
        }
        1 => {
            if let Ok(atr) = Atr::parse(bytes) {
                assert!((1..=254).contains(&atr.ifsc()));
                let _ = (
                    atr.default_protocol(),
                    atr.historical_bytes(),
                    atr.parameters(1, atr.fi_di()),
                );
                let _ = atr.parameters(0, 0x11);
            }
        }
        2 => {
            if let Ok(apdu) = CommandApdu::parse(bytes) {
                let again = apdu.with_le(apdu.le.unwrap_or(1));
                assert_eq!(CommandApdu::parse(&again).map(|a| a.data), Ok(apdu.data));
                let _ = apdu.to_string();
            }
        }
        _ => {
            if let Ok(p) = ProtocolParameters::parse(which / 4 % 2, bytes) {
                assert_eq!(p.encode(), bytes);
            }
        }
    }
});
