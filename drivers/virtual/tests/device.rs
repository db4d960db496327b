//! The CCID device model at the raw byte level: headers, bSeq, errors, the three exchange levels,
//! time extensions, faults, unplugging.

mod common;

use std::time::{Duration, Instant};

use common::{apdu, Prng};
use tamga_ccid::{Transport, TransportError};
use tamga_virtual::device::{
    t1_block, DeviceConfig, DeviceHandle, Garble, VirtualDevice, DEFAULT_T1_PARAMETERS,
};
use tamga_virtual::{CardConfig, VirtualCard, ATR};

const T: Duration = Duration::from_millis(500);

fn device(config: DeviceConfig) -> (VirtualDevice, DeviceHandle) {
    let d = VirtualDevice::new(VirtualCard::new(CardConfig::default()), config);
    let h = d.handle();
    (d, h)
}

/// A PC_to_RDR message.
fn msg(kind: u8, seq: u8, params: [u8; 3], data: &[u8]) -> Vec<u8> {
    let mut m = vec![kind];
    m.extend_from_slice(&(data.len() as u32).to_le_bytes());
    m.extend_from_slice(&[0, seq]);
    m.extend_from_slice(&params);
    m.extend_from_slice(data);
    m
}

fn read(d: &mut VirtualDevice) -> Vec<u8> {
    let mut buf = [0u8; 1024];
    let n = d.bulk_in(&mut buf, T).expect("a reply");
    buf[..n].to_vec()
}

fn xchg(d: &mut VirtualDevice, m: &[u8]) -> Vec<u8> {
    d.bulk_out(m, T).unwrap();
    read(d)
}

/// (type, dwLength, slot, seq, status, error, param, data) of a reply, checking dwLength.
fn fields(r: &[u8]) -> (u8, u8, u8, u8, u8, u8, Vec<u8>) {
    let len = u32::from_le_bytes([r[1], r[2], r[3], r[4]]) as usize;
    assert_eq!(len, r.len() - 10, "dwLength of {r:02X?}");
    (r[0], r[5], r[6], r[7], r[8], r[9], r[10..].to_vec())
}

fn power_on(d: &mut VirtualDevice, seq: u8) {
    let r = xchg(d, &msg(0x62, seq, [0, 0, 0], &[]));
    assert_eq!(r[..10], [0x80, 12, 0, 0, 0, 0, seq, 0, 0, 0]);
    assert_eq!(r[10..], ATR);
}

/// An APDU through a short-APDU-level XfrBlock.
fn xfr(d: &mut VirtualDevice, seq: u8, command: &[u8]) -> Vec<u8> {
    let r = xchg(d, &msg(0x6F, seq, [0, 0, 0], command));
    let (kind, _, s, status, error, _, data) = fields(&r);
    assert_eq!((kind, s, status, error), (0x80, seq, 0, 0));
    data
}

#[test]
fn class_descriptor_is_rutoken_like() {
    let (d, _) = device(DeviceConfig::default());
    let desc = d.class_descriptor();
    assert_eq!(desc.len(), 54);
    assert_eq!(desc[..4], [54, 0x21, 0x10, 0x01]);
    let u32_at = |i: usize| u32::from_le_bytes([desc[i], desc[i + 1], desc[i + 2], desc[i + 3]]);
    assert_eq!((desc[4], u32_at(6), u32_at(28)), (0, 2, 254));
    assert_eq!(u32_at(40) & 0x70000, 0x20000);
    assert_eq!(u32_at(40) & 0x400, 0);
    assert_eq!((u32_at(44), desc[53]), (271, 1));
    let (d, _) = device(DeviceConfig::default().tpdu());
    assert_eq!(d.class_descriptor()[40..44], (0x1_00FEu32).to_le_bytes());
    let (d, _) = device(DeviceConfig::default().extended_apdu(74));
    let desc = d.class_descriptor();
    assert_eq!(desc[40..48], [0xFE, 0, 4, 0, 74, 0, 0, 0]);
}

