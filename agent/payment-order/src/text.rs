//! The order's free-text fields: number, names, purpose.

use crate::display::is_bidi;

/// Text: not blank, at most `max` characters, no control characters (a line break in a name
/// could forge lines of the confirmation) and no bidirectional controls (they could reorder the
/// line a person confirms, e.g. move digits of the amount or the account on a terminal that
/// prints the text as it is).
pub fn is_text(s: &str, max: usize) -> bool {
    !s.trim().is_empty()
        && s.chars().count() <= max
        && !s.chars().any(|c| c.is_control() || is_bidi(c))
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
        assert!(!is_text("TOO \u{202e}1234", 200));
        assert!(!is_text("a\u{2067}b\u{2069}", 200));
        assert!(!is_text("a\u{200f}b", 200));
        assert!(!is_text("a\u{061c}b", 200));
    }
}
