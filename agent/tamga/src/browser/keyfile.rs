//! The bank's key file (`GOST.pfx`, `Key.pfx`) for a registration a web page started. The page
//! sends only the user ID: it may neither name a path (it could point tamga at any file) nor
//! learn which files exist. tamga looks in the directories the profile names
//! (`enroll.key_file_dirs`) and shows each file it finds in its own dialog; the person picks.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use tamga_core::profile::LoadedProfile;
use tamga_core::{CoreError, ErrorClass, Lang, PluginError};

/// Files larger than this are not key files (a PFX with two certificates is a few KiB).
const MAX_SIZE: u64 = 1 << 20;
/// At most this many files are offered, one dialog each.
const MAX_OFFERED: usize = 8;

/// The profile's directories, resolved: `~/…` under `$HOME`, relative ones against the profile.
pub fn search_dirs(profile: &LoadedProfile) -> Vec<PathBuf> {
    let Some(enroll) = &profile.profile.workflows.enroll else {
        return Vec::new();
    };
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from);
    enroll
        .key_file_dirs
        .iter()
        .filter_map(|d| match (d.strip_prefix('~'), &home) {
            (Some(""), Some(h)) => Some(h.clone()),
            (Some(rest), Some(h)) => rest.strip_prefix('/').map(|r| h.join(r)),
            (Some(_), None) => None,
            (None, _) => Some(profile.base_dir.join(d)),
        })
        .collect()
}

/// One file offered.
pub struct Candidate {
    pub path: PathBuf,
    pub size: u64,
    pub modified: SystemTime,
}

/// The key files in `dirs` (not below them): the bank's names first, then the newest.
pub fn candidates(dirs: &[PathBuf]) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let is_key = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("pfx") || e.eq_ignore_ascii_case("p12"));
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if !is_key || !meta.is_file() || meta.len() > MAX_SIZE {
                continue;
            }
            let canonical = path.canonicalize().unwrap_or(path);
            if found.iter().any(|c| c.path == canonical) {
                continue;
            }
            found.push(Candidate {
                path: canonical,
                size: meta.len(),
                modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            });
        }
    }
    found.sort_by_key(|c| (!bank_name(&c.path), std::cmp::Reverse(c.modified)));
    found.truncate(MAX_OFFERED);
    found
}

fn bank_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.eq_ignore_ascii_case("GOST.pfx") || n.eq_ignore_ascii_case("Key.pfx"))
}

/// The dialog's question about one file.
pub fn question(c: &Candidate, lang: Lang) -> String {
    let shown = tamga_service::payment::shown(&c.path.display().to_string());
    let when = crate::pki_common::rfc3339(c.modified);
    match lang {
        Lang::En => format!(
            "Use the bank's key file\n  {shown}\n  ({} bytes, modified {when})?",
            c.size
        ),
        _ => format!(
            "Использовать ключевой файл банка\n  {shown}\n  ({} байт, изменён {when})?",
            c.size
        ),
    }
}

/// No key file was found or accepted.
#[derive(Debug)]
pub struct NoKeyFile {
    /// Where tamga looked.
    pub dirs: Vec<PathBuf>,
    /// Files were offered and each declined.
    pub declined: bool,
}

impl PluginError for NoKeyFile {
    fn code(&self) -> &'static str {
        "browser.no_key_file"
    }

    fn class(&self) -> ErrorClass {
        if self.declined {
            ErrorClass::Cancelled
        } else {
            ErrorClass::Usage
        }
    }

    fn message(&self, lang: Lang) -> String {
        let dirs = self
            .dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        match (self.declined, lang) {
            (true, Lang::En) => "no key file was chosen; the registration was cancelled".into(),
            (true, _) => "Ключевой файл не выбран: регистрация отменена.".into(),
            (false, Lang::En) => format!(
                "no bank key file (GOST.pfx, Key.pfx) in {dirs}: put it there (the profile's enroll.key_file_dirs) and try again"
            ),
            (false, _) => format!(
                "Ключевой файл банка (GOST.pfx, Key.pfx) не найден в: {dirs}. Положите его туда (enroll.key_file_dirs профиля) и повторите."
            ),
        }
    }
}

/// Asks about each file in turn; the first accepted is the answer.
pub fn choose(
    dirs: &[PathBuf],
    lang: Lang,
    ask: &mut dyn FnMut(&str) -> Result<bool, CoreError>,
) -> Result<PathBuf, CoreError> {
    let found = candidates(dirs);
    let declined = !found.is_empty();
    for c in found {
        if ask(&question(&c, lang))? {
            return Ok(c.path);
        }
    }
    Err(CoreError::Plugin(Box::new(NoKeyFile {
        dirs: dirs.to_vec(),
        declined,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_the_bank_names_first_and_skips_the_rest() {
        let d = tempfile::tempdir().unwrap();
        for (name, len) in [
            ("old.p12", 10),
            ("GOST.pfx", 10),
            ("notes.txt", 10),
            ("huge.pfx", MAX_SIZE + 1),
        ] {
            std::fs::write(
                d.path().join(name),
                vec![0u8; usize::try_from(len).unwrap()],
            )
            .unwrap();
        }
        std::fs::create_dir(d.path().join("dir.pfx")).unwrap();
        let found = candidates(&[d.path().to_path_buf(), d.path().join("missing")]);
        let names: Vec<_> = found
            .iter()
            .map(|c| c.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["GOST.pfx", "old.p12"]);
        let mut asked = Vec::new();
        let chosen = choose(&[d.path().to_path_buf()], Lang::En, &mut |q| {
            asked.push(q.to_owned());
            Ok(q.contains("old.p12"))
        })
        .unwrap();
        assert!(chosen.ends_with("old.p12"));
        assert_eq!(asked.len(), 2);
        let none = choose(&[d.path().join("missing")], Lang::Ru, &mut |_| Ok(true)).unwrap_err();
        assert_eq!(none.code(), "browser.no_key_file");
        let declined = choose(&[d.path().to_path_buf()], Lang::Ru, &mut |_| Ok(false)).unwrap_err();
        assert_eq!(declined.class(), ErrorClass::Cancelled);
    }
}
