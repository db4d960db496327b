//! The legacy PKCS#12 password-based encryption of RFC 7292 App. C, still written by OpenSSL's
//! `-legacy` and by Kalkan: key and IV from the B.2 KDF with SHA-1, then DES-EDE3 or RC2 in CBC.

use cipher::KeyInit;
use der::asn1::{AnyRef, ObjectIdentifier};
use des::{TdesEde2, TdesEde3};
use rc2::Rc2;
use sha1::Sha1;
use zeroize::Zeroizing;

use super::asn1::LegacyPbeParams;
use super::kdf::{bmp_password, derive, Purpose};
use super::{cbc, oids, pbe};
use crate::PkiError;

/// Whether `oid` names one of the schemes here.
pub(crate) fn handles(oid: &ObjectIdentifier) -> bool {
    [
        oids::PBE_SHA1_3DES,
        oids::PBE_SHA1_2DES,
        oids::PBE_SHA1_RC2_40,
        oids::PBE_SHA1_RC2_128,
    ]
    .contains(oid)
}

/// Decrypts `data` in place under the scheme `oid` with parameters `params`.
pub(crate) fn decrypt(
    oid: &ObjectIdentifier,
    params: Option<AnyRef<'_>>,
    password: &str,
    max_iterations: u32,
    data: &mut Zeroizing<Vec<u8>>,
) -> Result<(), PkiError> {
    let params: LegacyPbeParams = params
        .ok_or_else(|| PkiError::Corrupt("PKCS#12 PBE without parameters".into()))?
        .decode_as()
        .map_err(|e| PkiError::corrupt("PKCS#12 PBE parameters", e))?;
    let iterations = pbe::iterations(params.iterations, max_iterations)?;
    let (key_len, rc2_bits) = match *oid {
        oids::PBE_SHA1_3DES => (24, None),
        oids::PBE_SHA1_2DES => (16, None),
        oids::PBE_SHA1_RC2_40 => (5, Some(40)),
        oids::PBE_SHA1_RC2_128 => (16, Some(128)),
        _ => return Err(PkiError::Unsupported(format!("encryption {oid}"))),
    };
    let password = bmp_password(password);
    let salt = params.salt.as_bytes();
    let mut key = Zeroizing::new(vec![0u8; key_len]);
    derive::<Sha1>(64, Purpose::Key, &password, salt, iterations, &mut key);
    let mut iv = [0u8; 8];
    derive::<Sha1>(64, Purpose::Iv, &password, salt, iterations, &mut iv);
    let bad_key = |_: cipher::InvalidLength| PkiError::Corrupt("PKCS#12 PBE key".into());
    match (key_len, rc2_bits) {
        (_, Some(bits)) => cbc::decrypt(&Rc2::new_with_eff_key_len(&key, bits), &iv, data),
        (24, None) => cbc::decrypt(&TdesEde3::new_from_slice(&key).map_err(bad_key)?, &iv, data),
        _ => cbc::decrypt(&TdesEde2::new_from_slice(&key).map_err(bad_key)?, &iv, data),
    }
}
