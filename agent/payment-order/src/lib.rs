//! tamga-payment-order: the payment order of the Internet-Banking (`tools/sandbox-bank/PROTOCOL.md`),
//! the one definition the bank, the sign workflow and the browser bridge share.
//!
//! - [`PaymentOrder`], [`Party`]: the JSON format (serde; unknown fields refused).
//! - [`PaymentOrder::parse`] / [`PaymentOrder::validate`]: every field checked; the first bad
//!   one comes back as an [`OrderError`] (its JSON path and why).
//! - One check per file: [`is_iik`] (the Kazakh IBAN, ISO 13616 mod-97), [`is_bin`] (BIN/IIN,
//!   12 digits with the Kazakh check digit), [`is_knp`] (3 digits), [`is_amount`] (> 0, two
//!   decimals), [`is_date`], [`is_bic`], [`is_text`]; [`iik_for`] and [`bin_check_digit`] make
//!   valid test data.
//! - Display: [`group_thousands`] (`150 000.00`) and [`shown`] (outside text made safe for one
//!   line of a dialog: no control characters, no bidirectional overrides, cut).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod amount;
mod bic;
mod bin;
mod date;
mod display;
mod iik;
mod knp;
mod order;
mod sample;
mod text;

pub use amount::{group_thousands, is_amount};
pub use bic::is_bic;
pub use bin::{bin_check_digit, is_bin};
pub use date::is_date;
pub use display::{shown, MAX_SHOWN};
pub use iik::{iik_for, is_iik};
pub use knp::is_knp;
pub use order::{OrderError, Party, PaymentOrder, MAX_ORDER_LEN};
pub use sample::sample;
pub use text::is_text;