#[test]
fn power_slot_status_and_seq_echo() {
    let (mut d, _) = device(DeviceConfig::default());
    let r = xchg(&mut d, &msg(0x65, 0x10, [0; 3], &[]));
    assert_eq!(r, [0x81, 0, 0, 0, 0, 0, 0x10, 0x01, 0, 0]);
    // XfrBlock to an unpowered card: failed, ICC mute.
    let r = xchg(
        &mut d,
        &msg(0x6F, 0x11, [0; 3], &[0x00, 0xCA, 0x01, 0x82, 0]),
    );
    assert_eq!(r, [0x80, 0, 0, 0, 0, 0, 0x11, 0x41, 0xFE, 0]);
    for seq in [0, 1, 0x7F, 0xFF] {
        power_on(&mut d, seq);
    }
    assert_eq!(
        xchg(&mut d, &msg(0x65, 3, [0; 3], &[])),
        [0x81, 0, 0, 0, 0, 0, 3, 0, 0, 0]
    );
    assert_eq!(
        xfr(&mut d, 4, &[0x00, 0xCA, 0x01, 0x82, 0]),
        b"KAZTOKEN\x90\x00"
    );
    assert_eq!(
        xchg(&mut d, &msg(0x63, 5, [0; 3], &[])),
        [0x81, 0, 0, 0, 0, 0, 5, 1, 0, 0]
    );
    // bPowerSelect 4 does not exist.
    let r = xchg(&mut d, &msg(0x62, 6, [4, 0, 0], &[]));
    assert_eq!(r, [0x80, 0, 0, 0, 0, 0, 6, 0x41, 7, 0]);
}

#[test]
fn header_errors() {
    let (mut d, _) = device(DeviceConfig::default());
    power_on(&mut d, 0);
    // dwLength says 5, 4 bytes follow.
    let mut bad = msg(0x6F, 9, [0; 3], &[0x00, 0xCA, 0x01, 0x82]);
    bad[1] = 5;
    assert_eq!(xchg(&mut d, &bad), [0x80, 0, 0, 0, 0, 0, 9, 0x40, 1, 0]);
    // Longer than dwMaxCCIDMessageLength.
    let big = msg(0x6F, 10, [0; 3], &[0; 262]);
    assert_eq!(xchg(&mut d, &big)[7..9], [0x40, 1]);
    // bSlot 1.
    let mut slot1 = msg(0x65, 11, [0; 3], &[]);
    slot1[5] = 1;
    assert_eq!(xchg(&mut d, &slot1), [0x81, 0, 0, 0, 0, 1, 11, 0x40, 5, 0]);
    // Unsupported commands, each answered with its own reply type.
    assert_eq!(
        xchg(&mut d, &msg(0x6B, 12, [0; 3], &[1, 2])),
        [0x83, 0, 0, 0, 0, 0, 12, 0x40, 0, 0]
    );
    assert_eq!(
        xchg(&mut d, &msg(0x69, 13, [0; 3], &[])),
        [0x80, 0, 0, 0, 0, 0, 13, 0x40, 0, 0]
    );
    assert_eq!(
        xchg(&mut d, &msg(0x99, 14, [0; 3], &[])),
        [0x81, 0, 0, 0, 0, 0, 14, 0x40, 0, 0]
    );
    // Too short for a header: no answer at all.
    d.bulk_out(&[0x65, 0, 0], T).unwrap();
    assert_eq!(d.bulk_in(&mut [0; 64], T), Err(TransportError::Timeout));
}

#[test]
fn parameters() {
    let (mut d, _) = device(DeviceConfig::default());
    let r = xchg(&mut d, &msg(0x6C, 1, [0; 3], &[]));
    assert_eq!(
        fields(&r),
        (0x82, 0, 1, 1, 0, 1, DEFAULT_T1_PARAMETERS.to_vec())
    );
    let p = [0x96, 0x10, 0x00, 0x75, 0x00, 0xFE, 0x00];
    assert_eq!(fields(&xchg(&mut d, &msg(0x61, 2, [1, 0, 0], &p))).6, p);
    assert_eq!(fields(&xchg(&mut d, &msg(0x6C, 3, [0; 3], &[]))).6, p);
    assert_eq!(
        xchg(&mut d, &msg(0x61, 4, [0, 0, 0], &p[..5]))[7..9],
        [0x41, 7]
    );
    assert_eq!(
        xchg(&mut d, &msg(0x61, 5, [1, 0, 0], &p[..5]))[7..9],
        [0x41, 1]
    );
    assert_eq!(
        fields(&xchg(&mut d, &msg(0x6D, 6, [0; 3], &[]))).6,
        DEFAULT_T1_PARAMETERS
    );
}

