//! Key and certificate files for `tamga gost sign|verify`: read from disk here, parsed by
//! tamga-pki (PKCS#8 in OpenSSL's, Kalkan's, the INTEGER and the masked layouts, PKCS#8 v2;
//! SubjectPublicKeyInfo; X.509; PEM or DER). What a key file holds stays in `Zeroizing` buffers.

use std::fs;
use std::io::Read;
use std::path::Path;

use tamga_pki::private_key::{GostKey, Pkcs8File, PrivateKey};
use tamga_pki::{Certificate, GostPublicKey};
use zeroize::Zeroizing;

use crate::error::{Failure, Result};

pub fn load_private_key(path: &Path) -> Result<GostKey> {
    let raw = read_file(path)?;
    parse_private_key(&raw).map_err(|e| e.in_file(path))
}

pub fn load_public_key(path: &Path) -> Result<GostPublicKey> {
    let raw = read_file(path)?;
    parse_public_key(&raw).map_err(|e| e.in_file(path))
}

pub fn load_certificate(path: &Path) -> Result<GostPublicKey> {
    let raw = read_file(path)?;
    parse_certificate(&raw).map_err(|e| e.in_file(path))
}

/// A whole file (`-` = standard input), into a buffer that is wiped when dropped (it may hold a
/// private key).
pub fn read_file(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let mut buf = Zeroizing::new(Vec::new());
    let read = if path.as_os_str() == "-" {
        std::io::stdin().lock().read_to_end(&mut buf)
    } else {
        // Sized up front so that the buffer never reallocates and leaves unwiped copies behind.
        let len = fs::metadata(path).map(|m| m.len() as usize).unwrap_or(0);
        buf.reserve_exact(len.saturating_add(1));
        fs::File::open(path).and_then(|mut f| f.read_to_end(&mut buf))
    };
    read.map_err(|e| Failure::io("read", path, &e))?;
    Ok(buf)
}

/// An unencrypted PKCS#8 GOST private key, PEM or DER.
pub fn parse_private_key(data: &[u8]) -> Result<GostKey> {
    match Pkcs8File::parse(data).map_err(|e| Failure::pki(&e))? {
        Pkcs8File::Plain(PrivateKey::Gost(key)) => Ok(key),
        Pkcs8File::Plain(other) => Err(not_gost(&other)),
        Pkcs8File::Encrypted(_) => Err(Failure::invalid(
            "encrypted PKCS#8 key: `tamga cms sign` opens it with its password, or decrypt it \
             first (openssl pkcs8 -in KEY -out PLAIN) / зашифрованный ключ",
        )),
    }
}

/// A SubjectPublicKeyInfo with a GOST key, PEM or DER.
pub fn parse_public_key(data: &[u8]) -> Result<GostPublicKey> {
    GostPublicKey::parse(data).map_err(|e| Failure::pki(&e))
}

/// The GOST public key of an X.509 certificate, PEM or DER.
pub fn parse_certificate(data: &[u8]) -> Result<GostPublicKey> {
    Certificate::parse(data)
        .and_then(|c| c.public_key())
        .map_err(|e| Failure::pki(&e))
}

/// The refusal of an RSA or EC key where a GOST key is needed.
pub fn not_gost(key: &PrivateKey) -> Failure {
    let what = match key {
        PrivateKey::Rsa(_) => "RSA",
        PrivateKey::EcP256(_) => "EC P-256",
        _ => "non-GOST",
    };
    Failure::invalid(format!(
        "not a GOST key ({what}) / ключ не является ключом ГОСТ"
    ))
}
