//! The VSCard protocol of QEMU's `ccid-card-passthru` (libcacard `vscard_common.h`).
//!
//! QEMU is the card *user*; we are the card *owner* and answer its APDUs. Every message is a
//! 12-byte header — type, reader id, payload length, all **big-endian** (QEMU uses htonl) —
//! and the payload. The bytes come from another program, so parsing never panics: a bad frame is
//! an error, an incomplete one is `Ok(None)`.

use core::fmt;

/// The header: type, reader_id, length (u32 big-endian each).
pub const HEADER_LEN: usize = 12;
/// QEMU's receive buffer is 64 KiB: nothing longer is a VSCard message.
pub const MAX_PAYLOAD: usize = 64 * 1024;
/// MAKE_VERSION(0, 0, 2): major << 21 | middle << 10 | minor.
pub const VERSION: u32 = 2;
/// The magic of Init, sent as raw bytes (not byte-swapped).
pub const MAGIC: [u8; 4] = *b"VSCD";
/// reader_id of messages that concern no reader (Init).
pub const UNDEFINED_READER: u32 = 0xFFFF_FFFF;

/// Message types.
pub mod kind {
    pub const INIT: u32 = 1;
    pub const ERROR: u32 = 2;
    pub const READER_ADD: u32 = 3;
    pub const READER_REMOVE: u32 = 4;
    pub const ATR: u32 = 5;
    pub const CARD_REMOVE: u32 = 6;
    pub const APDU: u32 = 7;
    pub const FLUSH: u32 = 8;
    pub const FLUSH_COMPLETE: u32 = 9;
}

/// One framed message, borrowing its payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame<'a> {
    pub kind: u32,
    pub reader_id: u32,
    pub payload: &'a [u8],
}

/// A message QEMU sends us, decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message<'a> {
    /// Its Init: version and capabilities.
    Init {
        version: u32,
        capabilities: Vec<u32>,
    },
    /// Its answer to ReaderAdd, ATR, CardRemove...: 0 is success.
    Error(u32),
    /// A command APDU for the card in `reader_id`.
    Apdu(&'a [u8]),
    /// Answer with FlushComplete.
    Flush,
    /// Anything else: logged and ignored.
    Other(u32),
}

/// A frame that cannot be a VSCard message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VscardError {
    /// The payload length exceeds [`MAX_PAYLOAD`].
    TooLong(u32),
    /// Init without the magic, or with a payload that is not whole u32s.
    BadInit,
    /// Error with a payload other than one u32.
    BadError,
}

impl fmt::Display for VscardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VscardError::TooLong(n) => write!(f, "VSCard payload of {n} bytes"),
            VscardError::BadInit => f.write_str("malformed VSCard Init"),
            VscardError::BadError => f.write_str("malformed VSCard Error"),
        }
    }
}

impl std::error::Error for VscardError {}

fn be32(b: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(..4)?.try_into().ok()?))
}

/// Splits the first frame off `buf`: `Ok(None)` until a whole frame is there; otherwise the
/// frame and the bytes it used.
pub fn split_frame(buf: &[u8]) -> Result<Option<(Frame<'_>, usize)>, VscardError> {
    let Some(header) = buf.get(..HEADER_LEN) else {
        return Ok(None);
    };
    let (Some(kind), Some(reader_id), Some(length)) = (
        be32(header),
        header.get(4..).and_then(be32),
        header.get(8..).and_then(be32),
    ) else {
        return Ok(None);
    };
    let len = usize::try_from(length)
        .ok()
        .filter(|&n| n <= MAX_PAYLOAD)
        .ok_or(VscardError::TooLong(length))?;
    let Some(payload) = buf.get(HEADER_LEN..HEADER_LEN + len) else {
        return Ok(None);
    };
    Ok(Some((
        Frame {
            kind,
            reader_id,
            payload,
        },
        HEADER_LEN + len,
    )))
}

impl<'a> Frame<'a> {
    /// Decodes the payload of the types QEMU sends.
    pub fn message(&self) -> Result<Message<'a>, VscardError> {
        let p = self.payload;
        Ok(match self.kind {
            kind::INIT => {
                let (magic, rest) = p.split_first_chunk::<4>().ok_or(VscardError::BadInit)?;
                if *magic != MAGIC || rest.len() < 4 || rest.len() % 4 != 0 {
                    return Err(VscardError::BadInit);
                }
                let words: Vec<u32> = rest.chunks_exact(4).filter_map(be32).collect();
                let (version, capabilities) = words.split_first().ok_or(VscardError::BadInit)?;
                Message::Init {
                    version: *version,
                    capabilities: capabilities.to_vec(),
                }
            }
            // QEMU writes this code with htonl; it is its *reading* of ours that skips ntohl.
            kind::ERROR if p.len() == 4 => Message::Error(be32(p).ok_or(VscardError::BadError)?),
            kind::ERROR => return Err(VscardError::BadError),
            kind::APDU => Message::Apdu(p),
            kind::FLUSH => Message::Flush,
            other => Message::Other(other),
        })
    }
}

/// One message on the wire.
pub fn encode(kind: u32, reader_id: u32, payload: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(HEADER_LEN + payload.len());
    m.extend_from_slice(&kind.to_be_bytes());
    m.extend_from_slice(&reader_id.to_be_bytes());
    // Payloads we send are ATRs, APDU responses and reader names: far below 4 GiB.
    m.extend_from_slice(
        &u32::try_from(payload.len())
            .unwrap_or(u32::MAX)
            .to_be_bytes(),
    );
    m.extend_from_slice(payload);
    m
}

/// Our Init: the magic, the version, no capabilities.
pub fn init() -> Vec<u8> {
    let mut p = MAGIC.to_vec();
    p.extend_from_slice(&VERSION.to_be_bytes());
    p.extend_from_slice(&0u32.to_be_bytes());
    encode(kind::INIT, UNDEFINED_READER, &p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_big_endian() {
        let m = encode(kind::APDU, 0, &[0x90, 0x00]);
        assert_eq!(m, [0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 2, 0x90, 0x00]);
        let (f, used) = split_frame(&m).unwrap().unwrap();
        assert_eq!(
            (f.kind, f.reader_id, f.payload, used),
            (7, 0, &[0x90, 0][..], 14)
        );
        assert_eq!(f.message(), Ok(Message::Apdu(&[0x90, 0])));
    }

    #[test]
    fn incomplete_and_bad_frames() {
        let m = encode(kind::APDU, 0, &[1, 2, 3]);
        for cut in 0..m.len() {
            assert_eq!(split_frame(&m[..cut]), Ok(None), "cut at {cut}");
        }
        let huge = [0, 0, 0, 7, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF];
        assert_eq!(split_frame(&huge), Err(VscardError::TooLong(0x7FFF_FFFF)));
        let ours = init();
        let (f, _) = split_frame(&ours).unwrap().unwrap();
        assert_eq!(
            f.message(),
            Ok(Message::Init {
                version: VERSION,
                capabilities: vec![0]
            })
        );
        let bad = encode(kind::INIT, 0, b"VSCX\0\0\0\x02");
        assert_eq!(
            split_frame(&bad).unwrap().unwrap().0.message(),
            Err(VscardError::BadInit)
        );
        let bad = encode(kind::ERROR, 0, &[0, 0]);
        assert_eq!(
            split_frame(&bad).unwrap().unwrap().0.message(),
            Err(VscardError::BadError)
        );
    }
}
