//! What can go wrong with certificates, requests, CMS and key files.
//!
//! Every variant has a stable [`PkiError::code`], an English message (`Display`) and a Russian one
//! ([`PkiError::message_ru`]). No variant carries a password, a private key or a PIN.

use core::fmt;

/// A PKI operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PkiError {
    /// A key container did not open: the password is wrong, or it is not the container meant.
    WrongPassword,
    /// The data is damaged or not what it claims to be (a broken file, not a wrong password).
    Corrupt(String),
    /// The data is well formed but uses something tamga does not implement.
    Unsupported(String),
    /// An algorithm identifier tamga does not know (the OID is given).
    UnknownAlgorithm(String),
    /// A public key is not usable (wrong length, not on the curve).
    InvalidKey(String),
    /// A signature does not verify.
    BadSignature,
    /// A signature is well formed but the certificate/issuer key for it was not found.
    SignerNotFound,
    /// The CMS messageDigest attribute does not match the content.
    DigestMismatch,
    /// Detached CMS without the content to check it against.
    NoContent,
    /// A certificate is not valid at the given time.
    NotValidAt {
        /// What (e.g. the subject).
        subject: String,
    },
    /// An issuer in the chain is not a CA (basicConstraints).
    NotCa {
        /// Subject of the certificate used as issuer.
        subject: String,
    },
    /// No chain from the certificate to one of the trust anchors.
    Untrusted {
        /// Subject of the certificate whose chain failed.
        subject: String,
    },
    /// A required key usage or extended key usage is missing.
    KeyUsage(&'static str),
    /// The certificate is revoked.
    Revoked {
        /// The CRL reason code name, if the CRL gave one.
        reason: Option<String>,
    },
    /// A CRL cannot be used at the given time (nextUpdate passed or thisUpdate in the future).
    CrlOutdated,
    /// The signer (a token or a software key) failed; the text comes from it.
    Signer(String),
    /// The caller passed something out of range.
    InvalidArgument(&'static str),
}

impl PkiError {
    /// A damaged-input error from a decoder error, with what was being read.
    pub fn corrupt(what: &str, err: impl fmt::Display) -> Self {
        PkiError::Corrupt(format!("{what}: {err}"))
    }

    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            PkiError::WrongPassword => "pki.wrong_password",
            PkiError::Corrupt(_) => "pki.corrupt",
            PkiError::Unsupported(_) => "pki.unsupported",
            PkiError::UnknownAlgorithm(_) => "pki.unknown_algorithm",
            PkiError::InvalidKey(_) => "pki.invalid_key",
            PkiError::BadSignature => "pki.bad_signature",
            PkiError::SignerNotFound => "pki.signer_not_found",
            PkiError::DigestMismatch => "pki.digest_mismatch",
            PkiError::NoContent => "pki.no_content",
            PkiError::NotValidAt { .. } => "pki.not_valid_at_time",
            PkiError::NotCa { .. } => "pki.not_ca",
            PkiError::Untrusted { .. } => "pki.untrusted",
            PkiError::KeyUsage(_) => "pki.key_usage",
            PkiError::Revoked { .. } => "pki.revoked",
            PkiError::CrlOutdated => "pki.crl_outdated",
            PkiError::Signer(_) => "pki.signer",
            PkiError::InvalidArgument(_) => "pki.invalid_argument",
        }
    }

    /// The message in Russian, the language of the bank's guide.
    pub fn message_ru(&self) -> String {
        match self {
            PkiError::WrongPassword => "Неверный пароль или ключевой контейнер".into(),
            PkiError::Corrupt(what) => format!("Файл повреждён: {what}"),
            PkiError::Unsupported(what) => format!("Не поддерживается: {what}"),
            PkiError::UnknownAlgorithm(oid) => format!("Неизвестный алгоритм {oid}"),
            PkiError::InvalidKey(what) => format!("Недопустимый открытый ключ: {what}"),
            PkiError::BadSignature => "Подпись неверна".into(),
            PkiError::SignerNotFound => "Не найден сертификат подписанта".into(),
            PkiError::DigestMismatch => "Данные изменены: хэш не совпадает с подписанным".into(),
            PkiError::NoContent => "Подпись отсоединённая: нужны подписанные данные".into(),
            PkiError::NotValidAt { subject } => {
                format!("Сертификат «{subject}» недействителен на эту дату")
            }
            PkiError::NotCa { subject } => {
                format!("Сертификат «{subject}» не является сертификатом УЦ")
            }
            PkiError::Untrusted { subject } => {
                format!("Нет цепочки доверия для сертификата «{subject}»")
            }
            PkiError::KeyUsage(what) => format!("Сертификат не разрешает использование: {what}"),
            PkiError::Revoked { reason: Some(r) } => format!("Сертификат отозван ({r})"),
            PkiError::Revoked { reason: None } => "Сертификат отозван".into(),
            PkiError::CrlOutdated => "Список отозванных сертификатов устарел".into(),
            PkiError::Signer(what) => format!("Ошибка подписи: {what}"),
            PkiError::InvalidArgument(what) => format!("Неверный параметр: {what}"),
        }
    }
}

