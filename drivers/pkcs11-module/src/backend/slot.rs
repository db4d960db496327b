//! One token the module exposes: which driver reaches it, the open `Token`, who is logged in,
//! and what has been read from it (a card read per attribute would make every search slow).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cryptoki_sys::*;
use tamga_core::drivers::DRIVERS;
use tamga_core::profile::{DriverSpec, LoadedProfile};
use tamga_core::{Registry, TokenDriver, TokenSlot};
use tamga_gost::PublicKey;
use tamga_token::{KeyRef, ObjectId, Pin, PinStatus, Role, Token};

use crate::rv::{token_rv, Rv};

/// The registry name of tamga-core's PKCS#11 driver, which this module must not load.
const PKCS11_DRIVER: &str = "pkcs11";

/// One driver entry of the profile: what lists and opens its tokens, and when it last listed.
pub(super) struct Source {
    driver: &'static dyn TokenDriver,
    spec: DriverSpec,
    pub(super) listed: Option<Instant>,
}

/// The profile's drivers, in order. The PKCS#11 driver is left out: a profile pointing this
/// module at itself would recurse.
pub(super) fn sources(profile: &LoadedProfile) -> Result<Vec<Source>, String> {
    let registry = Registry::new(DRIVERS, &[]);
    let mut out = Vec::new();
    for spec in &profile.profile.drivers {
        if spec.name() == PKCS11_DRIVER {
            log::warn!("the profile's PKCS#11 driver is skipped inside the PKCS#11 module");
            continue;
        }
        let driver = registry.driver(spec.name()).map_err(|e| e.to_string())?;
        out.push(Source {
            driver,
            spec: spec.clone(),
            listed: None,
        });
    }
    Ok(out)
}

impl Source {
    /// The tokens the driver sees now; `None` when it cannot tell (then nothing changes).
    pub(super) fn list(&mut self, profile: &LoadedProfile) -> Option<Vec<TokenSlot>> {
        self.listed = Some(Instant::now());
        match self.driver.list(&self.spec, profile) {
            Ok(slots) => Some(slots),
            Err(e) => {
                log::debug!("{}: {e}", self.spec.name());
                None
            }
        }
    }

    /// Whether the last listing is older than `age`.
    pub(super) fn stale(&self, age: Duration) -> bool {
        self.listed.is_none_or(|t| t.elapsed() >= age)
    }
}

/// A slot for a token seen for the first time.
pub(super) fn new_slot(
    sources: &[Source],
    source: usize,
    profile: &Arc<LoadedProfile>,
    slot: TokenSlot,
) -> SlotEntry {
    let src = &sources[source];
    SlotEntry {
        driver: src.driver,
        spec: src.spec.clone(),
        profile: profile.clone(),
        source,
        present: true,
        lost: false,
        slot,
        token: None,
        login: None,
        so_pin: None,
        max_seen: factory_tries(&src.spec),
        keys: None,
        objects: None,
    }
}

pub(crate) struct SlotEntry {
    driver: &'static dyn TokenDriver,
    spec: DriverSpec,
    profile: Arc<LoadedProfile>,
    /// The profile entry whose driver lists this token.
    pub(super) source: usize,
    /// Whether the driver listed the token the last time it was asked.
    pub(super) present: bool,
    /// The token answered "removed" to a call: the slot is emptied after the call.
    pub(super) lost: bool,
    /// What the driver listed: its `id` names the slot for as long as the module runs.
    pub(super) slot: TokenSlot,
    token: Option<Box<dyn Token>>,
    pub(super) login: Option<Role>,
    /// The SO PIN while the SO is logged in: `C_InitPIN` and `C_SetPIN` in an SO session take no
    /// PIN, but the token's unblock and change present the admin PIN again.
    pub(super) so_pin: Option<Pin>,
    /// The highest count known per PIN, user and admin: below it, the count is low.
    max_seen: [u8; 2],
    keys: Option<BTreeMap<u8, PublicKey>>,
    objects: Option<BTreeMap<ObjectId, Vec<u8>>>,
}

/// The tries a PIN starts with, as far as the profile tells: below it, the count is low. (A
/// KAZTOKEN reports the count left, not the maximum; the factory gives ten.)
fn factory_tries(spec: &DriverSpec) -> [u8; 2] {
    match spec {
        DriverSpec::VirtualKaztoken(v) => [v.user_retries, v.admin_retries],
        _ => [10, 10],
    }
}

fn index(role: Role) -> usize {
    match role {
        Role::User => 0,
        Role::Admin => 1,
    }
}

impl SlotEntry {
    pub(super) fn description(&self) -> String {
        self.slot.to_string()
    }

    /// The token, connected on first use.
    pub(super) fn token(&mut self) -> Result<&mut dyn Token, Rv> {
        if !self.present || self.lost {
            return Err(CKR_TOKEN_NOT_PRESENT);
        }
        if self.token.is_none() {
            let t = self
                .driver
                .open(&self.spec, &self.profile, &self.slot)
                .map_err(|e| {
                    log::warn!("{}: {e}", self.slot.id);
                    CKR_TOKEN_NOT_PRESENT
                })?;
            self.token = Some(t);
        }
        Ok(self.token.as_deref_mut().expect("opened above"))
    }

