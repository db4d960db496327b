//! The payment order (`tools/sandbox-bank/PROTOCOL.md`): tamga-payment-order's format and checks,
//! parsed from the exact bytes that will be signed. What is shown and what is signed are the
//! same bytes: the display is made from this parse, the signature over the file's bytes, and a
//! file that does not parse is never signed.

use tamga_payment_order::OrderError;

use crate::SignError;

pub use tamga_payment_order::{Party, PaymentOrder as Order};

/// The largest order file accepted (the format's own limit).
pub const MAX_ORDER: usize = tamga_payment_order::MAX_ORDER_LEN;

impl From<OrderError> for SignError {
    /// The field that is wrong, or `order` when the whole file is refused.
    fn from(e: OrderError) -> Self {
        SignError::Order {
            field: if e.field.is_empty() { "order" } else { e.field },
            why: e.reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tamga_core::{Lang, PluginError};

    fn parse(bytes: &[u8]) -> Result<Order, SignError> {
        Ok(Order::parse(bytes)?)
    }

    #[test]
    fn order_errors_name_the_field() {
        let good = serde_json::to_vec(&tamga_payment_order::sample()).unwrap();
        assert!(parse(&good).is_ok());
        let bad = String::from_utf8(good)
            .unwrap()
            .replacen("\"710\"", "\"71\"", 1);
        let e = parse(bad.as_bytes()).unwrap_err();
        assert!(matches!(e, SignError::Order { field: "knp", .. }), "{e:?}");
        assert_eq!(e.code(), "sign.order_invalid");
        assert_eq!(e.details(), serde_json::json!({"field": "knp"}));
        assert_eq!(
            e.message(Lang::En),
            "the payment order was not signed: `knp` is invalid (not 3 digits)"
        );
        // The whole file refused: the field is `order`.
        for whole in [&b"{\"extra\":1}"[..], &vec![b' '; MAX_ORDER + 1]] {
            assert!(matches!(
                parse(whole),
                Err(SignError::Order { field: "order", .. })
            ));
        }
    }
}