#[test]
fn abort_needs_both_halves() {
    let (mut d, _) = device(DeviceConfig::default());
    power_on(&mut d, 0);
    d.class_request_out(0x01, 7 << 8, T).unwrap();
    // Until the bulk half arrives, anything else is refused as aborted.
    assert_eq!(xchg(&mut d, &msg(0x65, 6, [0; 3], &[]))[7..9], [0x40, 0xFF]);
    assert_eq!(
        xchg(&mut d, &msg(0x72, 7, [0; 3], &[])),
        [0x81, 0, 0, 0, 0, 0, 7, 0, 0, 0]
    );
    // The bulk half first: the reply waits for the class request.
    d.bulk_out(&msg(0x72, 8, [0; 3], &[]), T).unwrap();
    assert_eq!(d.bulk_in(&mut [0; 64], T), Err(TransportError::Timeout));
    d.class_request_out(0x01, 8 << 8, T).unwrap();
    assert_eq!(read(&mut d), [0x81, 0, 0, 0, 0, 0, 8, 0, 0, 0]);
    assert_eq!(
        xfr(&mut d, 9, &[0x00, 0xCA, 0x01, 0x82, 0]),
        b"KAZTOKEN\x90\x00"
    );
    assert_eq!(d.class_request_out(0x05, 0, T), Err(TransportError::Stall));
    let mut buf = [0u8; 4];
    assert_eq!(d.class_request_in(0x03, 0, &mut buf, T), Ok(4));
}

#[test]
fn notify_slot_change() {
    let (mut d, h) = device(DeviceConfig::default());
    let mut buf = [0u8; 8];
    assert_eq!(d.interrupt_in(&mut buf, T), Ok(2));
    assert_eq!(buf[..2], [0x50, 0x03]);
    assert_eq!(
        d.interrupt_in(&mut buf, Duration::from_millis(10)),
        Err(TransportError::Timeout)
    );
    // A removal from another thread wakes a waiting reader.
    let remover = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        h.remove_card();
        h
    });
    assert_eq!(d.interrupt_in(&mut buf, Duration::from_secs(5)), Ok(2));
    assert_eq!(buf[..2], [0x50, 0x02]);
    let h = remover.join().unwrap();
    assert_eq!(
        xchg(&mut d, &msg(0x62, 1, [0; 3], &[])),
        [0x80, 0, 0, 0, 0, 0, 1, 0x42, 0xFE, 0]
    );
    assert_eq!(
        xchg(&mut d, &msg(0x65, 2, [0; 3], &[])),
        [0x81, 0, 0, 0, 0, 0, 2, 0x02, 0, 0]
    );
    h.insert_card();
    assert_eq!(d.interrupt_in(&mut buf, T), Ok(2));
    assert_eq!(buf[..2], [0x50, 0x03]);
    power_on(&mut d, 3);
}

#[test]
fn time_extensions_before_every_answer() {
    let (mut d, h) = device(
        DeviceConfig::default()
            .time_extensions(2)
            .time_extension_multiplier(3),
    );
    power_on(&mut d, 0);
    d.bulk_out(&msg(0x6F, 1, [0; 3], &[0x00, 0xCA, 0x01, 0x82, 0]), T)
        .unwrap();
    for _ in 0..2 {
        assert_eq!(read(&mut d), [0x80, 0, 0, 0, 0, 0, 1, 0x80, 3, 0]);
    }
    assert_eq!(fields(&read(&mut d)).6, b"KAZTOKEN\x90\x00");
    h.set_time_extensions(0);
    assert_eq!(
        xfr(&mut d, 2, &[0x00, 0xCA, 0x01, 0x82, 0]),
        b"KAZTOKEN\x90\x00"
    );
}

/// Logs in and creates key file 6001 (2012-256) in the keys DF, straight on the card.
fn prepare_key_file(h: &DeviceHandle) {
    h.with_card(|c| {
        c.power_on();
        common::login_user(c);
        common::select_path(c, &[0x1001]);
        assert_eq!(common::create(c, &common::key_fcp(0x6001, 2, 0x11)), 0x9000);
        c.power_off();
    });
}

