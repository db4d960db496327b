//! The reader's firmware: answers each PC_to_RDR message with RDR_to_PC messages, at the exchange
//! level the descriptor announces.

use std::collections::VecDeque;
use std::time::Duration;

use super::faults::Faults;
use super::frames::{cmd, err, reply_kind, rsp, status, FrameError, HostMessage, Reply};
use super::t1::{Step, T1Card};
use super::{DeviceConfig, ExchangeLevel};
use crate::VirtualCard;

/// The T=1 protocol data structure (CCID 1.1 §6.1.7) the reader starts with: Fi/Di 1/1, LRC,
/// direct convention, BWI 4 / CWI 5, IFSC 32, NAD 0.
pub const DEFAULT_T1_PARAMETERS: [u8; 7] = [0x11, 0x10, 0x00, 0x45, 0x00, 0x20, 0x00];

/// The largest command an extended-level host may chain (an extended APDU's maximum).
const MAX_CHAINED_COMMAND: usize = 65_544;

/// How many host messages the log keeps.
const LOG_LIMIT: usize = 1024;

/// A reply waiting for the host's bulk-IN, with the time the reader takes before sending it.
#[derive(Debug)]
pub struct Outgoing {
    pub frame: Vec<u8>,
    pub delay: Duration,
    /// Bytes already read (a host buffer smaller than the frame reads it in several transfers).
    pub read: usize,
}

/// Everything the reader and its card are.
#[derive(Debug)]
pub struct Reader {
    pub config: DeviceConfig,
    pub card: VirtualCard,
    pub connected: bool,
    pub card_present: bool,
    pub outbox: VecDeque<Outgoing>,
    pub interrupts: VecDeque<Vec<u8>>,
    pub faults: Faults,
    pub host_log: VecDeque<Vec<u8>>,
    t1: T1Card,
    parameters: [u8; 7],
    /// Extended level: a command being chained in, a response being chained out.
    chained_command: Option<Vec<u8>>,
    chained_response: Option<(Vec<u8>, usize)>,
    /// bSeq of an ABORT class request waiting for its PC_to_RDR_Abort, and vice versa.
    abort_by_control: Option<u8>,
    abort_by_bulk: Option<u8>,
}

impl Reader {
    pub fn new(mut card: VirtualCard, config: DeviceConfig) -> Self {
        // A card in the slot is not powered until the host asks.
        card.power_off();
        let mut r = Reader {
            config,
            card,
            connected: true,
            card_present: true,
            outbox: VecDeque::new(),
            interrupts: VecDeque::new(),
            faults: Faults::default(),
            host_log: VecDeque::new(),
            t1: T1Card::default(),
            parameters: DEFAULT_T1_PARAMETERS,
            chained_command: None,
            chained_response: None,
            abort_by_control: None,
            abort_by_bulk: None,
        };
        r.notify_slot_change();
        r
    }

    /// bmSlotICCState of slot 0 with the "changed" bit.
    pub fn notify_slot_change(&mut self) {
        let present = u8::from(self.card_present);
        self.interrupts
            .push_back(vec![rsp::NOTIFY_SLOT_CHANGE, 0x02 | present]);
    }

    /// Forgets every exchange in progress (power cycle, abort, unplugging).
    pub fn reset_exchange(&mut self) {
        self.outbox.clear();
        self.t1 = T1Card::default();
        self.chained_command = None;
        self.chained_response = None;
    }

    /// The IFSD the host negotiated with S(IFS request) (TPDU level).
    pub fn t1_ifsd(&self) -> usize {
        self.t1.ifsd()
    }

    fn icc_status(&self) -> u8 {
        match (self.card_present, self.card.is_powered()) {
            (false, _) => 2,
            (true, false) => 1,
            (true, true) => 0,
        }
    }

    fn max_data(&self) -> usize {
        (self.config.max_message_length as usize).saturating_sub(super::frames::HEADER)
    }

