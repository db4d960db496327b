//! The bank's password rules (user's guide §3.17): at least 8 characters, only Latin letters and
//! digits, both present, no ascending or descending run such as 123, 678, abc or cba, and a
//! confirmation equal to the password. Every rule is checked, so the person learns all that is
//! wrong at once; nothing here copies or quotes the password.

use tamga_core::profile::PasswordRules;
use tamga_core::Lang;
use zeroize::Zeroizing;

/// A broken rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Violation {
    /// Fewer characters than the minimum.
    TooShort {
        /// The minimum.
        min: usize,
    },
    /// More characters than the maximum.
    TooLong {
        /// The maximum.
        max: usize,
    },
    /// A character other than a Latin letter or a digit.
    NotLatinOrDigit,
    /// No letter.
    NoLetter,
    /// No digit.
    NoDigit,
    /// An ascending or descending run of this many characters (`123`, `cba`).
    Sequence {
        /// The forbidden run length.
        len: usize,
    },
    /// The confirmation differs.
    Mismatch,
}

impl Violation {
    /// A stable code for scripts.
    pub fn code(self) -> &'static str {
        match self {
            Violation::TooShort { .. } => "too_short",
            Violation::TooLong { .. } => "too_long",
            Violation::NotLatinOrDigit => "not_latin_or_digit",
            Violation::NoLetter => "no_letter",
            Violation::NoDigit => "no_digit",
            Violation::Sequence { .. } => "sequence",
            Violation::Mismatch => "mismatch",
        }
    }

    /// The rule, as a requirement.
    pub fn text(self, lang: Lang) -> String {
        match self {
            Violation::TooShort { min } => lang.pick(
                format!("не короче {min} символов"),
                format!("at least {min} characters"),
                Some(format!("кемінде {min} таңба")),
            ),
            Violation::TooLong { max } => lang.pick(
                format!("не длиннее {max} символов"),
                format!("at most {max} characters"),
                Some(format!("{max} таңбадан аспауы керек")),
            ),
            Violation::NotLatinOrDigit => lang
                .pick(
                    "только латинские буквы и цифры",
                    "only Latin letters and digits",
                    Some("тек латын әріптері мен цифрлар"),
                )
                .to_owned(),
            Violation::NoLetter => lang
                .pick(
                    "хотя бы одна латинская буква",
                    "at least one Latin letter",
                    Some("кемінде бір латын әрпі"),
                )
                .to_owned(),
            Violation::NoDigit => lang
                .pick(
                    "хотя бы одна цифра",
                    "at least one digit",
                    Some("кемінде бір цифр"),
                )
                .to_owned(),
            Violation::Sequence { len } => lang.pick(
                format!("без последовательностей из {len} символов подряд (123, 678, abc, cba)"),
                format!("no ascending or descending run of {len} (123, 678, abc, cba)"),
                Some(format!(
                    "қатарынан {len} таңбалы тізбексіз (123, 678, abc, cba)"
                )),
            ),
            Violation::Mismatch => lang
                .pick(
                    "подтверждение должно совпадать с новым паролем",
                    "the confirmation must equal the new PIN",
                    Some("растау жаңа парольмен сәйкес болуы керек"),
                )
                .to_owned(),
        }
    }
}

/// Every rule `new` (with its confirmation `repeat`) breaks, in the order the guide lists them.
pub fn check(rules: &PasswordRules, new: &[u8], repeat: &[u8]) -> Vec<Violation> {
    // Characters, not bytes: a Cyrillic letter is one character the person typed. Counting lead
    // bytes avoids decoding the secret into another buffer.
    let chars = new.iter().filter(|b| (**b & 0xC0) != 0x80).count();
    let mut broken = Vec::new();
    if chars < rules.min_length {
        broken.push(Violation::TooShort {
            min: rules.min_length,
        });
    }
    if chars > rules.max_length {
        broken.push(Violation::TooLong {
            max: rules.max_length,
        });
    }
    if rules.latin_and_digits_only && !new.iter().all(u8::is_ascii_alphanumeric) {
        broken.push(Violation::NotLatinOrDigit);
    }
    if rules.require_letter && !new.iter().any(u8::is_ascii_alphabetic) {
        broken.push(Violation::NoLetter);
    }
    if rules.require_digit && !new.iter().any(u8::is_ascii_digit) {
        broken.push(Violation::NoDigit);
    }
    if rules.forbid_sequence >= 2 && has_run(new, rules.forbid_sequence) {
        broken.push(Violation::Sequence {
            len: rules.forbid_sequence,
        });
    }
    if new != repeat {
        broken.push(Violation::Mismatch);
    }
    broken
}