const LOGIN: [u8; 13] = [
    0x00, 0x20, 0x00, 0x02, 8, b'1', b'2', b'3', b'4', b'5', b'6', b'7', b'8',
];
const SELECT_KEYS: [u8; 7] = [0x00, 0xA4, 0x08, 0x0C, 2, 0x10, 0x01];
const GENERATE: [u8; 5] = [0x00, 0x46, 0x80, 0x01, 0x00];

#[test]
fn slow_key_generation_sends_time_extensions() {
    let config = DeviceConfig::default().time_extension_interval(Duration::from_millis(40));
    let (mut d, h) = device(config);
    prepare_key_file(&h);
    h.with_card(|c| c.set_keygen_delay(Duration::from_millis(200)));
    power_on(&mut d, 0);
    assert_eq!(xfr(&mut d, 1, &LOGIN), [0x90, 0]);
    assert_eq!(xfr(&mut d, 2, &SELECT_KEYS), [0x90, 0]);
    let start = Instant::now();
    d.bulk_out(&msg(0x6F, 3, [0; 3], &GENERATE), T).unwrap();
    let mut extensions = 0;
    // A host timeout shorter than the card's pace: the reply is not lost, just late.
    let mut buf = [0u8; 512];
    assert_eq!(
        d.bulk_in(&mut buf, Duration::from_millis(5)),
        Err(TransportError::Timeout)
    );
    let answer = loop {
        let r = read(&mut d);
        if r[7] == 0x80 {
            assert_eq!(r, [0x80, 0, 0, 0, 0, 0, 3, 0x80, 1, 0]);
            extensions += 1;
        } else {
            break r;
        }
    };
    assert_eq!(extensions, 5);
    assert!(start.elapsed() >= Duration::from_millis(190));
    let (_, _, seq, status, _, _, data) = fields(&answer);
    assert_eq!((seq, status, data.len()), (3, 0, 66));
}

#[test]
fn extended_apdu_level_chains_both_ways() {
    let (mut d, h) = device(DeviceConfig::default().extended_apdu(74));
    h.with_card(|c| {
        c.power_on();
        common::login_user(c);
        common::select_path(c, &[0x1002]);
        assert_eq!(common::create(c, &common::ef_fcp(0x0042, 300)), 0x9000);
        c.power_off();
    });
    power_on(&mut d, 0);
    assert_eq!(xfr(&mut d, 1, &LOGIN), [0x90, 0]);
    assert_eq!(
        xfr(
            &mut d,
            2,
            &[0x00, 0xA4, 0x08, 0x0C, 4, 0x10, 0x02, 0x00, 0x42]
        ),
        [0x90, 0]
    );
    // A 205-byte UPDATE BINARY in 64-byte parts: 0001 begins, 0003 continues, 0002 ends.
    let content: Vec<u8> = (0..200u8).collect();
    let update = apdu([0x00, 0xD6, 0x00, 0x00], &content, None);
    let parts: Vec<&[u8]> = update.chunks(64).collect();
    for (i, part) in parts.iter().enumerate() {
        let level: u16 = match i {
            0 => 0x0001,
            i if i == parts.len() - 1 => 0x0002,
            _ => 0x0003,
        };
        let [lo, hi] = level.to_le_bytes();
        let r = xchg(&mut d, &msg(0x6F, 10 + i as u8, [0, lo, hi], part));
        let (_, _, _, status, _, chain, data) = fields(&r);
        if level == 0x0002 {
            assert_eq!((status, chain, data.as_slice()), (0, 0x00, &[0x90, 0][..]));
        } else {
            assert_eq!((status, chain, data.len()), (0, 0x10, 0));
        }
    }
    // READ BINARY of 256 bytes: 258 bytes back as 64 + 64 + 64 + 64 + 2.
    let first = fields(&xchg(
        &mut d,
        &msg(0x6F, 20, [0; 3], &[0x00, 0xB0, 0, 0, 0]),
    ));
    assert_eq!((first.5, first.6.len()), (0x01, 64));
    let mut response = first.6;
    let mut chains = Vec::new();
    loop {
        let r = fields(&xchg(&mut d, &msg(0x6F, 21, [0, 0x10, 0], &[])));
        response.extend(r.6);
        chains.push(r.5);
        if r.5 == 0x02 {
            break;
        }
    }
    assert_eq!(chains, [0x03, 0x03, 0x03, 0x02]);
    assert_eq!(response.len(), 258);
    assert_eq!(response[..200], content[..]);
    assert_eq!(response[256..], [0x90, 0x00]);
    // 0003 or 0010 with nothing in progress: bad wLevelParameter.
    assert_eq!(
        xchg(&mut d, &msg(0x6F, 22, [0, 0x03, 0], &[0]))[7..9],
        [0x40, 8]
    );
    assert_eq!(
        xchg(&mut d, &msg(0x6F, 23, [0, 0x10, 0], &[]))[7..9],
        [0x40, 8]
    );
    assert_eq!(
        xchg(&mut d, &msg(0x6F, 24, [0, 0x00, 0], &[0; 65]))[7..9],
        [0x40, 1]
    );
}

