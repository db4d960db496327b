//! Card-side models: an APDU echo application, a card-side T=1 engine, a T=0 card, and the
//! character pipe of character-level readers. Written from ISO 7816-3/4 independently of the
//! crate's host code, so that a bug is not shared by both sides.

use std::collections::VecDeque;

/// The test application. Its instructions:
/// - 01 ECHO: returns the command data;
/// - 02 GEN: returns Ne bytes 0, 1, 2, …;
/// - 03 EXACT: returns 8 bytes, and 6C08 when Ne ≠ 8;
/// - 04 BIG: returns 61xx, then 300 bytes through GET RESPONSE;
/// - C0 GET RESPONSE.
#[derive(Debug, Default)]
pub struct EchoCard {
    pending: Vec<u8>,
    /// Every command's header and data length, for the tests to check.
    pub seen: Vec<([u8; 4], usize, Option<usize>)>,
}

/// A command APDU split into header, data and Ne (the card's own parser).
pub fn parse_apdu(apdu: &[u8]) -> Option<([u8; 4], Vec<u8>, Option<usize>)> {
    let header: [u8; 4] = apdu.get(..4)?.try_into().ok()?;
    let body = &apdu[4..];
    let ne = |b: &[u8]| -> usize {
        let v = b.iter().fold(0usize, |a, &x| a << 8 | usize::from(x));
        if v == 0 {
            if b.len() == 1 {
                256
            } else {
                65536
            }
        } else {
            v
        }
    };
    match body.len() {
        0 => Some((header, vec![], None)),
        1 => Some((header, vec![], Some(ne(body)))),
        _ if body[0] == 0 && body.len() == 3 => Some((header, vec![], Some(ne(&body[1..])))),
        _ if body[0] == 0 => {
            let lc = usize::from(body[1]) << 8 | usize::from(body[2]);
            let data = body.get(3..3 + lc)?.to_vec();
            match body.len() - 3 - lc {
                0 => Some((header, data, None)),
                2 => Some((header, data, Some(ne(&body[3 + lc..])))),
                _ => None,
            }
        }
        _ => {
            let lc = usize::from(body[0]);
            let data = body.get(1..1 + lc)?.to_vec();
            match body.len() - 1 - lc {
                0 => Some((header, data, None)),
                1 => Some((header, data, Some(ne(&body[1 + lc..])))),
                _ => None,
            }
        }
    }
}

impl EchoCard {
    pub fn apdu(&mut self, apdu: &[u8]) -> Vec<u8> {
        let Some((header, data, ne)) = parse_apdu(apdu) else {
            return vec![0x67, 0x00];
        };
        self.seen.push((header, data.len(), ne));
        let ok = |mut d: Vec<u8>| {
            d.extend_from_slice(&[0x90, 0x00]);
            d
        };
        match header[1] {
            0x01 => ok(data),
            0x02 => ok((0..ne.unwrap_or(0)).map(|i| i as u8).collect()),
            0x03 if ne == Some(8) => ok(vec![0xE8; 8]),
            0x03 => vec![0x6C, 0x08],
            0x04 => {
                self.pending = (0..300).map(|i| (i * 7) as u8).collect();
                vec![0x61, 0x00]
            }
            0xC0 if !self.pending.is_empty() => {
                let n = ne.unwrap_or(256).min(self.pending.len());
                let mut out: Vec<u8> = self.pending.drain(..n).collect();
                match self.pending.len() {
                    0 => out.extend_from_slice(&[0x90, 0x00]),
                    left => out.extend_from_slice(&[0x61, left.min(256) as u8]),
                }
                out
            }
            0xC0 => vec![0x69, 0x85],
            _ => vec![0x6D, 0x00],
        }
    }

    /// T=0 card behaviour for a TPDU: case 4 becomes case 3, and its answer waits for GET RESPONSE.
    pub fn tpdu(&mut self, header: [u8; 5], data: &[u8]) -> Vec<u8> {
        let mut apdu = header[..4].to_vec();
        if data.is_empty() {
            apdu.push(header[4]);
        } else {
            apdu.push(header[4]);
            apdu.extend_from_slice(data);
            if header[1] == 0x01 {
                // ECHO has data to return: a T=0 card asks for GET RESPONSE.
                let answer = self.apdu(&apdu);
                let (body, _) = answer.split_at(answer.len() - 2);
                self.pending = body.to_vec();
                return vec![0x61, body.len() as u8];
            }
        }
        self.apdu(&apdu)
    }
}

