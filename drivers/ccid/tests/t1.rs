//! The host's T=1 over a TPDU reader against the card-side model: chaining, S-blocks, recovery.

mod common;

use common::card::{CardT1, T1Quirk};
use common::*;
use tamga_ccid::{ApduChannel, Card, CcidError};

fn t1_card() -> (FakeReader, Card<FakeReader>) {
    let fake = reader(LEVEL_TPDU, 1, 271);
    let card = Card::open(fake.clone()).expect("T=1 card");
    (fake, card)
}

fn echo(n: usize) -> (Vec<u8>, Vec<u8>) {
    let data: Vec<u8> = (0..n).map(|i| (i * 13 + 5) as u8).collect();
    let mut c = vec![0x00, 0x01, 0x00, 0x00, n as u8];
    c.extend_from_slice(&data);
    c.push(0x00);
    let mut r = data;
    r.extend_from_slice(&[0x90, 0x00]);
    (c, r)
}

fn quirk(fake: &FakeReader, q: T1Quirk) {
    fake.device().slots[0].t1().quirks.push_back(q);
}

#[test]
fn connect_negotiates_ifsd_and_sets_t1_parameters() {
    let (fake, card) = t1_card();
    assert_eq!(card.protocol(), 1);
    let mut d = fake.device();
    let slot = &mut d.slots[0];
    assert_eq!(
        slot.parameters,
        Some((1, vec![0x11, 0x10, 0x00, 0x4D, 0x00, 32, 0x00]))
    );
    assert_eq!(slot.t1().ifsd, 254);
    // S(IFS request 254) went in an XfrBlock.
    assert!(d
        .log
        .iter()
        .any(|l| l.kind == 0x6F && l.data == [0x00, 0xC1, 0x01, 0xFE, 0x3E]));
}

#[test]
fn commands_are_chained_against_ifsc_32_and_responses_against_ifsd() {
    let (fake, mut card) = t1_card();
    let (c, r) = echo(200);
    assert_eq!(card.transmit(&c).expect("echo"), r);
    let mut d = fake.device();
    let t1 = d.slots[0].t1();
    // 206 bytes of command: six blocks of 32 and one of 14.
    assert_eq!(t1.host_i_sizes, [32, 32, 32, 32, 32, 32, 14]);
}

#[test]
fn responses_longer_than_ifsd_are_chained_by_the_card() {
    // A reader with no dwMaxIFSD leaves IFSD at 32.
    let fake = FakeReader::new(
        descriptor(LEVEL_TPDU, 0b10, 271, 0, 0),
        vec![Slot::new(&KAZTOKEN_ATR, Link::TpduT1(CardT1::new(32)))],
    );
    let mut card = Card::open(fake.clone()).expect("card");
    let response = card
        .transmit(&[0x00, 0x02, 0x00, 0x00, 0x00])
        .expect("Le 256");
    assert_eq!(response.len(), 258);
    assert_eq!(fake.device().slots[0].t1().ifsd, 32);
    // 258 bytes in blocks of 32: 9 card I-blocks, so 8 R-blocks from us.
    let r_blocks = fake
        .device()
        .log
        .iter()
        .filter(|l| l.kind == 0x6F && l.data.get(1).is_some_and(|p| p & 0xC0 == 0x80))
        .count();
    assert_eq!(r_blocks, 8);
}

#[test]
fn card_ifs_request_changes_the_chunk_size() {
    let (fake, mut card) = t1_card();
    quirk(&fake, T1Quirk::Ifs(16));
    let (c, r) = echo(10);
    assert_eq!(card.transmit(&c).expect("echo"), r);
    // The IFS response went back with the same size.
    assert!(fake
        .device()
        .log
        .iter()
        .any(|l| l.data == [0x00, 0xE1, 0x01, 0x10, 0xF0]));
    let (c, r) = echo(40);
    assert_eq!(card.transmit(&c).expect("echo"), r);
    let mut d = fake.device();
    assert_eq!(d.slots[0].t1().host_i_sizes[1..], [16, 16, 14]);
}

