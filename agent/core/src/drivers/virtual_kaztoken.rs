//! The virtual KAZTOKEN, reached the way a real one is: kaztoken ↔ tamga-ccid ↔ the virtual CCID
//! reader ↔ the virtual card, so that the demo and the CLI tests exercise the whole USB-side stack.

use std::path::PathBuf;

use tamga_ccid::Card;
use tamga_kaztoken::{Kaztoken, KaztokenConfig};
use tamga_token::Token;
use tamga_virtual::device::{DeviceConfig, VirtualDevice};
use tamga_virtual::{CardConfig, VirtualCard};

use super::ccid_error::token_error;
use super::VIRTUAL_KAZTOKEN;
use crate::profile::{DriverSpec, LoadedProfile, VirtualKaztoken, VirtualReader};
use crate::{CoreError, TokenDriver, TokenSlot};

/// The virtual KAZTOKEN driver.
pub struct VirtualKaztokenDriver;

fn settings(spec: &DriverSpec) -> Result<&VirtualKaztoken, CoreError> {
    match spec {
        DriverSpec::VirtualKaztoken(s) => Ok(s),
        _ => Err(failed("called with another driver's settings".into())),
    }
}

fn failed(reason: String) -> CoreError {
    CoreError::Driver {
        driver: VIRTUAL_KAZTOKEN,
        reason,
    }
}

fn state_file(s: &VirtualKaztoken, profile: &LoadedProfile) -> PathBuf {
    profile.state_path(&s.state)
}

fn card_config(s: &VirtualKaztoken) -> CardConfig {
    let mut config = CardConfig::default()
        .with_keygen_delay(s.keygen_delay())
        .with_max_tries(s.user_retries, s.admin_retries);
    config.label = s.label.clone();
    if let Some(serial) = s.serial {
        config = config.with_serial(serial);
    }
    config
}

fn device_config(reader: VirtualReader) -> DeviceConfig {
    match reader {
        VirtualReader::ShortApdu => DeviceConfig::default(),
        VirtualReader::ExtendedApdu(max) => DeviceConfig::default().extended_apdu(max),
        VirtualReader::Tpdu => DeviceConfig::default().tpdu(),
    }
}

impl TokenDriver for VirtualKaztokenDriver {
    fn name(&self) -> &'static str {
        VIRTUAL_KAZTOKEN
    }

    /// The virtual token is plugged in unless a file `<state>.unplugged` exists: the hot-plug
    /// tests of `tamga serve` pull it out and put it back with that file.
    fn list(
        &self,
        spec: &DriverSpec,
        profile: &LoadedProfile,
    ) -> Result<Vec<TokenSlot>, CoreError> {
        let s = settings(spec)?;
        let mut unplugged = state_file(s, profile).into_os_string();
        unplugged.push(".unplugged");
        if PathBuf::from(unplugged).exists() {
            return Ok(Vec::new());
        }
        Ok(vec![TokenSlot {
            driver: VIRTUAL_KAZTOKEN,
            id: format!("virtual:{}", state_file(s, profile).display()),
            description: "virtual KAZTOKEN".to_owned(),
        }])
    }

    fn open(
        &self,
        spec: &DriverSpec,
        profile: &LoadedProfile,
        _: &TokenSlot,
    ) -> Result<Box<dyn Token>, CoreError> {
        let s = settings(spec)?;
        let path = state_file(s, profile);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| failed(format!("cannot create {}: {e}", dir.display())))?;
        }
        let card = VirtualCard::open(&path, card_config(s))
            .map_err(|e| failed(format!("state file {}: {e}", path.display())))?;
        let device = VirtualDevice::new(card, device_config(s.reader));
        arm_test_unplug(&device);
        let card = Card::open(device).map_err(token_error)?;
        let atr = card.atr().as_bytes().to_vec();
        Ok(Box::new(Kaztoken::new(
            card,
            KaztokenConfig::default(),
            &atr,
        )))
    }
}

/// The fault-injection tests of enrollment pull the token out of a running `tamga` process:
/// `TAMGA_VIRTUAL_UNPLUG_AFTER=N` unplugs the virtual reader after N more bulk transfers. Only
/// debug builds and builds with the `test-hooks` feature read it; a release build ignores it.
#[cfg(any(debug_assertions, feature = "test-hooks"))]
fn arm_test_unplug(device: &VirtualDevice) {
    if let Some(n) = std::env::var("TAMGA_VIRTUAL_UNPLUG_AFTER")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        log::debug!("test hook: the virtual token unplugs after {n} transfers");
        device.handle().unplug_after(n);
    }
}

#[cfg(not(any(debug_assertions, feature = "test-hooks")))]
fn arm_test_unplug(_: &VirtualDevice) {}
