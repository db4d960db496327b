//! A scripted CCID reader for in-process tests: a device-side model of the CCID messages with
//! card models behind each slot, and fault injection.
#![allow(dead_code)]

pub mod card;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use card::{CardT1, CharLine, EchoCard};
use tamga_ccid::{Transport, TransportError};

pub const KAZTOKEN_ATR: [u8; 12] = [
    0x3B, 0x88, 0x01, 0x4B, 0x41, 0x5A, 0x54, 0x4F, 0x4B, 0x45, 0x4E, 0x82,
];
/// The smart-card form: T=0, no TCK.
pub const KAZTOKEN_T0_ATR: [u8; 12] = [
    0x3B, 0x98, 0x96, 0x00, 0x4B, 0x41, 0x5A, 0x54, 0x4F, 0x4B, 0x45, 0x4E,
];

pub const LEVEL_CHARACTER: u32 = 0;
pub const LEVEL_TPDU: u32 = 0x0001_0000;
pub const LEVEL_SHORT: u32 = 0x0002_0000;
pub const LEVEL_EXTENDED: u32 = 0x0004_0000;

/// A CCID class descriptor with the given fields (the rest as a Rutoken ECP has them).
pub fn descriptor(
    features: u32,
    protocols: u32,
    max_message: u32,
    max_ifsd: u32,
    max_slot_index: u8,
) -> Vec<u8> {
    let mut d = vec![0u8; 54];
    d[0] = 54;
    d[1] = 0x21;
    d[2..4].copy_from_slice(&0x0110u16.to_le_bytes());
    d[4] = max_slot_index;
    d[5] = 0x07;
    d[6..10].copy_from_slice(&protocols.to_le_bytes());
    d[10..14].copy_from_slice(&4000u32.to_le_bytes());
    d[28..32].copy_from_slice(&max_ifsd.to_le_bytes());
    d[40..44].copy_from_slice(&features.to_le_bytes());
    d[44..48].copy_from_slice(&max_message.to_le_bytes());
    d[53] = 1;
    d
}

/// Rutoken ECP: T=1, short-APDU level (0x000204BA: auto everything but IFSD), 271, IFSD 254.
pub fn rutoken_ecp_descriptor() -> Vec<u8> {
    descriptor(0x0002_04BA, 0b10, 271, 254, 0)
}

/// QEMU usb-ccid: T=0 only, TPDU level with auto everything, 65554-byte messages.
pub fn qemu_descriptor() -> Vec<u8> {
    descriptor(0x0001_04FE, 0b01, 65554, 254, 0)
}

/// What sits behind a slot.
#[derive(Debug)]
pub enum Link {
    /// Short or extended APDU level: the reader runs the card protocol.
    Apdu { rx: Vec<u8>, tx: VecDeque<Vec<u8>> },
    /// TPDU T=0.
    TpduT0,
    /// TPDU T=1.
    TpduT1(CardT1),
    /// Character level T=0.
    CharT0(CharLine),
    /// Character level T=1.
    CharT1(CharLine, CardT1),
}

#[derive(Debug)]
pub struct Slot {
    pub present: bool,
    pub powered: bool,
    pub atr: Vec<u8>,
    pub app: EchoCard,
    pub link: Link,
    pub parameters: Option<(u8, Vec<u8>)>,
}

impl Slot {
    pub fn new(atr: &[u8], link: Link) -> Slot {
        Slot {
            present: true,
            powered: false,
            atr: atr.to_vec(),
            app: EchoCard::default(),
            link,
            parameters: None,
        }
    }

    /// The card application, wherever the link keeps it.
    pub fn app(&mut self) -> &mut EchoCard {
        match &mut self.link {
            Link::TpduT1(t1) | Link::CharT1(_, t1) => &mut t1.app,
            _ => &mut self.app,
        }
    }

    pub fn t1(&mut self) -> &mut CardT1 {
        match &mut self.link {
            Link::TpduT1(t1) | Link::CharT1(_, t1) => t1,
            _ => panic!("not a T=1 slot"),
        }
    }
}

