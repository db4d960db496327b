//! The host side of T=1: chaining, acknowledgements, error recovery, supervisory blocks.
//!
//! The engine does no I/O of its own: a [`BlockTransport`] carries each block to the card and
//! brings back the card's next block, so the same engine serves TPDU readers (one XfrBlock per
//! block), character readers, and in-process tests.

use core::mem;

use log::{debug, trace, warn};

use super::block::{Block, BlockError, Edc, RError, SType, MAX_INF};
use crate::CcidError;

/// Retransmissions of one block before resynchronising (ISO 7816-3 §11.6.3.2: "at least two").
const MAX_RETRIES: u32 = 3;
/// Resynchronisations of one APDU before giving up.
const MAX_RESYNCHS: u32 = 3;
/// IFSD before any negotiation (ISO 7816-3 §11.4.2).
const DEFAULT_IFSD: usize = 32;
/// The longest response accepted: an extended APDU's 65536 bytes and SW1 SW2.
const MAX_RESPONSE: usize = 65538;

/// Carries one T=1 block to the card and returns the card's answer block.
pub trait BlockTransport {
    /// Sends `block` and receives the next block. `wtx` > 0 is a waiting time extension the
    /// card asked for: the wait for this answer is `wtx` times the usual one.
    fn exchange(&mut self, block: &[u8], wtx: u8) -> Result<Vec<u8>, CcidError>;
}

/// What the ATR fixes for the block protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct T1Config {
    /// The card's initial IFSC.
    pub ifsc: u8,
    /// LRC or CRC.
    pub edc: Edc,
    /// The node address byte sent (0: no addressing).
    pub nad: u8,
}

/// Why one attempt at an exchange ended without an answer.
enum Failure {
    /// The link is out of step: resynchronise and try again.
    Resync,
    /// Give up with this error.
    Fatal(CcidError),
}

impl From<CcidError> for Failure {
    fn from(e: CcidError) -> Self {
        Failure::Fatal(e)
    }
}

/// The state of the host's half of a T=1 link.
#[derive(Debug)]
pub struct T1 {
    config: T1Config,
    ifsc: usize,
    ifsd: usize,
    /// N(S) of our next I-block.
    ns: u8,
    /// N(S) of the card's next I-block.
    nr: u8,
    /// The IFSD asked for, to ask again after a resynchronisation.
    wanted_ifsd: Option<u8>,
    needs_resync: bool,
}

impl T1 {
    /// A fresh link, as after the ATR.
    pub fn new(config: T1Config) -> T1 {
        T1 {
            config,
            ifsc: usize::from(config.ifsc).clamp(1, MAX_INF),
            ifsd: DEFAULT_IFSD,
            ns: 0,
            nr: 0,
            wanted_ifsd: None,
            needs_resync: false,
        }
    }

    /// The card's current information field size.
    pub fn ifsc(&self) -> usize {
        self.ifsc
    }

    /// Ours.
    pub fn ifsd(&self) -> usize {
        self.ifsd
    }

    /// The error detection code in use.
    pub fn edc(&self) -> Edc {
        self.config.edc
    }

    /// Tells the card the largest block we accept: S(IFS request).
    pub fn negotiate_ifsd(
        &mut self,
        io: &mut dyn BlockTransport,
        ifsd: u8,
    ) -> Result<(), CcidError> {
        if !(1..=254).contains(&ifsd) {
            return Err(CcidError::Unsupported(format!("IFSD {ifsd}")));
        }
        self.wanted_ifsd = Some(ifsd);
        match self.supervise(io, SType::Ifs(ifsd))? {
            SType::Ifs(n) if n == ifsd => {
                self.ifsd = usize::from(ifsd);
                debug!("T=1: IFSD {ifsd} accepted");
                Ok(())
            }
            _ => Err(CcidError::protocol(
                "T=1: S(IFS response) with another size",
            )),
        }
    }

    /// Resets both sequence numbers with S(RESYNCH); sizes return to their initial values.
    pub fn resync(&mut self, io: &mut dyn BlockTransport) -> Result<(), CcidError> {
        self.needs_resync = true;
        self.supervise(io, SType::Resynch)?;
        debug!("T=1: resynchronised");
        self.ns = 0;
        self.nr = 0;
        self.ifsc = usize::from(self.config.ifsc).clamp(1, MAX_INF);
        self.ifsd = DEFAULT_IFSD;
        self.needs_resync = false;
        match self.wanted_ifsd {
            Some(n) => self.negotiate_ifsd(io, n),
            None => Ok(()),
        }
    }

    /// Sends a command APDU (chained against IFSC) and returns the whole response.
    pub fn transceive(
        &mut self,
        io: &mut dyn BlockTransport,
        apdu: &[u8],
    ) -> Result<Vec<u8>, CcidError> {
        if apdu.is_empty() {
            return Err(CcidError::InvalidCommand("empty"));
        }
        let mut resyncs = 0;
        loop {
            if self.needs_resync {
                self.resync(io)?;
            }
            match self.attempt(io, apdu) {
                Ok(response) => return Ok(response),
                Err(Failure::Fatal(e)) => return Err(e),
                Err(Failure::Resync) => {
                    resyncs += 1;
                    if resyncs > MAX_RESYNCHS {
                        self.needs_resync = true;
                        return Err(CcidError::protocol(
                            "T=1: retries and resynchronisations exhausted",
                        ));
                    }
                    warn!("T=1: retries exhausted, resynchronising");
                    self.needs_resync = true;
                }
            }
        }
    }

    fn encode(&self, block: &Block) -> Vec<u8> {
        trace!("T=1 send {block:?}");
        block.encode(self.config.nad, self.config.edc)
    }

