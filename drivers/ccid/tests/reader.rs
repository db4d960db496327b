//! The CCID message layer: bSeq, time extensions, bError, malformed frames, Abort, slots,
//! interrupt messages, descriptors of real readers.

mod common;

use std::time::Duration;

use common::*;
use tamga_ccid::{
    ApduChannel, Card, CcidDescriptor, CcidError, ExchangeLevel, IccStatus, Reader, ReaderEvent,
    SlotError, SlotState, TransportError,
};

fn open(fake: &FakeReader) -> Reader<FakeReader> {
    Reader::open(fake.clone()).expect("reader")
}

#[test]
fn rutoken_ecp_descriptor_is_short_apdu_t1() {
    let d = CcidDescriptor::parse(&rutoken_ecp_descriptor()).expect("valid");
    assert_eq!(d.exchange_level(), ExchangeLevel::ShortApdu);
    assert!(d.supports_protocol(1) && !d.supports_protocol(0));
    assert_eq!(
        (d.max_message_length, d.max_payload(), d.max_ifsd),
        (271, 261, 254)
    );
    assert!(d.features.contains(0x80 | 0x400) && !d.features.contains(0x40));
    assert_eq!(d.slot_count(), 1);
}

#[test]
fn qemu_descriptor_is_tpdu_t0_with_auto_ifsd() {
    let d = CcidDescriptor::parse(&qemu_descriptor()).expect("valid");
    assert_eq!(d.exchange_level(), ExchangeLevel::Tpdu);
    assert!(d.supports_protocol(0) && !d.supports_protocol(1));
    assert_eq!(d.max_message_length, 65554);
    assert!(d.features.contains(0x400 | 0x80 | 0x40));
}

#[test]
fn qemu_like_reader_skips_set_parameters_and_runs_t0() {
    let fake = FakeReader::new(
        qemu_descriptor(),
        vec![Slot::new(&KAZTOKEN_T0_ATR, Link::TpduT0)],
    );
    let mut card = Card::open(fake.clone()).expect("card");
    assert_eq!(card.protocol(), 0);
    assert_eq!(
        card.transmit(&[0x00, 0x02, 0x00, 0x00, 0x04]).expect("GEN"),
        [0, 1, 2, 3, 0x90, 0x00]
    );
    let d = fake.device();
    assert!(
        d.log.iter().all(|l| l.kind != 0x61),
        "auto-params readers get no SetParameters"
    );
    // Auto voltage: bPowerSelect 0.
    assert_eq!(d.log[0].specific[0], 0);
}

#[test]
fn stale_replies_are_skipped() {
    let fake = reader(LEVEL_SHORT, 1, 271);
    let mut r = open(&fake);
    fake.inject(0, Fault::Stale(10));
    assert_eq!(r.slot_status(0).expect("status").icc, IccStatus::Inactive);
    assert_eq!(fake.device().log.len(), 1, "nothing was resent");
}

#[test]
fn more_than_ten_stale_replies_are_an_error() {
    let fake = reader(LEVEL_SHORT, 1, 271);
    let mut r = open(&fake);
    fake.inject(0, Fault::Stale(11));
    assert_eq!(
        r.slot_status(0),
        Err(CcidError::Protocol(
            "too many replies with a stale bSeq".into()
        ))
    );
}

#[test]
fn sequence_numbers_count_up_and_wrap() {
    let fake = reader(LEVEL_SHORT, 1, 271);
    let mut r = open(&fake);
    for _ in 0..300 {
        r.slot_status(0).expect("status");
    }
    let seqs: Vec<u8> = fake.device().log.iter().map(|l| l.seq).collect();
    assert!(seqs.windows(2).all(|w| w[1] == w[0].wrapping_add(1)));
    assert_eq!(seqs[256], seqs[0]);
}

#[test]
fn time_extensions_are_waited_for_without_resending() {
    let fake = reader(LEVEL_SHORT, 1, 271);
    let mut r = open(&fake);
    let timeout = r.timeout();
    fake.inject(0, Fault::TimeExtension(3, 4));
    assert_eq!(r.slot_status(0).expect("status").icc, IccStatus::Inactive);
    let d = fake.device();
    assert_eq!(d.log.len(), 1);
    assert_eq!(
        d.in_timeouts,
        [timeout, timeout * 4, timeout * 4, timeout * 4]
    );
}

