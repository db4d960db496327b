//! A powered card in one slot: activation (ATR, parameters, IFSD) and its APDU channel.

use std::sync::{MutexGuard, PoisonError};

use log::debug;

use crate::apdu::{ApduLayer, RawChannel};
use crate::atr::Atr;
use crate::descriptor::{ExchangeLevel, Features};
use crate::level::Engine;
use crate::reader::{Reader, SharedReader};
use crate::{ApduChannel, CcidError, SlotError, Transport};

/// A powered slot and its exchange engine, with no status-word rules (what PC/SC's
/// SCardTransmit gives). [`Card`] adds them.
#[derive(Debug)]
pub struct CardLink<T> {
    reader: SharedReader<T>,
    slot: u8,
    atr: Atr,
    protocol: u8,
    engine: Engine,
}

impl<T: Transport> CardLink<T> {
    /// Powers the slot's card on and sets it up.
    pub fn connect(reader: SharedReader<T>, slot: u8) -> Result<CardLink<T>, CcidError> {
        let (atr, protocol, engine) = activate(&mut lock(&reader), slot)?;
        Ok(CardLink {
            reader,
            slot,
            atr,
            protocol,
            engine,
        })
    }

    /// The ATR of the last activation.
    pub fn atr(&self) -> &Atr {
        &self.atr
    }

    /// The protocol in use: 0 or 1.
    pub fn protocol(&self) -> u8 {
        self.protocol
    }

    /// The slot.
    pub fn slot(&self) -> u8 {
        self.slot
    }

    /// The reader.
    pub fn reader(&self) -> &SharedReader<T> {
        &self.reader
    }
}

impl<T: Transport> RawChannel for CardLink<T> {
    fn exchange(&mut self, command: &[u8]) -> Result<Vec<u8>, CcidError> {
        self.engine
            .transmit(&mut lock(&self.reader), self.slot, command)
    }

    fn reset(&mut self) -> Result<Vec<u8>, CcidError> {
        let (atr, protocol, engine) = {
            let mut reader = lock(&self.reader);
            reader.power_off(self.slot)?;
            activate(&mut reader, self.slot)?
        };
        (self.atr, self.protocol, self.engine) = (atr, protocol, engine);
        Ok(self.atr.as_bytes().to_vec())
    }
}

/// A powered card: whole APDUs in, whole responses out, 61xx and 6Cxx resolved.
#[derive(Debug)]
pub struct Card<T> {
    layer: ApduLayer<CardLink<T>>,
}

impl<T: Transport> Card<T> {
    /// Powers on the card in `slot`: ATR, SetParameters (unless the reader negotiates them),
    /// IFSD (T=1 on TPDU or character readers, unless the reader does it).
    pub fn connect(reader: SharedReader<T>, slot: u8) -> Result<Card<T>, CcidError> {
        Ok(Card {
            layer: ApduLayer::new(CardLink::connect(reader, slot)?),
        })
    }

    /// Opens a single-slot reader on `transport` and connects to the card in slot 0.
    pub fn open(transport: T) -> Result<Card<T>, CcidError> {
        Card::connect(Reader::open(transport)?.shared(), 0)
    }

    /// The ATR.
    pub fn atr(&self) -> &Atr {
        self.layer.get_ref().atr()
    }

    /// The protocol in use: 0 or 1.
    pub fn protocol(&self) -> u8 {
        self.layer.get_ref().protocol()
    }

    /// The slot.
    pub fn slot(&self) -> u8 {
        self.layer.get_ref().slot()
    }

    /// The reader.
    pub fn reader(&self) -> &SharedReader<T> {
        self.layer.get_ref().reader()
    }

    /// The raw link, to exchange APDUs without the 61xx/6Cxx rules.
    pub fn link(&mut self) -> &mut CardLink<T> {
        self.layer.get_mut()
    }

    /// Powers the card off.
    pub fn power_off(self) -> Result<(), CcidError> {
        let link = self.layer.into_inner();
        let status = lock(&link.reader).power_off(link.slot);
        status.map(|_| ())
    }
}

impl<T: Transport> ApduChannel for Card<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, CcidError> {
        self.layer.transmit(command)
    }

    fn reset(&mut self) -> Result<Vec<u8>, CcidError> {
        self.layer.reset()
    }
}

/// A panic in another slot's thread leaves the reader's state as consistent as a failed command
/// does, so a poisoned lock is used anyway.
fn lock<T>(reader: &SharedReader<T>) -> MutexGuard<'_, Reader<T>> {
    reader.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Power on, protocol choice, SetParameters, IFSD.
fn activate<T: Transport>(
    reader: &mut Reader<T>,
    slot: u8,
) -> Result<(Atr, u8, Engine), CcidError> {
    let atr = reader.power_on(slot)?;
    let d = reader.descriptor().clone();
    let reader_pps =
        d.features.contains(Features::AUTO_PPS) || d.features.contains(Features::AUTO_PARAMS);
    // This driver sends no PPS: without a reader that does, the card stays in its default
    // protocol at the default rates (ISO 7816-3 §6.3.1).
    let protocol = match atr.specific_mode() {
        Some(t) => t,
        None if reader_pps => [1, 0]
            .into_iter()
            .find(|&t| atr.protocols().contains(&t) && d.supports_protocol(t))
            .unwrap_or_else(|| atr.default_protocol()),
        None => atr.default_protocol(),
    };
    if !d.supports_protocol(protocol) {
        return Err(CcidError::Unsupported(format!(
            "the card speaks T={protocol}, the reader does not"
        )));
    }
    let fi_di = match atr.specific_mode() {
        // TA2 bit 5: the card runs at the default rates despite TA1.
        Some(_) if atr.implicit_rates() => 0x11,
        Some(_) => atr.fi_di(),
        None if reader_pps => atr.fi_di(),
        None => 0x11,
    };
    if !d.features.contains(Features::AUTO_PARAMS) {
        match reader.set_parameters(slot, &atr.parameters(protocol, fi_di)) {
            Ok(_) => {}
            // libccid treats "parameter not changeable" as success.
            Err(CcidError::Reader { error, .. })
                if error == SlotError::CMD_NOT_SUPPORTED || error.bad_field().is_some() =>
            {
                debug!("SetParameters refused ({error}); keeping the reader's parameters");
            }
            Err(e) => return Err(e),
        }
    }
    let level = d.exchange_level();
    let mut engine = Engine::new(level, protocol, &atr);
    let t1_by_host =
        protocol == 1 && matches!(level, ExchangeLevel::Tpdu | ExchangeLevel::Character);
    if t1_by_host && !d.features.contains(Features::AUTO_IFSD) && d.max_ifsd > 0 {
        let ifsd = u8::try_from(d.max_ifsd.min(254)).unwrap_or(254);
        engine.negotiate_ifsd(reader, slot, ifsd)?;
    }
    debug!("card in slot {slot}: T={protocol}, {level:?} level");
    Ok((atr, protocol, engine))
}
