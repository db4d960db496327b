//! The payment order (`tools/sandbox-bank/PROTOCOL.md`): parsed from the exact bytes that will
//! be signed, every field checked. What is shown and what is signed are the same bytes: the
//! display is made from this parse, the signature over the file's bytes, and a file that does
//! not parse is never signed.

use serde::Deserialize;

use crate::checks;
use crate::SignError;

/// The largest order file accepted.
pub const MAX_ORDER: usize = 64 * 1024;

/// A party of the order.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Name.
    pub name: String,
    /// IIK (the Kazakh IBAN).
    pub iik: String,
    /// BIN or IIN.
    pub bin: String,
    /// The bank's BIC (recipient only).
    #[serde(default)]
    pub bank_bic: Option<String>,
}

/// A payment order.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// The order's number.
    pub number: String,
    /// Its date, `YYYY-MM-DD`.
    pub date: String,
    /// The amount, a decimal with two places, above zero.
    pub amount: String,
    /// ISO 4217 code.
    pub currency: String,
    /// Who pays.
    pub payer: Party,
    /// Who receives.
    pub recipient: Party,
    /// The payment purpose code.
    pub knp: String,
    /// The purpose in words.
    pub purpose: String,
}

fn bad(field: &'static str, why: &str) -> SignError {
    SignError::Order {
        field,
        why: why.to_owned(),
    }
}

fn amount_ok(a: &str) -> bool {
    let Some((whole, cents)) = a.split_once('.') else {
        return false;
    };
    !whole.is_empty()
        && whole.len() <= 15
        && whole.bytes().all(|c| c.is_ascii_digit())
        && (whole == "0" || !whole.starts_with('0'))
        && cents.len() == 2
        && cents.bytes().all(|c| c.is_ascii_digit())
        && a.bytes().any(|c| (b'1'..=b'9').contains(&c))
}

fn date_ok(d: &str) -> bool {
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return false;
    }
    let month: u32 = d[5..7].parse().unwrap_or(0);
    let day: u32 = d[8..10].parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

fn text_ok(t: &str, max: usize) -> bool {
    !t.trim().is_empty() && t.chars().count() <= max && !t.chars().any(char::is_control)
}

impl Order {
    /// Parses and checks an order file's bytes.
    pub fn parse(bytes: &[u8]) -> Result<Order, SignError> {
        if bytes.len() > MAX_ORDER {
            return Err(bad("order", "larger than 64 KiB"));
        }
        let order: Order =
            serde_json::from_slice(bytes).map_err(|e| bad("order", &e.to_string()))?;
        order.check()?;
        Ok(order)
    }

    fn check(&self) -> Result<(), SignError> {
        if !text_ok(&self.number, 32) {
            return Err(bad("number", "empty or too long"));
        }
        if !date_ok(&self.date) {
            return Err(bad("date", "expected YYYY-MM-DD"));
        }
        if !amount_ok(&self.amount) {
            return Err(bad(
                "amount",
                "expected a positive decimal with 2 places, e.g. 150000.00",
            ));
        }
        if self.currency.len() != 3 || !self.currency.bytes().all(|c| c.is_ascii_uppercase()) {
            return Err(bad("currency", "expected a 3-letter code such as KZT"));
        }
        for (who, p) in [("payer", &self.payer), ("recipient", &self.recipient)] {
            if !text_ok(&p.name, 200) {
                return Err(bad(
                    if who == "payer" {
                        "payer.name"
                    } else {
                        "recipient.name"
                    },
                    "empty or too long",
                ));
            }
            if !checks::iik(&p.iik) {
                return Err(bad(
                    if who == "payer" {
                        "payer.iik"
                    } else {
                        "recipient.iik"
                    },
                    "not a valid IIK (KZ + 18, mod-97 check)",
                ));
            }
            if !checks::bin(&p.bin) {
                return Err(bad(
                    if who == "payer" {
                        "payer.bin"
                    } else {
                        "recipient.bin"
                    },
                    "not a valid BIN/IIN (12 digits, check digit)",
                ));
            }
        }
        match &self.recipient.bank_bic {
            Some(bic) if bic.len() == 8 || bic.len() == 11 => {
                if !bic
                    .bytes()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                {
                    return Err(bad(
                        "recipient.bank_bic",
                        "expected 8 or 11 letters and digits",
                    ));
                }
            }
            _ => {
                return Err(bad(
                    "recipient.bank_bic",
                    "expected 8 or 11 letters and digits",
                ))
            }
        }
        if !checks::knp(&self.knp) {
            return Err(bad("knp", "expected 3 digits"));
        }
        if !text_ok(&self.purpose, 500) {
            return Err(bad("purpose", "empty or too long"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample() -> String {
        let payer_bin = format!(
            "94064000012{}",
            checks::bin_check_digit("94064000012").unwrap()
        );
        let rec_bin = format!(
            "10034000555{}",
            checks::bin_check_digit("10034000555").unwrap()
        );
        serde_json::json!({
            "number": "42", "date": "2026-11-27", "amount": "150000.00", "currency": "KZT",
            "payer": {"name": "TOO Payer", "iik": checks::iik_for("125KZT5004100100"), "bin": payer_bin},
            "recipient": {"name": "TOO Recipient", "iik": checks::iik_for("722S000012345678"), "bin": rec_bin, "bank_bic": "CASPKZKA"},
            "knp": "710", "purpose": "Payment for services"
        })
        .to_string()
    }

    #[test]
    fn a_good_order_parses() {
        let o = Order::parse(sample().as_bytes()).unwrap();
        assert_eq!(o.amount, "150000.00");
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases = [
            ("150000.00", "150000.0", "amount"),
            ("150000.00", "0.00", "amount"),
            ("\"710\"", "\"71\"", "knp"),
            ("2026-11-27", "2026-13-27", "date"),
            ("CASPKZKA", "casp", "recipient.bank_bic"),
        ];
        for (from, to, field) in cases {
            let text = sample().replacen(from, to, 1);
            match Order::parse(text.as_bytes()) {
                Err(SignError::Order { field: f, .. }) => assert_eq!(f, field, "{to}"),
                other => panic!("{to}: {other:?}"),
            }
        }
        let mut v: serde_json::Value = serde_json::from_str(&sample()).unwrap();
        let iik = v["recipient"]["iik"].as_str().unwrap().to_owned();
        let mut broken = iik.into_bytes();
        broken[10] = if broken[10] == b'1' { b'2' } else { b'1' };
        v["recipient"]["iik"] = String::from_utf8(broken).unwrap().into();
        assert!(matches!(
            Order::parse(v.to_string().as_bytes()),
            Err(SignError::Order {
                field: "recipient.iik",
                ..
            })
        ));
        assert!(Order::parse(b"{\"extra\":1}").is_err());
    }
}
