//! BIN/IIN (БИН/ИИН): the 12-digit business or individual identification number.

/// BIN/IIN: 12 digits; the 12th is Σ dᵢ·wᵢ mod 11 over the first 11 with weights 1..=11, or,
/// when that gives 10, with weights 3..=11,1,2; a second 10 makes the number invalid.
pub fn is_bin(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 12 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let d: Vec<u32> = b.iter().map(|c| u32::from(c - b'0')).collect();
    let sum = |w: &dyn Fn(usize) -> u32| (0..11).map(|i| d[i] * w(i)).sum::<u32>() % 11;
    let mut check = sum(&|i| i as u32 + 1);
    if check == 10 {
        check = sum(&|i| ((i + 2) % 11) as u32 + 1);
        if check == 10 {
            return false;
        }
    }
    check == d[11]
}

/// The check digit a BIN's first 11 digits need, if any (for making test data).
pub fn bin_check_digit(first11: &str) -> Option<char> {
    (0..10u8)
        .map(|c| format!("{first11}{c}"))
        .find(|s| is_bin(s))
        .and_then(|s| s.chars().last())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bin_check_digit_known_numbers() {
        assert!(is_bin("990340000014"));
        assert!(is_bin("850101300015"));
        assert!(is_bin("940740000911"));
        assert!(!is_bin("990340000015"));
        assert!(!is_bin("940740000912"));
        assert!(!is_bin("99034000001"));
        assert!(!is_bin("99034000001a"));
        assert!(!is_bin("12345"));
        // Non-ASCII digits never count.
        assert!(!is_bin("99034000001٤"));
    }

    #[test]
    fn bin_check_digit_rule() {
        let first = "94064000012";
        let c = bin_check_digit(first).unwrap();
        let good = format!("{first}{c}");
        assert!(is_bin(&good));
        for wrong in (0..10)
            .map(|d| format!("{first}{d}"))
            .filter(|s| *s != good)
        {
            assert!(!is_bin(&wrong), "{wrong}");
        }
    }

    #[test]
    fn second_weights_and_the_invalid_tens() {
        // 11 digits whose first sum is 10 take the second weights.
        let first11 = (0..100_000_000_000u64)
            .step_by(7_919)
            .map(|n| format!("{n:011}"))
            .find(|f| {
                let s: u32 = f
                    .bytes()
                    .enumerate()
                    .map(|(i, c)| u32::from(c - b'0') * (i as u32 + 1))
                    .sum();
                s % 11 == 10
            })
            .unwrap();
        let second: u32 = first11
            .bytes()
            .enumerate()
            .map(|(i, c)| u32::from(c - b'0') * (((i + 2) % 11) as u32 + 1))
            .sum::<u32>()
            % 11;
        match bin_check_digit(&first11) {
            Some(c) => assert_eq!(c.to_digit(10), Some(second), "{first11}"),
            None => assert_eq!(second, 10, "{first11}"),
        }
    }
}
