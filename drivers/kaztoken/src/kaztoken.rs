//! The KAZTOKEN as a [`Token`].

use tamga_ccid::ApduChannel;
use tamga_gost::PublicKey;
use tamga_token::{
    Attempt, FormatRequest, JournalCheck, JournalHeader, JournalState, KeyRef, KeySpec, ObjectId,
    Pin, PinCounters, ProfileState, Role, Token, TokenError, TokenInfo,
};
use zeroize::Zeroizing;

use crate::card::Card;
use crate::config::KaztokenConfig;

/// A connected KAZTOKEN.
pub struct Kaztoken<C> {
    pub(crate) card: Card<C>,
    pub(crate) config: KaztokenConfig,
    model: String,
}

impl<C: ApduChannel> Kaztoken<C> {
    /// Wraps a powered card; `atr` names the model.
    pub fn new(channel: C, config: KaztokenConfig, atr: &[u8]) -> Self {
        Kaztoken {
            card: Card::new(channel),
            config,
            model: model_from_atr(atr).to_owned(),
        }
    }

    /// The channel, e.g. to reset the card or to inspect a test device.
    pub fn channel_mut(&mut self) -> &mut C {
        self.card.channel_mut()
    }

    /// Gives the channel back.
    pub fn into_channel(self) -> C {
        self.card.into_channel()
    }

    pub(crate) fn pin_ref(&self, role: Role) -> u8 {
        match role {
            Role::User => self.config.user_pin_ref,
            Role::Admin => self.config.admin_pin_ref,
        }
    }

