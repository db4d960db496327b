//! The payment order of PROTOCOL.md and its validators: IIK (Kazakh IBAN, ISO 13616 mod-97),
//! BIN/IIN (12 digits, Kazakh check digit), KNP (3 digits), amount (> 0, two decimals).
//!
//! Shared code: tamga's sign workflow parses orders with this same module (depend on
//! `tamga-sandbox-bank` with `default-features = false`: this module only needs serde).

use serde::{Deserialize, Serialize};

/// A party of the order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Name.
    pub name: String,
    /// IIK (account, Kazakh IBAN).
    pub iik: String,
    /// BIN or IIN.
    pub bin: String,
    /// The recipient's bank BIC (absent for the payer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_bic: Option<String>,
}

/// A payment order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentOrder {
    /// Document number.
    pub number: String,
    /// Date, `YYYY-MM-DD`.
    pub date: String,
    /// Amount, decimal with two places.
    pub amount: String,
    /// Currency (`KZT`).
    pub currency: String,
    /// Who pays.
    pub payer: Party,
    /// Who receives.
    pub recipient: Party,
    /// KNP (purpose code), 3 digits.
    pub knp: String,
    /// Purpose text.
    pub purpose: String,
}

/// What is wrong with an order: the field and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderError {
    /// The JSON path (`recipient.iik`).
    pub field: &'static str,
    /// Why.
    pub reason: String,
}

impl core::fmt::Display for OrderError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for OrderError {}

/// Largest order accepted, in bytes.
pub const MAX_ORDER_LEN: usize = 16 * 1024;

impl PaymentOrder {
    /// Parses the exact UTF-8 JSON bytes that are signed, and validates every field.
    pub fn parse(bytes: &[u8]) -> Result<PaymentOrder, OrderError> {
        if bytes.len() > MAX_ORDER_LEN {
            return Err(OrderError {
                field: "",
                reason: format!("{} bytes (at most {MAX_ORDER_LEN})", bytes.len()),
            });
        }
        let order: PaymentOrder = serde_json::from_slice(bytes).map_err(|e| OrderError {
            field: "",
            reason: format!("not a payment order: {e}"),
        })?;
        order.validate()?;
        Ok(order)
    }

    /// Checks every field.
    pub fn validate(&self) -> Result<(), OrderError> {
        let err = |field, reason: &str| {
            Err(OrderError {
                field,
                reason: reason.to_string(),
            })
        };
        if self.number.is_empty() || self.number.len() > 32 {
            return err("number", "empty or longer than 32 characters");
        }
        if !is_date(&self.date) {
            return err("date", "not a YYYY-MM-DD date");
        }
        if !is_amount(&self.amount) {
            return err(
                "amount",
                "not a positive amount with two decimals (150000.00)",
            );
        }
        if self.currency != "KZT" {
            return err("currency", "only KZT");
        }
        for (p, iik, bin) in [
            (&self.payer, "payer.iik", "payer.bin"),
            (&self.recipient, "recipient.iik", "recipient.bin"),
        ] {
            if !is_iik(&p.iik) {
                return err(iik, "not a valid IIK (KZ + 18 characters, mod-97 check)");
            }
            if !is_bin(&p.bin) {
                return err(bin, "not a valid BIN/IIN (12 digits with a check digit)");
            }
        }
        match &self.recipient.bank_bic {
            Some(b)
                if (8..=11).contains(&b.len()) && b.bytes().all(|c| c.is_ascii_alphanumeric()) => {}
            _ => {
                return err(
                    "recipient.bank_bic",
                    "missing or not a BIC (8 to 11 letters/digits)",
                )
            }
        }
        if !is_knp(&self.knp) {
            return err("knp", "not 3 digits");
        }
        if self.purpose.trim().is_empty() || self.purpose.chars().count() > 420 {
            return err("purpose", "empty or longer than 420 characters");
        }
        Ok(())
    }
}

/// IIK: `KZ`, two check digits, 16 characters (3-digit bank code + 13 account), mod 97 = 1.
pub fn is_iik(s: &str) -> bool {
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

/// BIN/IIN: 12 digits; the 12th is Σ dᵢ·i mod 11 over the first 11 (weights 1..11), or with
/// weights 3..11,1,2 when that gives 10; a second 10 makes the number invalid.
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

/// KNP: 3 digits.
pub fn is_knp(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|c| c.is_ascii_digit())
}

/// Amount: digits, a point, two digits, greater than zero, no leading zeros.
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

fn is_date(s: &str) -> bool {
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

/// A valid sample order (for tests and the demo).
pub fn sample() -> PaymentOrder {
    PaymentOrder {
        number: "42".into(),
        date: "2026-11-27".into(),
        amount: "150000.00".into(),
        currency: "KZT".into(),
        payer: Party {
            name: "ТОО «Тамга»".into(),
            iik: "KZ86125KZT5004100100".into(),
            bin: "990340000014".into(),
            bank_bic: None,
        },
        recipient: Party {
            name: "ИП Ахметов".into(),
            iik: "KZ75125KZT2069100100".into(),
            bin: "850101300015".into(),
            bank_bic: Some("KCJBKZKX".into()),
        },
        knp: "710".into(),
        purpose: "Оплата по договору №7 от 01.11.2026".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iik_mod97() {
        assert!(is_iik("KZ86125KZT5004100100"));
        assert!(is_iik("KZ75125KZT2069100100"));
        assert!(!is_iik("KZ87125KZT5004100100"));
        assert!(!is_iik("KZ86125KZT500410010"));
        assert!(!is_iik("kz86125KZT5004100100"));
    }

    #[test]
    fn bin_check_digit() {
        assert!(is_bin("990340000014"));
        assert!(is_bin("850101300015"));
        assert!(!is_bin("990340000015"));
        assert!(!is_bin("99034000001"));
        assert!(!is_bin("99034000001a"));
    }

    #[test]
    fn sample_is_valid_and_round_trips() {
        let bytes = serde_json::to_vec(&sample()).unwrap();
        assert_eq!(PaymentOrder::parse(&bytes).unwrap(), sample());
        let mut bad = sample();
        bad.amount = "0.00".into();
        assert_eq!(bad.validate().unwrap_err().field, "amount");
        let mut bad = sample();
        bad.recipient.iik = "KZ00125KZT2069100100".into();
        assert_eq!(bad.validate().unwrap_err().field, "recipient.iik");
        assert!(!is_amount("150000.0"));
        assert!(!is_amount("0150.00"));
        assert!(is_amount("0.01"));
        assert!(!is_date("2026-02-29"));
        assert!(is_date("2028-02-29"));
    }
}
