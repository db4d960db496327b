//! The tokens a module offers, and the one a profile selects.

use cryptoki::context::Pkcs11;
use cryptoki::slot::Slot;
use tamga_token::TokenError;

use crate::config::{Pkcs11Config, TokenSelector};
use crate::error::token_error;
use crate::module::{guarded, load};

/// A token present in one of the module's slots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotToken {
    /// The slot ID.
    pub slot: u64,
    /// The token label, trailing blanks removed.
    pub label: String,
    /// The serial number.
    pub serial: String,
    /// The model.
    pub model: String,
    /// The manufacturer.
    pub manufacturer: String,
}

/// The tokens of the configured module that the selector matches.
pub fn list(config: &Pkcs11Config) -> Result<Vec<SlotToken>, TokenError> {
    let module = load(&config.module)?;
    let mut out = Vec::new();
    for slot in guarded(|| module.get_slots_with_token().map_err(token_error))? {
        let t = describe(&module, slot)?;
        let wanted = match &config.token {
            TokenSelector::Any => true,
            TokenSelector::Label(l) => t.label == l.trim_end(),
            TokenSelector::Slot(s) => t.slot == *s,
        };
        if wanted {
            out.push(t);
        }
    }
    Ok(out)
}

pub(crate) fn describe(module: &Pkcs11, slot: Slot) -> Result<SlotToken, TokenError> {
    let info = guarded(|| module.get_token_info(slot).map_err(token_error))?;
    Ok(SlotToken {
        slot: slot.id(),
        label: info.label().trim_end().to_owned(),
        serial: info.serial_number().trim_end().to_owned(),
        model: info.model().trim_end().to_owned(),
        manufacturer: info.manufacturer_id().trim_end().to_owned(),
    })
}
