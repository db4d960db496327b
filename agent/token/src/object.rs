//! Data objects: certificates, the enrollment journal, anything a workflow stores on the token.

use core::fmt;

use crate::TokenError;

/// The identifier of a data object (a file ID in the token's objects directory).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectId(u16);

impl ObjectId {
    /// The enrollment journal, which [`Token::info`](crate::Token::info) reads to tell an
    /// unfinished enrollment apart, and which [`Token::format`](crate::Token::format) respects.
    pub const JOURNAL: ObjectId = ObjectId(0x7E01);

    /// Object `id`, 0x0001..=0x7FFF except 0x3F00 (the master file's ID). The upper half of the
    /// file-ID space is left to drivers, which may keep a shadow copy there to replace an object
    /// without a moment when neither the old nor the new content is readable.
    pub fn new(id: u16) -> Result<Self, TokenError> {
        if id == 0 || id > 0x7FFF || id == 0x3F00 {
            Err(TokenError::InvalidArgument(
                "object id must be 0x0001..=0x7FFF and not 0x3F00",
            ))
        } else {
            Ok(ObjectId(id))
        }
    }

    /// The raw identifier.
    pub fn get(self) -> u16 {
        self.0
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "object {:04X}", self.0)
    }
}
