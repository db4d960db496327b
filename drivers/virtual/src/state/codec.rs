//! The state file format, version 1: small, binary, strictly parsed.
//!
//! ```text
//! "KZTV" version:u8=1
//! serial:u32  label:str8
//! admin: pin:str8 tries_left:u8 max_tries:u8     user: the same
//! count:u16, then per file (parents first):
//!   depth:u8 fid:u16 × depth  kind:u8
//!     0 DF | 1 EF size:u16 content | 2 key algorithm:u8 paramset:u8 has_key:u8 [key:str8]
//! crc32 of everything before it:u32
//! ```
//! Integers are big-endian, `str8` is a length byte and the bytes. The CRC catches the bit rot and
//! truncation that still leave a structurally valid file.

use zeroize::Zeroizing;

use super::{PinState, TokenState, LABEL_MAX, MAX_TRIES, PIN_LENGTHS};
use crate::card::fs::{FileSystem, FsError, Node, MAX_DEPTH};
use crate::card::keys::KeySpec;
use crate::secret::Secret;

const MAGIC: &[u8; 4] = b"KZTV";
const VERSION: u8 = 1;

/// What is wrong with stored bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Not a state file of any version.
    BadMagic,
    /// A format this build does not know.
    UnsupportedVersion(u8),
    /// The bytes end early, carry trailing garbage, fail the checksum or hold an invalid value.
    Corrupt(&'static str),
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            DecodeError::BadMagic => f.write_str("not a virtual KAZTOKEN state file"),
            DecodeError::UnsupportedVersion(v) => write!(f, "unsupported state format version {v}"),
            DecodeError::Corrupt(what) => write!(f, "corrupted state file: {what}"),
        }
    }
}

impl std::error::Error for DecodeError {}

pub fn encode(state: &TokenState) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(256 + state.files.used_bytes()));
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.extend_from_slice(&state.serial.to_be_bytes());
    put_str8(&mut out, state.label.as_bytes());
    for pin in [&state.admin, &state.user] {
        put_str8(&mut out, pin.pin.bytes());
        out.extend_from_slice(&[pin.tries_left, pin.max_tries]);
    }
    // The card never holds more files than its capacity allows, far below 65535.
    out.extend_from_slice(&(state.files.len() as u16).to_be_bytes());
    for (path, node) in state.files.iter() {
        out.push(path.len() as u8);
        for fid in path {
            out.extend_from_slice(&fid.to_be_bytes());
        }
        match node {
            Node::Df => out.push(0),
            Node::Ef(data) => {
                out.push(1);
                out.extend_from_slice(&(data.len() as u16).to_be_bytes());
                out.extend_from_slice(data);
            }
            Node::Key { spec, secret } => {
                out.push(2);
                out.extend_from_slice(&spec.codes());
                match secret {
                    None => out.push(0),
                    Some(s) => {
                        out.push(1);
                        put_str8(&mut out, s.bytes());
                    }
                }
            }
        }
    }
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

fn put_str8(out: &mut Vec<u8>, bytes: &[u8]) {
    // Labels, PINs and keys are at most 64 bytes (checked where they are set).
    out.push(bytes.len() as u8);
    out.extend_from_slice(bytes);
}

pub fn decode(bytes: &[u8]) -> Result<TokenState, DecodeError> {
    if bytes.len() < MAGIC.len() + 1 || &bytes[..4] != MAGIC {
        return Err(DecodeError::BadMagic);
    }
    if bytes[4] != VERSION {
        return Err(DecodeError::UnsupportedVersion(bytes[4]));
    }
    let (body, crc) = bytes
        .split_last_chunk::<4>()
        .ok_or(DecodeError::Corrupt("truncated"))?;
    if body.len() < 5 || crc32(body) != u32::from_be_bytes(*crc) {
        return Err(DecodeError::Corrupt("checksum mismatch"));
    }
    let mut r = Reader(&body[5..]);
    let serial = r.u32()?;
    let label = core::str::from_utf8(r.str8()?)
        .ok()
        .filter(|l| l.len() <= LABEL_MAX)
        .ok_or(DecodeError::Corrupt("label"))?
        .to_owned();
    let admin = pin(&mut r)?;
    let user = pin(&mut r)?;
    let mut files = FileSystem::default();
    for _ in 0..r.u16()? {
        let depth = usize::from(r.u8()?);
        if depth == 0 || depth > MAX_DEPTH {
            return Err(DecodeError::Corrupt("file path depth"));
        }
        let path = (0..depth).map(|_| r.u16()).collect::<Result<Vec<_>, _>>()?;
        let node = match r.u8()? {
            0 => Node::Df,
            1 => {
                let len = usize::from(r.u16()?);
                Node::Ef(r.take(len)?.to_vec())
            }
            2 => key(&mut r)?,
            _ => return Err(DecodeError::Corrupt("file kind")),
        };
        files.insert(&path, node).map_err(|e| match e {
            FsError::Exists => DecodeError::Corrupt("duplicate file"),
            FsError::BadPath => DecodeError::Corrupt("file outside a DF"),
        })?;
    }
    if !r.0.is_empty() {
        return Err(DecodeError::Corrupt("trailing bytes"));
    }
    Ok(TokenState {
        serial,
        label,
        admin,
        user,
        files,
    })
}