    /// The journal's state; `Err(CorruptJournal)` when it exists but does not read.
    fn journal_state(&mut self) -> Result<Option<JournalState>, TokenError> {
        match self.read_object_inner(ObjectId::JOURNAL) {
            Ok(bytes) => Ok(Some(JournalHeader::parse(&bytes)?.state)),
            Err(TokenError::ObjectNotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The model, from the ATR's historical bytes.
fn model_from_atr(atr: &[u8]) -> &'static str {
    let has = |needle: &[u8]| atr.windows(needle.len()).any(|w| w == needle);
    if has(b"KAZTOKEN") {
        "KAZTOKEN"
    } else if has(b"Rutoken") {
        "Rutoken ECP"
    } else {
        "unknown"
    }
}

impl<C: ApduChannel> Token for Kaztoken<C> {
    fn info(&mut self) -> Result<TokenInfo, TokenError> {
        let label = String::from_utf8_lossy(&self.card.get_data(0x82)?).into_owned();
        let serial = match self.card.get_data(0x81)?.as_slice() {
            bytes @ [_, _, _, _] => {
                u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]).to_string()
            }
            _ => return Err(TokenError::Protocol("serial number is not 4 bytes")),
        };
        let state = match self.journal_state() {
            Ok(Some(JournalState::InProgress)) => ProfileState::EnrollmentInProgress,
            // A journal that does not read must stop formatting just like an unfinished one.
            Err(TokenError::CorruptJournal) => ProfileState::EnrollmentInProgress,
            Err(e) => return Err(e),
            Ok(Some(JournalState::Complete)) => ProfileState::Enrolled,
            Ok(None) if self.has_keys()? => ProfileState::Enrolled,
            Ok(None) => ProfileState::Empty,
        };
        Ok(TokenInfo {
            label,
            serial,
            model: self.model.clone(),
            state,
        })
    }

    fn pin_counters(&mut self) -> Result<PinCounters, TokenError> {
        Ok(PinCounters {
            user: self.pin_status(Role::User)?,
            admin: self.pin_status(Role::Admin)?,
        })
    }

    fn login(&mut self, role: Role, pin: &Pin, attempt: Attempt) -> Result<(), TokenError> {
        self.present_pin(role, pin, attempt)
    }

    fn logout(&mut self) -> Result<(), TokenError> {
        self.card.logout()
    }

    fn change_pin(
        &mut self,
        role: Role,
        old: &Pin,
        new: &Pin,
        attempt: Attempt,
    ) -> Result<(), TokenError> {
        self.present_pin(role, old, attempt)?;
        let reference = self.pin_ref(role);
        self.card.set_pin(reference, new.as_bytes())
    }

    fn unblock_user_pin(
        &mut self,
        admin: &Pin,
        new_user_pin: &Pin,
        attempt: Attempt,
    ) -> Result<(), TokenError> {
        self.present_pin(Role::Admin, admin, attempt)?;
        let user = self.config.user_pin_ref;
        self.card.reset_retry_counter(user)?;
        self.card.set_pin(user, new_user_pin.as_bytes())?;
        // The admin session has done its job; leaving it open would let anything that follows
        // act as admin.
        self.card.logout()
    }

    fn generate_key(&mut self, key: KeyRef, spec: KeySpec) -> Result<PublicKey, TokenError> {
        self.generate_key_inner(key, spec)
    }

    fn public_key(&mut self, key: KeyRef) -> Result<Option<PublicKey>, TokenError> {
        self.public_key_inner(key)
    }

    fn sign_digest(&mut self, key: KeyRef, digest: &[u8]) -> Result<Vec<u8>, TokenError> {
        self.sign_digest_inner(key, digest)
    }

    fn read_object(&mut self, id: ObjectId) -> Result<Vec<u8>, TokenError> {
        self.read_object_inner(id)
    }

    fn write_object(&mut self, id: ObjectId, data: &[u8]) -> Result<(), TokenError> {
        self.write_object_inner(id, data)
    }

    fn delete_object(&mut self, id: ObjectId) -> Result<(), TokenError> {
        self.delete_object_inner(id)
    }

    fn list_objects(&mut self) -> Result<Vec<ObjectId>, TokenError> {
        self.list_objects_inner()
    }

    fn set_label(&mut self, label: &str) -> Result<(), TokenError> {
        if label.len() > 32 {
            return Err(TokenError::InvalidArgument("label longer than 32 bytes"));
        }
        self.card.put_data(0x82, label.as_bytes())
    }

    fn format(
        &mut self,
        admin: &Pin,
        request: &FormatRequest,
        journal: JournalCheck,
        attempt: Attempt,
    ) -> Result<(), TokenError> {
        if journal == JournalCheck::Respect {
            match self.journal_state()? {
                Some(JournalState::InProgress) => return Err(TokenError::EnrollmentInProgress),
                Some(JournalState::Complete) | None => {}
            }
        }
        let label = request.label.as_bytes();
        if label.len() > 32 {
            return Err(TokenError::InvalidArgument("label longer than 32 bytes"));
        }
        let (user, admin_new) = (request.user_pin.as_bytes(), request.admin_pin.as_bytes());
        if user.len() > 120 || admin_new.len() > 120 {
            return Err(TokenError::PinRejected);
        }
        self.present_pin(Role::Admin, admin, attempt)?;
        let mut tlvs = Zeroizing::new(Vec::new());
        for (tag, value) in [
            (0x80, label),
            (0x81, user),
            (0x82, admin_new),
            (0x83, &[request.user_retries][..]),
            (0x84, &[request.admin_retries][..]),
        ] {
            tlvs.push(tag);
            tlvs.push(value.len() as u8);
            tlvs.extend_from_slice(value);
        }
        self.card.format(&tlvs)
    }
}

#[cfg(test)]
mod tests {
    use super::model_from_atr;

    #[test]
    fn model_names() {
        let kaz = [
            0x3B, 0x88, 0x01, b'K', b'A', b'Z', b'T', b'O', b'K', b'E', b'N', 0x82,
        ];
        assert_eq!(model_from_atr(&kaz), "KAZTOKEN");
        assert_eq!(
            model_from_atr(b"\x3B\x8B\x01Rutoken ECP\xA0"),
            "Rutoken ECP"
        );
        assert_eq!(model_from_atr(&[0x3B, 0]), "unknown");
    }
}
