//! The exchange levels: how one command APDU travels in XfrBlocks, and its raw response back.

use crate::apdu::CommandApdu;
use crate::atr::Atr;
use crate::descriptor::ExchangeLevel;
use crate::reader::Reader;
use crate::t0::{self, Tpdu};
use crate::t1::{BlockTransport, T1Config, T1};
use crate::{CcidError, Transport};

/// The longest response reassembled from a chained DataBlock sequence.
const MAX_RESPONSE: usize = 65538;

/// wLevelParameter and bChainParameter values of extended-APDU chaining (CCID 1.1 §6.1.4).
const CHAIN_WHOLE: u16 = 0x00;
const CHAIN_BEGIN: u16 = 0x01;
const CHAIN_END: u16 = 0x02;
const CHAIN_CONTINUE: u16 = 0x03;
const CHAIN_MORE: u16 = 0x10;

/// The engine of one powered slot.
#[derive(Debug)]
pub(crate) enum Engine {
    /// One XfrBlock per APDU.
    ShortApdu,
    /// XfrBlocks chained through wLevelParameter / bChainParameter.
    ExtendedApdu,
    /// One T=0 TPDU per XfrBlock.
    TpduT0,
    /// T=0 procedure bytes, character by character.
    CharacterT0,
    /// One T=1 block per XfrBlock (`character`: read in two steps, prologue then the rest).
    T1 { t1: T1, character: bool },
}

impl Engine {
    pub(crate) fn new(level: ExchangeLevel, protocol: u8, atr: &Atr) -> Engine {
        let t1 = |character| Engine::T1 {
            t1: T1::new(T1Config {
                ifsc: atr.ifsc(),
                edc: atr.edc(),
                nad: 0,
            }),
            character,
        };
        match (level, protocol) {
            (ExchangeLevel::ShortApdu, _) => Engine::ShortApdu,
            (ExchangeLevel::ExtendedApdu, _) => Engine::ExtendedApdu,
            (ExchangeLevel::Tpdu, 1) => t1(false),
            (ExchangeLevel::Character, 1) => t1(true),
            (ExchangeLevel::Tpdu, _) => Engine::TpduT0,
            (ExchangeLevel::Character, _) => Engine::CharacterT0,
        }
    }

    /// Tells a T=1 card the reader's IFSD (a no-op for the other engines).
    pub(crate) fn negotiate_ifsd<T: Transport>(
        &mut self,
        reader: &mut Reader<T>,
        slot: u8,
        ifsd: u8,
    ) -> Result<(), CcidError> {
        match self {
            Engine::T1 { t1, character } => t1.negotiate_ifsd(
                &mut XfrBlocks {
                    reader,
                    slot,
                    character: *character,
                    edc: t1.edc().size(),
                },
                ifsd,
            ),
            _ => Ok(()),
        }
    }

    /// Sends a command APDU and returns its raw response (data and SW1 SW2).
    pub(crate) fn transmit<T: Transport>(
        &mut self,
        reader: &mut Reader<T>,
        slot: u8,
        apdu: &[u8],
    ) -> Result<Vec<u8>, CcidError> {
        match self {
            Engine::ShortApdu => {
                let max = reader.descriptor().max_payload();
                if apdu.len() > max {
                    return Err(CcidError::Unsupported(format!(
                        "a {}-byte command on a reader of {max}-byte messages",
                        apdu.len()
                    )));
                }
                Ok(reader.xfr_block(slot, apdu, 0, CHAIN_WHOLE)?.data)
            }
            Engine::ExtendedApdu => extended(reader, slot, apdu),
            Engine::TpduT0 => {
                let tpdu = Tpdu::from_apdu(&CommandApdu::parse(apdu)?)?;
                Ok(reader.xfr_block(slot, &tpdu.to_bytes(), 0, 0)?.data)
            }
            Engine::CharacterT0 => {
                let tpdu = Tpdu::from_apdu(&CommandApdu::parse(apdu)?)?;
                t0::transceive(&tpdu, &mut |send, n| characters(reader, slot, send, n, 0))
            }
            Engine::T1 { t1, character } => {
                let edc = t1.edc().size();
                t1.transceive(
                    &mut XfrBlocks {
                        reader,
                        slot,
                        character: *character,
                        edc,
                    },
                    apdu,
                )
            }
        }
    }
}