/// A change to the next reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Frames with an old bSeq before the reply.
    Stale(usize),
    /// Time-extension frames (bError = multiplier) before the reply.
    TimeExtension(usize, u8),
    /// An unknown message type instead of the reply.
    Garbled,
    /// The reply cut after 7 bytes.
    Truncated,
    /// dwLength says 0 but data follows (QEMU 7.2's GetParameters).
    LengthMismatch,
    /// The reply fails with this bError.
    Fail(u8),
    /// The reply names another slot.
    WrongSlot,
    /// The device is unplugged: every transfer fails with Disconnected.
    Unplug,
    /// No reply at all.
    Silence,
    /// An empty DataBlock with a successful command status that says "no card": QEMU 7.2's
    /// answer to an XfrBlock once the card is pulled.
    AbsentDataBlock,
}

/// One request the device received.
#[derive(Clone, Debug)]
pub struct Logged {
    pub kind: u8,
    pub slot: u8,
    pub seq: u8,
    pub specific: [u8; 3],
    pub data: Vec<u8>,
}

#[derive(Debug)]
pub struct Device {
    pub descriptor: Vec<u8>,
    pub slots: Vec<Slot>,
    pub outbox: VecDeque<Vec<u8>>,
    pub interrupts: VecDeque<Vec<u8>>,
    /// (request index, fault): applies to the reply of that request.
    pub faults: Vec<(usize, Fault)>,
    pub log: Vec<Logged>,
    pub class_requests: Vec<(u8, u16)>,
    pub in_timeouts: Vec<Duration>,
    pub unplugged: bool,
    pub abort_stalls: bool,
}

/// The transport: a handle on the shared device, which the test keeps too.
#[derive(Clone, Debug)]
pub struct FakeReader(pub Arc<Mutex<Device>>, Vec<u8>);

impl FakeReader {
    pub fn new(descriptor: Vec<u8>, slots: Vec<Slot>) -> FakeReader {
        let device = Device {
            descriptor: descriptor.clone(),
            slots,
            outbox: VecDeque::new(),
            interrupts: VecDeque::new(),
            faults: vec![],
            log: vec![],
            class_requests: vec![],
            in_timeouts: vec![],
            unplugged: false,
            abort_stalls: false,
        };
        FakeReader(Arc::new(Mutex::new(device)), descriptor)
    }

    pub fn device(&self) -> MutexGuard<'_, Device> {
        self.0.lock().expect("device lock")
    }

    /// Applies `fault` to the reply of the request `after` requests from now (0: the next one).
    pub fn inject(&self, after: usize, fault: Fault) {
        let mut d = self.device();
        let at = d.log.len() + after;
        d.faults.push((at, fault));
    }
}

pub fn frame(
    kind: u8,
    slot: u8,
    seq: u8,
    status: u8,
    error: u8,
    specific: u8,
    data: &[u8],
) -> Vec<u8> {
    let mut f = vec![kind];
    f.extend_from_slice(&(data.len() as u32).to_le_bytes());
    f.extend_from_slice(&[slot, seq, status, error, specific]);
    f.extend_from_slice(data);
    f
}

impl Device {
    fn max_payload(&self) -> usize {
        u32::from_le_bytes(self.descriptor[44..48].try_into().expect("4")) as usize - 10
    }

