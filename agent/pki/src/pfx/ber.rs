//! BER → DER normalisation of untrusted input, so that the `der` structs can read it.
//!
//! Kalkan writes its AuthenticatedSafe with indefinite lengths and `[0] IMPLICIT` encrypted content
//! as a constructed string; other encoders use long-form lengths where DER wants short ones.
//! Rather than teaching every struct BER, each input is rewritten once in definite, minimal form:
//! indefinite lengths become definite, and a constructed universal OCTET STRING (0x24) becomes
//! a primitive one holding its chunks' concatenation. Context-specific constructed elements are
//! kept constructed: whether `A0 { 04 … }` is an EXPLICIT tag or an IMPLICIT constructed string
//! only the schema knows (see [`super::asn1::implicit_octets`]).
//!
//! The tree holds slices of the input only, and the output is written into a buffer of its exact
//! final size, so a private key passing through leaves no stray copies behind.

use zeroize::Zeroizing;

use crate::PkiError;

/// Deeper nesting is refused (no real PFX goes past ~12), which also bounds the recursion.
const MAX_DEPTH: usize = 48;

/// One parsed element: its identifier octets and either primitive chunks or children.
struct Node<'a> {
    tag: &'a [u8],
    body: Body<'a>,
}

enum Body<'a> {
    /// Primitive content; several chunks when a constructed OCTET STRING was merged.
    Chunks(Vec<&'a [u8]>),
    Children(Vec<Node<'a>>),
}

/// The DER form of one complete BER element; trailing bytes are an error.
pub(crate) fn to_der(input: &[u8]) -> Result<Zeroizing<Vec<u8>>, PkiError> {
    let mut pos = 0;
    let node = parse(input, &mut pos, 0)?;
    if pos != input.len() {
        return Err(corrupt("trailing bytes after the structure"));
    }
    let mut out = Zeroizing::new(Vec::with_capacity(node.encoded_len()));
    node.write(&mut out);
    Ok(out)
}

fn corrupt(what: &str) -> PkiError {
    PkiError::Corrupt(format!("malformed DER/BER: {what}"))
}

fn parse<'a>(input: &'a [u8], pos: &mut usize, depth: usize) -> Result<Node<'a>, PkiError> {
    if depth > MAX_DEPTH {
        return Err(corrupt("nesting too deep"));
    }
    let start = *pos;
    let first = *input.get(start).ok_or_else(|| corrupt("truncated tag"))?;
    let mut p = start + 1;
    if first & 0x1f == 0x1f {
        // High tag number: base-128 octets until one without the top bit.
        loop {
            let b = *input.get(p).ok_or_else(|| corrupt("truncated tag"))?;
            p += 1;
            if p - start > 5 {
                return Err(corrupt("tag number too large"));
            }
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let tag = &input[start..p];
    let constructed = first & 0x20 != 0;
    let len_byte = *input.get(p).ok_or_else(|| corrupt("truncated length"))?;
    p += 1;
    let definite = match len_byte {
        0x80 => None,
        0..=0x7f => Some(usize::from(len_byte)),
        0xff => return Err(corrupt("reserved length octet")),
        _ => {
            let n = usize::from(len_byte & 0x7f);
            if n > 4 {
                return Err(corrupt("length too large"));
            }
            let bytes = input
                .get(p..p + n)
                .ok_or_else(|| corrupt("truncated length"))?;
            p += n;
            Some(
                bytes
                    .iter()
                    .fold(0usize, |acc, b| (acc << 8) | usize::from(*b)),
            )
        }
    };
    let merge_strings = first == 0x24;
    let body = match (constructed, definite) {
        (false, None) => return Err(corrupt("indefinite length on a primitive element")),
        (false, Some(len)) => {
            let end = p.checked_add(len).filter(|&e| e <= input.len());
            let end = end.ok_or_else(|| corrupt("length beyond the end of the data"))?;
            let content = &input[p..end];
            p = end;
            Body::Chunks(vec![content])
        }
        (true, Some(len)) => {
            let end = p.checked_add(len).filter(|&e| e <= input.len());
            let end = end.ok_or_else(|| corrupt("length beyond the end of the data"))?;
            let inner = &input[..end];
            let mut children = Vec::new();
            while p < end {
                children.push(parse(inner, &mut p, depth + 1)?);
            }
            Body::Children(children)
        }
        (true, None) => {
            let mut children = Vec::new();
            loop {
                if input.get(p..p + 2) == Some(&[0, 0][..]) {
                    p += 2;
                    break;
                }
                if p >= input.len() {
                    return Err(corrupt("missing end-of-contents"));
                }
                children.push(parse(input, &mut p, depth + 1)?);
            }
            Body::Children(children)
        }
    };
    *pos = p;
    let body = match body {
        Body::Children(children) if merge_strings => Body::Chunks(octet_chunks(children)?),
        other => other,
    };
    // A merged string is primitive in DER.
    let tag = if merge_strings { &[0x04u8][..] } else { tag };
    Ok(Node { tag, body })
}

/// The chunks of a constructed OCTET STRING, in order (nested constructed chunks flattened).
fn octet_chunks(children: Vec<Node<'_>>) -> Result<Vec<&[u8]>, PkiError> {
    let mut chunks = Vec::new();
    for child in children {
        match (child.tag, child.body) {
            ([0x04], Body::Chunks(c)) => chunks.extend(c),
            _ => return Err(corrupt("constructed OCTET STRING with a non-string part")),
        }
    }
    Ok(chunks)
}

impl Node<'_> {
    fn content_len(&self) -> usize {
        match &self.body {
            Body::Chunks(c) => c.iter().map(|c| c.len()).sum(),
            Body::Children(c) => c.iter().map(Node::encoded_len).sum(),
        }
    }

    fn encoded_len(&self) -> usize {
        let len = self.content_len();
        self.tag.len() + length_octets(len) + len
    }

    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.tag);
        let len = self.content_len();
        let n = length_octets(len);
        if n == 1 {
            out.push(len as u8);
        } else {
            out.push(0x80 | (n - 1) as u8);
            out.extend_from_slice(&len.to_be_bytes()[core::mem::size_of::<usize>() - (n - 1)..]);
        }
        match &self.body {
            Body::Chunks(c) => c.iter().for_each(|c| out.extend_from_slice(c)),
            Body::Children(c) => c.iter().for_each(|c| c.write(out)),
        }
    }
}

