//! The sandbox bank's parsers of outside bytes: the bounded HTTP/1.1 request reader, then the
//! body as a CMP PKIMessage (tamga-pki's `cmp`, which the CA runs on every `POST /cmp`) and as
//! a payment order (tamga-payment-order, which `POST /ib/v1/payments` runs). Every input must
//! give a result or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamga_payment_order::PaymentOrder;
use tamga_pki::cmp::CmpMessage;
use tamga_sandbox_bank::http::request::{parse, read, MAX_BODY, MAX_HEAD};

fuzz_target!(|data: &[u8]| {
    let whole = parse(data);
    // The streaming reader agrees with the in-memory parser.
    let mut stream = data;
    let streamed = read(&mut stream);
    if let (Ok(a), Ok(b)) = (&whole, &streamed) {
        assert_eq!(a, b);
    }
    if let Ok(req) = whole {
        assert!(req.body.len() <= MAX_BODY);
        assert!(
            req.headers
                .iter()
                .map(|(n, v)| n.len() + v.len())
                .sum::<usize>()
                <= MAX_HEAD
        );
        if let Ok(msg) = CmpMessage::parse(&req.body) {
            let _ = msg.protection();
            let _ = msg.verify_pbm(b"ABCDEFGHIJK");
        }
        let _ = CmpMessage::peek_header(&req.body);
        let _ = PaymentOrder::parse(&req.body);
    }
});