fn pin(r: &mut Reader<'_>) -> Result<PinState, DecodeError> {
    let pin = r.str8()?;
    let (tries_left, max_tries) = (r.u8()?, r.u8()?);
    if !PIN_LENGTHS.contains(&pin.len()) {
        return Err(DecodeError::Corrupt("PIN length"));
    }
    if !MAX_TRIES.contains(&max_tries) || tries_left > max_tries {
        return Err(DecodeError::Corrupt("retry counter"));
    }
    Ok(PinState {
        pin: Secret::from_slice(pin),
        tries_left,
        max_tries,
    })
}

fn key(r: &mut Reader<'_>) -> Result<Node, DecodeError> {
    let spec =
        KeySpec::from_codes(r.u8()?, r.u8()?).ok_or(DecodeError::Corrupt("key algorithm"))?;
    let secret = match r.u8()? {
        0 => None,
        1 => {
            let bytes = r.str8()?;
            if !spec.accepts(bytes) {
                return Err(DecodeError::Corrupt("private key"));
            }
            Some(Secret::from_slice(bytes))
        }
        _ => return Err(DecodeError::Corrupt("key presence flag")),
    };
    Ok(Node::Key { spec, secret })
}

/// A cursor over outside bytes: every read is bounds-checked.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let (head, rest) = self
            .0
            .split_at_checked(n)
            .ok_or(DecodeError::Corrupt("truncated"))?;
        self.0 = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, DecodeError> {
        self.array().map(u16::from_be_bytes)
    }

    fn u32(&mut self) -> Result<u32, DecodeError> {
        self.array().map(u32::from_be_bytes)
    }

    fn str8(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = usize::from(self.u8()?);
        self.take(n)
    }
}

/// `body` followed by its checksum: lets a fuzzer reach the checks behind the CRC.
pub fn sealed(body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    out.extend_from_slice(&crc32(body).to_be_bytes());
    out
}

/// CRC-32 (IEEE, reflected), bit by bit: the state is small and written rarely.
fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |mut crc, &b| {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
        crc
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::CardConfig;

    #[test]
    fn crc_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    fn sample() -> TokenState {
        let mut st = TokenState::fresh(&CardConfig::default());
        st.user.tries_left = 3;
        st.files
            .insert(
                &[0x1002, 0x0042],
                Node::Ef((0..300).map(|i| i as u8).collect()),
            )
            .unwrap();
        let spec = KeySpec::from_codes(2, 0x11).unwrap();
        let secret = spec.generate().unwrap();
        st.files
            .insert(
                &[0x1001, 0x6001],
                Node::Key {
                    spec,
                    secret: Some(secret),
                },
            )
            .unwrap();
        st.files
            .insert(&[0x1001, 0x6002], Node::Key { spec, secret: None })
            .unwrap();
        st
    }

    #[test]
    fn round_trip() {
        let st = sample();
        assert_eq!(decode(&encode(&st)).unwrap(), st);
    }

    #[test]
    fn every_truncation_and_every_bit_flip_is_an_error() {
        let bytes = encode(&sample());
        for n in 0..bytes.len() {
            assert!(decode(&bytes[..n]).is_err(), "truncated to {n}");
        }
        for i in 0..bytes.len() {
            for bit in [0x01, 0x80] {
                let mut b = bytes.to_vec();
                b[i] ^= bit;
                assert!(decode(&b).is_err(), "byte {i} bit {bit:02x}");
            }
        }
    }

    fn resealed(body: Vec<u8>) -> Vec<u8> {
        sealed(&body)
    }

    #[test]
    fn invalid_values_behind_a_valid_checksum() {
        let good = encode(&sample());
        let body = &good[..good.len() - 4];
        // The label length byte sits after magic, version and serial.
        let mut b = body.to_vec();
        b[9] = 200;
        assert!(decode(&resealed(b)).is_err());
        let mut b = body.to_vec();
        b.push(0);
        assert_eq!(
            decode(&resealed(b)),
            Err(DecodeError::Corrupt("trailing bytes"))
        );
        let mut b = body.to_vec();
        b[4] = 9;
        assert_eq!(
            decode(&resealed(b)),
            Err(DecodeError::UnsupportedVersion(9))
        );
        assert_eq!(decode(b"nope"), Err(DecodeError::BadMagic));
        // A key that is not a valid scalar: all 0xFF.
        let st = sample();
        let mut bad = st.clone();
        if let Some(Node::Key { secret, .. }) = bad.files.get_mut(&[0x1001, 0x6001]) {
            *secret = Some(Secret::from_slice(&[0xFF; 32]));
        }
        assert_eq!(
            decode(&encode(&bad)),
            Err(DecodeError::Corrupt("private key"))
        );
        let mut bad = st;
        bad.user.tries_left = 11;
        assert_eq!(
            decode(&encode(&bad)),
            Err(DecodeError::Corrupt("retry counter"))
        );
    }
}
