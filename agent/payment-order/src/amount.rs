//! The amount: a decimal with two places, above zero.

/// Amount: digits (at most 15, no leading zeros), a point, two digits, greater than zero.
pub fn is_amount(s: &str) -> bool {
    let Some((int, frac)) = s.split_once('.') else {
        return false;
    };
    !int.is_empty()
        && int.len() <= 15
        && int.bytes().all(|c| c.is_ascii_digit())
        && !(int.len() > 1 && int.starts_with('0'))
        && frac.len() == 2
        && frac.bytes().all(|c| c.is_ascii_digit())
        && s.bytes().any(|c| (b'1'..=b'9').contains(&c))
}

/// Groups the whole part of an amount by thousands: `150000.00` → `150 000.00` (no point: `.00`
/// is added).
pub fn group_thousands(a: &str) -> String {
    let (whole, cents) = a.split_once('.').unwrap_or((a, "00"));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    format!("{out}.{cents}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert!(is_amount("150000.00"));
        assert!(is_amount("0.01"));
        assert!(is_amount("10.00"));
        assert!(is_amount("999999999999999.99"));
        for bad in [
            "150000.0",
            "0150.00",
            "0.00",
            "00.01",
            "1.0",
            "01.00",
            "1,00",
            "-1.00",
            "1e3.00",
            "+1.00",
            "1.000",
            ".50",
            "1",
            "1000000000000000.00",
            "",
        ] {
            assert!(!is_amount(bad), "{bad}");
        }
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(group_thousands("150000.00"), "150 000.00");
        assert_eq!(group_thousands("1234567.5"), "1 234 567.5");
        assert_eq!(group_thousands("12.00"), "12.00");
        assert_eq!(group_thousands("0.01"), "0.01");
        assert_eq!(group_thousands("1000"), "1 000.00");
    }
}
