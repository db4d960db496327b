//! The order's date.

/// A calendar date written `YYYY-MM-DD` (leap years counted).
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: core::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    match (num(0..4), num(5..7), num(8..10)) {
        (Some(y), Some(m), Some(d)) => {
            let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
            let days = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            (1..=12).contains(&m) && d >= 1 && d <= days[(m - 1) as usize]
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_dates() {
        assert!(is_date("2026-11-27"));
        assert!(is_date("2028-02-29"));
        assert!(is_date("2000-02-29"));
        assert!(!is_date("1900-02-29"));
        assert!(!is_date("2026-02-29"));
        assert!(!is_date("2026-13-27"));
        assert!(!is_date("2026-00-10"));
        assert!(!is_date("2026-04-31"));
        assert!(!is_date("2026-11-00"));
        assert!(!is_date("2026/11/27"));
        assert!(!is_date("26-11-27"));
        assert!(!is_date("2026-1-027"));
        assert!(!is_date("2026-11-2٧"));
    }
}