impl fmt::Display for PkiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PkiError::WrongPassword => f.write_str("Wrong password or key container"),
            PkiError::Corrupt(what) => write!(f, "damaged data: {what}"),
            PkiError::Unsupported(what) => write!(f, "not supported: {what}"),
            PkiError::UnknownAlgorithm(oid) => write!(f, "unknown algorithm {oid}"),
            PkiError::InvalidKey(what) => write!(f, "invalid public key: {what}"),
            PkiError::BadSignature => f.write_str("the signature does not verify"),
            PkiError::SignerNotFound => f.write_str("the signer's certificate was not found"),
            PkiError::DigestMismatch => {
                f.write_str("the content was changed: its digest differs from the signed one")
            }
            PkiError::NoContent => f.write_str("detached signature: the signed content is needed"),
            PkiError::NotValidAt { subject } => {
                write!(f, "certificate \"{subject}\" is not valid at that time")
            }
            PkiError::NotCa { subject } => {
                write!(f, "certificate \"{subject}\" is not a CA certificate")
            }
            PkiError::Untrusted { subject } => {
                write!(f, "no chain of trust for certificate \"{subject}\"")
            }
            PkiError::KeyUsage(what) => write!(f, "the certificate does not allow {what}"),
            PkiError::Revoked { reason: Some(r) } => write!(f, "the certificate is revoked ({r})"),
            PkiError::Revoked { reason: None } => f.write_str("the certificate is revoked"),
            PkiError::CrlOutdated => f.write_str("the CRL is not current at that time"),
            PkiError::Signer(what) => write!(f, "signing failed: {what}"),
            PkiError::InvalidArgument(what) => write!(f, "invalid argument: {what}"),
        }
    }
}

impl std::error::Error for PkiError {}

impl From<der::Error> for PkiError {
    fn from(e: der::Error) -> Self {
        PkiError::corrupt("DER", e)
    }
}

impl From<tamga_gost::Error> for PkiError {
    fn from(e: tamga_gost::Error) -> Self {
        match e {
            tamga_gost::Error::BadSignature | tamga_gost::Error::SignatureRange => {
                PkiError::BadSignature
            }
            tamga_gost::Error::UnknownCurve => PkiError::UnknownAlgorithm("curve".into()),
            other => PkiError::InvalidKey(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_code_and_two_messages() {
        let all = [
            PkiError::WrongPassword,
            PkiError::Corrupt("x".into()),
            PkiError::Unsupported("x".into()),
            PkiError::UnknownAlgorithm("1.2.3".into()),
            PkiError::InvalidKey("x".into()),
            PkiError::BadSignature,
            PkiError::SignerNotFound,
            PkiError::DigestMismatch,
            PkiError::NoContent,
            PkiError::NotValidAt {
                subject: "s".into(),
            },
            PkiError::NotCa {
                subject: "s".into(),
            },
            PkiError::Untrusted {
                subject: "s".into(),
            },
            PkiError::KeyUsage("digitalSignature"),
            PkiError::Revoked { reason: None },
            PkiError::CrlOutdated,
            PkiError::Signer("x".into()),
            PkiError::InvalidArgument("x"),
        ];
        let mut codes: Vec<_> = all.iter().map(PkiError::code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        for e in &all {
            assert!(e.code().starts_with("pki."));
            assert!(!e.to_string().is_empty());
            // Cyrillic, not an English fallback.
            assert!(e.message_ru().chars().any(|c| matches!(c, 'А'..='я')));
        }
        assert_eq!(
            PkiError::WrongPassword.to_string(),
            "Wrong password or key container"
        );
        assert_eq!(
            PkiError::WrongPassword.message_ru(),
            "Неверный пароль или ключевой контейнер"
        );
    }
}
