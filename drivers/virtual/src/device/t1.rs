//! The card side of T=1 (ISO/IEC 7816-3 §11), for the TPDU-level reader: the host driver runs its
//! own T=1 engine and this one answers it block by block, as the token's chip would.
//!
//! Block: `NAD PCB LEN INF… LRC`. PCB: I-block `0 N(S) M 00000`; R-block `100 N(R) 00 error`;
//! S-block `11 response type` (0 RESYNCH, 1 IFS, 2 ABORT, 3 WTX).

use std::time::Duration;

/// IFSC and IFSD before any S(IFS): the KAZTOKEN ATR has no TA3, so 32.
pub const DEFAULT_IFS: usize = 32;

const R_EDC_ERROR: u8 = 0x01;
const R_OTHER_ERROR: u8 = 0x02;
const S_RESYNCH: u8 = 0x00;
const S_IFS: u8 = 0x01;
const S_ABORT: u8 = 0x02;
const S_WTX: u8 = 0x03;
const S_RESPONSE: u8 = 0x20;

/// What the card does with a block from the host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Answer with this block, after `delay` (the pace of a slow command's waiting-time requests).
    Send { block: Vec<u8>, delay: Duration },
    /// A whole command APDU arrived: run it and give the response to [`T1Card::respond`].
    Execute(Vec<u8>),
}

/// A block with its LRC.
pub fn block(pcb: u8, inf: &[u8]) -> Vec<u8> {
    let mut b = Vec::with_capacity(inf.len() + 4);
    // INF never exceeds 254 bytes (IFSC and IFSD are at most 254).
    b.extend_from_slice(&[0x00, pcb, inf.len() as u8]);
    b.extend_from_slice(inf);
    b.push(lrc(&b));
    b
}

pub fn lrc(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0, |a, b| a ^ b)
}

/// The card's T=1 state.
#[derive(Clone, Debug)]
pub struct T1Card {
    /// The card's receive capacity.
    ifsc: usize,
    /// The host's receive capacity.
    ifsd: usize,
    /// N(S) of the card's next I-block.
    card_ns: u8,
    /// N(S) the host's next I-block must carry.
    host_ns: u8,
    /// A chained command being received.
    rx: Vec<u8>,
    /// The response being sent, and how much of it has been.
    tx: Vec<u8>,
    tx_sent: usize,
    /// The last block sent, for retransmission.
    last: Vec<u8>,
    /// A response held back while the card still asks for waiting time.
    held: Option<Vec<u8>>,
    wtx_left: u32,
    wtx_multiplier: u8,
    step: Duration,
}

impl Default for T1Card {
    fn default() -> Self {
        T1Card {
            ifsc: DEFAULT_IFS,
            ifsd: DEFAULT_IFS,
            card_ns: 0,
            host_ns: 0,
            rx: Vec::new(),
            tx: Vec::new(),
            tx_sent: 0,
            last: Vec::new(),
            held: None,
            wtx_left: 0,
            wtx_multiplier: 1,
            step: Duration::ZERO,
        }
    }
}

impl T1Card {
    /// The host's current IFSD (what S(IFS request) set).
    pub fn ifsd(&self) -> usize {
        self.ifsd
    }

    /// One block from the host.
    pub fn receive(&mut self, b: &[u8]) -> Step {
        let [nad, pcb, len, inf @ .., _] = b else {
            return self.r_block(R_OTHER_ERROR);
        };
        if usize::from(*len) != inf.len() || *len == 0xFF {
            return self.r_block(R_OTHER_ERROR);
        }
        if lrc(b) != 0 {
            return self.r_block(R_EDC_ERROR);
        }
        if *nad != 0 {
            return self.r_block(R_OTHER_ERROR);
        }
        match pcb & 0xC0 {
            0x00 | 0x40 => self.on_i_block(*pcb, inf),
            0x80 => self.on_r_block(*pcb),
            _ => self.on_s_block(*pcb, inf),
        }
    }

    fn on_i_block(&mut self, pcb: u8, inf: &[u8]) -> Step {
        if self.busy() || pcb & 0x1F != 0 {
            return self.r_block(R_OTHER_ERROR);
        }
        if (pcb >> 6) & 1 != self.host_ns {
            // The host repeats a block it sent: our answer to it was lost.
            return self.resend();
        }
        if inf.len() > self.ifsc {
            return self.r_block(R_OTHER_ERROR);
        }
        self.host_ns ^= 1;
        self.rx.extend_from_slice(inf);
        if pcb & 0x20 != 0 {
            let ack = block(0x80 | (self.host_ns << 4), &[]);
            return self.send(ack, Duration::ZERO);
        }
        Step::Execute(std::mem::take(&mut self.rx))
    }

    fn on_r_block(&mut self, pcb: u8) -> Step {
        let nr = (pcb >> 4) & 1;
        if self.tx_sent < self.tx.len() && nr == self.card_ns {
            // The host acknowledges our last chained block and asks for the next.
            return self.next_chunk(Duration::ZERO);
        }
        self.resend()
    }

