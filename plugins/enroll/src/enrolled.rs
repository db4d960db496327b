//! What a finished enrollment left on the token, for login and signing: the user ID, the key
//! slots and the certificates, read from the completed journal.

use tamga_core::token::{JournalState, KeyRef, Token};
use tamga_core::{CoreError, Lang, PluginError};
use tamga_pki::Certificate;

use crate::{store, EnrollError};

/// The enrolled profile on a token.
#[derive(Clone, Debug)]
pub struct Enrolled {
    /// The user ID.
    pub user_id: String,
    /// The SIGN key's slot.
    pub sign_key: KeyRef,
    /// Its certificate.
    pub sign_cert: Certificate,
    /// The AUTH key's slot.
    pub auth_key: KeyRef,
    /// Its certificate.
    pub auth_cert: Certificate,
}

/// The token has no finished enrollment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotEnrolled;

impl PluginError for NotEnrolled {
    fn code(&self) -> &'static str {
        "enroll.not_enrolled"
    }

    fn class(&self) -> tamga_core::ErrorClass {
        tamga_core::ErrorClass::Usage
    }

    fn message(&self, lang: Lang) -> String {
        lang.pick(
            "Токен не зарегистрирован (или регистрация не завершена): запустите tamga enroll.",
            "the token is not enrolled (or the enrollment is unfinished): run tamga enroll",
            None,
        )
        .to_owned()
    }
}

impl Enrolled {
    /// Reads the enrollment from the token's journal.
    pub fn read(token: &mut dyn Token) -> Result<Enrolled, CoreError> {
        let j = store::read(token)?.ok_or(CoreError::Plugin(Box::new(NotEnrolled)))?;
        if j.state != JournalState::Complete {
            return Err(CoreError::Plugin(Box::new(NotEnrolled)));
        }
        let cert = |der: Option<Vec<u8>>| -> Result<Certificate, CoreError> {
            let der = der.ok_or_else(|| EnrollError::CorruptJournal("no certificate".into()))?;
            Certificate::from_der(&der)
                .map_err(|e| EnrollError::CorruptJournal(e.to_string()).into())
        };
        Ok(Enrolled {
            user_id: j.user_id,
            sign_key: j.sign_key,
            sign_cert: cert(j.sign_cert)?,
            auth_key: j.auth_key,
            auth_cert: cert(j.auth_cert)?,
        })
    }
}
