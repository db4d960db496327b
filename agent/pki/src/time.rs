//! Time as the caller gives it (`SystemTime`) against X.509 `Time` values.
//!
//! The library never reads the clock: validity and CRL checks take the time as an argument, so
//! that tests and "was it valid when signed" questions work the same way.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use x509_cert::time::Time;

use crate::PkiError;

/// An X.509 time as `SystemTime`.
pub(crate) fn to_system(t: &Time) -> SystemTime {
    UNIX_EPOCH + t.to_unix_duration()
}

/// `SystemTime` as an X.509 time (UTCTime until 2049, GeneralizedTime after, RFC 5280).
pub(crate) fn from_system(t: SystemTime) -> Result<Time, PkiError> {
    let since = t
        .duration_since(UNIX_EPOCH)
        .map_err(|_| PkiError::InvalidArgument("time before 1970"))?;
    // Whole seconds: DER times have no fraction here.
    let dt = der::DateTime::from_unix_duration(Duration::from_secs(since.as_secs()))
        .map_err(|_| PkiError::InvalidArgument("time out of range"))?;
    // `From<DateTime>` picks UTCTime through 2049 and GeneralizedTime after, as RFC 5280 asks.
    Ok(Time::from(dt))
}
