//! PEM or DER input: what users paste or save is either.
//!
//! Lenient about line lengths, CRLF and text around the block (`openssl x509 -text` output),
//! strict about the base64 itself.

use base64ct::{Base64, Encoding};

use crate::PkiError;

/// The DER blocks of `data`: every PEM block with one of `labels` in order, or `data` itself when
/// it looks like DER (a SEQUENCE).
pub(crate) fn der_blocks(data: &[u8], labels: &[&str]) -> Result<Vec<Vec<u8>>, PkiError> {
    match data.first() {
        None => return Err(PkiError::Corrupt("empty input".into())),
        Some(0x30) => return Ok(vec![data.to_vec()]),
        Some(_) => {}
    }
    let mut out = Vec::new();
    let mut rest = data;
    while let Some(start) = find(rest, b"-----BEGIN ") {
        let header = &rest[start + b"-----BEGIN ".len()..];
        let label_end = find(header, b"-----").ok_or_else(truncated)?;
        let label = &header[..label_end];
        let body = &header[label_end + 5..];
        let mut end_line = b"-----END ".to_vec();
        end_line.extend_from_slice(label);
        end_line.extend_from_slice(b"-----");
        let end = find(body, &end_line).ok_or_else(truncated)?;
        if labels.iter().any(|l| l.as_bytes() == label) {
            out.push(decode_base64(&body[..end])?);
        }
        rest = &body[end + end_line.len()..];
    }
    if out.is_empty() {
        return Err(PkiError::Corrupt(format!(
            "neither DER nor PEM {}",
            labels.first().copied().unwrap_or("")
        )));
    }
    Ok(out)
}

/// The first block of [`der_blocks`].
pub(crate) fn der_block(data: &[u8], labels: &[&str]) -> Result<Vec<u8>, PkiError> {
    der_blocks(data, labels).map(|mut v| v.swap_remove(0))
}

/// PEM text of a DER object (64-column lines, as OpenSSL writes).
pub fn to_pem(label: &str, der: &[u8]) -> String {
    let b64 = Base64::encode_string(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        // base64 output is ASCII.
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn decode_base64(text: &[u8]) -> Result<Vec<u8>, PkiError> {
    let clean: Vec<u8> = text
        .iter()
        .copied()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    Base64::decode_vec(&String::from_utf8_lossy(&clean))
        .map_err(|_| PkiError::Corrupt("bad base64 in PEM".into()))
}

fn truncated() -> PkiError {
    PkiError::Corrupt("truncated PEM (no END line)".into())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors() {
        let der = vec![0x30, 0x03, 0x02, 0x01, 0x05];
        let pem = to_pem("CERTIFICATE", &der);
        let text = format!("junk\r\n{}", pem.replace('\n', "\r\n"));
        assert_eq!(der_block(text.as_bytes(), &["CERTIFICATE"]).unwrap(), der);
        assert_eq!(der_block(&der, &["X"]).unwrap(), der);
        assert!(der_block(b"", &["X"]).is_err());
        assert!(der_block(pem.as_bytes(), &["X509 CRL"]).is_err());
        assert!(der_block(b"-----BEGIN X-----\nAAAA", &["X"]).is_err());
        assert!(der_block(b"-----BEGIN X-----\n!!\n-----END X-----", &["X"]).is_err());
    }
}