pub fn lrc(b: &[u8]) -> u8 {
    b.iter().fold(0, |a, x| a ^ x)
}

/// Card misbehaviour for the T=1 tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum T1Quirk {
    /// Ask for a waiting time extension before the answer.
    Wtx(u8),
    /// Announce a new IFSC before the answer.
    Ifs(u8),
    /// Corrupt the EDC of the next block sent.
    CorruptNext,
    /// Act as if the next block received had a bad EDC.
    RejectNext,
    /// Answer the next n blocks with garbage (forces a resynchronisation).
    Garbage(u8),
    /// Abort instead of answering.
    Abort,
}

/// The card's half of T=1 (LRC only; IFSC and IFSD as negotiated).
#[derive(Debug)]
pub struct CardT1 {
    pub ifsc: usize,
    pub ifsd: usize,
    /// N(S) of the card's next I-block.
    ns: u8,
    /// N(S) expected from the host.
    nr: u8,
    rx: Vec<u8>,
    tx: VecDeque<u8>,
    last: Vec<u8>,
    deferred: Option<Vec<u8>>,
    pub quirks: VecDeque<T1Quirk>,
    /// The size of every I-block received, to check chaining.
    pub host_i_sizes: Vec<usize>,
    pub resyncs: usize,
    pub edc_errors_seen: usize,
    pub app: EchoCard,
}

fn block(pcb: u8, inf: &[u8]) -> Vec<u8> {
    let mut b = vec![0, pcb, inf.len() as u8];
    b.extend_from_slice(inf);
    b.push(lrc(&b));
    b
}

impl CardT1 {
    pub fn new(ifsc: usize) -> CardT1 {
        CardT1 {
            ifsc,
            ifsd: 32,
            ns: 0,
            nr: 0,
            rx: vec![],
            tx: VecDeque::new(),
            last: vec![],
            deferred: None,
            quirks: VecDeque::new(),
            host_i_sizes: vec![],
            resyncs: 0,
            edc_errors_seen: 0,
            app: EchoCard::default(),
        }
    }

    fn take_quirk(&mut self, q: impl Fn(&T1Quirk) -> bool) -> Option<T1Quirk> {
        let i = self.quirks.iter().position(q)?;
        self.quirks.remove(i)
    }

    fn send(&mut self, b: Vec<u8>) -> Vec<u8> {
        self.last = b.clone();
        if self.take_quirk(|q| *q == T1Quirk::CorruptNext).is_some() {
            let mut bad = b;
            let end = bad.len() - 1;
            bad[end] ^= 0x5A;
            return bad;
        }
        b
    }

    fn next_i(&mut self) -> Vec<u8> {
        let n = self.tx.len().min(self.ifsd);
        let chunk: Vec<u8> = self.tx.drain(..n).collect();
        let more = !self.tx.is_empty();
        let pcb = self.ns << 6 | if more { 0x20 } else { 0 };
        self.ns ^= 1;
        block(pcb, &chunk)
    }

