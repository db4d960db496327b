//! The virtual KAZTOKEN on arbitrary bytes: command APDUs to the card, state files to the state
//! parser, bulk messages to the CCID device model. Every APDU gets data ‖ SW (at most 256 + 2
//! bytes), a parsed state re-encodes to itself, and nothing panics.
//!
//! Input: `[mode, body…]`; `mode % 3` picks the target:
//! - 0: `body` is a state file (mode bit 2: with its checksum appended, to get past it);
//! - 1: `body` is APDUs, each as `[len, bytes…]`, sent to a fresh card; mode bit 4 logs the user
//!   in first, bit 5 the admin, bit 6 selects the keys DF;
//! - 2: `body` is bulk-OUT messages, each as `[len, bytes…]`, to a powered device model at the
//!   exchange level `(mode >> 2) % 3` (short APDU, TPDU, extended APDU with 74-byte messages).
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use tamga_ccid::Transport;
use tamga_virtual::device::{DeviceConfig, VirtualDevice};
use tamga_virtual::state::{decode, encode, sealed};
use tamga_virtual::{CardConfig, VirtualCard};

fn card() -> VirtualCard {
    VirtualCard::new(CardConfig::default().with_serial(1).with_capacity(4096))
}

/// `[len, bytes…]` records; a short last one takes what is left.
fn records(mut body: &[u8]) -> impl Iterator<Item = &[u8]> {
    std::iter::from_fn(move || {
        let (&len, rest) = body.split_first()?;
        let (record, rest) = rest.split_at(usize::from(len).min(rest.len()));
        body = rest;
        Some(record)
    })
}

fn apdus(mode: u8, body: &[u8]) {
    let mut c = card();
    let prelude: [(u8, &[u8]); 3] = [
        (0x10, b"\x00\x20\x00\x02\x0812345678"),
        (0x20, b"\x00\x20\x00\x01\x0887654321"),
        (0x40, b"\x00\xA4\x08\x0C\x02\x10\x01"),
    ];
    for (bit, apdu) in prelude {
        if mode & bit != 0 {
            assert_eq!(c.process_apdu(apdu), [0x90, 0x00]);
        }
    }
    for apdu in records(body) {
        let r = c.process_apdu(apdu);
        assert!((2..=258).contains(&r.len()), "{apdu:02X?} -> {r:02X?}");
    }
    assert_eq!(
        &decode(&encode(c.state())).expect("own state parses"),
        c.state()
    );
}

fn frames(mode: u8, body: &[u8]) {
    let config = match (mode >> 2) % 3 {
        0 => DeviceConfig::default(),
        1 => DeviceConfig::default().tpdu(),
        _ => DeviceConfig::default().extended_apdu(74),
    };
    let mut d = VirtualDevice::new(card(), config);
    let t = Duration::from_millis(1);
    let mut buf = [0u8; 512];
    let _ = d.bulk_out(&[0x62, 0, 0, 0, 0, 0, 0, 0, 0, 0], t);
    while d.bulk_in(&mut buf, t).is_ok() {}
    for frame in records(body) {
        let _ = d.bulk_out(frame, t);
        while d.bulk_in(&mut buf, t).is_ok() {}
    }
}

fuzz_target!(|data: &[u8]| {
    let [mode, body @ ..] = data else {
        return;
    };
    match mode % 3 {
        0 => {
            let file = if mode & 4 != 0 {
                sealed(body)
            } else {
                body.to_vec()
            };
            if let Ok(state) = decode(&file) {
                assert_eq!(
                    decode(&encode(&state)).expect("re-encoded state parses"),
                    state
                );
            }
        }
        1 => apdus(*mode, body),
        _ => frames(*mode, body),
    }
});