    /// The reply to one request: (bStatus command bits, bError, specific byte, data, type).
    fn answer(&mut self, req: &Logged) -> (u8, u8, u8, u8, Vec<u8>) {
        let max = self.max_payload();
        let Some(slot) = self.slots.get_mut(usize::from(req.slot)) else {
            return (0x81, 0x40, 5, 0, vec![]);
        };
        let kind = match req.kind {
            0x62 | 0x6F => 0x80,
            0x63 | 0x65 | 0x72 => 0x81,
            _ => 0x82,
        };
        if !slot.present {
            return (kind, 0x40, 0xFE, 0, vec![]);
        }
        match req.kind {
            0x62 => {
                slot.powered = true;
                if let Link::TpduT1(t1) | Link::CharT1(_, t1) = &mut slot.link {
                    let quirks = std::mem::take(&mut t1.quirks);
                    *t1 = CardT1::new(t1.ifsc);
                    t1.quirks = quirks;
                }
                (kind, 0, 0, 0, slot.atr.clone())
            }
            0x63 => {
                slot.powered = false;
                (kind, 0, 0, 0, vec![])
            }
            0x65 | 0x72 => (kind, 0, 0, 0, vec![]),
            0x61 => {
                slot.parameters = Some((req.specific[0], req.data.clone()));
                (kind, 0, 0, req.specific[0], req.data.clone())
            }
            0x6C => match &slot.parameters {
                Some((p, d)) => (kind, 0, 0, *p, d.clone()),
                None => (kind, 0, 0, 1, vec![0x11, 0x10, 0, 0x4D, 0, 0x20, 0]),
            },
            0x6F if !slot.powered => (kind, 0x40, 0xFE, 0, vec![]),
            0x6F => {
                let level = u16::from_le_bytes([req.specific[1], req.specific[2]]);
                let app = &mut slot.app;
                match &mut slot.link {
                    Link::Apdu { rx, tx } => {
                        let chain = match level {
                            0x00 | 0x02 => {
                                rx.extend_from_slice(&req.data);
                                let answer = app.apdu(&std::mem::take(rx));
                                tx.extend(answer.chunks(max).map(<[u8]>::to_vec));
                                if tx.len() > 1 {
                                    0x01
                                } else {
                                    0x00
                                }
                            }
                            0x01 | 0x03 => {
                                rx.extend_from_slice(&req.data);
                                return (kind, 0, 0, 0x10, vec![]);
                            }
                            0x10 => {
                                if tx.len() > 1 {
                                    0x03
                                } else {
                                    0x02
                                }
                            }
                            _ => return (kind, 0x40, 0x08, 0, vec![]),
                        };
                        let data = tx.pop_front().unwrap_or_default();
                        (kind, 0, 0, chain, data)
                    }
                    Link::TpduT0 => {
                        let header: [u8; 5] = req.data[..5].try_into().expect("TPDU header");
                        (kind, 0, 0, 0, app.tpdu(header, &req.data[5..]))
                    }
                    Link::TpduT1(t1) => (kind, 0, 0, 0, t1.on_block(&req.data)),
                    Link::CharT0(line) => {
                        line.t0(&req.data, app);
                        (kind, 0, 0, 0, line.read(usize::from(level)))
                    }
                    Link::CharT1(line, t1) => {
                        line.t1(&req.data, t1);
                        (kind, 0, 0, 0, line.read(usize::from(level)))
                    }
                }
            }
            _ => (kind, 0x40, 0x00, 0, vec![]),
        }
    }

    fn receive(&mut self, message: &[u8]) {
        assert!(message.len() >= 10, "request shorter than a header");
        let len = u32::from_le_bytes(message[1..5].try_into().expect("4")) as usize;
        assert_eq!(len, message.len() - 10, "request dwLength");
        let req = Logged {
            kind: message[0],
            slot: message[5],
            seq: message[6],
            specific: message[7..10].try_into().expect("3"),
            data: message[10..].to_vec(),
        };
        let index = self.log.len();
        self.log.push(req.clone());
        let faults: Vec<Fault> = self
            .faults
            .iter()
            .filter(|(at, _)| *at == index)
            .map(|(_, f)| f.clone())
            .collect();
        let (kind, command, error, specific, data) = self.answer(&req);
        let icc = {
            let s = self.slots.get(usize::from(req.slot));
            match s {
                Some(s) if !s.present => 2,
                Some(s) if !s.powered => 1,
                _ => 0,
            }
        };
        let mut reply = frame(
            kind,
            req.slot,
            req.seq,
            command | icc,
            error,
            specific,
            &data,
        );
        for fault in faults {
            match fault {
                Fault::Stale(n) => {
                    for i in 0..n {
                        let old = req.seq.wrapping_sub(1 + i as u8);
                        self.outbox
                            .push_back(frame(0x80, req.slot, old, 0, 0, 0, &[0x90, 0x00]));
                    }
                }
                Fault::TimeExtension(n, multiplier) => {
                    for _ in 0..n {
                        self.outbox.push_back(frame(
                            kind,
                            req.slot,
                            req.seq,
                            0x80 | icc,
                            multiplier,
                            0,
                            &[],
                        ));
                    }
                }
                Fault::Garbled => reply[0] = 0x99,
                Fault::Truncated => reply.truncate(7),
                Fault::LengthMismatch => reply[1..5].copy_from_slice(&[0; 4]),
                Fault::Fail(e) => reply = frame(kind, req.slot, req.seq, 0x40 | icc, e, 0, &[]),
                Fault::WrongSlot => reply[5] ^= 1,
                Fault::Unplug => self.unplugged = true,
                Fault::Silence => return,
                Fault::AbsentDataBlock => reply = frame(0x80, req.slot, req.seq, 0x02, 0, 0, &[]),
            }
        }
        self.outbox.push_back(reply);
    }
}

