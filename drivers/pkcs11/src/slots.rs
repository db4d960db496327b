//! The tokens a module offers, and the one a profile selects.

use cryptoki::context::Pkcs11;
use cryptoki::slot::{Slot, TokenInfo};
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
    Ok(of(slot, &info))
}

/// What the token info of `slot` says.
pub(crate) fn of(slot: Slot, info: &TokenInfo) -> SlotToken {
    SlotToken {
        slot: slot.id(),
        label: info.label().trim_end().to_owned(),
        serial: info.serial_number().trim_end().to_owned(),
        model: info.model().trim_end().to_owned(),
        manufacturer: info.manufacturer_id().trim_end().to_owned(),
    }
}

impl SlotToken {
    /// Whether `other` is the same token, wherever it sits: label, serial, model and
    /// manufacturer all equal (the slot aside).
    pub(crate) fn same_token(&self, other: &SlotToken) -> bool {
        self.label == other.label
            && self.serial == other.serial
            && self.model == other.model
            && self.manufacturer == other.manufacturer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_token_ignores_the_slot_only() {
        let t = SlotToken {
            slot: 0,
            label: "KAZTOKEN".into(),
            serial: "1001".into(),
            model: "KAZTOKEN".into(),
            manufacturer: "tamga".into(),
        };
        assert!(t.same_token(&SlotToken {
            slot: 7,
            ..t.clone()
        }));
        assert!(!t.same_token(&SlotToken {
            serial: "1002".into(),
            ..t.clone()
        }));
        assert!(!t.same_token(&SlotToken {
            label: "other".into(),
            ..t.clone()
        }));
        assert!(!t.same_token(&SlotToken {
            manufacturer: "vendor".into(),
            ..t.clone()
        }));
    }
}
