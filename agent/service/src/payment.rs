//! The payment order a page asks to sign (tools/sandbox-bank/PROTOCOL.md), parsed and checked by
//! tamga so that the confirmation shows what is really signed: amount, currency, recipient, IIK,
//! BIN, KNP, purpose. The page's own rendering is never trusted; text fields lose control
//! characters and are cut, so a recipient name cannot forge extra lines in the dialog.

use serde::Deserialize;
use tamga_core::Lang;

/// The longest text shown per field.
const MAX_SHOWN: usize = 120;

/// A party of the order.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Party {
    /// Name.
    pub name: String,
    /// Account (IIK, a Kazakh IBAN).
    pub iik: String,
    /// BIN or IIN.
    pub bin: String,
    /// The bank's BIC (recipient only).
    #[serde(default)]
    pub bank_bic: Option<String>,
}

/// A payment order.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct PaymentOrder {
    /// Document number.
    pub number: String,
    /// Document date.
    pub date: String,
    /// Decimal with two places.
    pub amount: String,
    /// `KZT`.
    pub currency: String,
    /// Who pays.
    pub payer: Party,
    /// Who receives.
    pub recipient: Party,
    /// The purpose code.
    pub knp: String,
    /// The purpose text.
    pub purpose: String,
}

/// Why an order is refused before anyone is asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadOrder(pub String);

impl std::fmt::Display for BadOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the payment order is invalid: {}", self.0)
    }
}

impl PaymentOrder {
    /// Parses and checks the exact bytes that will be signed.
    pub fn parse(bytes: &[u8]) -> Result<PaymentOrder, BadOrder> {
        let o: PaymentOrder =
            serde_json::from_slice(bytes).map_err(|e| BadOrder(format!("not an order: {e}")))?;
        if !amount_ok(&o.amount) {
            return Err(BadOrder(
                "amount must be a positive decimal with 2 places".into(),
            ));
        }
        if o.currency.len() != 3 || !o.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(BadOrder("currency must be 3 capital letters".into()));
        }
        for (who, p) in [("payer", &o.payer), ("recipient", &o.recipient)] {
            if !iik_ok(&p.iik) {
                return Err(BadOrder(format!("{who} IIK fails the IBAN check")));
            }
            if !bin_ok(&p.bin) {
                return Err(BadOrder(format!("{who} BIN/IIN fails its check digit")));
            }
        }
        if o.knp.len() != 3 || !o.knp.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BadOrder("KNP must be 3 digits".into()));
        }
        Ok(o)
    }

    /// The lines the confirmation shows, in `lang`.
    pub fn summary(&self, lang: Lang) -> String {
        let r = &self.recipient;
        let rows = [
            (
                lang.pick(
                    "Платёжное поручение №",
                    "Payment order no.",
                    Some("Төлем тапсырмасы №"),
                ),
                format!("{} ({})", shown(&self.number), shown(&self.date)),
            ),
            (
                lang.pick("Сумма", "Amount", Some("Сомасы")),
                format!(
                    "{} {}",
                    group_thousands(&self.amount),
                    shown(&self.currency)
                ),
            ),
            (
                lang.pick("Получатель", "Recipient", Some("Алушы")),
                shown(&r.name),
            ),
            (
                lang.pick("ИИК получателя", "Recipient IIK", Some("Алушының ЖСК")),
                shown(&r.iik),
            ),
            (
                lang.pick(
                    "БИН/ИИН получателя",
                    "Recipient BIN/IIN",
                    Some("Алушының БСН/ЖСН"),
                ),
                shown(&r.bin),
            ),
            ("КНП / KNP", shown(&self.knp)),
            (
                lang.pick("Назначение", "Purpose", Some("Мақсаты")),
                shown(&self.purpose),
            ),
            (
                lang.pick("Плательщик", "Payer", Some("Төлеуші")),
                format!("{}, {}", shown(&self.payer.name), shown(&self.payer.iik)),
            ),
        ];
        rows.iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Outside text made safe for one dialog line.
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

/// Bidirectional overrides could reorder what the dialog shows.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

fn amount_ok(a: &str) -> bool {
    let Some((int, frac)) = a.split_once('.') else {
        return false;
    };
    !int.is_empty()
        && int.len() <= 15
        && frac.len() == 2
        && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        && (int.len() == 1 || !int.starts_with('0'))
        && a.bytes().any(|b| (b'1'..=b'9').contains(&b))
}

/// `150000.00` → `150 000.00`.
fn group_thousands(a: &str) -> String {
    let (int, frac) = a.split_once('.').unwrap_or((a, ""));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    format!("{out}.{frac}")
}

/// A 20-character Kazakh IBAN: `KZ`, two check digits, 16 letters or digits, mod 97 = 1.
pub fn iik_ok(iik: &str) -> bool {
    let b = iik.as_bytes();
    if b.len() != 20
        || !iik.starts_with("KZ")
        || !b
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

/// A 12-digit BIN/IIN with its check digit (weights 1–11, then 3–11,1,2 when the first sum
/// gives 10).
pub fn bin_ok(bin: &str) -> bool {
    let d: Vec<u32> = bin
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| u32::from(b - b'0'))
        .collect();
    if bin.len() != 12 || d.len() != 12 {
        return false;
    }
    let sum = |w: &[u32]| d.iter().zip(w).map(|(a, b)| a * b).sum::<u32>() % 11;
    let mut c = sum(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    if c == 10 {
        c = sum(&[3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
        if c == 10 {
            return false;
        }
    }
    c == d[11]
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const ORDER: &str = r#"{"number":"42","date":"2026-11-27","amount":"150000.00","currency":"KZT",
        "payer":{"name":"ТОО Tamga","iik":"KZ86125KZT5004100100","bin":"940740000911"},
        "recipient":{"name":"ИП Алма\n\nСумма: 1 KZT","iik":"KZ86125KZT5004100100","bin":"940740000911","bank_bic":"KCJBKZKX"},
        "knp":"119","purpose":"Оплата по счёту 7"}"#;

    #[test]
    fn checks_and_summary() {
        assert!(iik_ok("KZ86125KZT5004100100"));
        assert!(!iik_ok("KZ87125KZT5004100100"));
        assert!(bin_ok("940740000911"));
        assert!(!bin_ok("940740000912"));
        let o = PaymentOrder::parse(ORDER.as_bytes()).unwrap();
        let s = o.summary(Lang::Ru);
        assert!(s.contains("Сумма: 150 000.00 KZT"), "{s}");
        // The injected newlines are gone: the forged line does not start a line of its own.
        assert!(s.lines().all(|l| !l.starts_with("Сумма: 1 KZT")), "{s}");
        assert!(o
            .summary(Lang::En)
            .contains("Recipient IIK: KZ86125KZT5004100100"));
        for bad in ["0.00", "1.0", "01.00", "1,00", "-1.00", "1e3.00"] {
            let t = ORDER.replace("150000.00", bad);
            assert!(PaymentOrder::parse(t.as_bytes()).is_err(), "{bad}");
        }
        assert!(PaymentOrder::parse(b"{}").is_err());
        assert_eq!(shown(&"я".repeat(300)).chars().count(), MAX_SHOWN + 1);
    }
}
