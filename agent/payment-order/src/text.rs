//! The order's free-text fields: number, names, purpose.

/// Text: not blank, at most `max` characters, no control characters (a line break in a name
/// could forge lines of the confirmation).
pub fn is_text(s: &str, max: usize) -> bool {
    !s.trim().is_empty() && s.chars().count() <= max && !s.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts() {
        assert!(is_text("42", 32));
        assert!(is_text(&"я".repeat(32), 32));
        assert!(!is_text(&"я".repeat(33), 32));
        assert!(!is_text("", 32));
        assert!(!is_text("   ", 32));
        assert!(!is_text("ИП Алма\n\nСумма: 1 KZT", 200));
        assert!(!is_text("a\tb", 200));
        assert!(!is_text("a\u{7f}b", 200));
    }
}
