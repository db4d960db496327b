//! The virtual KAZTOKEN card: exactly the command set of `drivers/kaztoken/PROTOCOL.md`.

mod commands;
mod fcp;
pub mod fs;
pub mod keys;
mod pin;

use std::path::PathBuf;
use std::time::Duration;

use crate::apdu::{self, sw, Command, Sw};
use crate::secret::Secret;
use crate::state::{StateError, Store, TokenState};

pub use pin::PinRef;

/// The ATR of the USB KAZTOKEN: T=1, historical bytes "KAZTOKEN", TCK. It has no TA3, so the
/// card's IFSC is the default 32.
pub const ATR: [u8; 12] = [
    0x3B, 0x88, 0x01, 0x4B, 0x41, 0x5A, 0x54, 0x4F, 0x4B, 0x45, 0x4E, 0x82,
];

/// The values PROTOCOL.md marks *(profile)*: a real KAZTOKEN's firmware may differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardProfile {
    /// The DF that holds the key files (`3F00/1001`).
    pub keys_df: u16,
    /// The DF that holds the data objects (`3F00/1002`).
    pub objects_df: u16,
    /// Key file FID = base + key reference.
    pub key_fid_base: u16,
    /// The VERIFY reference of the admin PIN.
    pub admin_ref: u8,
    /// The VERIFY reference of the user PIN.
    pub user_ref: u8,
}

impl Default for CardProfile {
    fn default() -> Self {
        CardProfile {
            keys_df: 0x1001,
            objects_df: 0x1002,
            key_fid_base: 0x6000,
            admin_ref: 0x01,
            user_ref: 0x02,
        }
    }
}

/// How a virtual card behaves; the PINs, counters, label and serial apply to a fresh token only (a
/// stored state keeps its own).
#[derive(Clone, Debug)]
pub struct CardConfig {
    /// How long GENERATE KEY takes (a real KAZTOKEN: up to 5 minutes; tests: 0).
    pub keygen_delay: Duration,
    pub user_pin: Secret,
    pub admin_pin: Secret,
    pub user_max_tries: u8,
    pub admin_max_tries: u8,
    pub label: String,
    /// A fixed serial number for a fresh token; `None` draws a random one.
    pub serial: Option<u32>,
    /// Bytes of file memory (contents plus a fixed cost per file) before CREATE FILE says `6A84`.
    pub capacity: usize,
    pub profile: CardProfile,
}

impl Default for CardConfig {
    fn default() -> Self {
        CardConfig {
            keygen_delay: Duration::ZERO,
            user_pin: Secret::from_slice(b"12345678"),
            admin_pin: Secret::from_slice(b"87654321"),
            user_max_tries: 10,
            admin_max_tries: 10,
            label: "KAZTOKEN".to_owned(),
            serial: None,
            capacity: 64 * 1024,
            profile: CardProfile::default(),
        }
    }
}

impl CardConfig {
    pub fn with_keygen_delay(mut self, delay: Duration) -> Self {
        self.keygen_delay = delay;
        self
    }

    pub fn with_max_tries(mut self, user: u8, admin: u8) -> Self {
        self.user_max_tries = user;
        self.admin_max_tries = admin;
        self
    }

    pub fn with_serial(mut self, serial: u32) -> Self {
        self.serial = Some(serial);
        self
    }

    pub fn with_capacity(mut self, bytes: usize) -> Self {
        self.capacity = bytes;
        self
    }
}

/// What a power cycle forgets.
#[derive(Clone, Debug, Default)]
struct Session {
    powered: bool,
    admin_verified: bool,
    user_verified: bool,
    /// The current DF (the MF is the empty path).
    df: Vec<u16>,
    /// The current EF or key file, always a child of `df`.
    ef: Option<Vec<u16>>,
    /// The key file MANAGE SECURITY ENVIRONMENT chose.
    signing_key: Option<Vec<u16>>,
}

/// A response before it is encoded: data and status word.
struct Response {
    data: Vec<u8>,
    sw: Sw,
}

impl Response {
    fn ok(data: Vec<u8>) -> Self {
        Response { data, sw: sw::OK }
    }

    fn done() -> Self {
        Response::ok(Vec::new())
    }
}

/// A command's result: a response, or a status word alone.
type Answer = Result<Response, Sw>;

/// A virtual KAZTOKEN: its persistent state, where it persists it, and its power session.
#[derive(Debug)]
pub struct VirtualCard {
    config: CardConfig,
    state: TokenState,
    store: Store,
    session: Session,
}

impl Default for VirtualCard {
    fn default() -> Self {
        VirtualCard::new(CardConfig::default())
    }
}

impl VirtualCard {
    /// A fresh token kept in memory, powered on.
    pub fn new(config: CardConfig) -> Self {
        let state = TokenState::fresh(&config);
        Self::in_memory(state, config)
    }

    /// A token with a given state, kept in memory, powered on.
    pub fn in_memory(state: TokenState, config: CardConfig) -> Self {
        let mut store = Store::Memory(None);
        // Saving to memory cannot fail.
        let _ = store.save(&state);
        Self::assemble(config, state, store)
    }

    /// The token whose state lives in `path`: loads it, or creates a fresh token there when the
    /// file does not exist. A corrupted file is an error, never silently replaced.
    pub fn open(path: impl Into<PathBuf>, config: CardConfig) -> Result<Self, StateError> {
        let mut store = Store::File(path.into());
        let state = match store.load()? {
            Some(state) => state,
            None => {
                let state = TokenState::fresh(&config);
                store.save(&state)?;
                state
            }
        };
        Ok(Self::assemble(config, state, store))
    }

