//! The PKCS#11 fallback: a vendor's module through tamga-pkcs11.

use std::path::PathBuf;

use tamga_pkcs11::{
    GostSignatureOrder, KeyMechanisms, MechanismMap, PinPolicy, Pkcs11Config, Pkcs11Token,
    TokenSelector,
};
use tamga_token::Token;

use super::PKCS11;
use crate::profile::{
    DriverSpec, LoadedProfile, Pkcs11, Pkcs11KeyMechanisms, Pkcs11SignatureOrder,
};
use crate::{CoreError, TokenDriver, TokenSlot};

/// The PKCS#11 fallback driver.
pub struct Pkcs11Driver;

fn settings(spec: &DriverSpec) -> Result<&Pkcs11, CoreError> {
    match spec {
        DriverSpec::Pkcs11(s) => Ok(s),
        _ => Err(CoreError::Driver {
            driver: PKCS11,
            reason: "called with another driver's settings".into(),
        }),
    }
}

fn config(s: &Pkcs11, profile: &LoadedProfile) -> Pkcs11Config {
    let module = PathBuf::from(&s.module);
    let module = if module.is_absolute() {
        module
    } else {
        profile.base_dir.join(module)
    };
    let token = match (&s.token_label, s.slot) {
        (_, Some(slot)) => TokenSelector::Slot(slot),
        (Some(label), None) => TokenSelector::Label(label.clone()),
        (None, None) => TokenSelector::Any,
    };
    let defaults = MechanismMap::default();
    let pick = |o: Option<Pkcs11KeyMechanisms>, d: KeyMechanisms| {
        o.map_or(d, |m| KeyMechanisms {
            generate: m.generate,
            sign: m.sign,
            key_type: m.key_type,
        })
    };
    let m = &s.mechanisms;
    Pkcs11Config {
        module,
        token,
        mechanisms: MechanismMap {
            gost2001: pick(m.gost2001, defaults.gost2001),
            gost2012_256: pick(m.gost2012_256, defaults.gost2012_256),
            gost2012_512: pick(m.gost2012_512, defaults.gost2012_512),
            ec_p256: pick(m.ec_p256, defaults.ec_p256),
            rsa: pick(m.rsa, defaults.rsa),
        },
        pin: PinPolicy { tries: s.pin.tries },
        gost_signature: match s.gost_signature {
            Pkcs11SignatureOrder::Rfc9215 => GostSignatureOrder::Rfc9215,
            Pkcs11SignatureOrder::Reversed => GostSignatureOrder::Reversed,
        },
    }
}

impl TokenDriver for Pkcs11Driver {
    fn name(&self) -> &'static str {
        PKCS11
    }

    fn list(
        &self,
        spec: &DriverSpec,
        profile: &LoadedProfile,
    ) -> Result<Vec<TokenSlot>, CoreError> {
        let c = config(settings(spec)?, profile);
        let tokens = tamga_pkcs11::list(&c)?;
        Ok(tokens
            .into_iter()
            .map(|t| TokenSlot {
                driver: PKCS11,
                id: format!("pkcs11:{}:{}", c.module.display(), t.slot),
                description: format!("{} ({}, {})", t.label, t.model, t.serial),
            })
            .collect())
    }

    fn open(
        &self,
        spec: &DriverSpec,
        profile: &LoadedProfile,
        slot: &TokenSlot,
    ) -> Result<Box<dyn Token>, CoreError> {
        let c = config(settings(spec)?, profile);
        let id = slot
            .id
            .rsplit(':')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| CoreError::TokenNotFound(slot.id.clone()))?;
        Ok(Box::new(Pkcs11Token::open(c, Some(id))?))
    }
}
