//! The FCP template of PROTOCOL.md: what SELECT answers and what CREATE FILE takes.
//!
//! `62 L [80 02 size] [82 02 type 00] [83 02 FID] [85 02 algorithm paramset] [86 n security]`

use super::fs::Node;
use super::keys::KeySpec;
use crate::apdu::{sw, Sw};

/// The FCP of a file; `size` is the content length (for a key file, the public key's).
pub fn encode(fid: u16, node: &Node) -> Vec<u8> {
    let mut body = Vec::with_capacity(20);
    let mut tlv = |tag: u8, value: &[u8]| {
        body.extend_from_slice(&[tag, value.len() as u8]);
        body.extend_from_slice(value);
    };
    let size = match node {
        Node::Df => None,
        Node::Ef(data) => Some(data.len()),
        Node::Key { spec, .. } => Some(spec.public_len()),
    };
    if let Some(size) = size {
        // Sizes are u16 by construction (CREATE FILE takes two bytes).
        tlv(0x80, &(size as u16).to_be_bytes());
    }
    tlv(0x82, &[node.type_byte(), 0x00]);
    tlv(0x83, &fid.to_be_bytes());
    if let Node::Key { spec, .. } = node {
        tlv(0x85, &spec.codes());
    }
    let mut fcp = vec![0x62, body.len() as u8];
    fcp.extend_from_slice(&body);
    fcp
}

/// The file a CREATE FILE body describes: its FID and the new, empty node. `6A80` for anything
/// malformed, missing or contradictory. Tag 86 and unknown tags are accepted and ignored.
pub fn parse(fcp: &[u8]) -> Result<(u16, Node), Sw> {
    let [0x62, len, body @ ..] = fcp else {
        return Err(sw::BAD_DATA);
    };
    if usize::from(*len) != body.len() {
        return Err(sw::BAD_DATA);
    }
    let mut fields: [Option<&[u8]>; 4] = [None; 4];
    let mut rest = body;
    while let [tag, len, tail @ ..] = rest {
        let (value, tail) = tail
            .split_at_checked(usize::from(*len))
            .ok_or(sw::BAD_DATA)?;
        rest = tail;
        let slot = match tag {
            0x80 => 0,
            0x82 => 1,
            0x83 => 2,
            0x85 => 3,
            _ => continue,
        };
        if fields[slot].replace(value).is_some() {
            return Err(sw::BAD_DATA);
        }
    }
    if !rest.is_empty() {
        return Err(sw::BAD_DATA);
    }
    let two = |f: Option<&[u8]>| -> Result<[u8; 2], Sw> {
        f.and_then(|v| v.try_into().ok()).ok_or(sw::BAD_DATA)
    };
    let fid = u16::from_be_bytes(two(fields[2])?);
    let node = match two(fields[1])? {
        [0x38, 0x00] => Node::Df,
        [0x01, 0x00] => Node::Ef(vec![0; usize::from(u16::from_be_bytes(two(fields[0])?))]),
        [0x10, 0x00] => {
            let [alg, paramset] = two(fields[3])?;
            let spec = KeySpec::from_codes(alg, paramset).ok_or(sw::BAD_DATA)?;
            Node::Key { spec, secret: None }
        }
        _ => return Err(sw::BAD_DATA),
    };
    Ok((fid, node))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let spec = KeySpec::from_codes(3, 0x21).unwrap();
        for node in [
            Node::Df,
            Node::Ef(vec![0; 300]),
            Node::Key { spec, secret: None },
        ] {
            assert_eq!(parse(&encode(0x6001, &node)), Ok((0x6001, node)));
        }
        assert_eq!(
            encode(0x0042, &Node::Ef(vec![0; 300])),
            [0x62, 0x0C, 0x80, 2, 0x01, 0x2C, 0x82, 2, 1, 0, 0x83, 2, 0, 0x42]
        );
    }

    #[test]
    fn ignores_security_attributes() {
        let fcp = [
            0x62, 0x0C, 0x82, 2, 0x38, 0, 0x83, 2, 0x10, 3, 0x86, 2, 0xAA, 0xBB,
        ];
        assert_eq!(parse(&fcp), Ok((0x1003, Node::Df)));
    }

    #[test]
    fn rejects() {
        for bad in [
            &[][..],
            &[0x63, 0x08, 0x82, 2, 0x38, 0, 0x83, 2, 0x10, 3],
            &[0x62, 0x09, 0x82, 2, 0x38, 0, 0x83, 2, 0x10, 3],
            &[0x62, 0x08, 0x82, 2, 0x38, 0, 0x83, 3, 0x10, 3],
            &[0x62, 0x04, 0x82, 2, 0x38, 0],
            &[0x62, 0x08, 0x82, 2, 0x01, 0, 0x83, 2, 0x10, 3],
            &[0x62, 0x08, 0x82, 2, 0x10, 0, 0x83, 2, 0x60, 1],
            &[
                0x62, 0x0C, 0x82, 2, 0x10, 0, 0x83, 2, 0x60, 1, 0x85, 2, 1, 0x21,
            ],
            &[0x62, 0x08, 0x82, 2, 0x07, 0, 0x83, 2, 0x10, 3],
            &[
                0x62, 0x0C, 0x82, 2, 0x38, 0, 0x83, 2, 0x10, 3, 0x83, 2, 0x10, 4,
            ],
            &[0x62, 0x09, 0x82, 2, 0x38, 0, 0x83, 2, 0x10, 3, 0x86],
        ] {
            assert_eq!(parse(bad), Err(sw::BAD_DATA), "{bad:02X?}");
        }
    }
}