/// A T=1 exchange through TPDU-level XfrBlocks.
fn block_xchg(d: &mut VirtualDevice, seq: u8, block: &[u8]) -> Vec<u8> {
    let r = fields(&xchg(d, &msg(0x6F, seq, [0; 3], block)));
    assert_eq!((r.2, r.3, r.4), (seq, 0, 0));
    r.6
}

#[test]
fn tpdu_level_speaks_t1_as_the_card() {
    let (mut d, h) = device(DeviceConfig::default().tpdu());
    power_on(&mut d, 0);
    // A hand-made I-block: NAD 00, PCB 00, LEN 5, GET DATA label, LRC.
    let get_label = [0x00, 0x00, 0x05, 0x00, 0xCA, 0x01, 0x82, 0x00];
    let lrc = get_label.iter().fold(0, |a, b| a ^ b);
    let mut block = get_label.to_vec();
    block.push(lrc);
    assert_eq!(lrc, 0x4C);
    let r = block_xchg(&mut d, 1, &block);
    assert_eq!(r, t1_block(0x00, b"KAZTOKEN\x90\x00"));
    assert_eq!(r[..3], [0x00, 0x00, 10]);
    // A bad LRC: R-block, EDC error, asking again for N(S) = 1.
    let mut bad = t1_block(0x40, &[0x00, 0xCA, 0x01, 0x81, 0x00]);
    *bad.last_mut().unwrap() ^= 0x55;
    assert_eq!(block_xchg(&mut d, 2, &bad), t1_block(0x91, &[]));
    let serial = block_xchg(&mut d, 3, &t1_block(0x40, &[0x00, 0xCA, 0x01, 0x81, 0x00]));
    assert_eq!(serial[..3], [0x00, 0x40, 6]);
    // The response lost: the host asks again with R(N(R) = 1) and gets it repeated.
    assert_eq!(block_xchg(&mut d, 4, &t1_block(0x90, &[])), serial);

    // A 38-byte VERIFY chained against IFSC 32.
    let long = apdu([0x00, 0x20, 0x00, 0x02], &[b'9'; 33], None);
    assert_eq!(
        block_xchg(&mut d, 5, &t1_block(0x20, &long[..32])),
        t1_block(0x90, &[])
    );
    let r = block_xchg(&mut d, 6, &t1_block(0x40, &long[32..]));
    assert_eq!(r, t1_block(0x00, &[0x63, 0xC9]));

    // A 102-byte response chained against the default IFSD 32, acknowledged block by block.
    h.with_card(|c| {
        c.power_on();
        common::login_user(c);
        common::select_path(c, &[0x1002]);
        assert_eq!(common::create(c, &common::ef_fcp(0x0009, 100)), 0x9000);
        common::write_all(c, &[0xAB; 100]);
    });
    let mut response = Vec::new();
    let mut r = block_xchg(&mut d, 7, &t1_block(0x00, &[0x00, 0xB0, 0, 0, 100]));
    let mut card_ns = 1u8;
    loop {
        assert_eq!(r[1] & 0x40, card_ns << 6);
        response.extend_from_slice(&r[3..r.len() - 1]);
        card_ns ^= 1;
        if r[1] & 0x20 == 0 {
            break;
        }
        assert_eq!(r[2], 32);
        r = block_xchg(&mut d, 8, &t1_block(0x80 | (card_ns << 4), &[]));
    }
    assert_eq!(response.len(), 102);
    assert_eq!(response[100..], [0x90, 0x00]);

    // S(IFS request) 254, then the same read comes in one block; RESYNCH answers and restarts.
    assert_eq!(
        block_xchg(&mut d, 9, &t1_block(0xC1, &[0xFE])),
        t1_block(0xE1, &[0xFE])
    );
    assert_eq!(h.t1_ifsd(), 254);
    let r = block_xchg(&mut d, 10, &t1_block(0x40, &[0x00, 0xB0, 0, 0, 100]));
    assert_eq!((r[1], r[2]), (0x40, 102));
    assert_eq!(
        block_xchg(&mut d, 11, &t1_block(0xC0, &[])),
        t1_block(0xE0, &[])
    );
    assert_eq!(h.t1_ifsd(), 32);
    assert_eq!(
        block_xchg(&mut d, 12, &block),
        t1_block(0x00, b"KAZTOKEN\x90\x00")
    );
}

