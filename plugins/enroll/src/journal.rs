//! The enrollment journal on the token (object `ObjectId::JOURNAL`): where an enrollment
//! stopped, so that running `tamga enroll` again continues it and never starts a second one.
//!
//! Layout: the token layer's 8-byte [`JournalHeader`] (`TJNL`, version, `P`/`C`), then this
//! body: a version byte (1) and records `tag (1) ‖ length (2, big-endian) ‖ value`, each tag at
//! most once, in any order. The body is outside bytes to a parser (a token may hold anything):
//! it is bounded ([`MAX_BODY`]), every length is checked, an unknown tag, a repeated one or a
//! missing required one is [`JournalError`], never a panic.
//!
//! | tag | value |
//! |---|---|
//! | 1 | transactionID, 16 bytes (CMP, chosen once) |
//! | 2 | user ID, UTF-8, 1..=64 bytes |
//! | 3 | certificate term in months, u16 |
//! | 4 | step, 1 byte ([`Step`]) |
//! | 5 | SHA-256 of the key file (`GOST.pfx`), 32 bytes: a resume with another file is refused |
//! | 6 | SIGN key slot, 1 byte (recorded before the key is generated) |
//! | 7 | AUTH key slot, 1 byte |
//! | 8 | SHA-256 of the SIGN public key (x‖y little-endian), once generated |
//! | 9 | SHA-256 of the AUTH public key |
//! | 10 | SIGN certificate, DER (≤ 8 KiB) |
//! | 11 | AUTH certificate, DER |
//! | 12 | token name, UTF-8 (≤ 32 bytes; may be empty) |
//! | 13 | started at, Unix seconds, u64 |

use tamga_core::token::{JournalHeader, JournalState, KeyRef};

/// The largest body accepted (two certificates and a few fields fit many times over).
pub const MAX_BODY: usize = 24 * 1024;
const BODY_VERSION: u8 = 1;
const MAX_CERT: usize = 8 * 1024;

/// How far the enrollment got. Each step is written to the token only after its work is done;
/// the work of the next step is idempotent, so a crash anywhere repeats at most one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    /// The journal exists (written with the factory PIN still set): the transactionID and key
    /// slots are fixed, the PIN change is next.
    Started = 1,
    /// The token has the user's new password.
    PinChanged = 2,
    /// Both key pairs exist and their public keys are recorded: from here on they are never
    /// generated again (the CA may have seen them).
    KeysGenerated = 3,
    /// The CA's certificates are on the token (in this journal); certConf is next.
    CertsStored = 4,
    /// The CA answered pkiConf.
    Confirmed = 5,
    /// The Internet-Banking registered the pair.
    Registered = 6,
    /// Done: the header says Complete.
    Complete = 7,
}

impl Step {
    fn from_byte(b: u8) -> Option<Step> {
        Some(match b {
            1 => Step::Started,
            2 => Step::PinChanged,
            3 => Step::KeysGenerated,
            4 => Step::CertsStored,
            5 => Step::Confirmed,
            6 => Step::Registered,
            7 => Step::Complete,
            _ => return None,
        })
    }

    /// A stable name for logs, `--json` and the test hooks.
    pub fn name(self) -> &'static str {
        match self {
            Step::Started => "started",
            Step::PinChanged => "pin-changed",
            Step::KeysGenerated => "keys-generated",
            Step::CertsStored => "certs-stored",
            Step::Confirmed => "confirmed",
            Step::Registered => "registered",
            Step::Complete => "complete",
        }
    }
}

/// Why a journal does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JournalError {
    /// The token layer's header is wrong.
    Header,
    /// The body is too long.
    TooLong,
    /// An unknown body version.
    Version(u8),
    /// A record runs past the end.
    Truncated,
    /// A tag this version does not know.
    UnknownTag(u8),
    /// A tag given twice.
    Repeated(u8),
    /// A value of the wrong size or content.
    BadValue(u8),
    /// A required record is missing.
    Missing(u8),
}

impl core::fmt::Display for JournalError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            JournalError::Header => f.write_str("bad journal header"),
            JournalError::TooLong => f.write_str("journal too long"),
            JournalError::Version(v) => write!(f, "journal body version {v} is unknown"),
            JournalError::Truncated => f.write_str("journal record cut short"),
            JournalError::UnknownTag(t) => write!(f, "unknown journal record {t}"),
            JournalError::Repeated(t) => write!(f, "journal record {t} repeated"),
            JournalError::BadValue(t) => write!(f, "journal record {t} has a bad value"),
            JournalError::Missing(t) => write!(f, "journal record {t} is missing"),
        }
    }
}

