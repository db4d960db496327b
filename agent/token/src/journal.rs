//! The head of the enrollment journal: the one part of it the token layer reads.
//!
//! The enroll workflow owns the journal's body; the token layer only needs to know whether an
//! enrollment is unfinished (to report it and to refuse formatting), so the journal object starts
//! with a fixed 8-byte header that both sides agree on here.

use crate::TokenError;

/// The journal's overall state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JournalState {
    /// An enrollment has started and not finished.
    InProgress,
    /// The last enrollment finished.
    Complete,
}

/// `TJNL` ‖ version 1 ‖ state (`P` in progress, `C` complete) ‖ two reserved zero bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JournalHeader {
    /// The enrollment's state.
    pub state: JournalState,
}

const MAGIC: &[u8; 4] = b"TJNL";
const VERSION: u8 = 1;

impl JournalHeader {
    /// Length of the encoded header.
    pub const LEN: usize = 8;

    /// Encodes the header (the journal body follows it).
    pub fn encode(&self) -> [u8; Self::LEN] {
        let state = match self.state {
            JournalState::InProgress => b'P',
            JournalState::Complete => b'C',
        };
        let mut out = [0u8; Self::LEN];
        out[..4].copy_from_slice(MAGIC);
        out[4] = VERSION;
        out[5] = state;
        out
    }

    /// Reads the header at the start of a journal object.
    ///
    /// An unreadable header counts as an error, not as "no enrollment": a journal that exists but
    /// cannot be read must stop formatting just like an unfinished one.
    pub fn parse(bytes: &[u8]) -> Result<Self, TokenError> {
        let head = bytes.get(..Self::LEN).ok_or(TokenError::CorruptJournal)?;
        if &head[..4] != MAGIC || head[4] != VERSION || head[6..] != [0, 0] {
            return Err(TokenError::CorruptJournal);
        }
        let state = match head[5] {
            b'P' => JournalState::InProgress,
            b'C' => JournalState::Complete,
            _ => return Err(TokenError::CorruptJournal),
        };
        Ok(JournalHeader { state })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects() {
        for state in [JournalState::InProgress, JournalState::Complete] {
            let enc = JournalHeader { state }.encode();
            let mut long = enc.to_vec();
            long.extend_from_slice(b"body");
            assert_eq!(JournalHeader::parse(&long).unwrap().state, state);
        }
        let good = JournalHeader {
            state: JournalState::Complete,
        }
        .encode();
        assert!(JournalHeader::parse(&good[..7]).is_err());
        for i in 0..JournalHeader::LEN {
            let mut bad = good;
            bad[i] ^= 0x20;
            assert!(JournalHeader::parse(&bad).is_err(), "byte {i}");
        }
    }
}
