//! The OTP card's PIN as people type it: lower case instead of upper, and the letter I / digit 1
//! and letter O / digit 0 confused (the guide's checklist, §3.16). The key file is opened
//! offline, so trying the variants costs no bank lockout; the user is told which one worked.

/// Most variants tried: 2^8, every swap of up to eight ambiguous characters.
pub const MAX_VARIANTS: usize = 256;

fn partner(c: char) -> Option<char> {
    match c {
        '1' => Some('I'),
        'I' => Some('1'),
        '0' => Some('O'),
        'O' => Some('0'),
        _ => None,
    }
}

/// The variants of `typed`, upper-cased, the typed one first, then by the number of swaps
/// (fewest first), at most [`MAX_VARIANTS`].
pub fn variants(typed: &str) -> Vec<String> {
    let base: Vec<char> = typed.trim().chars().flat_map(char::to_uppercase).collect();
    let ambiguous: Vec<usize> = base
        .iter()
        .enumerate()
        .filter(|(_, c)| partner(**c).is_some())
        .map(|(i, _)| i)
        .collect();
    // Beyond 8 ambiguous positions only the first 8 are swapped: the bound keeps the offline
    // search (one PBKDF2 per try) to seconds.
    let k = ambiguous.len().min(8);
    let mut masks: Vec<u32> = (0..1u32 << k).collect();
    masks.sort_by_key(|m| (m.count_ones(), *m));
    masks
        .into_iter()
        .take(MAX_VARIANTS)
        .map(|mask| {
            let mut v = base.clone();
            for (bit, &pos) in ambiguous.iter().take(k).enumerate() {
                if mask & (1 << bit) != 0 {
                    v[pos] = partner(v[pos]).unwrap_or(v[pos]);
                }
            }
            v.into_iter().collect()
        })
        .collect()
}

/// Which characters differ between what was typed and what worked, for the message
/// ("position 4: I, not 1"), 1-based. No other character of the PIN is shown.
pub fn swaps(typed: &str, worked: &str) -> Vec<(usize, char, char)> {
    let typed: Vec<char> = typed.trim().chars().flat_map(char::to_uppercase).collect();
    typed
        .iter()
        .zip(worked.chars())
        .enumerate()
        .filter(|(_, (a, b))| *a != b)
        .map(|(i, (a, b))| (i + 1, *a, b))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_first_then_by_swaps() {
        let v = variants("ab1o");
        assert_eq!(v, ["AB1O", "ABIO", "AB10", "ABI0"]);
        assert_eq!(variants("XYZ"), ["XYZ"]);
    }

    #[test]
    fn bounded_and_distinct() {
        let v = variants("10101010101");
        assert_eq!(v.len(), MAX_VARIANTS);
        let mut d = v.clone();
        d.sort();
        d.dedup();
        assert_eq!(d.len(), v.len());
    }

    #[test]
    fn reports_the_swapped_positions() {
        assert_eq!(swaps("ab1o", "ABIO"), [(3, '1', 'I')]);
    }
}
