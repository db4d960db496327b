//! What the KAZTOKEN driver parses from the card: FCP templates (the answer of SELECT) and the
//! sealed two-slot object records (READ BINARY of an object's file). Errors on bad input, never a
//! panic; a record that opens re-seals to exactly the bytes it was read from (trailing file bytes
//! aside).
//!
//! Input: `[which, bytes…]`; even `which` feeds the FCP parser, odd the record opener.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamga_kaztoken::fuzzing::{open_record, parse_fcp, seal_record};

fuzz_target!(|data: &[u8]| {
    let [which, bytes @ ..] = data else {
        return;
    };
    if which % 2 == 0 {
        let _ = parse_fcp(bytes);
    } else if let Some((seq, content)) = open_record(bytes) {
        let sealed = seal_record(seq, &content);
        assert_eq!(&bytes[..sealed.len()], &sealed[..]);
    }
});
