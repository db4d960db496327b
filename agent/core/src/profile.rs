//! Profiles: RON files naming the drivers and workflows the agent runs, with their settings.
//!
//! Parsing is strict (`deny_unknown_fields` everywhere, externally tagged enums) so that a typo is
//! an error at its `file:line:col`, not a silently ignored setting.

mod drivers;
mod error;
mod key_algorithm;
mod lookup;
mod paths;
mod service;
mod validate;
mod workflows;

use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use serde::Deserialize;

pub use drivers::{
    Algorithm, CardProtocol, CurveName, DriverSpec, KaztokenCcid, Pkcs11, Pkcs11KeyMechanisms,
    Pkcs11Mechanisms, Pkcs11Pin, Pkcs11SignatureOrder, StatePath, UsbId, VirtualKaztoken,
    VirtualReader,
};
pub use error::ProfileError;
pub use key_algorithm::{KeyAlgorithm, KeyCurve, KeyFamily};
pub use lookup::{Lookup, ProfileSource};
pub use paths::Dirs;
pub use service::ServiceSettings;
pub use workflows::{
    CmpProtection, Endpoint, EnrollSettings, LoginSettings, OidNames, OtpPinRules, PasswordRules,
    PinSettings, SignSettings, SignatureEncoding, Workflows,
};

/// The built-in profile, used when no file is found: a real KAZTOKEN over USB CCID.
pub const BUILTIN: &str = include_str!("../../../profiles/default.ron");

/// A profile as written.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// A name for messages and logs.
    pub name: String,
    /// The drivers, tried in order.
    pub drivers: Vec<DriverSpec>,
    /// Workflow settings.
    #[serde(default)]
    pub workflows: Workflows,
    /// `tamga serve` and the browser bridge.
    #[serde(default)]
    pub service: ServiceSettings,
}

/// A profile, where it came from, and the directories its relative paths resolve against.
#[derive(Clone, Debug)]
pub struct LoadedProfile {
    /// The profile.
    pub profile: Profile,
    /// Where it came from.
    pub source: ProfileSource,
    /// The directory relative paths in it resolve against.
    pub base_dir: PathBuf,
    /// The user's directories.
    pub dirs: Dirs,
}

impl Profile {
    /// Parses and validates RON text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Profile, ProfileError> {
        // `KaztokenCcid(vendors: …)` rather than `KaztokenCcid((vendors: …))`, and `timeout_s: 30`
        // rather than `Some(30)`: profiles are written by hand.
        let extensions = Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES;
        let options = ron::Options::default().with_default_extension(extensions);
        let profile: Profile = options
            .from_str(text)
            .map_err(|e| ProfileError::syntax(file, text, &e))?;
        validate::check(&profile).map_err(|(field, message)| ProfileError::Invalid {
            file: file.to_owned(),
            field,
            message,
        })?;
        Ok(profile)
    }

    /// Reads, parses and validates a profile file.
    pub fn read(path: &Path) -> Result<Profile, ProfileError> {
        let text = std::fs::read_to_string(path).map_err(|error| ProfileError::Read {
            path: path.to_owned(),
            error,
        })?;
        Profile::parse(&text, &path.display().to_string())
    }
}

impl LoadedProfile {
    /// A state file's path.
    pub fn state_path(&self, state: &StatePath) -> PathBuf {
        state.resolve(&self.base_dir, &self.dirs.state)
    }
}

#[cfg(test)]
mod tests;