impl Transport for FakeReader {
    fn class_descriptor(&self) -> &[u8] {
        &self.1
    }

    fn bulk_out(&mut self, data: &[u8], _timeout: Duration) -> Result<(), TransportError> {
        let mut d = self.device();
        if d.unplugged {
            return Err(TransportError::Disconnected);
        }
        d.receive(data);
        Ok(())
    }

    fn bulk_in(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        let mut d = self.device();
        d.in_timeouts.push(timeout);
        if d.unplugged {
            return Err(TransportError::Disconnected);
        }
        let frame = d.outbox.pop_front().ok_or(TransportError::Timeout)?;
        assert!(
            frame.len() <= buf.len(),
            "the host's buffer is too small for a reply"
        );
        buf[..frame.len()].copy_from_slice(&frame);
        Ok(frame.len())
    }

    fn interrupt_in(
        &mut self,
        buf: &mut [u8],
        _timeout: Duration,
    ) -> Result<usize, TransportError> {
        let mut d = self.device();
        let m = d.interrupts.pop_front().ok_or(TransportError::Timeout)?;
        buf[..m.len()].copy_from_slice(&m);
        Ok(m.len())
    }

    fn class_request_out(
        &mut self,
        request: u8,
        value: u16,
        _timeout: Duration,
    ) -> Result<(), TransportError> {
        let mut d = self.device();
        d.class_requests.push((request, value));
        if d.abort_stalls {
            return Err(TransportError::Stall);
        }
        Ok(())
    }

    fn class_request_in(
        &mut self,
        _r: u8,
        _v: u16,
        _buf: &mut [u8],
        _t: Duration,
    ) -> Result<usize, TransportError> {
        Err(TransportError::Stall)
    }
}

/// A single-slot reader of the given level and protocol with a KAZTOKEN-like card.
pub fn reader(level: u32, protocol: u8, max_message: u32) -> FakeReader {
    let (atr, link): (&[u8], Link) = match (level, protocol) {
        (LEVEL_SHORT | LEVEL_EXTENDED, _) => (
            &KAZTOKEN_ATR,
            Link::Apdu {
                rx: vec![],
                tx: VecDeque::new(),
            },
        ),
        (LEVEL_TPDU, 1) => (&KAZTOKEN_ATR, Link::TpduT1(CardT1::new(32))),
        (LEVEL_TPDU, _) => (&KAZTOKEN_T0_ATR, Link::TpduT0),
        (_, 1) => (
            &KAZTOKEN_ATR,
            Link::CharT1(CharLine::default(), CardT1::new(32)),
        ),
        _ => (&KAZTOKEN_T0_ATR, Link::CharT0(CharLine::default())),
    };
    let protocols = if protocol == 1 { 0b10 } else { 0b01 };
    FakeReader::new(
        descriptor(level, protocols, max_message, 254, 0),
        vec![Slot::new(atr, link)],
    )
}

/// A tiny deterministic PRNG (xorshift64*), for property-style loops.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}
