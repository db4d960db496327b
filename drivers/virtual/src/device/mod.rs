//! A CCID reader with the virtual KAZTOKEN in its slot, modelled at the level of bulk messages:
//! it implements [`Transport`], so the host driver runs unchanged on top of it.
//!
//! By default it is a Rutoken-ECP-like short-APDU reader; [`DeviceConfig`] switches it to a TPDU
//! reader (the host runs T=1, the model answers as the card's T=1) or an extended-APDU reader with
//! a small message size (the host must chain), and adds time extensions. A [`DeviceHandle`] flips
//! faults (lost or spoiled replies, unplugging, card removal) while the driver owns the transport.

mod descriptor;
mod faults;
mod frames;
mod reader;
mod t1;

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tamga_ccid::{Transport, TransportError};

pub use descriptor::{features, LENGTH as CLASS_DESCRIPTOR_LENGTH};
pub use faults::Garble;
pub use frames::{cmd as message_type, rsp as reply_type};
pub use reader::DEFAULT_T1_PARAMETERS;
pub use t1::{block as t1_block, DEFAULT_IFS};

use crate::state::StateError;
use crate::VirtualCard;
use reader::Reader;

/// USB full-speed bulk packet size: a bulk-IN transfer ends at a short packet.
pub const MAX_PACKET: usize = 64;

/// dwMaxCCIDMessageLength of Rutoken ECP: a 261-byte short APDU plus the header.
pub const RUTOKEN_MAX_MESSAGE: u32 = 271;

/// The exchange level (dwFeatures bits 16–18).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExchangeLevel {
    /// XfrBlock carries T=1 blocks; the host runs T=1.
    Tpdu,
    /// XfrBlock carries one short APDU and its whole response.
    ShortApdu,
    /// Longer commands and responses are chained over several XfrBlocks.
    ExtendedApdu,
}

/// How the reader model behaves. Build with the methods, starting from [`DeviceConfig::default`]
/// (Rutoken ECP: short APDU level, 271-byte messages, no time extensions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceConfig {
    level: ExchangeLevel,
    max_message_length: u32,
    time_extensions: u32,
    time_extension_interval: Duration,
    time_extension_multiplier: u8,
}

impl Default for DeviceConfig {
    fn default() -> Self {
        DeviceConfig {
            level: ExchangeLevel::ShortApdu,
            max_message_length: RUTOKEN_MAX_MESSAGE,
            time_extensions: 0,
            time_extension_interval: Duration::from_secs(1),
            time_extension_multiplier: 1,
        }
    }
}

impl DeviceConfig {
    /// A TPDU-level reader: the model answers T=1 blocks as the card (IFSC 32).
    pub fn tpdu(mut self) -> Self {
        self.level = ExchangeLevel::Tpdu;
        self
    }

    /// An extended-APDU-level reader with this dwMaxCCIDMessageLength (e.g. 74: 64 bytes of data
    /// per message, so that most commands and responses are chained).
    pub fn extended_apdu(mut self, max_message_length: u32) -> Self {
        self.level = ExchangeLevel::ExtendedApdu;
        self.max_message_length = max_message_length;
        self
    }

    /// Any dwMaxCCIDMessageLength (at least the 10-byte header and one data byte).
    pub fn max_message_length(mut self, n: u32) -> Self {
        self.max_message_length = n.max(11);
        self
    }

    /// This many time-extension DataBlocks before the answer of every XfrBlock.
    pub fn time_extensions(mut self, n: u32) -> Self {
        self.time_extensions = n;
        self
    }

    /// How often a slow command (key generation) asks for more time: a CCID time extension at the
    /// APDU levels, an S(WTX request) at the TPDU level. Zero: a slow command just answers late.
    pub fn time_extension_interval(mut self, every: Duration) -> Self {
        self.time_extension_interval = every;
        self
    }

    /// bError of a time-extension DataBlock, INF of an S(WTX request).
    pub fn time_extension_multiplier(mut self, m: u8) -> Self {
        self.time_extension_multiplier = m;
        self
    }

    pub fn level(&self) -> ExchangeLevel {
        self.level
    }

    /// The 54-byte CCID class descriptor of this configuration.
    pub fn class_descriptor(&self) -> [u8; CLASS_DESCRIPTOR_LENGTH] {
        descriptor::class_descriptor(self.level, self.max_message_length)
    }
}

