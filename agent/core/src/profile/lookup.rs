//! Which profile applies: `--profile`, `$TAMGA_PROFILE`, the user's config directory,
//! `/etc/tamga/profile.ron`, then the built-in default.

use core::fmt;
use std::path::{Path, PathBuf};

use super::{Dirs, LoadedProfile, Profile, ProfileError, BUILTIN};

/// Where the profile in effect came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileSource {
    /// `--profile FILE`.
    Option(PathBuf),
    /// `$TAMGA_PROFILE`.
    Environment(PathBuf),
    /// `~/.config/tamga/profile.ron`.
    User(PathBuf),
    /// `/etc/tamga/profile.ron`.
    System(PathBuf),
    /// Compiled in.
    Builtin,
}

impl ProfileSource {
    /// The file, if any.
    pub fn path(&self) -> Option<&Path> {
        match self {
            ProfileSource::Option(p)
            | ProfileSource::Environment(p)
            | ProfileSource::User(p)
            | ProfileSource::System(p) => Some(p),
            ProfileSource::Builtin => None,
        }
    }
}

impl fmt::Display for ProfileSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileSource::Option(p) => write!(f, "{} (--profile)", p.display()),
            ProfileSource::Environment(p) => write!(f, "{} ($TAMGA_PROFILE)", p.display()),
            ProfileSource::User(p) | ProfileSource::System(p) => write!(f, "{}", p.display()),
            ProfileSource::Builtin => f.write_str("built-in default"),
        }
    }
}

/// The inputs of the lookup, so that tests can set each one.
#[derive(Clone, Debug)]
pub struct Lookup {
    /// `--profile`.
    pub option: Option<PathBuf>,
    /// `$TAMGA_PROFILE` (empty counts as unset).
    pub environment: Option<PathBuf>,
    /// The user's directories.
    pub dirs: Dirs,
    /// The system-wide file.
    pub system: PathBuf,
}

impl Lookup {
    /// From the process environment and the `--profile` option.
    pub fn from_env(option: Option<PathBuf>) -> Lookup {
        Lookup {
            option,
            environment: std::env::var_os("TAMGA_PROFILE")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            dirs: Dirs::from_env(),
            system: PathBuf::from("/etc/tamga/profile.ron"),
        }
    }

    /// The first source that applies. A file named explicitly must exist; the user and system
    /// files are used only if they exist.
    pub fn source(&self) -> Result<ProfileSource, ProfileError> {
        let must_exist = |p: &PathBuf| {
            if p.exists() {
                Ok(p.clone())
            } else {
                Err(ProfileError::NotFound(p.clone()))
            }
        };
        if let Some(p) = &self.option {
            return must_exist(p).map(ProfileSource::Option);
        }
        if let Some(p) = &self.environment {
            return must_exist(p).map(ProfileSource::Environment);
        }
        if let Some(user) = self.dirs.config.as_ref().map(|d| d.join("profile.ron")) {
            if user.exists() {
                return Ok(ProfileSource::User(user));
            }
        }
        if self.system.exists() {
            return Ok(ProfileSource::System(self.system.clone()));
        }
        Ok(ProfileSource::Builtin)
    }

    /// Finds, reads and validates the profile.
    pub fn load(&self) -> Result<LoadedProfile, ProfileError> {
        let source = self.source()?;
        let (profile, base_dir) = match source.path() {
            Some(path) => {
                let dir = path
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
                (Profile::read(path)?, dir)
            }
            None => (
                Profile::parse(BUILTIN, "<built-in profile>")?,
                PathBuf::from("."),
            ),
        };
        Ok(LoadedProfile {
            profile,
            source,
            base_dir,
            dirs: self.dirs.clone(),
        })
    }
}
