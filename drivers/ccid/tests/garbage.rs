//! Garbage of random lengths into every parser of outside bytes and into a whole session:
//! errors, never panics (property-style, with a fixed-seed PRNG).

mod common;

use std::time::Duration;

use common::*;
use tamga_ccid::t1::{Block, Edc};
use tamga_ccid::{
    split_status, ApduChannel, Atr, Card, CcidDescriptor, CommandApdu, ProtocolParameters,
    ReaderEvent, Reply, Transport, TransportError,
};

#[test]
fn parsers_survive_random_bytes() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..20_000 {
        let n = rng.below(80);
        let mut bytes = rng.bytes(n);
        // Plausible prefixes reach deeper into the parsers.
        match round % 4 {
            1 if n >= 10 => {
                bytes[0] = 0x80 + (bytes[0] % 5);
                bytes[1..5].copy_from_slice(&((n - 10) as u32).to_le_bytes());
            }
            2 if n >= 2 => bytes[0] = 0x3B,
            3 if n >= 2 => bytes[1] = 0x21,
            _ => {}
        }
        let _ = Reply::parse(&bytes);
        let _ = CcidDescriptor::parse(&bytes);
        let _ = CcidDescriptor::find(&bytes);
        let _ = ReaderEvent::parse(&bytes, rng.below(40));
        let _ = Atr::parse(&bytes);
        let _ = Block::parse(&bytes, Edc::Lrc);
        let _ = Block::parse(&bytes, Edc::Crc);
        if let Ok(apdu) = CommandApdu::parse(&bytes) {
            assert_eq!(
                CommandApdu::parse(&apdu.with_le(apdu.le.unwrap_or(1))).map(|a| a.data),
                Ok(apdu.data)
            );
        }
        let _ = split_status(&bytes);
        let _ = ProtocolParameters::parse(
            bytes.first().copied().unwrap_or(0) % 3,
            bytes.get(1..).unwrap_or(&[]),
        );
        if let Ok(atr) = Atr::parse(&bytes) {
            let _ = (
                atr.ifsc(),
                atr.bwi(),
                atr.edc(),
                atr.historical_bytes(),
                atr.parameters(1, 0x11),
            );
        }
    }
}

/// A reader whose replies are the real device's, randomly damaged.
struct Chaos {
    inner: FakeReader,
    rng: Rng,
}

impl Transport for Chaos {
    fn class_descriptor(&self) -> &[u8] {
        self.inner.class_descriptor()
    }
    fn bulk_out(&mut self, data: &[u8], timeout: Duration) -> Result<(), TransportError> {
        self.inner.bulk_out(data, timeout)
    }
    fn bulk_in(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        let n = self.inner.bulk_in(buf, timeout)?;
        match self.rng.below(6) {
            0 => {
                let i = self.rng.below(n.max(1));
                buf[i] ^= 1 << self.rng.below(8);
                Ok(n)
            }
            1 => Ok(self.rng.below(n + 1)),
            2 => {
                let m = self.rng.below(buf.len().min(300));
                let junk = self.rng.bytes(m);
                buf[..m].copy_from_slice(&junk);
                Ok(m)
            }
            _ => Ok(n),
        }
    }
    fn interrupt_in(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        self.inner.interrupt_in(buf, timeout)
    }
    fn class_request_out(&mut self, r: u8, v: u16, t: Duration) -> Result<(), TransportError> {
        self.inner.class_request_out(r, v, t)
    }
    fn class_request_in(
        &mut self,
        r: u8,
        v: u16,
        b: &mut [u8],
        t: Duration,
    ) -> Result<usize, TransportError> {
        self.inner.class_request_in(r, v, b, t)
    }
}

#[test]
fn sessions_over_a_damaging_line_end_in_results_not_panics() {
    let levels = [
        (LEVEL_SHORT, 1),
        (LEVEL_EXTENDED, 1),
        (LEVEL_TPDU, 1),
        (LEVEL_TPDU, 0),
        (LEVEL_CHARACTER, 1),
        (LEVEL_CHARACTER, 0),
    ];
    let mut seed = Rng(42);
    let (mut ok, mut failed) = (0, 0);
    for round in 0..300 {
        let (level, protocol) = levels[round % levels.len()];
        let chaos = Chaos {
            inner: reader(level, protocol, 64),
            rng: Rng(seed.next() | 1),
        };
        let Ok(mut card) = Card::open(chaos) else {
            failed += 1;
            continue;
        };
        for n in [0usize, 5, 40, 120] {
            let mut c = vec![0x00, 0x01, 0x00, 0x00];
            if n > 0 {
                c.push(n as u8);
                c.extend(std::iter::repeat_n(0x5A, n));
            }
            match card.transmit(&c) {
                Ok(_) => ok += 1,
                Err(_) => failed += 1,
            }
        }
    }
    // Both outcomes occur, so the line really was damaged and sometimes survivable.
    assert!(ok > 0 && failed > 0, "ok {ok}, failed {failed}");
}
