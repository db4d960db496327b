//! What the person sees before signing: every field that moves money, from tamga's own parse.

use tamga_core::Lang;

use crate::order::Order;

/// Groups the whole part of an amount by thousands: `150 000.00`.
pub use tamga_payment_order::group_thousands as amount;

/// The screen.
pub fn screen(o: &Order, lang: Lang, detached: bool) -> String {
    let l = |ru: &'static str, en: &'static str| lang.pick(ru, en, None);
    let bic = o.recipient.bank_bic.as_deref().unwrap_or("—");
    [
        format!(
            "{} № {} {} {}",
            l("Платёжное поручение", "Payment order"),
            o.number,
            l("от", "of"),
            o.date
        ),
        format!(
            "  {}: {} {}",
            l("Сумма", "Amount"),
            amount(&o.amount),
            o.currency
        ),
        format!("  {}: {}", l("Получатель", "Recipient"), o.recipient.name),
        format!(
            "  {}: {}   {}: {}",
            l("ИИК получателя", "Recipient IIK"),
            o.recipient.iik,
            l("БИК", "BIC"),
            bic
        ),
        format!(
            "  {}: {}",
            l("БИН/ИИН получателя", "Recipient BIN/IIN"),
            o.recipient.bin
        ),
        format!("  {}: {}", l("КНП", "KNP"), o.knp),
        format!("  {}: {}", l("Назначение", "Purpose"), o.purpose),
        format!(
            "  {}: {} (ИИК {}, БИН {})",
            l("Плательщик", "Payer"),
            o.payer.name,
            o.payer.iik,
            o.payer.bin
        ),
        format!(
            "  {}: {}",
            l("Подпись", "Signature"),
            if detached {
                l(
                    "ключом SIGN на токене (CMS, отделённая)",
                    "SIGN key on the token (CMS, detached)",
                )
            } else {
                l(
                    "ключом SIGN на токене (CMS, присоединённая)",
                    "SIGN key on the token (CMS, attached)",
                )
            }
        ),
    ]
    .join("\n")
}
