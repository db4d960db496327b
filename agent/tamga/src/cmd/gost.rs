//! `tamga gost sign` and `tamga gost verify`: the job of `openssl dgst -sign/-verify` on GOST key
//! files, over raw signatures.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;

use tamga_gost::{Curve, Error as GostError, SigEncoding};
use tamga_pki::hash::Hasher;
use tamga_pki::HashAlg;

use crate::cli::{SignArgs, VerifyArgs};
use crate::error::{display_path, Failure, Result};
use crate::keyfile;

pub fn sign(args: &SignArgs) -> Result<()> {
    let key = keyfile::load_private_key(&args.key)?;
    let curve = key.curve();
    let hash = args.hash.unwrap_or(key.hash());
    check_hash_fits(hash, curve)?;
    let digest = digest_file(hash, &args.input)?;
    let enc = SigEncoding::from(args.encoding);
    let sig = key
        .secret()
        .sign_digest(&digest, enc)
        .map_err(|e| Failure::invalid(format!("signing failed: {e} / ошибка подписи")))?;
    // A fault or a bug that produced a wrong signature would otherwise surface only at the relying
    // party; one verification is cheap next to that.
    key.public_key()
        .verify_digest(&digest, &sig, enc)
        .map_err(|_| {
            Failure::invalid(
                "internal error: the new signature does not verify; nothing was written",
            )
        })?;
    write_output(&args.out, &sig)
}

pub fn verify(args: &VerifyArgs) -> Result<()> {
    let key = match (&args.pubkey, &args.cert) {
        (Some(path), None) => keyfile::load_public_key(path)?,
        (None, Some(path)) => keyfile::load_certificate(path)?,
        // clap's argument group makes exactly one of them present.
        _ => return Err(Failure::invalid("give exactly one of --pubkey and --cert")),
    };
    let curve = key.key.curve();
    let hash = args.hash.unwrap_or(key.hash);
    check_hash_fits(hash, curve)?;
    let sig = fs::read(&args.sig).map_err(|e| Failure::io("read", &args.sig, &e))?;
    let want = 2 * curve.scalar_len();
    if sig.is_empty() {
        return Err(Failure::invalid(format!(
            "{}: signature file is empty / файл подписи пуст",
            display_path(&args.sig)
        )));
    }
    if sig.len() != want {
        return Err(Failure::invalid(format!(
            "{}: signature is {} bytes, a {curve} key needs {want} / неверная длина подписи",
            display_path(&args.sig),
            sig.len()
        )));
    }
    let digest = digest_file(hash, &args.input)?;
    let result = match SigEncoding::from(args.encoding) {
        SigEncoding::Auto => key.key.detect_encoding(&digest, &sig),
        enc => key.key.verify_digest(&digest, &sig, enc).map(|()| enc),
    };
    match result {
        Ok(enc) => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "Verified OK ({enc} layout, {}, {curve})", hash.name())
                .map_err(|e| Failure::io("write", Path::new("-"), &e))
        }
        Err(GostError::BadSignature | GostError::SignatureRange) => Err(Failure::Rejected(
            "signature does not verify / подпись не прошла проверку".to_owned(),
        )),
        Err(e) => Err(Failure::invalid(format!("cannot verify: {e}"))),
    }
}

/// A digest of the wrong length cannot be signed; say so before hashing a large file.
fn check_hash_fits(hash: HashAlg, curve: Curve) -> Result<()> {
    if hash.output_len() == curve.digest_len() {
        Ok(())
    } else {
        Err(Failure::invalid(format!(
            "hash {} gives {} bytes, but a {curve} key signs {}-byte digests / хеш не подходит к ключу",
            hash.name(),
            hash.output_len(),
            curve.digest_len()
        )))
    }
}

/// The digest of a file (`-` = standard input), streamed so that large files need no memory.
fn digest_file(hash: HashAlg, path: &Path) -> Result<Vec<u8>> {
    let digest = |reader: &mut dyn Read| -> io::Result<Vec<u8>> {
        let mut h = Hasher::new(hash);
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => return Ok(h.finalize()),
                Ok(n) => h.update(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    };
    let result = if path.as_os_str() == "-" {
        digest(&mut io::stdin().lock())
    } else {
        File::open(path).and_then(|mut f| digest(&mut f))
    };
    result.map_err(|e| Failure::io("read", path, &e))
}

pub(crate) fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    let result = if path.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes).and_then(|()| out.flush())
    } else {
        fs::write(path, bytes)
    };
    result.map_err(|e| Failure::io("write", path, &e))
}
