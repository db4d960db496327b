//! `--pin-file` and friends: the whole file is the secret, less one trailing newline.

use std::path::Path;

use tamga_core::{Pin, SecretError};
use zeroize::Zeroizing;

pub fn read(path: &Path) -> Result<Pin, SecretError> {
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|error| SecretError::File {
        path: path.to_owned(),
        error,
    })?);
    let mut secret: &[u8] = &bytes;
    if let Some(rest) = secret.strip_suffix(b"\n") {
        secret = rest.strip_suffix(b"\r").unwrap_or(rest);
    }
    if secret.is_empty() {
        return Err(SecretError::Empty);
    }
    Ok(Pin::new(secret))
}
