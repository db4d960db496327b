//! Replacing a file so that a crash at any point leaves either the old or the new content: write a
//! temporary file beside it, make it durable, rename it over the target, make the rename durable.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

/// The temporary file of `path`: in the same directory, so that the rename cannot cross file
/// systems (and is atomic).
/// Far above any real state (a token holds at most its capacity): refuses to read a huge file.
const MAX_FILE: u64 = 16 << 20;

pub fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = temp_path(path);
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp)?;
    // `mode` only applies to a file it creates: a stale temporary file keeps its old mode.
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&tmp, path)?;
    sync_dir(path)
}

/// Makes the rename itself survive a power loss (the directory entry is what changed).
#[cfg(unix)]
fn sync_dir(path: &Path) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_path: &Path) -> io::Result<()> {
    Ok(())
}

/// Reads the file (`None` if it does not exist), first removing a temporary file left by a crash
/// between its creation and the rename: it may be incomplete, and the target still holds the last
/// complete state.
pub fn read(path: &Path) -> io::Result<Option<Zeroizing<Vec<u8>>>> {
    match fs::remove_file(temp_path(path)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    // Sized up front: growing the buffer would leave copies of the PINs in freed memory.
    let len = file.metadata()?.len();
    if len > MAX_FILE {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "the state file is too large to be a token state",
        ));
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(len as usize + 1));
    file.take(MAX_FILE + 1).read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}