#[test]
fn time_extension_with_zero_multiplier_keeps_the_timeout() {
    let fake = reader(LEVEL_SHORT, 1, 271);
    let mut r = open(&fake);
    fake.inject(0, Fault::TimeExtension(1, 0));
    r.slot_status(0).expect("status");
    assert_eq!(fake.device().in_timeouts, [r.timeout(), r.timeout()]);
}

#[test]
fn berror_is_mapped() {
    let fake = reader(LEVEL_SHORT, 1, 271);
    let mut r = open(&fake);
    let cases = [
        (
            0xFE,
            CcidError::Reader {
                slot: 0,
                error: SlotError::ICC_MUTE,
            },
        ),
        (
            0xFB,
            CcidError::Reader {
                slot: 0,
                error: SlotError::HW_ERROR,
            },
        ),
        (
            0xE0,
            CcidError::Reader {
                slot: 0,
                error: SlotError::CMD_SLOT_BUSY,
            },
        ),
        (0xFF, CcidError::Aborted),
        (
            0x05,
            CcidError::Reader {
                slot: 0,
                error: SlotError(5),
            },
        ),
    ];
    for (berror, expected) in cases {
        fake.inject(0, Fault::Fail(berror));
        assert_eq!(r.slot_status(0), Err(expected));
    }
    // A failure with the card absent is "no card", whatever bError says.
    fake.device().slots[0].present = false;
    assert_eq!(r.power_on(0), Err(CcidError::NoCard));
    assert!(r.power_on(0).unwrap_err().is_card_gone());
}

#[test]
fn malformed_frames_are_protocol_errors() {
    for fault in [
        Fault::Garbled,
        Fault::Truncated,
        Fault::LengthMismatch,
        Fault::WrongSlot,
    ] {
        let fake = reader(LEVEL_SHORT, 1, 271);
        let mut r = open(&fake);
        fake.inject(0, fault.clone());
        assert!(
            matches!(r.get_parameters(0), Err(CcidError::Protocol(_))),
            "{fault:?}"
        );
        assert!(
            r.get_parameters(0).is_ok(),
            "{fault:?}: the next exchange works"
        );
    }
}

#[test]
fn qemu_7_2_get_parameters_frame_is_refused() {
    let fake = reader(LEVEL_SHORT, 1, 271);
    let mut r = open(&fake);
    fake.inject(0, Fault::LengthMismatch);
    assert_eq!(
        r.get_parameters(0),
        Err(CcidError::Protocol(
            "reply dwLength 0 but 7 data bytes".into()
        ))
    );
    // Without the fault the same reply parses.
    assert!(r.get_parameters(0).is_ok());
}

#[test]
fn unplugging_is_card_gone() {
    let fake = reader(LEVEL_SHORT, 1, 271);
    let mut card = Card::open(fake.clone()).expect("card");
    fake.inject(0, Fault::Unplug);
    let err = card.transmit(&[0x00, 0x01, 0x00, 0x00]).unwrap_err();
    assert_eq!(err, CcidError::Transport(TransportError::Disconnected));
    assert!(err.is_card_gone());
}

#[test]
fn silence_is_a_timeout() {
    let fake = reader(LEVEL_SHORT, 1, 271);
    let mut r = open(&fake);
    fake.inject(0, Fault::Silence);
    assert_eq!(
        r.slot_status(0),
        Err(CcidError::Transport(TransportError::Timeout))
    );
}

#[test]
fn abort_sends_the_class_request_then_the_bulk_abort_with_the_same_seq() {
    let fake = reader(LEVEL_SHORT, 1, 271);
    let mut r = open(&fake);
    r.slot_status(0).expect("status");
    r.abort(0).expect("abort");
    let d = fake.device();
    let abort = d.log.last().expect("logged");
    assert_eq!((abort.kind, abort.slot), (0x72, 0));
    assert_eq!(d.class_requests, [(0x01, u16::from(abort.seq) << 8)]);
    assert_eq!(abort.seq, d.log[0].seq.wrapping_add(1));
}

#[test]
fn abort_skips_the_aborted_command_s_late_reply() {
    let fake = reader(LEVEL_SHORT, 1, 271);
    let mut r = open(&fake);
    fake.device().abort_stalls = true;
    fake.inject(0, Fault::Stale(1));
    assert!(r.abort(0).is_ok());
}

