//! The user's directories (XDG base directories), read once from the environment.

use std::path::PathBuf;

/// Where a user's tamga files go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dirs {
    /// `$XDG_CONFIG_HOME/tamga` or `~/.config/tamga` (`None` without either variable).
    pub config: Option<PathBuf>,
    /// `$XDG_STATE_HOME/tamga` or `~/.local/state/tamga` (`./.tamga-state` without either, so
    /// that the demo still runs in a bare container).
    pub state: PathBuf,
}

impl Dirs {
    /// From the process environment.
    pub fn from_env() -> Dirs {
        Dirs::from_vars(|name| std::env::var_os(name).map(PathBuf::from))
    }

    /// From any variable lookup. Relative XDG values are ignored, as the specification says.
    pub fn from_vars(get: impl Fn(&str) -> Option<PathBuf>) -> Dirs {
        let absolute = |name: &str| get(name).filter(|p| p.is_absolute());
        let home = absolute("HOME");
        let base = |xdg: &str, under_home: &str| {
            absolute(xdg).or_else(|| home.as_ref().map(|h| h.join(under_home)))
        };
        Dirs {
            config: base("XDG_CONFIG_HOME", ".config").map(|d| d.join("tamga")),
            state: base("XDG_STATE_HOME", ".local/state")
                .map_or_else(|| PathBuf::from(".tamga-state"), |d| d.join("tamga")),
        }
    }
}
