//! A real KAZTOKEN in a USB CCID reader, through the nusb backend.

use tamga_ccid::backend::nusb::{list_readers, UsbReader};
use tamga_ccid::{Card, DeviceFilter};
use tamga_kaztoken::{Kaztoken, KaztokenConfig};
use tamga_token::Token;

use super::ccid_error::token_error;
use super::KAZTOKEN_CCID;
use crate::profile::{DriverSpec, KaztokenCcid, LoadedProfile};
use crate::{CoreError, TokenDriver, TokenSlot};

/// The USB CCID KAZTOKEN driver.
pub struct KaztokenCcidDriver;

fn settings(spec: &DriverSpec) -> Result<&KaztokenCcid, CoreError> {
    match spec {
        DriverSpec::KaztokenCcid(s) => Ok(s),
        _ => Err(mismatch()),
    }
}

fn mismatch() -> CoreError {
    CoreError::Driver {
        driver: KAZTOKEN_CCID,
        reason: "called with another driver's settings".into(),
    }
}

fn filter(s: &KaztokenCcid) -> DeviceFilter {
    DeviceFilter {
        any_ccid_class: s.any_ccid_class,
        vendor_ids: s.vendors.clone(),
        devices: s.devices.iter().map(|d| (d.vendor, d.product)).collect(),
    }
}

fn readers(s: &KaztokenCcid) -> Result<Vec<UsbReader>, CoreError> {
    list_readers(&filter(s)).map_err(|e| CoreError::Driver {
        driver: KAZTOKEN_CCID,
        reason: e.to_string(),
    })
}

fn slot_id(r: &UsbReader) -> String {
    let serial = r
        .serial_number()
        .map(|s| format!(":{s}"))
        .unwrap_or_default();
    format!(
        "usb:{:04x}:{:04x}{serial}:{}",
        r.vendor_id(),
        r.product_id(),
        r.interface()
    )
}

impl TokenDriver for KaztokenCcidDriver {
    fn name(&self) -> &'static str {
        KAZTOKEN_CCID
    }

    fn list(&self, spec: &DriverSpec, _: &LoadedProfile) -> Result<Vec<TokenSlot>, CoreError> {
        Ok(readers(settings(spec)?)?
            .iter()
            .map(|r| TokenSlot {
                driver: KAZTOKEN_CCID,
                id: slot_id(r),
                description: r.product().unwrap_or("USB CCID reader").to_owned(),
            })
            .collect())
    }

    fn open(
        &self,
        spec: &DriverSpec,
        _: &LoadedProfile,
        slot: &TokenSlot,
    ) -> Result<Box<dyn Token>, CoreError> {
        let s = settings(spec)?;
        let reader = readers(s)?
            .into_iter()
            .find(|r| slot_id(r) == slot.id)
            .ok_or_else(|| CoreError::TokenNotFound(slot.id.clone()))?;
        let transport = reader
            .open()
            .map_err(|e| token_error(tamga_ccid::CcidError::Transport(e)))?;
        let card = Card::open(transport).map_err(token_error)?;
        let atr = card.atr().as_bytes().to_vec();
        Ok(Box::new(Kaztoken::new(
            card,
            KaztokenConfig::from(&s.card),
            &atr,
        )))
    }
}
