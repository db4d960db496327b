//! KNP (КНП): the payment purpose code.

/// KNP: 3 digits.
pub fn is_knp(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_digits() {
        assert!(is_knp("710"));
        assert!(is_knp("119"));
        assert!(!is_knp("71"));
        assert!(!is_knp("7100"));
        assert!(!is_knp("71a"));
        assert!(!is_knp("٧١٠"));
    }
}