#[test]
fn two_slots_are_addressed_separately_and_share_bseq() {
    let slots = vec![apdu_slot(), apdu_slot()];
    let fake = FakeReader::new(descriptor(LEVEL_SHORT | 0x40, 0b10, 271, 254, 1), slots);
    let shared = Reader::open(fake.clone()).expect("reader").shared();
    let mut a = Card::connect(shared.clone(), 0).expect("slot 0");
    let mut b = Card::connect(shared.clone(), 1).expect("slot 1");
    assert_eq!(
        a.transmit(&[0x00, 0x01, 0x00, 0x00, 0x01, 0xAA])
            .expect("a"),
        [0xAA, 0x90, 0x00]
    );
    assert_eq!(
        b.transmit(&[0x00, 0x01, 0x00, 0x00, 0x01, 0xBB])
            .expect("b"),
        [0xBB, 0x90, 0x00]
    );
    {
        let d = fake.device();
        assert_eq!(d.slots[0].app.seen.len(), 1);
        assert_eq!(d.slots[1].app.seen.len(), 1);
        let seqs: Vec<u8> = d.log.iter().map(|l| l.seq).collect();
        assert_eq!(seqs, (0..seqs.len() as u8).collect::<Vec<_>>());
        assert_eq!(
            d.log.iter().map(|l| l.slot).collect::<Vec<_>>(),
            [0, 1, 0, 1]
        );
    }
    // A slot beyond bMaxSlotIndex is refused without a request.
    assert!(matches!(
        shared.lock().expect("lock").slot_status(2),
        Err(CcidError::Unsupported(_))
    ));
    // A reply for the other slot is a protocol error.
    fake.inject(0, Fault::WrongSlot);
    assert!(matches!(
        a.transmit(&[0x00, 0x01, 0x00, 0x00]),
        Err(CcidError::Protocol(_))
    ));
}

#[test]
fn slot_changes_and_hardware_errors_come_from_the_interrupt_endpoint() {
    let slots = vec![apdu_slot(), apdu_slot()];
    let fake = FakeReader::new(descriptor(LEVEL_SHORT, 0b10, 271, 254, 1), slots);
    let mut r = open(&fake);
    assert_eq!(r.poll_slot_change(Duration::from_millis(1)), Ok(None));
    fake.device()
        .interrupts
        .extend([vec![0x50, 0b0000_1110], vec![0x51, 1, 7, 1], vec![0x50]]);
    assert_eq!(
        r.poll_slot_change(Duration::ZERO),
        Ok(Some(ReaderEvent::SlotChange(vec![
            SlotState {
                slot: 0,
                present: false,
                changed: true
            },
            SlotState {
                slot: 1,
                present: true,
                changed: true
            },
        ])))
    );
    assert_eq!(
        r.poll_slot_change(Duration::ZERO),
        Ok(Some(ReaderEvent::HardwareError {
            slot: 1,
            seq: 7,
            code: 1
        }))
    );
    assert!(matches!(
        r.poll_slot_change(Duration::ZERO),
        Err(CcidError::Protocol(_))
    ));
}

#[test]
fn reset_powers_off_and_on_and_returns_the_atr() {
    let fake = reader(LEVEL_TPDU, 1, 271);
    let mut card = Card::open(fake.clone()).expect("card");
    assert_eq!(card.reset().expect("reset"), KAZTOKEN_ATR);
    let kinds: Vec<u8> = fake.device().log.iter().map(|l| l.kind).collect();
    assert_eq!(kinds, [0x62, 0x61, 0x6F, 0x63, 0x62, 0x61, 0x6F]);
    let (c, r) = (
        vec![0x00, 0x01, 0x00, 0x00, 0x01, 0x42],
        vec![0x42, 0x90, 0x00],
    );
    assert_eq!(card.transmit(&c).expect("after reset"), r);
}

#[test]
fn a_removed_card_is_no_card() {
    let fake = reader(LEVEL_SHORT, 1, 271);
    let mut card = Card::open(fake.clone()).expect("card");
    fake.device().slots[0].present = false;
    assert_eq!(
        card.transmit(&[0x00, 0x01, 0x00, 0x00]),
        Err(CcidError::NoCard)
    );
}

#[test]
fn qemu_7_2_empty_data_block_without_a_card_is_no_card() {
    let fake = reader(LEVEL_SHORT, 1, 271);
    let mut card = Card::open(fake.clone()).expect("card");
    fake.inject(0, Fault::AbsentDataBlock);
    let err = card.transmit(&[0x00, 0x01, 0x00, 0x00]).unwrap_err();
    assert_eq!(err, CcidError::NoCard);
    assert!(err.is_card_gone());
}

/// A slot with an APDU-level card that answers nothing in particular.
fn apdu_slot() -> Slot {
    Slot::new(
        &KAZTOKEN_ATR,
        Link::Apdu {
            rx: vec![],
            tx: Default::default(),
        },
    )
}
