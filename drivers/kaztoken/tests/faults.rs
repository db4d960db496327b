//! Spoiled and lost frames in the middle of token operations: an error or the right answer,
//! never a panic and never a wrong answer, and the next operation works again.

mod common;

use std::time::Duration;

use common::{levels, over_ccid, scenarios::user};
use tamga_token::{Attempt, ObjectId, Role, Token};
use tamga_virtual::device::Garble;
use tamga_virtual::{CardConfig, VirtualCard};

#[derive(Clone, Copy, Debug)]
enum Fault {
    Garble(Garble),
    Drop,
}

fn faults() -> Vec<Fault> {
    let mut out = vec![
        Fault::Drop,
        Fault::Garble(Garble::WrongSeq),
        Fault::Garble(Garble::WrongLength),
        Fault::Garble(Garble::Truncate),
    ];
    // Header bytes (type, length, slot, seq, status, error, chain) and data bytes.
    out.extend((0..16).map(|i| Fault::Garble(Garble::FlipByte(i))));
    out
}

#[test]
fn every_fault_on_every_level_then_recovery() {
    let id = ObjectId::new(0x0201).unwrap();
    let content: Vec<u8> = (0..600u32).map(|i| i as u8).collect();
    for (name, device) in levels() {
        let mut errors = 0;
        for fault in faults() {
            let (mut token, handle) =
                over_ccid(VirtualCard::new(CardConfig::default()), device.clone());
            let reader = token.channel_mut().reader().clone();
            reader
                .lock()
                .unwrap()
                .set_timeout(Duration::from_millis(100));
            token
                .login(Role::User, &user(), Attempt::SpareLast)
                .unwrap();
            token.write_object(id, &content).unwrap();
            match fault {
                Fault::Drop => handle.drop_replies(1),
                Fault::Garble(g) => handle.garble_next_reply(g),
            }
            match token.read_object(id) {
                Ok(got) => assert_eq!(got, content, "{name} {fault:?}: wrong answer"),
                Err(e) => {
                    eprintln!("{name} {fault:?}: {e}");
                    errors += 1;
                }
            }
            // The next operations work, whatever the fault left behind.
            let mut recovered = false;
            for _ in 0..3 {
                if let Ok(got) = token.read_object(id) {
                    assert_eq!(got, content, "{name} {fault:?}");
                    recovered = true;
                    break;
                }
            }
            assert!(recovered, "{name} {fault:?}: no recovery");
        }
        // The faults did reach the driver: the lost reply and the broken frames at least.
        assert!(errors >= 4, "{name}: only {errors} faults were noticed");
    }
}
