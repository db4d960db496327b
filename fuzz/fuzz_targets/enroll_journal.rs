//! What the enroll, login and sign workflows parse from outside: the enrollment journal read
//! back from the token (any bytes a token may hold), the bank's HTTP responses, and payment
//! order files (tamga-payment-order, the sign workflow's parser). Every input must parse or be
//! refused, never panic; a journal that parses must re-encode to bytes that parse to the same
//! journal.
//!
//! Input: `[which, bytes…]`; `which % 3` picks the journal, an HTTP response, or an order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamga_bank_client::http::parse_response;
use tamga_payment_order::PaymentOrder;
use tamga_plugin_enroll::journal::Journal;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    match which % 3 {
        0 => {
            if let Ok(j) = Journal::parse(bytes) {
                let again = Journal::parse(&j.encode()).expect("an encoded journal parses");
                assert_eq!(again, j);
            }
        }
        1 => {
            if let Ok(r) = parse_response(bytes) {
                assert!(r.body.len() <= tamga_bank_client::http::MAX_BODY);
            }
        }
        _ => {
            let _ = PaymentOrder::parse(bytes);
        }
    }
});