/// The journal's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Journal {
    /// Complete (header `C`) or in progress (`P`).
    pub state: JournalState,
    /// The CMP transactionID.
    pub transaction_id: [u8; 16],
    /// The user ID.
    pub user_id: String,
    /// The certificate term, months.
    pub term_months: u16,
    /// How far it got.
    pub step: Step,
    /// SHA-256 of the key file.
    pub key_file_sha256: [u8; 32],
    /// The SIGN key's slot.
    pub sign_key: KeyRef,
    /// The AUTH key's slot.
    pub auth_key: KeyRef,
    /// SHA-256 of the SIGN public key, once generated.
    pub sign_public_sha256: Option<[u8; 32]>,
    /// SHA-256 of the AUTH public key, once generated.
    pub auth_public_sha256: Option<[u8; 32]>,
    /// The SIGN certificate (DER), once received.
    pub sign_cert: Option<Vec<u8>>,
    /// The AUTH certificate (DER), once received.
    pub auth_cert: Option<Vec<u8>>,
    /// The token name the user chose (may be empty).
    pub token_name: String,
    /// When the enrollment started, Unix seconds.
    pub started_at: u64,
}

fn push(out: &mut Vec<u8>, tag: u8, value: &[u8]) {
    out.push(tag);
    // Every value is bounded far below 64 KiB by the checks in `encode`.
    out.extend_from_slice(&(value.len() as u16).to_be_bytes());
    out.extend_from_slice(value);
}

