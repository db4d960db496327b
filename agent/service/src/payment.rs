//! The payment order a page asks to sign (tools/sandbox-bank/PROTOCOL.md), parsed and checked by
//! tamga (tamga-payment-order, the format the bank and the sign workflow share) so that the
//! confirmation shows what is really signed: amount, currency, recipient, IIK, BIN, KNP,
//! purpose. The page's own rendering is never trusted; text fields lose control characters and
//! bidirectional overrides and are cut ([`shown`]), so a recipient name cannot forge extra lines
//! in the dialog.

use tamga_core::Lang;
use tamga_payment_order::{group_thousands, OrderError};

pub use tamga_payment_order::shown;

/// A payment order that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentOrder(tamga_payment_order::PaymentOrder);

/// Why an order is refused before anyone is asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadOrder(pub String);

impl std::fmt::Display for BadOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the payment order is invalid: {}", self.0)
    }
}

impl From<OrderError> for BadOrder {
    fn from(e: OrderError) -> Self {
        BadOrder(e.to_string())
    }
}

impl std::ops::Deref for PaymentOrder {
    type Target = tamga_payment_order::PaymentOrder;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl PaymentOrder {
    /// Parses and checks the exact bytes that will be signed.
    pub fn parse(bytes: &[u8]) -> Result<PaymentOrder, BadOrder> {
        Ok(PaymentOrder(tamga_payment_order::PaymentOrder::parse(
            bytes,
        )?))
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

#[cfg(test)]
mod tests {
    use super::*;

    pub const ORDER: &str = r#"{"number":"42","date":"2026-11-27","amount":"150000.00","currency":"KZT",
        "payer":{"name":"ТОО Tamga","iik":"KZ86125KZT5004100100","bin":"940740000911"},
        "recipient":{"name":"ИП Алма","iik":"KZ86125KZT5004100100","bin":"940740000911","bank_bic":"KCJBKZKX"},
        "knp":"119","purpose":"Оплата по счёту 7"}"#;

    #[test]
    fn checks_and_summary() {
        let o = PaymentOrder::parse(ORDER.as_bytes()).unwrap();
        let s = o.summary(Lang::Ru);
        assert!(s.contains("Сумма: 150 000.00 KZT"), "{s}");
        assert!(o
            .summary(Lang::En)
            .contains("Recipient IIK: KZ86125KZT5004100100"));
        for bad in ["0.00", "1.0", "01.00", "1,00", "-1.00", "1e3.00"] {
            let t = ORDER.replace("150000.00", bad);
            let e = PaymentOrder::parse(t.as_bytes()).unwrap_err();
            assert!(e
                .to_string()
                .starts_with("the payment order is invalid: amount: "));
        }
        assert!(PaymentOrder::parse(b"{}").is_err());
        // A name with line breaks never parses; one with bidirectional overrides does, and the
        // summary keeps every field on its own line, in order.
        let forged = ORDER.replace("ИП Алма", "ИП Алма\\n\\nСумма: 1 KZT");
        assert!(PaymentOrder::parse(forged.as_bytes()).is_err());
        let mut inner = o.0.clone();
        inner.recipient.name = "ИП Алма\n\nСумма: 1 KZT\u{202e}".into();
        let s = PaymentOrder(inner).summary(Lang::Ru);
        // The injected newlines are gone: the forged line does not start a line of its own.
        assert!(s.lines().all(|l| !l.starts_with("Сумма: 1 KZT")), "{s}");
        assert!(!s.contains('\u{202e}'), "{s}");
        assert_eq!(s.lines().count(), 8, "{s}");
    }
}