    /// One bulk-OUT transfer from the host.
    pub fn on_bulk_out(&mut self, bytes: &[u8]) {
        if self.host_log.len() == LOG_LIMIT {
            self.host_log.pop_front();
        }
        self.host_log.push_back(bytes.to_vec());
        let m = match HostMessage::parse(bytes, self.config.max_message_length as usize) {
            Ok(m) => m,
            Err(FrameError::TooShort) => {
                log::debug!(
                    "virtual reader: ignoring a {}-byte bulk message",
                    bytes.len()
                );
                return;
            }
            Err(FrameError::BadLength { kind, slot, seq }) => {
                return self.fail(kind, slot, seq, err::BAD_LENGTH);
            }
        };
        if m.slot != 0 {
            return self.fail(m.kind, m.slot, m.seq, err::BAD_SLOT);
        }
        if m.kind == cmd::ABORT {
            return self.on_abort_bulk(m.seq);
        }
        if self.abort_by_control.is_some() {
            return self.fail(m.kind, m.slot, m.seq, err::CMD_ABORTED);
        }
        match m.kind {
            cmd::ICC_POWER_ON => self.power_on(&m),
            cmd::ICC_POWER_OFF => {
                self.card.power_off();
                self.reset_exchange();
                self.answer(&m, 0, Vec::new());
            }
            cmd::GET_SLOT_STATUS => self.answer(&m, 0, Vec::new()),
            cmd::GET_PARAMETERS => self.answer(&m, 1, self.parameters.to_vec()),
            cmd::RESET_PARAMETERS => {
                self.parameters = DEFAULT_T1_PARAMETERS;
                self.answer(&m, 1, self.parameters.to_vec());
            }
            cmd::SET_PARAMETERS => self.set_parameters(&m),
            cmd::XFR_BLOCK => self.xfr_block(&m),
            _ => self.fail(m.kind, m.slot, m.seq, err::CMD_NOT_SUPPORTED),
        }
    }

    fn power_on(&mut self, m: &HostMessage<'_>) {
        if m.params[0] > 3 {
            return self.fail(m.kind, m.slot, m.seq, err::BAD_PROTOCOL_OR_POWER);
        }
        if !self.card_present {
            return self.fail(m.kind, m.slot, m.seq, err::ICC_MUTE);
        }
        let atr = self.card.power_on();
        self.reset_exchange();
        self.parameters = DEFAULT_T1_PARAMETERS;
        self.answer(m, 0, atr);
    }

    fn set_parameters(&mut self, m: &HostMessage<'_>) {
        if m.params[0] != 1 {
            // bProtocolNum: the card is T=1 only.
            return self.fail(m.kind, m.slot, m.seq, err::BAD_PROTOCOL_OR_POWER);
        }
        let Ok(p) = <[u8; 7]>::try_from(m.data) else {
            return self.fail(m.kind, m.slot, m.seq, err::BAD_LENGTH);
        };
        if p[1] & 0x01 != 0 {
            // bmTCCKST1 asks for CRC: the card checks LRC only (error at abData[1]).
            return self.fail(m.kind, m.slot, m.seq, 11);
        }
        self.parameters = p;
        self.answer(m, 1, p.to_vec());
    }

    fn xfr_block(&mut self, m: &HostMessage<'_>) {
        if !self.card_present || !self.card.is_powered() {
            return self.fail(m.kind, m.slot, m.seq, err::ICC_MUTE);
        }
        match self.config.level {
            ExchangeLevel::ShortApdu => self.run_apdu(m.seq, m.data.to_vec()),
            ExchangeLevel::ExtendedApdu => self.extended(m),
            ExchangeLevel::Tpdu => match self.t1.receive(m.data) {
                Step::Send { block, delay } => self.data_block(m.seq, block, 0, 0, delay),
                Step::Execute(apdu) => {
                    let (response, k, step) = self.execute(&apdu);
                    let multiplier = self.config.time_extension_multiplier;
                    if let Step::Send { block, delay } =
                        self.t1.respond(response, k, multiplier, step)
                    {
                        self.data_block(m.seq, block, 0, 0, delay);
                    }
                }
            },
        }
    }

    /// Runs a command on the card: the response, how many time extensions its delay is worth,
    /// and the pause before each of them (and before the answer).
    fn execute(&mut self, apdu: &[u8]) -> (Vec<u8>, u32, Duration) {
        let delay = self.card.command_delay(apdu);
        let response = self.card.execute(apdu);
        let interval = self.config.time_extension_interval;
        if delay.is_zero() || interval.is_zero() {
            return (response, 0, delay);
        }
        let k = delay.as_nanos().div_ceil(interval.as_nanos());
        let k = u32::try_from(k).unwrap_or(u32::MAX);
        (response, k, delay / (k.saturating_add(1)))
    }

    /// An APDU-level command: the whole response, or its first part when it must be chained.
    fn run_apdu(&mut self, seq: u8, apdu: Vec<u8>) {
        let (response, k, step) = self.execute(&apdu);
        let chunk = self.max_data().max(1);
        if response.len() <= chunk || self.config.level != ExchangeLevel::ExtendedApdu {
            return self.data_block(seq, response, 0x00, k, step);
        }
        let first = response[..chunk].to_vec();
        self.chained_response = Some((response, chunk));
        self.data_block(seq, first, 0x01, k, step);
    }