    fn assemble(config: CardConfig, state: TokenState, store: Store) -> Self {
        let mut card = VirtualCard {
            config,
            state,
            store,
            session: Session::default(),
        };
        card.power_on();
        card
    }

    /// Re-reads the state as it was last persisted (what a token has after being unplugged), and
    /// powers the card off.
    pub fn reload(&mut self) -> Result<(), StateError> {
        if let Some(state) = self.store.load()? {
            self.state = state;
        }
        self.power_off();
        Ok(())
    }

    /// Cold or warm reset: forgets the verified PINs and the selections, and answers the ATR.
    pub fn power_on(&mut self) -> Vec<u8> {
        self.session = Session {
            powered: true,
            ..Session::default()
        };
        ATR.to_vec()
    }

    pub fn power_off(&mut self) {
        self.session = Session::default();
    }

    pub fn is_powered(&self) -> bool {
        self.session.powered
    }

    pub fn atr(&self) -> &'static [u8] {
        &ATR
    }

    pub fn state(&self) -> &TokenState {
        &self.state
    }

    pub fn config(&self) -> &CardConfig {
        &self.config
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn set_keygen_delay(&mut self, delay: Duration) {
        self.config.keygen_delay = delay;
    }

    /// Whether a PIN is verified in this power session.
    pub fn is_verified(&self, who: PinRef) -> bool {
        match who {
            PinRef::Admin => self.session.admin_verified,
            PinRef::User => self.session.user_verified,
        }
    }

    /// Runs one command APDU and answers data ‖ SW1 SW2, taking as long as the command takes on a
    /// real token. An unpowered card is mute (empty answer).
    pub fn process_apdu(&mut self, apdu: &[u8]) -> Vec<u8> {
        let delay = self.command_delay(apdu);
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        self.execute(apdu)
    }

    /// How long a command will take: the key-generation delay for a GENERATE KEY the card will
    /// run, zero otherwise. A CCID model spends this time sending time extensions.
    pub fn command_delay(&self, apdu: &[u8]) -> Duration {
        let generates = matches!(apdu, [0x00, 0x46, 0x80, ..]) && self.session.user_verified;
        if generates && self.session.powered {
            self.config.keygen_delay
        } else {
            Duration::ZERO
        }
    }

    /// [`VirtualCard::process_apdu`] without the delay.
    pub fn execute(&mut self, apdu: &[u8]) -> Vec<u8> {
        if !self.session.powered {
            return Vec::new();
        }
        let answer = Command::parse(apdu).and_then(|c| {
            let mut r = self.dispatch(&c)?;
            // The card answers at most Ne bytes (no 61xx); 256 when Le is absent.
            r.data.truncate(c.le.unwrap_or(256));
            Ok(r)
        });
        let (data, sw) = match answer {
            Ok(r) => (r.data, r.sw),
            Err(sw) => (Vec::new(), sw),
        };
        log::debug!(
            "virtual card: {:02X?} -> {:04X} ({} bytes)",
            apdu.get(..2),
            sw,
            data.len()
        );
        apdu::response(data, sw)
    }

    fn dispatch(&mut self, c: &Command<'_>) -> Answer {
        match (c.cla, c.ins) {
            (0x00, 0xA4) => self.select(c),
            (0x00, 0xB0) => self.read_binary(c),
            (0x00, 0xD6) => self.update_binary(c),
            (0x00, 0xE0) => self.create_file(c),
            (0x00, 0xE4) => self.delete_file(c),
            (0x00, 0x20) => self.verify(c),
            (0x00, 0x24) => self.change_reference_data(c),
            (0x00, 0x2C) => self.reset_retry_counter(c),
            (0x00, 0x46) => self.generate_key(c),
            (0x00, 0x22) => self.manage_security_environment(c),
            (0x00, 0x2A) => self.compute_signature(c),
            (0x00, 0xCA) => self.get_data(c),
            (0x00, 0xDA) => self.put_data(c),
            (0x80, 0x40) => self.logout(c),
            (0x80, 0x8A) => self.format(c),
            (0x00 | 0x80, ins) if KNOWN_INS.contains(&ins) => Err(sw::UNKNOWN_CLA),
            (0x00 | 0x80, _) => Err(sw::UNKNOWN_INS),
            _ => Err(sw::UNKNOWN_CLA),
        }
    }

    /// Saves the state after a change; a failure is reported as `6581` (and logged), since the
    /// card can no longer promise the change survives.
    fn persist(&mut self) -> Result<(), Sw> {
        self.store.save(&self.state).map_err(|e| {
            log::error!("{e}");
            sw::MEMORY_FAILURE
        })
    }

    fn require(&self, allowed: bool) -> Result<(), Sw> {
        if allowed {
            Ok(())
        } else {
            Err(sw::SECURITY_NOT_SATISFIED)
        }
    }

    fn user_or_admin(&self) -> bool {
        self.session.user_verified || self.session.admin_verified
    }
}

/// Every INS the card knows, under one CLA or the other: under the wrong one it is `6E00`.
const KNOWN_INS: [u8; 15] = [
    0xA4, 0xB0, 0xD6, 0xE0, 0xE4, 0x20, 0x24, 0x2C, 0x46, 0x22, 0x2A, 0xCA, 0xDA, 0x40, 0x8A,
];
