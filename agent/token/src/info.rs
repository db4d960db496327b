//! What a token says about itself.

/// Where the token is in its life with the bank.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileState {
    /// No keys, no journal: ready for enrollment.
    Empty,
    /// Keys present and no unfinished enrollment.
    Enrolled,
    /// The enrollment journal says an enrollment started and has not finished: it must be
    /// resumed, and the token must not be formatted.
    EnrollmentInProgress,
}

/// One PIN's state, as the card reports it without spending a try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinStatus {
    /// Verified in the current session (the card then does not report a count: a right PIN
    /// restored it to the maximum).
    Verified,
    /// Not verified; this many tries are left.
    NotVerified {
        /// Tries left, at least 1.
        remaining: u8,
    },
    /// No try left.
    Blocked,
}

/// Both PINs' counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PinCounters {
    /// The user PIN.
    pub user: PinStatus,
    /// The admin PIN.
    pub admin: PinStatus,
}

/// Label, serial, model and state of a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenInfo {
    /// The label set at formatting (shown to the user to tell tokens apart).
    pub label: String,
    /// The serial number as the vendor prints it (decimal).
    pub serial: String,
    /// The model, e.g. "KAZTOKEN" (from the ATR's historical bytes).
    pub model: String,
    /// Where the token is in its life with the bank.
    pub state: ProfileState,
}