    /// Extended APDU level: wLevelParameter 0000 whole, 0001 begins, 0003 continues, 0002 ends,
    /// 0010 "the next part of the response".
    fn extended(&mut self, m: &HostMessage<'_>) {
        let bad = |r: &mut Self| r.fail(m.kind, m.slot, m.seq, err::BAD_LEVEL_PARAMETER);
        match (m.level_parameter(), self.chained_command.as_mut()) {
            (0x0000, _) => {
                self.chained_command = None;
                self.run_apdu(m.seq, m.data.to_vec());
            }
            (0x0001, _) => {
                self.chained_command = Some(m.data.to_vec());
                self.data_block(m.seq, Vec::new(), 0x10, 0, Duration::ZERO);
            }
            (0x0003 | 0x0002, Some(command)) => {
                if command.len() + m.data.len() > MAX_CHAINED_COMMAND {
                    self.chained_command = None;
                    return self.fail(m.kind, m.slot, m.seq, err::BAD_LENGTH);
                }
                command.extend_from_slice(m.data);
                if m.level_parameter() == 0x0003 {
                    self.data_block(m.seq, Vec::new(), 0x10, 0, Duration::ZERO);
                } else if let Some(apdu) = self.chained_command.take() {
                    self.run_apdu(m.seq, apdu);
                }
            }
            (0x0010, _) => {
                let Some((response, sent)) = self.chained_response.take() else {
                    return bad(self);
                };
                let end = response.len().min(sent + self.max_data().max(1));
                let part = response[sent..end].to_vec();
                if end < response.len() {
                    self.chained_response = Some((response, end));
                    self.data_block(m.seq, part, 0x03, 0, Duration::ZERO);
                } else {
                    self.data_block(m.seq, part, 0x02, 0, Duration::ZERO);
                }
            }
            _ => bad(self),
        }
    }

    /// A DataBlock, preceded by the configured time extensions and by `slow` more, each `step`
    /// apart; the DataBlock itself comes `step` after the last.
    fn data_block(&mut self, seq: u8, data: Vec<u8>, chain: u8, slow: u32, step: Duration) {
        let icc = self.icc_status();
        let extension = Reply {
            kind: rsp::DATA_BLOCK,
            slot: 0,
            seq,
            status: status::TIME_EXTENSION | icc,
            error: self.config.time_extension_multiplier,
            param: 0,
            data: Vec::new(),
        };
        for _ in 0..self.config.time_extensions {
            self.push(extension.clone(), Duration::ZERO);
        }
        for _ in 0..slow {
            self.push(extension.clone(), step);
        }
        let reply = Reply {
            status: icc,
            error: 0,
            param: chain,
            data,
            ..extension
        };
        self.push(reply, step);
    }

    /// PC_to_RDR_Abort: done once the ABORT class request with the same bSeq has arrived too.
    fn on_abort_bulk(&mut self, seq: u8) {
        if self.abort_by_control == Some(seq) {
            self.abort_by_control = None;
            self.reset_exchange();
            self.ok(rsp::SLOT_STATUS, seq, 0, Vec::new());
        } else {
            self.abort_by_bulk = Some(seq);
        }
    }

    /// The ABORT class request (wValue = bSeq << 8 | bSlot): stops what the slot was doing; the
    /// SlotStatus answers the PC_to_RDR_Abort, which may come before or after.
    pub fn on_abort_control(&mut self, value: u16) {
        let seq = (value >> 8) as u8;
        self.reset_exchange();
        if self.abort_by_bulk.take() == Some(seq) {
            self.ok(rsp::SLOT_STATUS, seq, 0, Vec::new());
        } else {
            self.abort_by_control = Some(seq);
        }
    }

    /// A reply to `m` that succeeded (bmCommandStatus 0).
    fn answer(&mut self, m: &HostMessage<'_>, param: u8, data: Vec<u8>) {
        self.ok(reply_kind(m.kind), m.seq, param, data);
    }

    fn ok(&mut self, kind: u8, seq: u8, param: u8, data: Vec<u8>) {
        let status = self.icc_status();
        let reply = Reply {
            kind,
            slot: 0,
            seq,
            status,
            error: 0,
            param,
            data,
        };
        self.push(reply, Duration::ZERO);
    }

    /// A reply saying the command failed with `error`.
    fn fail(&mut self, kind: u8, slot: u8, seq: u8, error: u8) {
        let status = status::FAILED | self.icc_status();
        self.push(
            Reply {
                kind: reply_kind(kind),
                slot,
                seq,
                status,
                error,
                param: 0,
                data: Vec::new(),
            },
            Duration::ZERO,
        );
    }

    fn push(&mut self, reply: Reply, delay: Duration) {
        self.outbox.push_back(Outgoing {
            frame: reply.encode(),
            delay,
            read: 0,
        });
    }
}