/// Whether `len` consecutive characters step by +1 or by −1 within digits or within letters
/// (case-insensitive): `123`, `321`, `abc`, `CbA`; not `9ab` nor `z{|`.
fn has_run(password: &[u8], len: usize) -> bool {
    // A copy of the password: wiped on drop.
    let lower: Zeroizing<Vec<u8>> =
        Zeroizing::new(password.iter().map(u8::to_ascii_lowercase).collect());
    let same_class = |a: u8, b: u8| {
        (a.is_ascii_digit() && b.is_ascii_digit())
            || (a.is_ascii_lowercase() && b.is_ascii_lowercase())
    };
    let run = |step: i16| {
        let mut length = 1;
        lower.windows(2).any(|w| {
            let follows = same_class(w[0], w[1]) && i16::from(w[1]) - i16::from(w[0]) == step;
            length = if follows { length + 1 } else { 1 };
            length >= len
        })
    };
    run(1) || run(-1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broken(new: &str) -> Vec<Violation> {
        check(&PasswordRules::default(), new.as_bytes(), new.as_bytes())
    }

    #[test]
    fn good_passwords_pass() {
        for p in [
            "q1w2e3r4",
            "Kz7Token9x",
            "a1b3c5d7",
            "13572468zz",
            "Zx9Yw8Vu7",
        ] {
            assert_eq!(broken(p), [], "{p}");
        }
    }

    #[test]
    fn each_rule_is_named() {
        assert_eq!(broken("a1b3c5"), [Violation::TooShort { min: 8 }]);
        assert_eq!(broken("q1w2e3r4_"), [Violation::NotLatinOrDigit]);
        assert_eq!(broken("пароль1q2w"), [Violation::NotLatinOrDigit]);
        assert_eq!(broken("13572468"), [Violation::NoLetter]);
        assert_eq!(broken("qwerasdf"), [Violation::NoDigit]);
        assert_eq!(
            broken("a1b3c5d7".repeat(5).as_str()),
            [Violation::TooLong { max: 32 }]
        );
        for run in [
            "x9123z5q", "q678w1e2", "abc1q2w3", "q1cba3w5", "q1CbA3w5", "z9ABc1q3",
        ] {
            assert_eq!(broken(run), [Violation::Sequence { len: 3 }], "{run}");
        }
        let rules = PasswordRules::default();
        assert_eq!(
            check(&rules, b"q1w2e3r4", b"q1w2e3r5"),
            [Violation::Mismatch]
        );
    }

    #[test]
    fn runs_stay_within_digits_or_letters_and_do_not_wrap() {
        for p in ["q1w89a7z", "q1w2xyz", "q8901w2e", "z1yx3q5w"] {
            let v = broken(p);
            let has_seq = v.contains(&Violation::Sequence { len: 3 });
            assert_eq!(has_seq, p.contains("xyz"), "{p}: {v:?}");
        }
    }

    #[test]
    fn all_broken_rules_are_listed_together() {
        let rules = PasswordRules::default();
        assert_eq!(
            check(&rules, "123 абв".as_bytes(), b"other"),
            [
                Violation::TooShort { min: 8 },
                Violation::NotLatinOrDigit,
                Violation::NoLetter,
                Violation::Sequence { len: 3 },
                Violation::Mismatch,
            ]
        );
    }

    #[test]
    fn rules_follow_the_profile() {
        let lax = PasswordRules {
            min_length: 4,
            latin_and_digits_only: false,
            require_letter: false,
            forbid_sequence: 0,
            ..PasswordRules::default()
        };
        assert_eq!(check(&lax, b"1234", b"1234"), []);
        assert_eq!(check(&lax, b"12 4", b"12 4"), []);
        assert_eq!(check(&lax, b"abcd", b"abcd"), [Violation::NoDigit]);
    }
}
