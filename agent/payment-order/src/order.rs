//! The payment order (`tools/sandbox-bank/PROTOCOL.md`), parsed from the exact UTF-8 JSON bytes
//! that are signed, every field checked.

use serde::{Deserialize, Serialize};

use crate::{is_amount, is_bic, is_bin, is_date, is_iik, is_knp, is_text};

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
    /// The JSON path (`recipient.iik`); empty when the whole document is refused (too large,
    /// not JSON, not an order).
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

/// The longest number, in characters.
const MAX_NUMBER: usize = 32;
/// The longest name of a party, in characters.
const MAX_NAME: usize = 200;
/// The longest purpose, in characters.
const MAX_PURPOSE: usize = 420;

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

    /// Checks every field, in document order; the first bad one is the error.
    pub fn validate(&self) -> Result<(), OrderError> {
        let err = |field, reason: &str| {
            Err(OrderError {
                field,
                reason: reason.to_string(),
            })
        };
        if !is_text(&self.number, MAX_NUMBER) {
            return err(
                "number",
                "empty, longer than 32 characters or with control characters",
            );
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
        for (p, name, iik, bin) in [
            (&self.payer, "payer.name", "payer.iik", "payer.bin"),
            (
                &self.recipient,
                "recipient.name",
                "recipient.iik",
                "recipient.bin",
            ),
        ] {
            if !is_text(&p.name, MAX_NAME) {
                return err(
                    name,
                    "empty, longer than 200 characters or with control characters",
                );
            }
            if !is_iik(&p.iik) {
                return err(iik, "not a valid IIK (KZ + 18 characters, mod-97 check)");
            }
            if !is_bin(&p.bin) {
                return err(bin, "not a valid BIN/IIN (12 digits with a check digit)");
            }
        }
        if !self.recipient.bank_bic.as_deref().is_some_and(is_bic) {
            return err(
                "recipient.bank_bic",
                "missing or not a BIC (8 or 11 capital letters/digits)",
            );
        }
        if !is_knp(&self.knp) {
            return err("knp", "not 3 digits");
        }
        if !is_text(&self.purpose, MAX_PURPOSE) {
            return err(
                "purpose",
                "empty, longer than 420 characters or with control characters",
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{bin_check_digit, iik_for, sample};

    fn field_of(bytes: &[u8]) -> &'static str {
        PaymentOrder::parse(bytes).unwrap_err().field
    }

    /// The sign workflow's sample: identifiers made with the test-data helpers.
    fn made() -> String {
        let bin = |f: &str| format!("{f}{}", bin_check_digit(f).unwrap());
        serde_json::json!({
            "number": "42", "date": "2026-11-27", "amount": "150000.00", "currency": "KZT",
            "payer": {"name": "TOO Payer", "iik": iik_for("125KZT5004100100"), "bin": bin("94064000012")},
            "recipient": {"name": "TOO Recipient", "iik": iik_for("722S000012345678"), "bin": bin("10034000555"), "bank_bic": "CASPKZKA"},
            "knp": "710", "purpose": "Payment for services"
        })
        .to_string()
    }

    /// The browser bridge's sample (the sandbox bank's test page sends the same).
    const PAGE: &str = r#"{"number":"42","date":"2026-11-27","amount":"150000.00","currency":"KZT",
        "payer":{"name":"ТОО Tamga","iik":"KZ86125KZT5004100100","bin":"940740000911"},
        "recipient":{"name":"ИП Алма","iik":"KZ86125KZT5004100100","bin":"940740000911","bank_bic":"KCJBKZKX"},
        "knp":"119","purpose":"Оплата по счёту 7"}"#;

    #[test]
    fn sample_is_valid_and_round_trips() {
        let bytes = serde_json::to_vec(&sample()).unwrap();
        assert_eq!(PaymentOrder::parse(&bytes).unwrap(), sample());
        // The payer's absent BIC is not written.
        assert!(!String::from_utf8(bytes).unwrap().contains("null"));
        let mut bad = sample();
        bad.amount = "0.00".into();
        assert_eq!(bad.validate().unwrap_err().field, "amount");
        let mut bad = sample();
        bad.recipient.iik = "KZ00125KZT2069100100".into();
        assert_eq!(bad.validate().unwrap_err().field, "recipient.iik");
    }

    #[test]
    fn a_good_order_parses() {
        let o = PaymentOrder::parse(made().as_bytes()).unwrap();
        assert_eq!(o.amount, "150000.00");
        let o = PaymentOrder::parse(PAGE.as_bytes()).unwrap();
        assert_eq!(o.recipient.bank_bic.as_deref(), Some("KCJBKZKX"));
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases = [
            ("\"42\"", "\"\"", "number"),
            ("\"42\"", "\"4\\n2\"", "number"),
            ("2026-11-27", "2026-13-27", "date"),
            ("2026-11-27", "2026-02-29", "date"),
            ("150000.00", "150000.0", "amount"),
            ("150000.00", "0.00", "amount"),
            ("\"KZT\"", "\"USD\"", "currency"),
            ("TOO Payer", " ", "payer.name"),
            ("TOO Recipient", "TOO\\u0000Recipient", "recipient.name"),
            ("CASPKZKA", "casp", "recipient.bank_bic"),
            ("CASPKZKA", "CASPKZKAX", "recipient.bank_bic"),
            ("\"710\"", "\"71\"", "knp"),
            ("Payment for services", "", "purpose"),
        ];
        for (from, to, field) in cases {
            let text = made().replacen(from, to, 1);
            assert_ne!(text, made(), "{from}");
            assert_eq!(field_of(text.as_bytes()), field, "{to}");
        }
        let mut v: serde_json::Value = serde_json::from_str(&made()).unwrap();
        let iik = v["recipient"]["iik"].as_str().unwrap().to_owned();
        let mut broken = iik.into_bytes();
        broken[10] = if broken[10] == b'1' { b'2' } else { b'1' };
        v["recipient"]["iik"] = String::from_utf8(broken).unwrap().into();
        assert_eq!(field_of(v.to_string().as_bytes()), "recipient.iik");
        let mut v: serde_json::Value = serde_json::from_str(&made()).unwrap();
        let bin = v["payer"]["bin"].as_str().unwrap().to_owned();
        let last = bin.as_bytes()[11] - b'0';
        v["payer"]["bin"] = format!("{}{}", &bin[..11], (last + 1) % 10).into();
        assert_eq!(field_of(v.to_string().as_bytes()), "payer.bin");
        let mut v: serde_json::Value = serde_json::from_str(&made()).unwrap();
        v["recipient"]
            .as_object_mut()
            .unwrap()
            .remove("bank_bic")
            .unwrap();
        assert_eq!(field_of(v.to_string().as_bytes()), "recipient.bank_bic");
        let long = made().replacen("Payment for services", &"я".repeat(421), 1);
        assert_eq!(field_of(long.as_bytes()), "purpose");
        let fits = made().replacen("Payment for services", &"я".repeat(420), 1);
        assert!(PaymentOrder::parse(fits.as_bytes()).is_ok());
    }

    #[test]
    fn bad_amounts_never_parse() {
        for bad in ["0.00", "1.0", "01.00", "1,00", "-1.00", "1e3.00"] {
            let t = PAGE.replace("150000.00", bad);
            assert_eq!(field_of(t.as_bytes()), "amount", "{bad}");
        }
    }

    #[test]
    fn documents_that_are_not_orders() {
        for bytes in [&b"{}"[..], b"{\"extra\":1}", b"not json", b"", b"[1,2,3]"] {
            let e = PaymentOrder::parse(bytes).unwrap_err();
            assert_eq!(e.field, "");
            assert!(e.reason.starts_with("not a payment order: "), "{e}");
        }
        // Unknown fields are refused, also inside a party.
        let extra = PAGE.replacen("\"knp\"", "\"note\":\"x\",\"knp\"", 1);
        assert_eq!(field_of(extra.as_bytes()), "");
        let extra = PAGE.replacen("\"bin\"", "\"kbe\":\"17\",\"bin\"", 1);
        assert_eq!(field_of(extra.as_bytes()), "");
        let big = vec![b' '; MAX_ORDER_LEN + 1];
        let e = PaymentOrder::parse(&big).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(": {} bytes (at most 16384)", MAX_ORDER_LEN + 1)
        );
    }

    #[test]
    fn a_line_break_cannot_forge_the_confirmation() {
        // The browser bridge showed such a name on one line; now it never parses.
        let forged = PAGE.replacen("ИП Алма", "ИП Алма\\n\\nСумма: 1 KZT", 1);
        assert_eq!(field_of(forged.as_bytes()), "recipient.name");
    }

    #[test]
    fn a_bidi_override_cannot_reorder_the_confirmation() {
        // U+202E would show "ИП Алма" mirrored and could move digits a person reads.
        let forged = PAGE.replacen("ИП Алма", "ИП \\u202eАлма", 1);
        assert_eq!(field_of(forged.as_bytes()), "recipient.name");
        let forged = PAGE.replacen("ИП Алма", "ИП \\u2067Алма\\u2069", 1);
        assert_eq!(field_of(forged.as_bytes()), "recipient.name");
    }
}
