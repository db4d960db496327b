//! What the token remembers across power cycles and unplugging: PINs and their counters, label,
//! serial number, files and keys; and where it keeps them (a file, or memory for unit tests).

mod atomic;
mod codec;

use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::card::fs::FileSystem;
use crate::card::CardConfig;
use crate::secret::Secret;

pub use codec::DecodeError;

/// PIN lengths the card accepts (PROTOCOL.md, CHANGE REFERENCE DATA).
pub const PIN_LENGTHS: RangeInclusive<usize> = 6..=32;
/// Retry maxima the card accepts: the count must fit the x of `63Cx`.
pub const MAX_TRIES: RangeInclusive<u8> = 1..=15;
/// The longest label, in bytes of UTF-8.
pub const LABEL_MAX: usize = 32;

/// One PIN with its retry counter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinState {
    pub pin: Secret,
    pub tries_left: u8,
    pub max_tries: u8,
}

impl PinState {
    /// A PIN with a full counter.
    pub fn new(pin: &[u8], max_tries: u8) -> Self {
        PinState {
            pin: Secret::from_slice(pin),
            tries_left: max_tries,
            max_tries,
        }
    }

    pub fn is_blocked(&self) -> bool {
        self.tries_left == 0
    }
}

/// The persistent state of one token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenState {
    pub serial: u32,
    pub label: String,
    pub admin: PinState,
    pub user: PinState,
    pub files: FileSystem,
}

impl TokenState {
    /// A token as it leaves the factory: default PINs, the profile's empty DFs, the configured
    /// serial or a random one.
    pub fn fresh(config: &CardConfig) -> Self {
        TokenState {
            serial: config.serial.unwrap_or_else(random_serial),
            label: config.label.clone(),
            admin: PinState::new(config.admin_pin.bytes(), config.admin_max_tries),
            user: PinState::new(config.user_pin.bytes(), config.user_max_tries),
            files: FileSystem::with_dfs(&[config.profile.keys_df, config.profile.objects_df]),
        }
    }
}

fn random_serial() -> u32 {
    let mut b = [0u8; 4];
    // A serial needs to be distinct, not secret: without an OS generator, the clock will do.
    if getrandom::fill(&mut b).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0x4B5A_0001);
        b = nanos.to_be_bytes();
    }
    u32::from_be_bytes(b)
}

/// Why a state could not be loaded or saved.
#[derive(Debug)]
pub enum StateError {
    /// Reading or writing the state file failed.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The stored bytes are not a valid state (the file is left untouched).
    Decode {
        path: Option<PathBuf>,
        error: DecodeError,
    },
}

impl core::fmt::Display for StateError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            StateError::Io { path, source } => {
                write!(f, "virtual token state {}: {source}", path.display())
            }
            StateError::Decode {
                path: Some(path),
                error,
            } => write!(f, "virtual token state {}: {error}", path.display()),
            StateError::Decode { path: None, error } => write!(f, "virtual token state: {error}"),
        }
    }
}

impl std::error::Error for StateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StateError::Io { source, .. } => Some(source),
            StateError::Decode { error, .. } => Some(error),
        }
    }
}

/// Encodes a state in the file format (the bytes hold the PINs and keys: they are wiped on drop).
pub fn encode(state: &TokenState) -> Zeroizing<Vec<u8>> {
    codec::encode(state)
}

/// Parses the file format strictly: any inconsistency is an error, never a default.
pub fn decode(bytes: &[u8]) -> Result<TokenState, DecodeError> {
    codec::decode(bytes)
}

/// `body` with the file format's checksum appended, so that a fuzzer's bytes get past it to the
/// structural checks.
#[doc(hidden)]
pub fn sealed(body: &[u8]) -> Vec<u8> {
    codec::sealed(body)
}

/// Where a card persists its state.
#[derive(Debug)]
pub enum Store {
    /// No file: the last saved encoding stays in memory, so a "replug" still reloads exactly what
    /// was persisted and the codec is exercised by every unit test.
    Memory(Option<Zeroizing<Vec<u8>>>),
    /// A state file, replaced atomically on every save.
    File(PathBuf),
}

impl Store {
    /// Persists `state`; when this returns Ok, a crash cannot lose or corrupt it.
    pub fn save(&mut self, state: &TokenState) -> Result<(), StateError> {
        let bytes = encode(state);
        match self {
            Store::Memory(last) => {
                *last = Some(bytes);
                Ok(())
            }
            Store::File(path) => atomic::write(path, &bytes).map_err(|source| StateError::Io {
                path: path.clone(),
                source,
            }),
        }
    }

    /// The last persisted state; `None` when nothing was ever saved.
    pub fn load(&self) -> Result<Option<TokenState>, StateError> {
        match self {
            Store::Memory(None) => Ok(None),
            Store::Memory(Some(bytes)) => decode(bytes)
                .map(Some)
                .map_err(|error| StateError::Decode { path: None, error }),
            Store::File(path) => load_file(path),
        }
    }

    /// The state file, if any.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Store::Memory(_) => None,
            Store::File(p) => Some(p),
        }
    }
}

fn load_file(path: &Path) -> Result<Option<TokenState>, StateError> {
    let io = |source| StateError::Io {
        path: path.to_owned(),
        source,
    };
    let Some(bytes) = atomic::read(path).map_err(io)? else {
        return Ok(None);
    };
    decode(&bytes)
        .map(Some)
        .map_err(|error| StateError::Decode {
            path: Some(path.to_owned()),
            error,
        })
}
