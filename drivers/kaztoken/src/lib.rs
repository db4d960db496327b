//! tamga-kaztoken: the KAZTOKEN card protocol (Rutoken ECP family), implementing tamga's
//! [`Token`](tamga_token::Token) over any [`ApduChannel`](tamga_ccid::ApduChannel).
//!
//! The command bytes are in `PROTOCOL.md`; whatever real firmware may do differently is in
//! [`KaztokenConfig`], which the profile fills. Layers, bottom up: `apdu` (encoding), `card` (one
//! method per command), then the policies: `pins` (never spend the last try unasked), `keys`
//! (on-card keys, wire byte order, every signature verified before it leaves), `store` (data
//! objects that survive a pull), and `kaztoken` (the `Token` itself).

#![forbid(unsafe_code)]

mod apdu;
mod card;
mod config;
mod fcp;
mod kaztoken;
mod keys;
mod objects;
mod pins;
mod status;
mod store;

pub use config::KaztokenConfig;
pub use kaztoken::Kaztoken;

/// The parsers of card answers, for the fuzz targets only.
#[doc(hidden)]
pub mod fuzzing {
    /// Parses an FCP template as SELECT answers it; never panics.
    pub fn parse_fcp(bytes: &[u8]) -> bool {
        crate::fcp::Fcp::parse(bytes).is_ok()
    }

    /// Opens an object record as READ BINARY returns it (sequence number and content); never
    /// panics.
    pub fn open_record(bytes: &[u8]) -> Option<(u32, Vec<u8>)> {
        crate::objects::open(bytes).map(|r| (r.seq, r.data))
    }

    /// Seals a record, to check that what opens re-seals to the same bytes.
    pub fn seal_record(seq: u32, data: &[u8]) -> Vec<u8> {
        crate::objects::seal(seq, data)
    }
}
