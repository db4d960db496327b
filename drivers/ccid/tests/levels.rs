//! Each exchange level with the APDU echo card: lengths 0..=255, Le 256, 61xx and 6Cxx.

mod common;

use common::*;
use tamga_ccid::{ApduChannel, Card, CcidError};

const LEVELS: [(u32, u8, &str); 6] = [
    (LEVEL_SHORT, 1, "short APDU"),
    (LEVEL_EXTENDED, 1, "extended APDU"),
    (LEVEL_TPDU, 1, "TPDU T=1"),
    (LEVEL_TPDU, 0, "TPDU T=0"),
    (LEVEL_CHARACTER, 1, "character T=1"),
    (LEVEL_CHARACTER, 0, "character T=0"),
];

fn echo(data: &[u8]) -> Vec<u8> {
    let mut c = vec![0x00, 0x01, 0x00, 0x00, data.len() as u8];
    c.extend_from_slice(data);
    c.push(0x00);
    c
}

#[test]
fn echo_of_every_length_at_every_level() {
    for (level, protocol, name) in LEVELS {
        let mut card =
            Card::open(reader(level, protocol, 271)).unwrap_or_else(|e| panic!("{name}: {e}"));
        for n in 1..=255usize {
            let data: Vec<u8> = (0..n).map(|i| (i * 31 + n) as u8).collect();
            let response = card
                .transmit(&echo(&data))
                .unwrap_or_else(|e| panic!("{name}, {n} bytes: {e}"));
            assert_eq!(&response[..n], &data[..], "{name}, {n} bytes");
            assert_eq!(&response[n..], [0x90, 0x00], "{name}, {n} bytes");
        }
    }
}

#[test]
fn case_1_and_le_256_at_every_level() {
    for (level, protocol, name) in LEVELS {
        let mut card = Card::open(reader(level, protocol, 271)).expect(name);
        assert_eq!(
            card.transmit(&[0x00, 0x01, 0x00, 0x00]).expect(name),
            [0x90, 0x00],
            "{name}"
        );
        let response = card.transmit(&[0x00, 0x02, 0x00, 0x00, 0x00]).expect(name);
        assert_eq!(response.len(), 258, "{name}");
        assert!(
            response[..256]
                .iter()
                .enumerate()
                .all(|(i, &b)| b == i as u8),
            "{name}"
        );
        assert_eq!(&response[256..], [0x90, 0x00], "{name}");
    }
}

#[test]
fn wrong_le_is_resent_once_with_the_card_s_le() {
    for (level, protocol, name) in LEVELS {
        let fake = reader(level, protocol, 271);
        let mut card = Card::open(fake.clone()).expect(name);
        let response = card.transmit(&[0x00, 0x03, 0x00, 0x00, 0x20]).expect(name);
        assert_eq!(
            response,
            [0xE8, 0xE8, 0xE8, 0xE8, 0xE8, 0xE8, 0xE8, 0xE8, 0x90, 0x00],
            "{name}"
        );
        let seen: Vec<_> = fake.device().slots[0]
            .app()
            .seen
            .iter()
            .map(|s| s.2)
            .collect();
        assert_eq!(
            seen,
            [Some(32), Some(8)],
            "{name}: the command went twice, with Le 32 then 8"
        );
        // The raw link shows what the card said.
        assert_eq!(
            card.link_exchange(&[0x00, 0x03, 0x00, 0x00, 0x20]),
            [0x6C, 0x08],
            "{name}"
        );
    }
}

#[test]
fn get_response_gathers_every_61xx_chunk() {
    for (level, protocol, name) in LEVELS {
        let mut card = Card::open(reader(level, protocol, 271)).expect(name);
        let response = card.transmit(&[0x00, 0x04, 0x00, 0x00]).expect(name);
        let expected: Vec<u8> = (0..300).map(|i| (i * 7) as u8).collect();
        assert_eq!(&response[..300], &expected[..], "{name}");
        assert_eq!(&response[300..], [0x90, 0x00], "{name}");
    }
}

#[test]
fn extended_apdu_chains_commands_and_responses_over_small_messages() {
    // 64-byte messages: 54 bytes of abData each.
    let fake = reader(LEVEL_EXTENDED, 1, 64);
    let mut card = Card::open(fake.clone()).expect("extended");
    let data: Vec<u8> = (0..1000).map(|i| (i % 251) as u8).collect();
    let mut command = vec![0x00, 0x01, 0x00, 0x00, 0x00, 0x03, 0xE8];
    command.extend_from_slice(&data);
    command.extend_from_slice(&[0x00, 0x00]);
    let response = card.transmit(&command).expect("echo 1000");
    assert_eq!(&response[..1000], &data[..]);
    assert_eq!(&response[1000..], [0x90, 0x00]);
    let d = fake.device();
    let xfrs: Vec<(u16, usize)> = d
        .log
        .iter()
        .filter(|l| l.kind == 0x6F)
        .map(|l| {
            (
                u16::from_le_bytes([l.specific[1], l.specific[2]]),
                l.data.len(),
            )
        })
        .collect();
    let command_chunks = command.len().div_ceil(54);
    let response_chunks = 1002usize.div_ceil(54);
    assert_eq!(xfrs.len(), command_chunks + response_chunks - 1);
    assert_eq!(xfrs[0], (0x01, 54));
    assert!(xfrs[1..command_chunks - 1].iter().all(|&x| x == (0x03, 54)));
    assert_eq!(xfrs[command_chunks - 1].0, 0x02);
    assert!(xfrs[command_chunks..].iter().all(|&x| x == (0x10, 0)));
}

#[test]
fn short_apdu_reader_refuses_what_does_not_fit() {
    let mut card = Card::open(reader(LEVEL_SHORT, 1, 64)).expect("short");
    let err = card.transmit(&echo(&[7; 100])).unwrap_err();
    assert!(matches!(err, CcidError::Unsupported(_)), "{err:?}");
}

#[test]
fn t0_refuses_extended_apdus() {
    let mut card = Card::open(reader(LEVEL_TPDU, 0, 271)).expect("T=0");
    let err = card
        .transmit(&[0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x55])
        .unwrap_err();
    assert_eq!(err, CcidError::Unsupported("extended APDU over T=0".into()));
}

#[test]
fn malformed_commands_are_refused_before_the_card() {
    let fake = reader(LEVEL_SHORT, 1, 271);
    let mut card = Card::open(fake.clone()).expect("short");
    let before = fake.device().log.len();
    assert!(matches!(
        card.transmit(&[0x00, 0x01, 0x00]),
        Err(CcidError::InvalidCommand(_))
    ));
    assert!(matches!(
        card.transmit(&[0x00, 0x01, 0x00, 0x00, 0x05, 1]),
        Err(CcidError::InvalidCommand(_))
    ));
    assert_eq!(fake.device().log.len(), before);
}

trait LinkExchange {
    fn link_exchange(&mut self, command: &[u8]) -> Vec<u8>;
}

impl LinkExchange for Card<FakeReader> {
    fn link_exchange(&mut self, command: &[u8]) -> Vec<u8> {
        use tamga_ccid::RawChannel;
        self.link().exchange(command).expect("raw exchange")
    }
}