#[test]
fn tpdu_level_asks_for_waiting_time_during_key_generation() {
    let config = DeviceConfig::default()
        .tpdu()
        .time_extension_interval(Duration::from_millis(30));
    let (mut d, h) = device(config);
    prepare_key_file(&h);
    h.with_card(|c| c.set_keygen_delay(Duration::from_millis(90)));
    power_on(&mut d, 0);
    assert_eq!(
        block_xchg(&mut d, 1, &t1_block(0xC1, &[0xFE])),
        t1_block(0xE1, &[0xFE])
    );
    assert_eq!(
        block_xchg(&mut d, 2, &t1_block(0x00, &LOGIN)),
        t1_block(0x00, &[0x90, 0])
    );
    assert_eq!(
        block_xchg(&mut d, 3, &t1_block(0x40, &SELECT_KEYS)),
        t1_block(0x40, &[0x90, 0])
    );
    let mut r = block_xchg(&mut d, 4, &t1_block(0x00, &GENERATE));
    let mut requests = 0;
    while r[1] == 0xC3 {
        assert_eq!(r, t1_block(0xC3, &[1]));
        requests += 1;
        r = block_xchg(&mut d, 5, &t1_block(0xE3, &[1]));
    }
    assert_eq!(requests, 3);
    assert_eq!((r[1], r[2]), (0x00, 66));
    assert_eq!(r[r.len() - 3..r.len() - 1], [0x90, 0x00]);
}

#[test]
fn dropped_and_garbled_replies() {
    let (mut d, h) = device(DeviceConfig::default());
    power_on(&mut d, 0);
    h.drop_replies(1);
    d.bulk_out(&msg(0x65, 1, [0; 3], &[]), T).unwrap();
    assert_eq!(d.bulk_in(&mut [0; 64], T), Err(TransportError::Timeout));
    assert_eq!(
        xchg(&mut d, &msg(0x65, 2, [0; 3], &[])),
        [0x81, 0, 0, 0, 0, 0, 2, 0, 0, 0]
    );
    h.garble_next_reply(Garble::WrongSeq);
    assert_eq!(xchg(&mut d, &msg(0x65, 3, [0; 3], &[]))[6], 4);
    h.garble_next_reply(Garble::WrongLength);
    assert_eq!(xchg(&mut d, &msg(0x65, 4, [0; 3], &[]))[1], 1);
    h.garble_next_reply(Garble::FlipByte(8));
    assert_eq!(xchg(&mut d, &msg(0x65, 5, [0; 3], &[]))[8], 0xFF);
    h.garble_next_reply(Garble::Truncate);
    assert_eq!(xchg(&mut d, &msg(0x65, 6, [0; 3], &[])).len(), 5);
    // Once only.
    assert_eq!(
        xchg(&mut d, &msg(0x65, 7, [0; 3], &[])),
        [0x81, 0, 0, 0, 0, 0, 7, 0, 0, 0]
    );
}

