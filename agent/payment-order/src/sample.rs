//! A valid order for tests and the demo.

use crate::{Party, PaymentOrder};

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
