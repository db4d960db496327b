//! Password-based decryption of a PFX part or an EncryptedPrivateKeyInfo: picks PBES2 or a
//! legacy PKCS#12 scheme by the algorithm OID.

use spki::AlgorithmIdentifierRef;
use zeroize::Zeroizing;

use super::{legacy, oids, pbes2};
use crate::PkiError;

/// The plaintext of `ciphertext` encrypted under `algorithm` with `password`.
///
/// A wrong password gives [`PkiError::WrongPassword`] where the scheme can notice (CBC padding,
/// OMAC); CFB and CTR cannot, and the caller's structure check of the plaintext must.
pub(crate) fn decrypt(
    algorithm: &AlgorithmIdentifierRef<'_>,
    ciphertext: &[u8],
    password: &str,
    max_iterations: u32,
) -> Result<Zeroizing<Vec<u8>>, PkiError> {
    let mut data = Zeroizing::new(ciphertext.to_vec());
    let oid = &algorithm.oid;
    if *oid == oids::PBES2 {
        pbes2::decrypt(algorithm.parameters, password, max_iterations, &mut data)?;
    } else if legacy::handles(oid) {
        legacy::decrypt(
            oid,
            algorithm.parameters,
            password,
            max_iterations,
            &mut data,
        )?;
    } else {
        return Err(PkiError::Unsupported(format!("encryption {oid}")));
    }
    Ok(data)
}

/// An iteration count as the KDFs take it: at least 1, at most `max` (a file asking for more
/// would hold the caller for minutes — a denial of service, not a container to open).
pub(crate) fn iterations(count: u64, max: u32) -> Result<u32, PkiError> {
    match u32::try_from(count) {
        Ok(0) => Err(PkiError::Corrupt("iteration count 0".into())),
        Ok(n) if n <= max => Ok(n),
        _ => Err(PkiError::Unsupported(format!(
            "iteration count {count} (more than {max})"
        ))),
    }
}