    fn on_s_block(&mut self, pcb: u8, inf: &[u8]) -> Step {
        match (pcb, inf) {
            (0xC0, []) => {
                let ifsc = self.ifsc;
                *self = T1Card {
                    ifsc,
                    ..T1Card::default()
                };
                self.send(block(0xC0 | S_RESPONSE | S_RESYNCH, &[]), Duration::ZERO)
            }
            (0xC1, &[ifsd]) if (1..=0xFE).contains(&ifsd) => {
                self.ifsd = usize::from(ifsd);
                self.send(block(0xC0 | S_RESPONSE | S_IFS, &[ifsd]), Duration::ZERO)
            }
            (0xC2, []) => {
                self.rx.clear();
                self.tx.clear();
                self.tx_sent = 0;
                self.held = None;
                self.wtx_left = 0;
                self.send(block(0xC0 | S_RESPONSE | S_ABORT, &[]), Duration::ZERO)
            }
            (0xE3, [_]) if self.held.is_some() => {
                if self.wtx_left > 0 {
                    self.wtx_left -= 1;
                    self.wtx_request()
                } else {
                    let response = self.held.take().unwrap_or_default();
                    self.start(response, self.step)
                }
            }
            _ => self.r_block(R_OTHER_ERROR),
        }
    }

    /// Sends the response to the command [`Step::Execute`] handed over, first asking for
    /// `wtx_requests` waiting-time extensions, each `step` apart (then `step` before the answer).
    pub fn respond(
        &mut self,
        response: Vec<u8>,
        wtx_requests: u32,
        multiplier: u8,
        step: Duration,
    ) -> Step {
        self.step = step;
        self.wtx_multiplier = multiplier;
        if wtx_requests == 0 {
            return self.start(response, step);
        }
        self.held = Some(response);
        self.wtx_left = wtx_requests - 1;
        self.wtx_request()
    }

    fn wtx_request(&mut self) -> Step {
        let b = block(0xC0 | S_WTX, &[self.wtx_multiplier]);
        self.send(b, self.step)
    }

    fn start(&mut self, response: Vec<u8>, delay: Duration) -> Step {
        self.tx = response;
        self.tx_sent = 0;
        self.next_chunk(delay)
    }

    fn next_chunk(&mut self, delay: Duration) -> Step {
        let end = self.tx.len().min(self.tx_sent + self.ifsd);
        let more = end < self.tx.len();
        let pcb = (self.card_ns << 6) | if more { 0x20 } else { 0 };
        let b = block(pcb, &self.tx[self.tx_sent..end]);
        self.card_ns ^= 1;
        self.tx_sent = end;
        if !more {
            self.tx.clear();
            self.tx_sent = 0;
        }
        self.send(b, delay)
    }

    /// Whether the card is in the middle of answering (chaining, or asking for time).
    fn busy(&self) -> bool {
        self.tx_sent < self.tx.len() || self.held.is_some()
    }

    fn send(&mut self, block: Vec<u8>, delay: Duration) -> Step {
        self.last.clone_from(&block);
        Step::Send { block, delay }
    }

    fn resend(&mut self) -> Step {
        if self.last.is_empty() {
            return self.r_block(R_OTHER_ERROR);
        }
        Step::Send {
            block: self.last.clone(),
            delay: Duration::ZERO,
        }
    }

    /// An R-block asking for the host's next (or repeated) I-block; not kept for retransmission.
    fn r_block(&self, error: u8) -> Step {
        Step::Send {
            block: block(0x80 | (self.host_ns << 4) | error, &[]),
            delay: Duration::ZERO,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(step: Step) -> Vec<u8> {
        match step {
            Step::Send { block, .. } => block,
            Step::Execute(a) => panic!("executed {a:02X?}"),
        }
    }

    #[test]
    fn chained_command_and_response() {
        let mut t = T1Card::default();
        assert_eq!(sent(t.receive(&block(0xC1, &[0xFE]))), block(0xE1, &[0xFE]));
        assert_eq!(sent(t.receive(&block(0x20, &[1, 2]))), block(0x90, &[]));
        assert_eq!(t.receive(&block(0x40, &[3])), Step::Execute(vec![1, 2, 3]));
        let resp: Vec<u8> = (0..300).map(|i| i as u8).collect();
        let first = sent(t.respond(resp.clone(), 0, 1, Duration::ZERO));
        assert_eq!(first, block(0x20, &resp[..254]));
        // A retransmission request, then the acknowledgement.
        assert_eq!(sent(t.receive(&block(0x80, &[]))), first);
        assert_eq!(
            sent(t.receive(&block(0x90, &[]))),
            block(0x40, &resp[254..])
        );
    }

    #[test]
    fn errors() {
        let mut t = T1Card::default();
        let mut bad = block(0x00, &[1]);
        bad[4] ^= 1;
        assert_eq!(sent(t.receive(&bad)), block(0x81, &[]));
        assert_eq!(sent(t.receive(&[0, 0, 5, 0])), block(0x82, &[]));
        assert_eq!(sent(t.receive(&block(0x00, &[0; 33]))), block(0x82, &[]));
        assert_eq!(sent(t.receive(&block(0xC0, &[]))), block(0xE0, &[]));
    }

    #[test]
    fn waiting_time() {
        let mut t = T1Card::default();
        assert_eq!(t.receive(&block(0x00, &[9])), Step::Execute(vec![9]));
        assert_eq!(
            sent(t.respond(vec![0x90, 0], 2, 3, Duration::ZERO)),
            block(0xC3, &[3])
        );
        assert_eq!(sent(t.receive(&block(0x00, &[1]))), block(0x92, &[]));
        assert_eq!(sent(t.receive(&block(0xE3, &[3]))), block(0xC3, &[3]));
        assert_eq!(sent(t.receive(&block(0xE3, &[3]))), block(0x00, &[0x90, 0]));
    }
}