    /// Runs a token call; a failure is mapped and logged.
    pub(super) fn with<T>(
        &mut self,
        f: impl FnOnce(&mut dyn Token) -> Result<T, tamga_token::TokenError>,
    ) -> Result<T, Rv> {
        let t = self.token()?;
        f(t).map_err(|e| {
            if e == tamga_token::TokenError::TokenRemoved {
                // A real KAZTOKEN pulled mid-call: the card's state is gone with it.
                self.token = None;
                self.lost = true;
            }
            token_rv(&e)
        })
    }

    /// The token is back (or seen for the first time since it went): it starts afresh, nobody
    /// logged in.
    pub(super) fn inserted(&mut self, slot: TokenSlot) {
        self.forget();
        self.slot = slot;
        self.present = true;
    }

    /// The token is gone: the open card, the login, the SO PIN and what was read go with it.
    pub(super) fn pulled(&mut self) {
        self.forget();
        self.present = false;
    }

    fn forget(&mut self) {
        self.token = None;
        self.lost = false;
        self.login = None;
        self.so_pin = None;
        self.max_seen = factory_tries(&self.spec);
        self.invalidate();
    }

    /// Forgets what was read (after a write, a generation, a format).
    pub(super) fn invalidate(&mut self) {
        self.keys = None;
        self.objects = None;
    }

    /// The keys present, by slot number.
    pub(super) fn keys(&mut self) -> Result<&BTreeMap<u8, PublicKey>, Rv> {
        if self.keys.is_none() {
            let mut keys = BTreeMap::new();
            for n in 1..=KeyRef::MAX {
                let k = KeyRef::new(n).expect("in range");
                if let Some(pk) = self.with(|t| t.public_key(k))? {
                    keys.insert(n, pk);
                }
            }
            self.keys = Some(keys);
        }
        Ok(self.keys.as_ref().expect("read above"))
    }

    /// The data objects, with their content.
    pub(super) fn objects(&mut self) -> Result<&BTreeMap<ObjectId, Vec<u8>>, Rv> {
        if self.objects.is_none() {
            let mut objects = BTreeMap::new();
            for id in self.with(|t| t.list_objects())? {
                objects.insert(id, self.with(|t| t.read_object(id))?);
            }
            self.objects = Some(objects);
        }
        Ok(self.objects.as_ref().expect("read above"))
    }

    pub(super) fn logout_quietly(&mut self) {
        if self.login.take().is_some() {
            if let Some(t) = self.token.as_deref_mut() {
                let _ = t.logout();
            }
        }
        self.so_pin = None;
    }

    fn pin_flags(&mut self, role: Role, status: PinStatus) -> CK_FLAGS {
        let (low, last, locked) = match role {
            Role::User => (
                CKF_USER_PIN_COUNT_LOW,
                CKF_USER_PIN_FINAL_TRY,
                CKF_USER_PIN_LOCKED,
            ),
            Role::Admin => (
                CKF_SO_PIN_COUNT_LOW,
                CKF_SO_PIN_FINAL_TRY,
                CKF_SO_PIN_LOCKED,
            ),
        };
        match status {
            PinStatus::Verified => 0,
            PinStatus::Blocked => locked | low,
            PinStatus::NotVerified { remaining } => {
                let max = &mut self.max_seen[index(role)];
                *max = (*max).max(remaining);
                let mut f = 0;
                if remaining < *max {
                    f |= low;
                }
                if remaining == 1 {
                    f |= last | low;
                }
                f
            }
        }
    }

    /// C_GetTokenInfo, with the PIN flags from the token's counters.
    pub(super) fn token_info(
        &mut self,
        sessions: CK_ULONG,
        rw: CK_ULONG,
    ) -> Result<CK_TOKEN_INFO, Rv> {
        let info = self.with(|t| t.info())?;
        let counters = self.with(|t| t.pin_counters())?;
        let flags = CKF_RNG
            | CKF_LOGIN_REQUIRED
            | CKF_USER_PIN_INITIALIZED
            | CKF_TOKEN_INITIALIZED
            | self.pin_flags(Role::User, counters.user)
            | self.pin_flags(Role::Admin, counters.admin);
        Ok(CK_TOKEN_INFO {
            label: padded(&info.label),
            manufacturerID: padded("tamga"),
            model: padded(&info.model),
            serialNumber: padded(&info.serial),
            flags,
            ulMaxSessionCount: CK_EFFECTIVELY_INFINITE,
            ulSessionCount: sessions,
            ulMaxRwSessionCount: CK_EFFECTIVELY_INFINITE,
            ulRwSessionCount: rw,
            ulMaxPinLen: 32,
            ulMinPinLen: 1,
            ulTotalPublicMemory: crate::rv::UNAVAILABLE,
            ulFreePublicMemory: crate::rv::UNAVAILABLE,
            ulTotalPrivateMemory: crate::rv::UNAVAILABLE,
            ulFreePrivateMemory: crate::rv::UNAVAILABLE,
            hardwareVersion: CK_VERSION { major: 0, minor: 1 },
            firmwareVersion: CK_VERSION { major: 0, minor: 1 },
            utcTime: [b' '; 16],
        })
    }
}

/// A blank-padded fixed-size text field, cut at a character boundary.
pub(crate) fn padded<const N: usize>(s: &str) -> [u8; N] {
    let mut out = [b' '; N];
    let mut end = s.len().min(N);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    out[..end].copy_from_slice(&s.as_bytes()[..end]);
    out
}