    fn receive(
        &self,
        answer: Result<Vec<u8>, CcidError>,
    ) -> Result<Result<Block, BlockError>, CcidError> {
        match answer {
            Ok(bytes) => {
                let block = Block::parse(&bytes, self.config.edc).map(|(_, b)| b);
                trace!("T=1 recv {block:?}");
                Ok(block)
            }
            // A garbled or missing answer on the card line is what a bad EDC is: retry.
            Err(CcidError::Reader { error, .. }) if error.is_line_error() => {
                Ok(Err(BlockError::Edc))
            }
            Err(e) => Err(e),
        }
    }

    /// One try at the whole exchange, from the first I-block to the last of the answer.
    fn attempt(&mut self, io: &mut dyn BlockTransport, apdu: &[u8]) -> Result<Vec<u8>, Failure> {
        // The chunk of the APDU in our current I-block.
        let mut chunk = 0..apdu.len().min(self.ifsc);
        let mut sending = true;
        let mut response = Vec::new();
        let mut retries = 0;
        let mut wtx = 0;
        let i_block = |t1: &T1, chunk: &core::ops::Range<usize>| {
            t1.encode(&Block::I {
                ns: t1.ns,
                more: chunk.end < apdu.len(),
                data: apdu.get(chunk.clone()).unwrap_or_default().to_vec(),
            })
        };
        let mut next = i_block(self, &chunk);
        loop {
            let answer = io.exchange(&next, mem::take(&mut wtx));
            let invalid = match self.receive(answer)? {
                Err(e) => Some(e),
                Ok(Block::I { ns, more, data }) => {
                    if (sending && chunk.end < apdu.len()) || ns != self.nr {
                        Some(BlockError::Malformed("unexpected I-block"))
                    } else if data.len() > self.ifsd {
                        Some(BlockError::Malformed("I-block longer than IFSD"))
                    } else {
                        if mem::take(&mut sending) {
                            self.ns ^= 1;
                        }
                        self.nr ^= 1;
                        retries = 0;
                        response.extend_from_slice(&data);
                        if response.len() > MAX_RESPONSE {
                            self.abort_chain(io);
                            return Err(Failure::Fatal(CcidError::protocol(
                                "T=1: response too long",
                            )));
                        }
                        if !more {
                            return Ok(response);
                        }
                        next = self.encode(&Block::R {
                            nr: self.nr,
                            error: RError::None,
                        });
                        None
                    }
                }
                Ok(Block::R { nr, .. }) => {
                    if sending && nr != self.ns && chunk.end < apdu.len() {
                        // The card acknowledged our chained block: on to the next chunk.
                        self.ns ^= 1;
                        chunk = chunk.end..apdu.len().min(chunk.end + self.ifsc);
                        retries = 0;
                        next = i_block(self, &chunk);
                    } else {
                        // The card asks for our last block again (ISO 7816-3 rule 6.2 / 7.2).
                        retries += 1;
                        if retries > MAX_RETRIES {
                            return Err(Failure::Resync);
                        }
                        if sending {
                            next = i_block(self, &chunk);
                        }
                    }
                    None
                }
                Ok(Block::S {
                    response: false,
                    kind,
                }) => match kind {
                    SType::Ifs(n) if (1..=254).contains(&n) => {
                        debug!("T=1: card sets IFSC {n}");
                        self.ifsc = usize::from(n);
                        next = self.encode(&Block::S {
                            response: true,
                            kind,
                        });
                        None
                    }
                    SType::Wtx(n) if n > 0 => {
                        debug!("T=1: card asks for a waiting time extension x{n}");
                        wtx = n;
                        next = self.encode(&Block::S {
                            response: true,
                            kind,
                        });
                        None
                    }
                    SType::Abort => {
                        warn!("T=1: the card aborted the chain");
                        let _ = io.exchange(
                            &self.encode(&Block::S {
                                response: true,
                                kind,
                            }),
                            0,
                        );
                        self.needs_resync = true;
                        return Err(Failure::Fatal(CcidError::Aborted));
                    }
                    // Only the interface device may ask for RESYNCH (ISO 7816-3 §11.6.2.3).
                    _ => Some(BlockError::Malformed("invalid S-block request")),
                },
                Ok(Block::S { response: true, .. }) => {
                    Some(BlockError::Malformed("unsolicited S-block response"))
                }
            };
            if let Some(e) = invalid {
                retries += 1;
                debug!("T=1: {e} (try {retries})");
                if retries > MAX_RETRIES {
                    return Err(Failure::Resync);
                }
                let error = if e == BlockError::Edc {
                    RError::Edc
                } else {
                    RError::Other
                };
                next = self.encode(&Block::R { nr: self.nr, error });
            }
        }
    }

    /// Ends a chain the card is sending with S(ABORT); the link must be resynchronised after.
    fn abort_chain(&mut self, io: &mut dyn BlockTransport) {
        self.needs_resync = true;
        if let Err(e) = self.supervise(io, SType::Abort) {
            debug!("T=1: abort not acknowledged: {e}");
        }
    }

    /// Sends an S-block request until its response comes back.
    fn supervise(&mut self, io: &mut dyn BlockTransport, kind: SType) -> Result<SType, CcidError> {
        let request = self.encode(&Block::S {
            response: false,
            kind,
        });
        for _ in 0..=MAX_RETRIES {
            match self.receive(io.exchange(&request, 0))? {
                Ok(Block::S {
                    response: true,
                    kind: answer,
                }) if mem::discriminant(&answer) == mem::discriminant(&kind) => return Ok(answer),
                other => debug!("T=1: {kind:?} request answered by {other:?}"),
            }
        }
        Err(CcidError::protocol(format!(
            "T=1: no answer to S({kind:?} request)"
        )))
    }
}
