//! The primary initialization key file (`GOST.pfx` / `Key.pfx` from the bank branch): opened
//! offline with the OTP PIN (and its 1/I, 0/O variants) or its own password, and checked to
//! belong to the user ID typed before anything reaches the token or the CA.

use der::asn1::ObjectIdentifier;
use sha2::{Digest, Sha256};
use tamga_core::Pin;
use tamga_pki::pfx::Pfx;
use tamga_pki::private_key::PrivateKey;
use tamga_pki::{Certificate, PkiError, SoftwareSigner};
use zeroize::Zeroizing;

use crate::otp_variants;
use crate::EnrollError;

const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");

/// An opened key file.
pub struct InitKey {
    /// The init key (software; it never goes to the token).
    pub signer: SoftwareSigner,
    /// Its certificate first, then the rest of the file's certificates.
    pub certs: Vec<Certificate>,
    /// SHA-256 of the file, kept in the journal.
    pub file_sha256: [u8; 32],
    /// The OTP PIN variant that opened it, when it differs from what was typed.
    pub otp_corrected: Option<Pin>,
}

impl core::fmt::Debug for InitKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("InitKey")
            .field("subject", &self.certs.first().map(Certificate::subject))
            .finish_non_exhaustive()
    }
}

/// The CN of a certificate's subject.
pub fn common_name(cert: &Certificate) -> Option<String> {
    tamga_pki::name::find_attribute(cert.subject_name(), &COMMON_NAME)
}

/// How the key file's password is given.
pub enum Password<'a> {
    /// "Пароль совпадает с ПИНом": the OTP PIN, with its variants tried.
    SameAsOtp(&'a Pin),
    /// A password of its own (tried exactly as given).
    Own(&'a Pin),
}

/// Opens `bytes` as the user's key file and checks its certificate names `user_id`.
pub fn open(bytes: &[u8], password: Password<'_>, user_id: &str) -> Result<InitKey, EnrollError> {
    let pfx = Pfx::parse(bytes).map_err(|e| EnrollError::KeyFile(e.to_string()))?;
    let (container, corrected) = match password {
        Password::Own(p) => (try_open(&pfx, p.as_bytes())?, None),
        Password::SameAsOtp(otp) => {
            let typed = Zeroizing::new(String::from_utf8_lossy(otp.as_bytes()).into_owned());
            let mut found = None;
            for (i, candidate) in otp_variants::variants(&typed).into_iter().enumerate() {
                let candidate = Zeroizing::new(candidate);
                match pfx.open(&candidate) {
                    Ok(c) => {
                        log::info!("the key file opened with OTP PIN variant #{i}");
                        let corrected = (candidate.as_bytes() != otp.as_bytes())
                            .then(|| Pin::new(candidate.as_bytes()));
                        found = Some((c, corrected));
                        break;
                    }
                    Err(PkiError::WrongPassword) => continue,
                    Err(e) => return Err(EnrollError::KeyFile(e.to_string())),
                }
            }
            found.ok_or(EnrollError::WrongContainer)?
        }
    };
    let key = container
        .keys
        .into_iter()
        .find_map(|k| match k.key {
            PrivateKey::Gost(g) => Some(g),
            _ => None,
        })
        .ok_or_else(|| EnrollError::KeyFile("no GOST private key inside".into()))?;
    let public = key.public_key();
    let mut certs = container
        .certificates
        .iter()
        .map(|c| Certificate::from_der(&c.der))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| EnrollError::KeyFile(e.to_string()))?;
    let own = certs
        .iter()
        .position(|c| c.public_key().is_ok_and(|k| k.key == public))
        .ok_or_else(|| EnrollError::KeyFile("no certificate for its key".into()))?;
    certs.swap(0, own);
    let cert_user = common_name(&certs[0]).unwrap_or_default();
    if cert_user != user_id {
        return Err(EnrollError::CertUserMismatch { cert_user });
    }
    Ok(InitKey {
        signer: SoftwareSigner::new(key.secret().clone()),
        certs,
        file_sha256: Sha256::digest(bytes).into(),
        otp_corrected: corrected,
    })
}

fn try_open(pfx: &Pfx, password: &[u8]) -> Result<tamga_pki::pfx::Container, EnrollError> {
    let text = Zeroizing::new(String::from_utf8_lossy(password).into_owned());
    match pfx.open(&text) {
        Ok(c) => Ok(c),
        Err(PkiError::WrongPassword) => Err(EnrollError::WrongContainer),
        Err(e) => Err(EnrollError::KeyFile(e.to_string())),
    }
}
