//! Data objects that survive a pull at any moment.
//!
//! A card cannot rename files, so an object lives in one of two slots, file IDs `id` and
//! `id | 0x8000`, each holding a sealed record: `TOB1 ‖ seq ‖ len ‖ check ‖ data`, where `check` is
//! the first 8 bytes of Streebog-256 over `seq ‖ len ‖ data`. A write fills the slot that does not
//! hold the current record, with the next sequence number, and only then deletes the old one; a
//! reader takes the valid record with the highest number. A write cut short leaves an invalid
//! record that readers skip, so the old content stays until the new one is complete.

use tamga_gost::hash::streebog::streebog256;
use tamga_token::{ObjectId, TokenError};

const MAGIC: &[u8; 4] = b"TOB1";
const HEADER: usize = 4 + 4 + 4 + 8;
const SHADOW: u16 = 0x8000;

/// The largest object (the card's file size is 16-bit).
pub(crate) const MAX_OBJECT: usize = u16::MAX as usize - HEADER;

/// The two slots of an object.
pub(crate) fn slots(id: ObjectId) -> [u16; 2] {
    [id.get(), id.get() | SHADOW]
}

/// The object a file ID belongs to.
pub(crate) fn object_of(fid: u16) -> Option<ObjectId> {
    ObjectId::new(fid & !SHADOW).ok()
}

/// A record: sequence number and content.
pub(crate) struct Record {
    pub seq: u32,
    pub data: Vec<u8>,
}

fn check(seq: u32, data: &[u8]) -> [u8; 8] {
    let mut buf = Vec::with_capacity(8 + data.len());
    buf.extend_from_slice(&seq.to_be_bytes());
    buf.extend_from_slice(&(data.len() as u32).to_be_bytes());
    buf.extend_from_slice(data);
    let digest = streebog256(&buf);
    let mut out = [0u8; 8];
    out.copy_from_slice(&digest[..8]);
    out
}

/// Seals `data` with sequence number `seq`.
pub(crate) fn seal(seq: u32, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + data.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(&check(seq, data));
    out.extend_from_slice(data);
    out
}

/// Opens a slot's bytes; `None` for anything but a complete, intact record.
pub(crate) fn open(bytes: &[u8]) -> Option<Record> {
    let header = bytes.get(..HEADER)?;
    if &header[..4] != MAGIC {
        return None;
    }
    let seq = u32::from_be_bytes(header[4..8].try_into().ok()?);
    let len = u32::from_be_bytes(header[8..12].try_into().ok()?) as usize;
    let data = bytes.get(HEADER..)?.get(..len)?;
    (header[12..20] == check(seq, data)).then(|| Record {
        seq,
        data: data.to_vec(),
    })
}

/// Which record wins among the slots' contents.
pub(crate) fn newest(records: impl IntoIterator<Item = Record>) -> Option<Record> {
    records.into_iter().max_by_key(|r| r.seq)
}

/// Checks that an object fits a card file.
pub(crate) fn check_size(data: &[u8]) -> Result<(), TokenError> {
    if data.len() > MAX_OBJECT {
        Err(TokenError::InvalidArgument(
            "object larger than the card's 64 KiB files",
        ))
    } else {
        Ok(())
    }
}

/// Size of a sealed record of `len` data bytes.
pub(crate) fn sealed_len(len: usize) -> usize {
    HEADER + len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_and_damage() {
        let rec = seal(7, b"certificate");
        let back = open(&rec).unwrap();
        assert_eq!((back.seq, back.data.as_slice()), (7, &b"certificate"[..]));
        // Every truncation and every single-byte change is caught.
        for n in 0..rec.len() {
            assert!(open(&rec[..n]).is_none(), "prefix {n}");
        }
        for i in 0..rec.len() {
            let mut bad = rec.clone();
            bad[i] ^= 1;
            assert!(open(&bad).is_none(), "byte {i}");
        }
        // Trailing bytes (a file larger than its record) are ignored.
        let mut padded = rec.clone();
        padded.extend_from_slice(&[0; 5]);
        assert!(open(&padded).is_some());
    }

    #[test]
    fn newest_wins() {
        let a = Record {
            seq: 3,
            data: b"old".to_vec(),
        };
        let b = Record {
            seq: 4,
            data: b"new".to_vec(),
        };
        assert_eq!(newest([a, b]).unwrap().data, b"new");
        assert!(newest([]).is_none());
    }
}
