//! What the person gives (guide §3.13–3.17) and the checks each answer gets on its own.

use std::path::PathBuf;

use tamga_core::profile::{EnrollSettings, OtpPinRules};
use tamga_core::Pin;

use crate::EnrollError;

/// The factory user PIN of a KAZTOKEN (guide §3.13).
pub const FACTORY_PIN: &str = "12345678";

/// Everything an enrollment needs from the person.
pub struct Inputs {
    /// The token's current password (the factory one on an empty token).
    pub current_pin: Pin,
    /// The user ID from annex 2 of the contract.
    pub user_id: String,
    /// The PIN from the OTP card.
    pub otp_pin: Pin,
    /// The key file (`GOST.pfx`).
    pub key_file: PathBuf,
    /// The key file's own password; `None`: "password matches PIN".
    pub key_password: Option<Pin>,
    /// The token name (Latin, optional).
    pub token_name: String,
    /// The new token password (already checked against the rules and its repetition).
    pub new_pin: Pin,
    /// The certificate term, months.
    pub term_months: u16,
}

/// The field keys, for flags and answers files (`enroll.user_id`, …).
pub mod keys {
    /// The token's current password (default: the factory one).
    pub const CURRENT_PIN: &str = "enroll.current_pin";
    /// The user ID.
    pub const USER_ID: &str = "enroll.user_id";
    /// The OTP card's PIN.
    pub const OTP_PIN: &str = "enroll.otp_pin";
    /// The key file's path.
    pub const KEY_FILE: &str = "enroll.key_file";
    /// "Password matches PIN" (yes/no).
    pub const PASSWORD_MATCHES_PIN: &str = "enroll.password_matches_pin";
    /// The key file's own password.
    pub const KEY_PASSWORD: &str = "enroll.key_password";
    /// The token name.
    pub const TOKEN_NAME: &str = "enroll.token_name";
    /// The new token password.
    pub const NEW_PIN: &str = "enroll.new_pin";
    /// The new password again.
    pub const NEW_PIN_REPEAT: &str = "enroll.new_pin_repeat";
    /// The certificate term in months.
    pub const TERM: &str = "enroll.term";
    /// The confirmation screen (§3.18).
    pub const CONFIRM: &str = "enroll.confirm";
}

/// `a` = a Latin letter, `9` = a digit, anything else = itself (`aa999999_aaaaaaaa`).
pub fn check_user_id(user_id: &str, pattern: &str) -> Result<(), EnrollError> {
    let fits = user_id.len() == pattern.len()
        && user_id.chars().zip(pattern.chars()).all(|(c, p)| match p {
            'a' => c.is_ascii_alphabetic(),
            '9' => c.is_ascii_digit(),
            other => c == other,
        });
    if fits {
        Ok(())
    } else {
        Err(EnrollError::UserIdShape {
            pattern: pattern.to_owned(),
        })
    }
}

/// Length and alphabet of the OTP PIN (case is fixed by the variants, not refused here).
pub fn check_otp(otp: &Pin, rules: &OtpPinRules) -> Result<(), EnrollError> {
    let b = otp.as_bytes();
    if b.len() == rules.length && b.iter().all(u8::is_ascii_alphanumeric) {
        Ok(())
    } else {
        Err(EnrollError::OtpShape {
            length: rules.length,
        })
    }
}

/// Latin letters, digits, space, `-`, `_`, `.`; at most 32 (the token's label limit).
pub fn check_token_name(name: &str) -> Result<(), EnrollError> {
    let ok = name.len() <= 32
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" -_.".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(EnrollError::TokenName)
    }
}

/// A term the profile allows; empty text takes the first.
pub fn parse_term(text: &str, settings: &EnrollSettings) -> Result<u16, EnrollError> {
    let terms = &settings.certificate_terms_months;
    let text = text.trim();
    let term = if text.is_empty() {
        terms.first().copied()
    } else {
        text.parse().ok().filter(|t| terms.contains(t))
    };
    term.ok_or_else(|| EnrollError::Term(terms.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_id_shape() {
        let p = "aa999999_aaaaaaaa";
        assert!(check_user_id("qq111111_qwertyui", p).is_ok());
        for bad in [
            "qq11111_qwertyui",
            "q1111111_qwertyui",
            "qq111111-qwertyui",
            "qq111111_qwertyu1",
            "",
        ] {
            assert!(check_user_id(bad, p).is_err(), "{bad}");
        }
    }

    #[test]
    fn otp_and_name() {
        let rules = OtpPinRules::default();
        assert!(check_otp(&Pin::from("AB1CD0EF2GH"), &rules).is_ok());
        assert!(check_otp(&Pin::from("AB1CD0EF2G"), &rules).is_err());
        assert!(check_otp(&Pin::from("AB1CD0EF2G!"), &rules).is_err());
        assert!(check_token_name("Office token-1").is_ok());
        assert!(check_token_name("Токен").is_err());
    }
}
