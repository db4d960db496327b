//! PINs, who they belong to, and whether the last try may be spent.

use core::fmt;

use zeroize::Zeroizing;

/// Whose PIN.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// The token owner's PIN (default 12345678).
    User,
    /// The administrator's PIN (default 87654321), the one that unblocks the user PIN.
    Admin,
}

impl Role {
    /// A stable lower-case name for messages and logs.
    pub fn name(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A PIN. Its bytes are wiped on drop and never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(Zeroizing<Vec<u8>>);

impl Pin {
    /// Takes the PIN's bytes (as typed: no trimming, no case folding).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Pin(Zeroizing::new(bytes.into()))
    }

    /// The bytes, for the driver that sends them to the card.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True for an empty PIN.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for Pin {
    fn from(s: &str) -> Self {
        Pin::new(s.as_bytes())
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(<redacted>)")
    }
}

/// May this PIN presentation spend the last remaining try?
///
/// A token whose user PIN runs out needs the admin PIN; one whose admin PIN runs out is lost. So
/// the driver refuses to present a PIN when only one try is left, unless the user was asked and
/// said yes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Refuse with [`TokenError::LastAttempt`](crate::TokenError::LastAttempt) when one try is left.
    SpareLast,
    /// The user confirmed: spend it.
    MaySpendLast,
}
