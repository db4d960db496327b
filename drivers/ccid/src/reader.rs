//! One CCID reader: bulk request/reply with sequence checks, time extensions, bError mapping,
//! the Abort sequence and the interrupt endpoint.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use log::{debug, trace, warn};

use crate::atr::Atr;
use crate::descriptor::{CcidDescriptor, Features};
use crate::message::{CommandStatus, IccStatus, Reply, Request, Voltage, HEADER_LEN};
use crate::notify::ReaderEvent;
use crate::params::ProtocolParameters;
use crate::{CcidError, SlotError, Transport, TransportError};

/// libccid's default read timeout.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);
/// An ATR can take about 29 s at 4 MHz; libccid waits 60 s.
const POWER_ON_TIMEOUT: Duration = Duration::from_secs(60);
/// Replies with a stale bSeq skipped before giving up (libccid's bound).
const MAX_STALE_REPLIES: usize = 10;
/// Time extensions accepted for one command: a guard against a reader that never answers.
const MAX_TIME_EXTENSIONS: usize = 4096;
/// The ABORT class request.
const REQUEST_ABORT: u8 = 0x01;
/// The largest bulk-IN message read, whatever the descriptor claims.
const MAX_READ: usize = 0x1_0000 + 0x200;
/// The smallest: a short-APDU reader's 261 bytes and the header.
const MIN_READ: usize = 271;
/// The interrupt messages are at most 1 + 64 bytes (256 slots).
const INTERRUPT_LEN: usize = 65;

/// A reader shared by the cards in its slots; the lock serialises their commands.
pub type SharedReader<T> = Arc<Mutex<Reader<T>>>;

/// The answer of GetSlotStatus, IccPowerOff and Abort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SlotStatus {
    /// Whether a card is there and powered.
    pub icc: IccStatus,
    /// bClockStatus.
    pub clock: u8,
}

/// A CCID reader over a [`Transport`].
#[derive(Debug)]
pub struct Reader<T> {
    transport: T,
    descriptor: CcidDescriptor,
    /// bSeq of the next request, shared by all slots.
    seq: u8,
    timeout: Duration,
}

