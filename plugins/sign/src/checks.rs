//! The check digits of Kazakh payment details.

/// An IIK (the Kazakh IBAN): `KZ`, two check digits, 16 letters or digits, valid by the ISO 13616
/// mod-97 rule.
pub fn iik(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 20 || &b[..2] != b"KZ" || !b[2..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    if !b[4..]
        .iter()
        .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
    {
        return false;
    }
    // The first four characters move to the end; letters count as 10..=35.
    let mut rem: u32 = 0;
    for &c in b[4..].iter().chain(&b[..4]) {
        let v = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// A BIN or IIN: 12 digits, the last one the check digit of the first 11 (weights 1..=11,
/// then 3..=11,1,2 if the first sum gives 10; 10 again means the number is invalid).
pub fn bin(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 12 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let d: Vec<u32> = b.iter().map(|c| u32::from(c - b'0')).collect();
    let sum = |w: &dyn Fn(usize) -> u32| (0..11).map(|i| d[i] * w(i)).sum::<u32>() % 11;
    let mut check = sum(&|i| i as u32 + 1);
    if check == 10 {
        check = sum(&|i| ((i + 2) % 11) as u32 + 1);
    }
    check != 10 && check == d[11]
}

/// The check digit a BIN's first 11 digits need, if any (for making test data).
pub fn bin_check_digit(first11: &str) -> Option<char> {
    (0..10u8)
        .map(|c| format!("{first11}{c}"))
        .find(|s| bin(s))
        .and_then(|s| s.chars().last())
}

/// An IIK with the right check digits for a 16-character account part (for making test data).
pub fn iik_for(account16: &str) -> String {
    (0..100)
        .map(|n| format!("KZ{n:02}{account16}"))
        .find(|s| iik(s))
        .unwrap_or_default()
}

/// KNP: the payment purpose code, 3 digits.
pub fn knp(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iik_mod97() {
        // The IBAN registry's Kazakh example.
        assert!(iik("KZ86125KZT5004100100"));
        assert!(!iik("KZ87125KZT5004100100"));
        assert!(!iik("KZ86125KZT500410010"));
        assert!(!iik("DE86125KZT5004100100"));
        let made = iik_for("125KZT5004100101");
        assert!(iik(&made), "{made}");
    }

    #[test]
    fn bin_check_digit_rule() {
        let first = "94064000012";
        let c = bin_check_digit(first).unwrap();
        let good = format!("{first}{c}");
        assert!(bin(&good));
        for wrong in (0..10)
            .map(|d| format!("{first}{d}"))
            .filter(|s| *s != good)
        {
            assert!(!bin(&wrong), "{wrong}");
        }
        assert!(!bin("12345"));
    }
}
