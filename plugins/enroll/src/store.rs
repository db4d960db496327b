//! Reading and writing the journal object on the token.

use tamga_core::token::{ObjectId, Token, TokenError};
use tamga_core::CoreError;

use crate::journal::Journal;
use crate::EnrollError;

/// The journal on the token, if there is one.
pub fn read(token: &mut dyn Token) -> Result<Option<Journal>, CoreError> {
    match token.read_object(ObjectId::JOURNAL) {
        Ok(bytes) => Journal::parse(&bytes)
            .map(Some)
            .map_err(|e| EnrollError::CorruptJournal(e.to_string()).into()),
        Err(TokenError::ObjectNotFound(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Replaces the journal (atomically: the token keeps the old or the new one whole).
pub fn write(token: &mut dyn Token, journal: &Journal) -> Result<(), CoreError> {
    log::debug!("journal: step {}", journal.step.name());
    token.write_object(ObjectId::JOURNAL, &journal.encode())?;
    Ok(())
}