impl<T: Transport> Reader<T> {
    /// Opens a reader: parses its class descriptor.
    pub fn open(transport: T) -> Result<Reader<T>, CcidError> {
        let descriptor = CcidDescriptor::parse(transport.class_descriptor())?;
        debug!(
            "CCID reader: {} slot(s), protocols {:#x}, features {:#010x}, {:?} level, messages of {} bytes",
            descriptor.slot_count(),
            descriptor.protocols,
            descriptor.features.0,
            descriptor.exchange_level(),
            descriptor.max_message_length
        );
        Ok(Reader {
            transport,
            descriptor,
            seq: 0,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// Wraps the reader for sharing between slots.
    pub fn shared(self) -> SharedReader<T> {
        Arc::new(Mutex::new(self))
    }

    /// The class descriptor.
    pub fn descriptor(&self) -> &CcidDescriptor {
        &self.descriptor
    }

    /// The base timeout of a reply (3 s unless changed).
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Changes the base timeout of a reply.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The transport, mutably.
    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// Gives the transport back.
    pub fn into_transport(self) -> T {
        self.transport
    }

    /// Powers the card on and returns its ATR. Without automatic voltage selection, tries the
    /// voltage classes the reader supports from the lowest up (ISO 7816-3 §6.2.4).
    pub fn power_on(&mut self, slot: u8) -> Result<Atr, CcidError> {
        let features = self.descriptor.features;
        let support = self.descriptor.voltage_support;
        let classes: Vec<Voltage> = if features.contains(Features::AUTO_VOLTAGE)
            || features.contains(Features::AUTO_ACTIVATION)
            || support & 0x07 == 0
        {
            vec![Voltage::Auto]
        } else {
            [
                (0x04, Voltage::V1_8),
                (0x02, Voltage::V3),
                (0x01, Voltage::V5),
            ]
            .into_iter()
            .filter(|&(bit, _)| support & bit != 0)
            .map(|(_, v)| v)
            .collect()
        };
        let timeout = self.timeout.max(POWER_ON_TIMEOUT);
        let mut last = CcidError::NoCard;
        for voltage in classes {
            match self.transact(slot, &Request::IccPowerOn(voltage), timeout) {
                Ok(reply) => return Atr::parse(&reply.data),
                Err(e @ CcidError::Reader { .. }) => {
                    debug!("power on at {voltage:?} failed: {e}");
                    // A reader may refuse to switch classes while the card is powered.
                    let _ = self.power_off(slot);
                    last = e;
                }
                Err(e) => return Err(e),
            }
        }
        Err(last)
    }

    /// Powers the card off.
    pub fn power_off(&mut self, slot: u8) -> Result<SlotStatus, CcidError> {
        self.slot_request(slot, &Request::IccPowerOff)
    }

    /// The slot's status.
    pub fn slot_status(&mut self, slot: u8) -> Result<SlotStatus, CcidError> {
        self.slot_request(slot, &Request::GetSlotStatus)
    }

    /// Sends abData to the card with XfrBlock. `bwi` > 0 extends the reply timeout that many
    /// times; `level` is wLevelParameter. Returns the DataBlock (its `specific` byte is
    /// bChainParameter).
    pub fn xfr_block(
        &mut self,
        slot: u8,
        data: &[u8],
        bwi: u8,
        level: u16,
    ) -> Result<Reply, CcidError> {
        let timeout = self.timeout.saturating_mul(u32::from(bwi.max(1)));
        self.transact(slot, &Request::XfrBlock { bwi, level, data }, timeout)
    }

    /// Reads the protocol parameters.
    pub fn get_parameters(&mut self, slot: u8) -> Result<ProtocolParameters, CcidError> {
        self.parameters_request(slot, &Request::GetParameters)
    }

    /// Sets the protocol parameters and returns those the reader now uses.
    pub fn set_parameters(
        &mut self,
        slot: u8,
        parameters: &ProtocolParameters,
    ) -> Result<ProtocolParameters, CcidError> {
        let data = parameters.encode();
        let request = Request::SetParameters {
            protocol: parameters.protocol(),
            data: &data,
        };
        self.parameters_request(slot, &request)
    }

    /// Aborts the slot's command: the ABORT class request, then PC_to_RDR_Abort with the same
    /// bSlot and bSeq (CCID 1.1 §5.3.1). Replies of the aborted command are skipped as stale.
    pub fn abort(&mut self, slot: u8) -> Result<SlotStatus, CcidError> {
        self.check_slot(slot)?;
        let seq = self.next_seq();
        let value = u16::from(seq) << 8 | u16::from(slot);
        match self
            .transport
            .class_request_out(REQUEST_ABORT, value, self.timeout)
        {
            Ok(()) => {}
            // QEMU's reader stalls it; the bulk Abort then tells whether the reader supports it.
            Err(TransportError::Stall) => debug!("the reader stalled the ABORT class request"),
            Err(e) => return Err(e.into()),
        }
        let reply = self.exchange(slot, seq, &Request::Abort, self.timeout)?;
        Ok(SlotStatus {
            icc: reply.icc,
            clock: reply.specific,
        })
    }

    /// Waits up to `timeout` for an interrupt message: `None` when nothing came.
    pub fn poll_slot_change(
        &mut self,
        timeout: Duration,
    ) -> Result<Option<ReaderEvent>, CcidError> {
        let mut buf = [0u8; INTERRUPT_LEN];
        match self.transport.interrupt_in(&mut buf, timeout) {
            Ok(n) => {
                let message = buf.get(..n).unwrap_or_default();
                ReaderEvent::parse(message, self.descriptor.slot_count()).map(Some)
            }
            Err(TransportError::Timeout) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Sends one request and returns its reply, with every check of [`Reader`] applied; a failed
    /// command becomes an error.
    pub fn transact(
        &mut self,
        slot: u8,
        request: &Request<'_>,
        timeout: Duration,
    ) -> Result<Reply, CcidError> {
        self.check_slot(slot)?;
        let seq = self.next_seq();
        self.exchange(slot, seq, request, timeout)
    }

    fn slot_request(&mut self, slot: u8, request: &Request<'_>) -> Result<SlotStatus, CcidError> {
        let reply = self.transact(slot, request, self.timeout)?;
        Ok(SlotStatus {
            icc: reply.icc,
            clock: reply.specific,
        })
    }

    fn parameters_request(
        &mut self,
        slot: u8,
        request: &Request<'_>,
    ) -> Result<ProtocolParameters, CcidError> {
        let reply = self.transact(slot, request, self.timeout)?;
        ProtocolParameters::parse(reply.specific, &reply.data)
    }

    fn check_slot(&self, slot: u8) -> Result<(), CcidError> {
        if slot > self.descriptor.max_slot_index {
            return Err(CcidError::Unsupported(format!(
                "slot {slot} on a reader with {} slot(s)",
                self.descriptor.slot_count()
            )));
        }
        Ok(())
    }

    fn next_seq(&mut self) -> u8 {
        let seq = self.seq;
        self.seq = self.seq.wrapping_add(1);
        seq
    }

    fn exchange(
        &mut self,
        slot: u8,
        seq: u8,
        request: &Request<'_>,
        timeout: Duration,
    ) -> Result<Reply, CcidError> {
        let message = request.encode(slot, seq);
        trace!(
            "CCID out type {:02X} slot {slot} seq {seq} ({} data bytes)",
            request.message_type(),
            message.len() - HEADER_LEN
        );
        self.transport.bulk_out(&message, self.timeout)?;
        let read_len = usize::try_from(self.descriptor.max_message_length)
            .unwrap_or(MAX_READ)
            .clamp(MIN_READ, MAX_READ);
        let mut buf = vec![0u8; read_len];
        let mut wait = timeout;
        let (mut stale, mut extensions) = (0, 0);
        loop {
            let n = self.transport.bulk_in(&mut buf, wait)?;
            let frame = buf.get(..n).unwrap_or_default();
            if frame.is_empty() {
                // Some readers send zero-length packets (libccid's ZLP workaround).
                stale += 1;
            } else {
                let reply = Reply::parse(frame)?;
                trace!(
                    "CCID in type {:02X} slot {} seq {} status {:?}/{:?} error {:02X} ({} data bytes)",
                    reply.message_type,
                    reply.slot,
                    reply.seq,
                    reply.icc,
                    reply.command,
                    reply.error,
                    reply.data.len()
                );
                if reply.seq != seq {
                    debug!(
                        "skipping a stale reply (bSeq {} while waiting for {seq})",
                        reply.seq
                    );
                    stale += 1;
                } else if reply.slot != slot {
                    return Err(CcidError::protocol(format!(
                        "reply for slot {} to a request for slot {slot}",
                        reply.slot
                    )));
                } else {
                    match reply.command {
                        CommandStatus::TimeExtension => {
                            // Read again without resending; bError multiplies the wait.
                            extensions += 1;
                            if extensions > MAX_TIME_EXTENSIONS {
                                return Err(CcidError::protocol("endless time extensions"));
                            }
                            wait = timeout.saturating_mul(u32::from(reply.error.max(1)));
                            debug!("time extension requested (x{})", reply.error);
                            continue;
                        }
                        CommandStatus::Failed => return Err(slot_error(slot, &reply)),
                        // QEMU 7.2 answers an XfrBlock after the card was pulled with an empty
                        // DataBlock that says "absent" and reports success: no card answered.
                        CommandStatus::Ok
                            if reply.icc == IccStatus::Absent
                                && matches!(request, Request::XfrBlock { .. }) =>
                        {
                            return Err(CcidError::NoCard);
                        }
                        CommandStatus::Ok if reply.message_type != request.reply_type() => {
                            return Err(CcidError::protocol(format!(
                                "reply type 0x{:02X} to request type 0x{:02X}",
                                reply.message_type,
                                request.message_type()
                            )));
                        }
                        CommandStatus::Ok => return Ok(reply),
                    }
                }
            }
            if stale > MAX_STALE_REPLIES {
                warn!("more than {MAX_STALE_REPLIES} stale replies");
                return Err(CcidError::protocol("too many replies with a stale bSeq"));
            }
        }
    }
}

/// The error of a failed command (CCID 1.1 §6.2.6).
fn slot_error(slot: u8, reply: &Reply) -> CcidError {
    match (reply.icc, SlotError(reply.error)) {
        (IccStatus::Absent, _) => CcidError::NoCard,
        (_, SlotError::CMD_ABORTED) => CcidError::Aborted,
        (_, error) => CcidError::Reader { slot, error },
    }
}