    /// The answer to one block from the host.
    pub fn on_block(&mut self, b: &[u8]) -> Vec<u8> {
        if let Some(T1Quirk::Garbage(n)) = self.take_quirk(|q| matches!(q, T1Quirk::Garbage(_))) {
            if n > 1 {
                self.quirks.push_front(T1Quirk::Garbage(n - 1));
            }
            if b.get(1) != Some(&0xC0) {
                return vec![0xDE, 0xAD];
            }
        }
        let valid = b.len() >= 4 && usize::from(b[2]) + 4 == b.len() && lrc(b) == 0;
        if !valid || self.take_quirk(|q| *q == T1Quirk::RejectNext).is_some() {
            self.edc_errors_seen += 1;
            let r = block(0x81 | self.nr << 4, &[]);
            return self.send(r);
        }
        let (pcb, inf) = (b[1], &b[3..b.len() - 1]);
        if pcb & 0x80 == 0 {
            let ns = pcb >> 6 & 1;
            if ns != self.nr {
                // A repeated block: send ours again.
                let last = self.last.clone();
                return self.send(last);
            }
            self.host_i_sizes.push(inf.len());
            self.nr ^= 1;
            self.rx.extend_from_slice(inf);
            if pcb & 0x20 != 0 {
                let r = block(0x80 | self.nr << 4, &[]);
                return self.send(r);
            }
            let command = std::mem::take(&mut self.rx);
            let answer = self.app.apdu(&command);
            if let Some(T1Quirk::Abort) = self.take_quirk(|q| *q == T1Quirk::Abort) {
                return self.send(block(0xC2, &[]));
            }
            self.tx = answer.into();
            let first = self.next_i();
            match self.take_quirk(|q| matches!(q, T1Quirk::Wtx(_) | T1Quirk::Ifs(_))) {
                Some(T1Quirk::Wtx(n)) => {
                    self.deferred = Some(first);
                    self.send(block(0xC3, &[n]))
                }
                Some(T1Quirk::Ifs(n)) => {
                    self.deferred = Some(first);
                    self.ifsc = usize::from(n);
                    self.send(block(0xC1, &[n]))
                }
                _ => self.send(first),
            }
        } else if pcb & 0x40 == 0 {
            let nr = pcb >> 4 & 1;
            if nr == self.ns && !self.tx.is_empty() {
                let next = self.next_i();
                self.send(next)
            } else {
                let last = self.last.clone();
                self.send(last)
            }
        } else {
            match (pcb & 0x3F, inf) {
                (0x01, &[n]) => {
                    self.ifsd = usize::from(n);
                    self.send(block(0xE1, &[n]))
                }
                (0x00, []) => {
                    self.resyncs += 1;
                    (self.ns, self.nr, self.ifsd) = (0, 0, 32);
                    self.rx.clear();
                    self.tx.clear();
                    self.send(block(0xE0, &[]))
                }
                (0x02, []) => {
                    self.tx.clear();
                    self.send(block(0xE2, &[]))
                }
                (0x21, _) | (0x23, _) => match self.deferred.take() {
                    Some(d) => self.send(d),
                    None => block(0x82 | self.nr << 4, &[]),
                },
                (0x22, []) => {
                    // The host acknowledged our abort; the next block is its.
                    block(0x80 | self.nr << 4, &[])
                }
                _ => block(0x82 | self.nr << 4, &[]),
            }
        }
    }
}

/// A character-level line: the card consumes bytes and produces a byte stream.
#[derive(Debug, Default)]
pub struct CharLine {
    input: Vec<u8>,
    output: VecDeque<u8>,
    /// T=0: the header being served, and the data still expected.
    t0: Option<([u8; 5], usize)>,
}

impl CharLine {
    /// T=1 over characters: whole blocks in, whole blocks out.
    pub fn t1(&mut self, sent: &[u8], card: &mut CardT1) {
        self.input.extend_from_slice(sent);
        if self.input.len() >= 3 && self.input.len() == usize::from(self.input[2]) + 4 {
            let b = std::mem::take(&mut self.input);
            self.output.extend(card.on_block(&b));
        }
    }

    /// T=0 over characters, with procedure bytes: a NULL, then ACK, or INS^FF for one byte.
    pub fn t0(&mut self, sent: &[u8], app: &mut EchoCard) {
        self.input.extend_from_slice(sent);
        if self.t0.is_none() && self.input.len() >= 5 {
            let header: [u8; 5] = self.input[..5].try_into().expect("5");
            self.input.drain(..5);
            let ins = header[1];
            if header[1] == 0x01 && header[4] > 0 {
                // Case 3: data follows, one byte first, then the rest.
                self.output.push_back(0x60);
                self.output.push_back(ins ^ 0xFF);
                self.t0 = Some((header, usize::from(header[4])));
            } else {
                let answer = app.tpdu(header, &[]);
                let (data, sw) = answer.split_at(answer.len() - 2);
                if !data.is_empty() {
                    self.output.push_back(0x60);
                    self.output.push_back(ins);
                    self.output.extend(data);
                }
                self.output.extend(sw);
            }
        }
        if let Some((header, want)) = self.t0 {
            if self.input.len() == 1 && want > 1 {
                self.output.push_back(header[1]);
            }
            if self.input.len() == want {
                self.t0 = None;
                let data = std::mem::take(&mut self.input);
                self.output.extend(app.tpdu(header, &data));
            }
        }
    }

    pub fn read(&mut self, n: usize) -> Vec<u8> {
        let n = n.min(self.output.len());
        self.output.drain(..n).collect()
    }
}