/// The reader and a condition variable that wakes interrupt-IN waiters.
#[derive(Debug)]
struct Shared {
    reader: Mutex<Reader>,
    interrupt: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Reader> {
        // A panic in another thread cannot leave the reader half-updated in a way that matters to
        // a test; keep going rather than poison every later call.
        self.reader.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The virtual reader as the host driver sees it.
#[derive(Debug)]
pub struct VirtualDevice {
    shared: Arc<Shared>,
    descriptor: [u8; CLASS_DESCRIPTOR_LENGTH],
}

/// The test's side of a [`VirtualDevice`]: inspect the card, arm faults, unplug and replug.
#[derive(Clone, Debug)]
pub struct DeviceHandle {
    shared: Arc<Shared>,
}

impl VirtualDevice {
    /// A reader with `card` in its slot (powered off, as after insertion); a NotifySlotChange
    /// "card present" waits on the interrupt endpoint.
    pub fn new(card: VirtualCard, config: DeviceConfig) -> Self {
        let descriptor = config.class_descriptor();
        VirtualDevice {
            shared: Arc::new(Shared {
                reader: Mutex::new(Reader::new(card, config)),
                interrupt: Condvar::new(),
            }),
            descriptor,
        }
    }

    pub fn handle(&self) -> DeviceHandle {
        DeviceHandle {
            shared: Arc::clone(&self.shared),
        }
    }

    /// Another [`Transport`] on the same reader: a USB front end (the FunctionFS gadget of
    /// tools/qemu-ccid) serves bulk, interrupt and control pipes from separate threads, and a
    /// blocking interrupt wait must not hold up the bulk pipe.
    pub fn port(&self) -> VirtualDevice {
        VirtualDevice {
            shared: Arc::clone(&self.shared),
            descriptor: self.descriptor,
        }
    }

    /// Counts a bulk transfer against the unplug countdown.
    fn begin_bulk(reader: &mut Reader) -> Result<(), TransportError> {
        if !reader.connected {
            return Err(TransportError::Disconnected);
        }
        if !reader.faults.count_transfer() {
            log::debug!("virtual reader: unplugged by the countdown");
            reader.connected = false;
            return Err(TransportError::Disconnected);
        }
        Ok(())
    }
}

impl Transport for VirtualDevice {
    fn class_descriptor(&self) -> &[u8] {
        &self.descriptor
    }

    fn bulk_out(&mut self, data: &[u8], _timeout: Duration) -> Result<(), TransportError> {
        let mut r = self.shared.lock();
        Self::begin_bulk(&mut r)?;
        r.on_bulk_out(data);
        Ok(())
    }

    /// Delivers the next reply. The pause a slow command takes is really slept (without holding
    /// the lock); when it exceeds `timeout` the host sees a timeout and the reply stays pending.
    /// With nothing pending it times out at once: in-process, nothing else would ever arrive.
    fn bulk_in(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        let wait = {
            let mut r = self.shared.lock();
            Self::begin_bulk(&mut r)?;
            let Some(front) = r.outbox.front_mut() else {
                return Err(TransportError::Timeout);
            };
            let wait = front.delay.min(timeout);
            front.delay -= wait;
            wait
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
        let mut r = self.shared.lock();
        if !r.connected {
            return Err(TransportError::Disconnected);
        }
        match r.outbox.front() {
            Some(front) if front.delay.is_zero() => {}
            _ => return Err(TransportError::Timeout),
        }
        let Some(mut out) = r.outbox.pop_front() else {
            return Err(TransportError::Timeout);
        };
        if out.read == 0 {
            match r.faults.on_reply(std::mem::take(&mut out.frame)) {
                Some(frame) => out.frame = frame,
                None => return Err(TransportError::Timeout),
            }
        }
        let rest = &out.frame[out.read..];
        let n = rest.len().min(buf.len());
        if n < rest.len() && buf.len() % MAX_PACKET != 0 {
            // The device's next packet does not fit the host's buffer: USB babble.
            return Err(TransportError::Io("bulk-IN overflow".into()));
        }
        buf[..n].copy_from_slice(&rest[..n]);
        out.read += n;
        if out.read < out.frame.len() {
            r.outbox.push_front(out);
        }
        Ok(n)
    }

    fn interrupt_in(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        let deadline = Instant::now() + timeout;
        let mut r = self.shared.lock();
        loop {
            if !r.connected {
                return Err(TransportError::Disconnected);
            }
            if let Some(msg) = r.interrupts.pop_front() {
                let n = msg.len().min(buf.len());
                buf[..n].copy_from_slice(&msg[..n]);
                return Ok(n);
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(TransportError::Timeout);
            }
            r = self
                .shared
                .interrupt
                .wait_timeout(r, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn class_request_out(
        &mut self,
        request: u8,
        value: u16,
        _timeout: Duration,
    ) -> Result<(), TransportError> {
        let mut r = self.shared.lock();
        if !r.connected {
            return Err(TransportError::Disconnected);
        }
        match request {
            0x01 if value & 0xFF == 0 => {
                r.on_abort_control(value);
                Ok(())
            }
            _ => Err(TransportError::Stall),
        }
    }

    fn class_request_in(
        &mut self,
        request: u8,
        _value: u16,
        buf: &mut [u8],
        _timeout: Duration,
    ) -> Result<usize, TransportError> {
        let r = self.shared.lock();
        if !r.connected {
            return Err(TransportError::Disconnected);
        }
        let answer = match request {
            0x02 => descriptor::CLOCK_KHZ.to_le_bytes(),
            0x03 => descriptor::DATA_RATE.to_le_bytes(),
            _ => return Err(TransportError::Stall),
        };
        let n = answer.len().min(buf.len());
        buf[..n].copy_from_slice(&answer[..n]);
        Ok(n)
    }
}

impl DeviceHandle {
    fn lock(&self) -> MutexGuard<'_, Reader> {
        self.shared.lock()
    }

    /// Runs `f` on the card in the slot (its state, PIN counters, switches such as the
    /// key-generation delay).
    pub fn with_card<R>(&self, f: impl FnOnce(&mut VirtualCard) -> R) -> R {
        f(&mut self.lock().card)
    }

    /// Loses the next `n` replies: the host's bulk-IN times out instead.
    pub fn drop_replies(&self, n: u32) {
        self.lock().faults.drop_replies = n;
    }

    /// Spoils the next reply, once.
    pub fn garble_next_reply(&self, how: Garble) {
        self.lock().faults.garble = Some(how);
    }

    /// This many time-extension DataBlocks before the answer of every XfrBlock from now on.
    pub fn set_time_extensions(&self, n: u32) {
        self.lock().config.time_extensions = n;
    }

    /// Unplugs the device after `n` more bulk transfers (bulk-OUT or bulk-IN calls); from then on
    /// every call fails with `Disconnected`.
    pub fn unplug_after(&self, n: u64) {
        self.lock().faults.unplug_after = Some(n);
    }

    /// Unplugs the device now.
    pub fn unplug(&self) {
        self.lock().connected = false;
        self.shared.interrupt.notify_all();
    }

    pub fn is_connected(&self) -> bool {
        self.lock().connected
    }

    /// Plugs the device back in: the card comes back with the state it last persisted, unpowered,
    /// and a NotifySlotChange announces it.
    pub fn replug(&self) -> Result<(), StateError> {
        let mut r = self.lock();
        r.card.reload()?;
        r.reset_exchange();
        r.faults = Default::default();
        r.interrupts.clear();
        r.connected = true;
        r.card_present = true;
        r.notify_slot_change();
        self.shared.interrupt.notify_all();
        Ok(())
    }

    /// Takes the card out of the slot (NotifySlotChange "absent").
    pub fn remove_card(&self) {
        let mut r = self.lock();
        r.card.power_off();
        r.reset_exchange();
        r.card_present = false;
        r.notify_slot_change();
        self.shared.interrupt.notify_all();
    }

    /// Puts the card back (NotifySlotChange "present"); the host must power it on.
    pub fn insert_card(&self) {
        let mut r = self.lock();
        r.card_present = true;
        r.notify_slot_change();
        self.shared.interrupt.notify_all();
    }

    /// The bulk-OUT messages the host sent, oldest first (the last 1024).
    pub fn host_messages(&self) -> Vec<Vec<u8>> {
        self.lock().host_log.iter().cloned().collect()
    }

    /// The IFSD the host announced with S(IFS request) (TPDU level; 32 until it does).
    pub fn t1_ifsd(&self) -> usize {
        self.lock().t1_ifsd()
    }

    /// Replies the host has not read yet.
    pub fn pending_replies(&self) -> usize {
        self.lock().outbox.len()
    }
}
