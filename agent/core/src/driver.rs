//! Token drivers: what turns a profile's driver entry into connected tokens.

use core::fmt;

use tamga_token::Token;

use crate::profile::{DriverSpec, LoadedProfile};
use crate::CoreError;

/// A token a driver sees, before it is opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSlot {
    /// The driver's registry name.
    pub driver: &'static str,
    /// A stable id for `--token` (`usb:0a89:0030:1`, `virtual:/path/to/state`).
    pub id: String,
    /// What to show the user.
    pub description: String,
}

impl fmt::Display for TokenSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.id, self.description)
    }
}

/// A driver: a factory of [`Token`]s from its profile entry. Implementations are unit structs in
/// the static registry; their settings come with every call, so that nothing is global.
pub trait TokenDriver: Sync {
    /// The registry name (stable: profiles and `--token` ids use it).
    fn name(&self) -> &'static str;

    /// The tokens this driver sees now.
    fn list(&self, spec: &DriverSpec, profile: &LoadedProfile)
        -> Result<Vec<TokenSlot>, CoreError>;

    /// Connects to one of them.
    fn open(
        &self,
        spec: &DriverSpec,
        profile: &LoadedProfile,
        slot: &TokenSlot,
    ) -> Result<Box<dyn Token>, CoreError>;
}