/// Extended-APDU level: command chunks of one message each, then the response chunks.
fn extended<T: Transport>(
    reader: &mut Reader<T>,
    slot: u8,
    apdu: &[u8],
) -> Result<Vec<u8>, CcidError> {
    let max = reader.descriptor().max_payload().max(1);
    let mut reply = if apdu.len() <= max {
        reader.xfr_block(slot, apdu, 0, CHAIN_WHOLE)?
    } else {
        let chunks: Vec<&[u8]> = apdu.chunks(max).collect();
        let last = chunks.len() - 1;
        let mut reply = None;
        for (i, chunk) in chunks.into_iter().enumerate() {
            let level = match i {
                0 => CHAIN_BEGIN,
                _ if i == last => CHAIN_END,
                _ => CHAIN_CONTINUE,
            };
            let r = reader.xfr_block(slot, chunk, 0, level)?;
            if i < last && (!r.data.is_empty() || u16::from(r.specific) != CHAIN_MORE) {
                return Err(CcidError::protocol(format!(
                    "command chaining answered with bChainParameter {:02X} and {} bytes",
                    r.specific,
                    r.data.len()
                )));
            }
            reply = Some(r);
        }
        reply.ok_or_else(|| CcidError::protocol("empty command chain"))?
    };
    let mut response = Vec::new();
    let mut first = true;
    loop {
        response.extend_from_slice(&reply.data);
        if response.len() > MAX_RESPONSE {
            return Err(CcidError::protocol("chained response too long"));
        }
        match (first, u16::from(reply.specific)) {
            (true, CHAIN_WHOLE) | (false, CHAIN_END) => return Ok(response),
            (true, CHAIN_BEGIN) | (false, CHAIN_CONTINUE) => {
                reply = reader.xfr_block(slot, &[], 0, CHAIN_MORE)?;
            }
            (_, other) => {
                return Err(CcidError::protocol(format!(
                    "unexpected bChainParameter {other:02X}"
                )))
            }
        }
        first = false;
    }
}

/// Character level: sends `send` and reads exactly `n` bytes from the card.
fn characters<T: Transport>(
    reader: &mut Reader<T>,
    slot: u8,
    send: &[u8],
    n: usize,
    bwi: u8,
) -> Result<Vec<u8>, CcidError> {
    let level = u16::try_from(n).map_err(|_| CcidError::protocol("character read too long"))?;
    let data = reader.xfr_block(slot, send, bwi, level)?.data;
    if data.len() != n {
        return Err(CcidError::protocol(format!(
            "{} characters where {n} were expected",
            data.len()
        )));
    }
    Ok(data)
}

/// T=1 blocks in XfrBlocks.
struct XfrBlocks<'a, T> {
    reader: &'a mut Reader<T>,
    slot: u8,
    character: bool,
    edc: usize,
}

impl<T: Transport> BlockTransport for XfrBlocks<'_, T> {
    fn exchange(&mut self, block: &[u8], wtx: u8) -> Result<Vec<u8>, CcidError> {
        if !self.character {
            return Ok(self.reader.xfr_block(self.slot, block, wtx, 0)?.data);
        }
        // The prologue tells how many bytes follow: LEN, then the epilogue.
        let mut whole = characters(self.reader, self.slot, block, 3, wtx)?;
        let len = whole.get(2).copied().map_or(0, usize::from);
        whole.extend(characters(
            self.reader,
            self.slot,
            &[],
            len + self.edc,
            wtx,
        )?);
        Ok(whole)
    }
}
