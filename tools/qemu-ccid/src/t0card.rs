//! The virtual KAZTOKEN as a **T=0** card, the only protocol QEMU 7.2's reader offers.
//!
//! QEMU claims the TPDU level and hands the host's XfrBlock bytes to us as they are, so what
//! arrives is a T=0 command TPDU: case 4 has lost its Le (ISO 7816-3 §12.2.5). A real T=0 card
//! then answers `61 xx` and keeps the data for GET RESPONSE; so does this wrapper, which makes the
//! driver's 61xx handling run over the real USB stack. The virtual card itself stays unchanged.

use tamga_virtual::VirtualCard;

/// The virtual card's ATR with T=0 offered first: `3B 88 80 01` + "KAZTOKEN" + TCK (TD1 = T=0
/// and TD2 follows, TD2 = T=1). A reader without T=1 takes T=0; the historical bytes still name
/// the model.
pub fn t0_atr() -> Vec<u8> {
    let mut atr = vec![0x3B, 0x88, 0x80, 0x01];
    atr.extend_from_slice(b"KAZTOKEN");
    let tck = atr.iter().skip(1).fold(0u8, |x, b| x ^ b);
    atr.push(tck);
    atr
}

/// GET RESPONSE.
const INS_GET_RESPONSE: u8 = 0xC0;
/// "Conditions of use not satisfied": GET RESPONSE with nothing to get.
const SW_NOTHING_PENDING: [u8; 2] = [0x69, 0x85];

/// A T=0 card around the virtual card.
#[derive(Debug)]
pub struct T0Card {
    card: VirtualCard,
    /// Data and status word kept for GET RESPONSE.
    pending: Option<Vec<u8>>,
}

impl T0Card {
    pub fn new(card: VirtualCard) -> Self {
        T0Card {
            card,
            pending: None,
        }
    }

    /// Powers the card on (insertion, reset): a new session, nothing pending.
    pub fn power_on(&mut self) {
        self.card.power_on();
        self.pending = None;
    }

    pub fn card(&mut self) -> &mut VirtualCard {
        &mut self.card
    }

    /// Answers one command TPDU.
    pub fn process(&mut self, tpdu: &[u8]) -> Vec<u8> {
        if let [_, INS_GET_RESPONSE, 0, 0, p3] = *tpdu {
            let Some(mut answer) = self.pending.take() else {
                return SW_NOTHING_PENDING.to_vec();
            };
            let data_len = answer.len().saturating_sub(2);
            let le = if p3 == 0 { 256 } else { usize::from(p3) };
            if le != data_len {
                // Wrong Le: 6Cxx with the right one, the data stays.
                let sw2 = u8::try_from(data_len % 256).unwrap_or(0);
                self.pending = Some(answer);
                return vec![0x6C, sw2];
            }
            return std::mem::take(&mut answer);
        }
        self.pending = None;
        let answer = self.card.process_apdu(tpdu);
        // Case 3 form (header, P3 = Lc, P3 data bytes) with response data: the card keeps it.
        let case3 = tpdu.len() > 5 && tpdu.len() == 5 + usize::from(tpdu[4]);
        let data_len = answer.len().saturating_sub(2);
        if case3 && data_len > 0 {
            let sw2 = u8::try_from(data_len % 256).unwrap_or(0);
            self.pending = Some(answer);
            return vec![0x61, sw2];
        }
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tamga_virtual::CardConfig;

    #[test]
    fn atr_offers_t0_first() {
        let atr = tamga_ccid::Atr::parse(&t0_atr()).unwrap();
        assert_eq!(atr.default_protocol(), 0);
        assert!(atr.protocols().contains(&1));
    }

    #[test]
    fn case4_answers_61xx_then_get_response() {
        let mut c = T0Card::new(VirtualCard::new(CardConfig::default()));
        c.power_on();
        // SELECT the MF by path with FCP: case 4 without its Le.
        let r = c.process(&[0x00, 0xA4, 0x00, 0x00, 0x02, 0x3F, 0x00]);
        assert_eq!(r[0], 0x61, "{r:02X?}");
        assert_eq!(
            c.process(&[0x00, 0xC0, 0, 0, r[1].wrapping_add(1)])[0],
            0x6C
        );
        let full = c.process(&[0x00, 0xC0, 0, 0, r[1]]);
        assert_eq!(full.len(), usize::from(r[1]) + 2);
        assert_eq!(full[full.len() - 2..], [0x90, 0x00]);
        assert_eq!(c.process(&[0x00, 0xC0, 0, 0, 1]), SW_NOTHING_PENDING);
        // Case 2: answered at once.
        let serial = c.process(&[0x00, 0xCA, 0x01, 0x81, 0x04]);
        assert_eq!(serial.len(), 6);
    }
}
