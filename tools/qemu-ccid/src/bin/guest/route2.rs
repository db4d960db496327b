//! Route 2: the virtual KAZTOKEN's own CCID device model, served by `ccid-gadget` through
//! FunctionFS on dummy_hcd, driven here over usbfs like a real token.
//!
//! Two gadgets (see `ccid-gadget`): 1d6b:0104 is a T=1 TPDU reader (the host runs T=1, the card
//! asks for S(WTX) during key generation), 1d6b:0105 an extended-APDU reader with 74-byte
//! messages (every longer command and response is chained) and CCID time extensions.

use std::time::Duration;

use tamga_ccid::ExchangeLevel;
use tamga_gost::{Curve, SigEncoding};
use tamga_qemu_ccid::harness::Harness;
use tamga_token::{Attempt, GostAlgorithm, KeyRef, KeySpec, Role, Token, TokenError};

use crate::common::{card, token};
use crate::scenarios;

pub const TPDU_GADGET: (u16, u16) = (0x1D6B, 0x0104);
pub const EXTENDED_GADGET: (u16, u16) = (0x1D6B, 0x0105);

type R = Result<(), String>;

pub fn run(extended_udc: &str) -> bool {
    let mut h = Harness::new("route2 (FunctionFS gadget on dummy_hcd)");
    h.run("tpdu_t1_connect", || {
        let c = card(TPDU_GADGET)?;
        let level = c
            .reader()
            .lock()
            .map_err(|_| "poisoned")?
            .descriptor()
            .exchange_level();
        println!(
            "  T={} at {level:?} level, ATR {:02X?}",
            c.protocol(),
            c.atr().as_bytes()
        );
        check(
            c.protocol() == 1 && level == ExchangeLevel::Tpdu,
            "T=1 TPDU",
        )
    });
    h.run("tpdu_t1_fresh_token", || {
        scenario(TPDU_GADGET, scenarios::fresh_token)
    });
    h.run("tpdu_t1_pins", || scenario(TPDU_GADGET, scenarios::pins));
    h.run("tpdu_t1_objects_chained_blocks", || {
        scenario(TPDU_GADGET, scenarios::objects)
    });
    h.run("tpdu_t1_keygen_wtx_sign", || {
        scenario(TPDU_GADGET, scenarios::keys_and_signatures)
    });
    h.run("extended_connect", || {
        let c = card(EXTENDED_GADGET)?;
        let level = c
            .reader()
            .lock()
            .map_err(|_| "poisoned")?
            .descriptor()
            .exchange_level();
        check(level == ExchangeLevel::ExtendedApdu, "extended APDU level")
    });
    h.run("extended_chained_objects", || {
        scenario(EXTENDED_GADGET, scenarios::objects)
    });
    h.run("extended_time_extension_keygen_sign", extended_keygen);
    h.run("unplug_mid_transfer", || unplug(extended_udc));
    h.finish()
}

fn scenario(gadget: (u16, u16), f: fn(&mut crate::common::Token)) -> R {
    let mut t = token(gadget)?;
    f(&mut t);
    Ok(())
}

fn spec() -> Result<KeySpec, String> {
    KeySpec::new(GostAlgorithm::Gost2012_256, Curve::Tc26_256A).map_err(|e| format!("{e:?}"))
}

/// Key generation takes 2 s on this gadget: the reader sends time extensions meanwhile.
fn extended_keygen() -> R {
    let mut t = token(EXTENDED_GADGET)?;
    t.login(Role::User, &scenarios::user(), Attempt::SpareLast)
        .map_err(|e| e.to_string())?;
    let key = KeyRef::new(3).map_err(|e| format!("{e:?}"))?;
    let public = t.generate_key(key, spec()?).map_err(|e| e.to_string())?;
    let digest = [0x5A; 32];
    let sig = t.sign_digest(key, &digest).map_err(|e| e.to_string())?;
    public
        .verify_digest(&digest, &sig, SigEncoding::Rfc9215)
        .map_err(|e| format!("{e:?}"))
}

/// Unbinds the gadget from its UDC while the driver waits for a key generation: the device
/// vanishes mid-transfer and the token reports TokenRemoved, nothing worse.
fn unplug(udc_file: &str) -> R {
    let mut t = token(EXTENDED_GADGET)?;
    t.login(Role::User, &scenarios::user(), Attempt::SpareLast)
        .map_err(|e| e.to_string())?;
    let udc = udc_file.to_owned();
    let unbinder = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(700));
        std::fs::write(&udc, "\n").map_err(|e| format!("unbinding: {e}"))
    });
    let key = KeyRef::new(4).map_err(|e| format!("{e:?}"))?;
    let result = t.generate_key(key, spec()?);
    unbinder.join().map_err(|_| "unbinder panicked")??;
    match result {
        Err(TokenError::TokenRemoved) => {
            println!("  unbound mid-transfer: TokenRemoved");
            Ok(())
        }
        other => Err(format!("unbound mid-transfer: {other:?}")),
    }
}

fn check(ok: bool, what: &str) -> R {
    if ok {
        Ok(())
    } else {
        Err(format!("expected: {what}"))
    }
}