impl Journal {
    /// The object's bytes (header and body).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = JournalHeader { state: self.state }.encode().to_vec();
        out.push(BODY_VERSION);
        push(&mut out, 1, &self.transaction_id);
        push(&mut out, 2, self.user_id.as_bytes());
        push(&mut out, 3, &self.term_months.to_be_bytes());
        push(&mut out, 4, &[self.step as u8]);
        push(&mut out, 5, &self.key_file_sha256);
        push(&mut out, 6, &[self.sign_key.get()]);
        push(&mut out, 7, &[self.auth_key.get()]);
        if let Some(h) = &self.sign_public_sha256 {
            push(&mut out, 8, h);
        }
        if let Some(h) = &self.auth_public_sha256 {
            push(&mut out, 9, h);
        }
        if let Some(c) = &self.sign_cert {
            push(&mut out, 10, c);
        }
        if let Some(c) = &self.auth_cert {
            push(&mut out, 11, c);
        }
        push(&mut out, 12, self.token_name.as_bytes());
        push(&mut out, 13, &self.started_at.to_be_bytes());
        out
    }

    /// Parses a journal object.
    pub fn parse(bytes: &[u8]) -> Result<Journal, JournalError> {
        let header = JournalHeader::parse(bytes).map_err(|_| JournalError::Header)?;
        let body = &bytes[JournalHeader::LEN..];
        if body.len() > MAX_BODY {
            return Err(JournalError::TooLong);
        }
        let (&version, mut rest) = body.split_first().ok_or(JournalError::Truncated)?;
        if version != BODY_VERSION {
            return Err(JournalError::Version(version));
        }
        let mut fields: [Option<&[u8]>; 14] = [None; 14];
        while !rest.is_empty() {
            let (&tag, r) = rest.split_first().ok_or(JournalError::Truncated)?;
            let len = r.get(..2).ok_or(JournalError::Truncated)?;
            let len = u16::from_be_bytes([len[0], len[1]]) as usize;
            let value = r.get(2..2 + len).ok_or(JournalError::Truncated)?;
            rest = &r[2 + len..];
            let slot = fields
                .get_mut(tag as usize)
                .filter(|_| tag != 0)
                .ok_or(JournalError::UnknownTag(tag))?;
            if slot.replace(value).is_some() {
                return Err(JournalError::Repeated(tag));
            }
        }
        let need = |tag: u8| fields[tag as usize].ok_or(JournalError::Missing(tag));
        let fixed = |tag: u8, v: &[u8], n: usize| {
            if v.len() == n {
                Ok(())
            } else {
                Err(JournalError::BadValue(tag))
            }
        };
        let array32 = |tag: u8, v: &[u8]| -> Result<[u8; 32], JournalError> {
            v.try_into().map_err(|_| JournalError::BadValue(tag))
        };
        let key = |tag: u8| -> Result<KeyRef, JournalError> {
            let v = need(tag)?;
            fixed(tag, v, 1)?;
            KeyRef::new(v[0]).map_err(|_| JournalError::BadValue(tag))
        };
        let cert = |tag: u8| -> Result<Option<Vec<u8>>, JournalError> {
            match fields[tag as usize] {
                Some(v) if v.is_empty() || v.len() > MAX_CERT => Err(JournalError::BadValue(tag)),
                Some(v) => Ok(Some(v.to_vec())),
                None => Ok(None),
            }
        };
        let tx = need(1)?;
        let transaction_id: [u8; 16] = tx.try_into().map_err(|_| JournalError::BadValue(1))?;
        let user_id = std::str::from_utf8(need(2)?)
            .ok()
            .filter(|u| !u.is_empty() && u.len() <= 64)
            .ok_or(JournalError::BadValue(2))?
            .to_owned();
        let term = need(3)?;
        fixed(3, term, 2)?;
        let step = need(4)?;
        fixed(4, step, 1)?;
        let step = Step::from_byte(step[0]).ok_or(JournalError::BadValue(4))?;
        let key_file_sha256 = array32(5, need(5)?)?;
        let (sign_key, auth_key) = (key(6)?, key(7)?);
        if sign_key == auth_key {
            return Err(JournalError::BadValue(7));
        }
        let public = |tag: u8| fields[tag as usize].map(|v| array32(tag, v)).transpose();
        let token_name = std::str::from_utf8(need(12)?)
            .ok()
            .filter(|n| n.len() <= 32)
            .ok_or(JournalError::BadValue(12))?
            .to_owned();
        let started = need(13)?;
        fixed(13, started, 8)?;
        let mut started_at = [0u8; 8];
        started_at.copy_from_slice(started);
        let journal = Journal {
            state: header.state,
            transaction_id,
            user_id,
            term_months: u16::from_be_bytes([term[0], term[1]]),
            step,
            key_file_sha256,
            sign_key,
            auth_key,
            sign_public_sha256: public(8)?,
            auth_public_sha256: public(9)?,
            sign_cert: cert(10)?,
            auth_cert: cert(11)?,
            token_name,
            started_at: u64::from_be_bytes(started_at),
        };
        journal.check_consistent()?;
        Ok(journal)
    }

    /// What each step implies must be there.
    fn check_consistent(&self) -> Result<(), JournalError> {
        if self.step >= Step::KeysGenerated {
            self.sign_public_sha256.ok_or(JournalError::Missing(8))?;
            self.auth_public_sha256.ok_or(JournalError::Missing(9))?;
        }
        if self.step >= Step::CertsStored {
            self.sign_cert.as_ref().ok_or(JournalError::Missing(10))?;
            self.auth_cert.as_ref().ok_or(JournalError::Missing(11))?;
        }
        let complete = self.state == JournalState::Complete;
        if complete != (self.step == Step::Complete) {
            return Err(JournalError::BadValue(4));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Journal {
        Journal {
            state: JournalState::InProgress,
            transaction_id: [7; 16],
            user_id: "qq111111_qwertyui".into(),
            term_months: 12,
            step: Step::CertsStored,
            key_file_sha256: [1; 32],
            sign_key: KeyRef::new(1).unwrap(),
            auth_key: KeyRef::new(2).unwrap(),
            sign_public_sha256: Some([2; 32]),
            auth_public_sha256: Some([3; 32]),
            sign_cert: Some(vec![0x30, 0x03, 1, 2, 3]),
            auth_cert: Some(vec![0x30, 0x01, 0]),
            token_name: "Office".into(),
            started_at: 1_790_000_000,
        }
    }

    #[test]
    fn round_trip() {
        let j = sample();
        assert_eq!(Journal::parse(&j.encode()).unwrap(), j);
        let mut early = sample();
        early.step = Step::Started;
        early.sign_public_sha256 = None;
        early.auth_public_sha256 = None;
        early.sign_cert = None;
        early.auth_cert = None;
        assert_eq!(Journal::parse(&early.encode()).unwrap(), early);
        let mut done = sample();
        done.step = Step::Complete;
        done.state = JournalState::Complete;
        assert_eq!(Journal::parse(&done.encode()).unwrap(), done);
    }

    #[test]
    fn every_truncation_and_bit_flip_is_an_error_or_a_valid_journal() {
        let bytes = sample().encode();
        for n in 0..bytes.len() {
            assert!(Journal::parse(&bytes[..n]).is_err(), "cut at {n}");
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x41;
            let _ = Journal::parse(&b);
        }
    }

    #[test]
    fn refuses_inconsistent_and_strange_journals() {
        let mut j = sample();
        j.sign_cert = None;
        assert_eq!(Journal::parse(&j.encode()), Err(JournalError::Missing(10)));
        let mut bytes = sample().encode();
        bytes.extend_from_slice(&[2, 0, 1, b'x']);
        assert_eq!(Journal::parse(&bytes), Err(JournalError::Repeated(2)));
        let mut bytes = sample().encode();
        bytes.extend_from_slice(&[99, 0, 0]);
        assert_eq!(Journal::parse(&bytes), Err(JournalError::UnknownTag(99)));
        let mut bytes = sample().encode();
        bytes[JournalHeader::LEN] = 2;
        assert_eq!(Journal::parse(&bytes), Err(JournalError::Version(2)));
    }
}
