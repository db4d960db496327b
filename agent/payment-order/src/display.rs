//! Showing outside text: what a page or a file says goes into one line of a dialog.

/// The longest text [`shown`] keeps, in characters.
pub const MAX_SHOWN: usize = 120;

/// Outside text made safe for one dialog line: control characters and bidirectional overrides
/// become spaces, the ends are trimmed, and text longer than [`MAX_SHOWN`] is cut with `…`.
pub fn shown(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() || is_bidi(c) { ' ' } else { c })
        .collect();
    let clean = clean.trim();
    match clean.char_indices().nth(MAX_SHOWN) {
        Some((i, _)) => format!("{}…", &clean[..i]),
        None => clean.to_owned(),
    }
}

/// Bidirectional controls could reorder what a dialog or a terminal shows.
pub(crate) fn is_bidi(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_safe_line() {
        assert_eq!(shown(&"я".repeat(300)).chars().count(), MAX_SHOWN + 1);
        assert_eq!(shown(&"я".repeat(MAX_SHOWN)), "я".repeat(MAX_SHOWN));
        assert_eq!(shown("ИП Алма\n\nСумма: 1 KZT"), "ИП Алма  Сумма: 1 KZT");
        assert_eq!(shown("\u{202e}ABC\u{202c} x\u{2066}"), "ABC  x");
        assert_eq!(shown("  a\r\n"), "a");
    }
}
