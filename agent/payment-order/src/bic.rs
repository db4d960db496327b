//! The recipient's bank BIC (БИК).

/// BIC (ISO 9362, the SWIFT code Kazakh banks use as БИК): 8 or 11 capital letters or digits.
pub fn is_bic(s: &str) -> bool {
    (s.len() == 8 || s.len() == 11)
        && s.bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bics() {
        assert!(is_bic("KCJBKZKX"));
        assert!(is_bic("CASPKZKA"));
        assert!(is_bic("CASPKZKAXXX"));
        assert!(!is_bic("casp"));
        assert!(!is_bic("caspkzka"));
        assert!(!is_bic("CASPKZKAX"));
        assert!(!is_bic("CASPKZKAXX"));
        assert!(!is_bic("CASPKZKAXXXX"));
        assert!(!is_bic("CASP-ZKA"));
    }
}