#[test]
fn bulk_in_reads_in_packets() {
    let (mut d, h) = device(DeviceConfig::default());
    h.with_card(|c| {
        c.power_on();
        common::login_user(c);
        common::select_path(c, &[0x1002]);
        common::create(c, &common::ef_fcp(0x0009, 256));
        c.power_off();
    });
    power_on(&mut d, 0);
    xfr(
        &mut d,
        1,
        &[0x00, 0xA4, 0x08, 0x0C, 4, 0x10, 0x02, 0x00, 0x09],
    );
    d.bulk_out(&msg(0x6F, 2, [0; 3], &[0x00, 0xB0, 0, 0, 0]), T)
        .unwrap();
    let mut frame = Vec::new();
    let mut buf = [0u8; 64];
    while frame.len() < 268 {
        let n = d.bulk_in(&mut buf, T).unwrap();
        frame.extend_from_slice(&buf[..n]);
    }
    assert_eq!(frame.len(), 268);
    assert_eq!(fields(&frame).6.len(), 258);
    // A buffer that is not a whole number of packets overflows.
    d.bulk_out(&msg(0x6F, 3, [0; 3], &[0x00, 0xB0, 0, 0, 0]), T)
        .unwrap();
    assert!(matches!(
        d.bulk_in(&mut [0u8; 100], T),
        Err(TransportError::Io(_))
    ));
}

#[test]
fn unplugged_mid_exchange_and_replugged_with_the_persisted_state() {
    let dir = tempfile::tempdir().unwrap();
    let card = VirtualCard::open(dir.path().join("t.kzt"), CardConfig::default()).unwrap();
    let mut d = VirtualDevice::new(card, DeviceConfig::default());
    let h = d.handle();
    power_on(&mut d, 0);
    let wrong = apdu([0x00, 0x20, 0x00, 0x02], b"00000000", None);
    h.unplug_after(1);
    // The command goes out; its answer never comes back.
    d.bulk_out(&msg(0x6F, 1, [0; 3], &wrong), T).unwrap();
    let mut buf = [0u8; 64];
    assert_eq!(d.bulk_in(&mut buf, T), Err(TransportError::Disconnected));
    assert!(!h.is_connected());
    assert_eq!(
        d.bulk_out(&msg(0x65, 2, [0; 3], &[]), T),
        Err(TransportError::Disconnected)
    );
    assert_eq!(
        d.interrupt_in(&mut buf, T),
        Err(TransportError::Disconnected)
    );
    assert_eq!(
        d.class_request_out(1, 0, T),
        Err(TransportError::Disconnected)
    );
    h.replug().unwrap();
    assert!(h.is_connected());
    // Drain the start-up notification, then the replug's.
    while d.interrupt_in(&mut buf, Duration::from_millis(1)).is_ok() {}
    assert_eq!(
        xchg(&mut d, &msg(0x65, 3, [0; 3], &[])),
        [0x81, 0, 0, 0, 0, 0, 3, 1, 0, 0]
    );
    power_on(&mut d, 4);
    // The wrong PIN was counted although its answer was lost.
    assert_eq!(xfr(&mut d, 5, &[0x00, 0x20, 0x00, 0x02]), [0x63, 0xC9]);
    h.unplug();
    assert_eq!(
        d.bulk_out(&msg(0x65, 6, [0; 3], &[]), T),
        Err(TransportError::Disconnected)
    );
}

#[test]
fn random_frames_never_panic() {
    let kinds = [
        0x61, 0x62, 0x63, 0x65, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x71, 0x72, 0x73, 0x00,
        0xFF,
    ];
    for config in [
        DeviceConfig::default(),
        DeviceConfig::default().tpdu(),
        DeviceConfig::default().extended_apdu(74),
    ] {
        let (mut d, h) = device(config);
        let mut rng = Prng(0x5EED_1234_ABCD_0001);
        for i in 0..3000 {
            let mut data_len = rng.below(80);
            if rng.below(4) == 0 {
                data_len += 200;
            }
            let mut m = msg(
                kinds[rng.below(kinds.len())],
                rng.byte(),
                [rng.byte() & 0x13, rng.byte() & 0x13, rng.byte() & 0x01],
                &rng.bytes(data_len),
            );
            match rng.below(10) {
                0 => {
                    let n = rng.below(m.len() + 1);
                    m.truncate(n);
                }
                1 => {
                    let at = rng.below(m.len());
                    m[at] = rng.byte();
                }
                2 => {
                    let n = rng.below(300);
                    m = rng.bytes(n);
                }
                3 => {
                    let _ = d.class_request_out(0x01, u16::from(rng.byte()) << 8, T);
                }
                _ => {}
            }
            if i % 500 == 0 {
                h.set_time_extensions(rng.below(3) as u32);
            }
            let _ = d.bulk_out(&m, T);
            let mut buf = [0u8; 1024];
            while d.bulk_in(&mut buf, T).is_ok() {}
        }
    }
}