/// Octets a DER length takes: one below 128, else one plus the minimal big-endian length.
fn length_octets(len: usize) -> usize {
    if len < 0x80 {
        1
    } else {
        1 + (usize::BITS - len.leading_zeros()).div_ceil(8) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn der(hex_in: &str) -> String {
        hex::encode(&to_der(&hex::decode(hex_in.replace(' ', "")).unwrap()).unwrap()[..])
    }

    #[test]
    fn indefinite_lengths_become_definite() {
        assert_eq!(
            der("30 80 02 01 05 30 80 05 00 00 00 00 00"),
            "300702010530020500"
        );
    }

    #[test]
    fn constructed_octet_strings_are_merged() {
        assert_eq!(der("24 80 04 02 aa bb 04 01 cc 00 00"), "0403aabbcc");
        // The IMPLICIT [0] form stays constructed: only the schema can tell it from EXPLICIT.
        assert_eq!(der("a0 80 04 01 aa 00 00"), "a0030401aa");
    }

    #[test]
    fn long_form_lengths_are_minimised() {
        assert_eq!(der("04 81 02 aa bb"), "0402aabb");
        let long = format!("0482012c{}", "00".repeat(300));
        assert_eq!(der(&long), format!("0482012c{}", "00".repeat(300)));
    }

    #[test]
    fn malformed_input_is_corrupt() {
        for bad in [
            "",
            "30",
            "3080",
            "308002",
            "0480",
            "04 05 00",
            "30 03 02 01",
            "0400 00",
            "1f",
            "3085ffffffffff",
            "24 80 30 00 00 00",
        ] {
            let bytes = hex::decode(bad.replace(' ', "")).unwrap();
            assert!(matches!(to_der(&bytes), Err(PkiError::Corrupt(_))), "{bad}");
        }
        let deep = [&[0x30u8, 0x80][..]].repeat(100).concat();
        assert!(to_der(&deep).is_err());
    }
}