#[test]
fn wtx_goes_into_bbwi_and_multiplies_the_timeout() {
    let (fake, mut card) = t1_card();
    quirk(&fake, T1Quirk::Wtx(5));
    let (c, r) = echo(3);
    assert_eq!(card.transmit(&c).expect("echo"), r);
    let d = fake.device();
    let at = d
        .log
        .iter()
        .position(|l| l.data.get(1) == Some(&0xE3))
        .expect("S(WTX response)");
    assert_eq!(d.log[at].data, [0x00, 0xE3, 0x01, 0x05, 0xE7]);
    assert_eq!(
        d.log[at].specific[0], 5,
        "bBWI of the XfrBlock carrying the WTX response"
    );
    assert_eq!(
        d.log[at + 1..]
            .iter()
            .filter(|l| l.specific[0] != 0)
            .count(),
        0,
        "only that one"
    );
    assert!(d
        .in_timeouts
        .contains(&(std::time::Duration::from_secs(3) * 5)));
}

#[test]
fn a_corrupted_lrc_is_answered_by_an_r_block_and_the_card_resends() {
    let (fake, mut card) = t1_card();
    quirk(&fake, T1Quirk::CorruptNext);
    let (c, r) = echo(20);
    assert_eq!(card.transmit(&c).expect("echo"), r);
    let d = fake.device();
    // R(0) with "EDC error": 00 81 00 81.
    assert!(d.log.iter().any(|l| l.data == [0x00, 0x81, 0x00, 0x81]));
}

#[test]
fn a_block_the_card_could_not_read_is_sent_again() {
    let (fake, mut card) = t1_card();
    quirk(&fake, T1Quirk::RejectNext);
    let (c, r) = echo(20);
    assert_eq!(card.transmit(&c).expect("echo"), r);
    let mut d = fake.device();
    let i_blocks: Vec<_> = d
        .log
        .iter()
        .filter(|l| l.kind == 0x6F && l.data.get(1).is_some_and(|p| p & 0x80 == 0))
        .map(|l| l.data.clone())
        .collect();
    assert_eq!(i_blocks.len(), 2);
    assert_eq!(i_blocks[0], i_blocks[1]);
    assert_eq!(d.slots[0].t1().edc_errors_seen, 1);
}

#[test]
fn garbage_answers_lead_to_resynch_and_a_retransmission() {
    let (fake, mut card) = t1_card();
    quirk(&fake, T1Quirk::Garbage(4));
    let (c, r) = echo(20);
    assert_eq!(card.transmit(&c).expect("echo after resynch"), r);
    let mut d = fake.device();
    assert_eq!(d.slots[0].t1().resyncs, 1);
    // The IFSD went back to 32 with the resynch, and was negotiated again.
    assert_eq!(d.slots[0].t1().ifsd, 254);
}

#[test]
fn endless_garbage_ends_in_a_protocol_error() {
    let (fake, mut card) = t1_card();
    quirk(&fake, T1Quirk::Garbage(200));
    let (c, _) = echo(20);
    assert!(matches!(card.transmit(&c), Err(CcidError::Protocol(_))));
}

#[test]
fn card_abort_is_acknowledged_and_the_link_resynchronised() {
    let (fake, mut card) = t1_card();
    quirk(&fake, T1Quirk::Abort);
    let (c, r) = echo(20);
    assert_eq!(card.transmit(&c), Err(CcidError::Aborted));
    assert!(fake
        .device()
        .log
        .iter()
        .any(|l| l.data == [0x00, 0xE2, 0x00, 0xE2]));
    assert_eq!(card.transmit(&c).expect("after abort"), r);
    assert_eq!(fake.device().slots[0].t1().resyncs, 1);
}

#[test]
fn character_level_t1_reads_prologue_then_the_rest() {
    let fake = reader(LEVEL_CHARACTER, 1, 271);
    let mut card = Card::open(fake.clone()).expect("character T=1");
    let (c, r) = echo(100);
    assert_eq!(card.transmit(&c).expect("echo"), r);
    let d = fake.device();
    let levels: Vec<u16> = d
        .log
        .iter()
        .filter(|l| l.kind == 0x6F)
        .map(|l| u16::from_le_bytes([l.specific[1], l.specific[2]]))
        .collect();
    assert!(levels.chunks(2).all(|pair| pair[0] == 3), "{levels:?}");
}
