//! The browser bridge's parsers of outside bytes: native-messaging frames (a stream of
//! length-prefixed JSON, with the host's size cap), the service's JSON lines (client and service
//! side), payment orders, web origins, the browsers' argv conventions and the shared rate file.
//! None may panic; a message that parses re-frames to a frame that parses to the same value.
//!
//! Input: arbitrary bytes, used whole by every parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamga_service::{api, frame, native_args, origin, payment, rate};

fuzz_target!(|data: &[u8]| {
    let mut stream = data;
    for _ in 0..8 {
        match frame::read_message(&mut stream, 1 << 16) {
            Ok(Some(v)) => {
                let mut out = Vec::new();
                frame::write_message(&mut out, &v).expect("writing to a Vec");
                let back = frame::read_message(&mut out.as_slice(), usize::MAX)
                    .expect("a written frame reads back")
                    .expect("one frame");
                assert_eq!(back, v);
            }
            Ok(None) | Err(_) => break,
        }
    }
    for line in data.split(|b| *b == b'\n') {
        let _ = api::parse_client(line);
        let _ = api::parse_service(line);
    }
    if let Ok(o) = payment::PaymentOrder::parse(data) {
        let _ = o.summary(tamga_core::Lang::Ru);
    }
    let text = String::from_utf8_lossy(data);
    if let Some(n) = origin::normalize(&text) {
        assert_eq!(
            origin::normalize(&n).as_deref(),
            Some(n.as_str()),
            "normal form is stable"
        );
    }
    let args: Vec<&str> = text.split('\0').collect();
    let _ = native_args::Caller::from_args(&args);
    let mut r = rate::RateLimit::parse(&text);
    let _ = r.admit("http://127.0.0.1", 1, 3, 60);
    let _ = payment::shown(&text);
});
