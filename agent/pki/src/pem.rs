//! PEM or DER input: what users paste or save is either.
//!
//! Lenient about line lengths, CRLF and text around the block (`openssl x509 -text` output),
//! strict about the base64 itself. Decoded blocks live in `Zeroizing` buffers.

use base64ct::{Base64, Encoding};
use zeroize::Zeroizing;

use crate::PkiError;

/// The DER blocks of `data`: every PEM block with one of `labels` in order, or `data` itself when
/// it looks like DER (a SEQUENCE). The buffers are wiped when dropped: a block may hold a private
/// key.
pub fn der_blocks(data: &[u8], labels: &[&str]) -> Result<Vec<Zeroizing<Vec<u8>>>, PkiError> {
    let expected = labels.first().copied().unwrap_or("");
    match data.first() {
        None => return Err(PkiError::Corrupt("empty input".into())),
        Some(0x30) => return Ok(vec![Zeroizing::new(data.to_vec())]),
        Some(_) => {}
    }
    let mut out = Vec::new();
    let mut seen: Vec<String> = Vec::new();
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
        } else {
            seen.push(String::from_utf8_lossy(label).into_owned());
        }
        rest = &body[end + end_line.len()..];
    }
    if out.is_empty() {
        return Err(PkiError::Corrupt(if seen.is_empty() {
            format!("neither PEM nor DER (expected {expected})")
        } else {
            format!("expected PEM {expected}, found PEM {}", seen.join(", "))
        }));
    }
    Ok(out)
}

/// The first block of [`der_blocks`].
pub fn der_block(data: &[u8], labels: &[&str]) -> Result<Zeroizing<Vec<u8>>, PkiError> {
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

fn decode_base64(text: &[u8]) -> Result<Zeroizing<Vec<u8>>, PkiError> {
    if find(text, b"Proc-Type:").is_some() {
        return Err(PkiError::Unsupported(
            "encrypted (legacy OpenSSL) PEM: convert it to PKCS#8".into(),
        ));
    }
    let clean: Zeroizing<Vec<u8>> = Zeroizing::new(
        text.iter()
            .copied()
            .filter(|c| !c.is_ascii_whitespace())
            .collect(),
    );
    let mut out = Zeroizing::new(vec![0u8; clean.len() / 4 * 3 + 3]);
    let len = Base64::decode(&clean[..], &mut out[..])
        .map_err(|_| PkiError::Corrupt("bad base64 in PEM".into()))?
        .len();
    out.truncate(len);
    Ok(out)
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
        assert_eq!(*der_block(text.as_bytes(), &["CERTIFICATE"]).unwrap(), der);
        assert_eq!(*der_block(&der, &["X"]).unwrap(), der);
        assert!(der_block(b"", &["X"]).is_err());
        let other = der_block(pem.as_bytes(), &["X509 CRL"]).unwrap_err();
        assert!(
            other
                .to_string()
                .contains("expected PEM X509 CRL, found PEM CERTIFICATE"),
            "{other}"
        );
        let text = der_block(b"hello", &["X"]).unwrap_err();
        assert!(text.to_string().contains("neither PEM nor DER"), "{text}");
        assert!(matches!(
            der_block(
                b"-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\n-----END X-----",
                &["X"]
            ),
            Err(PkiError::Unsupported(_))
        ));
        assert!(der_block(b"-----BEGIN X-----\nAAAA", &["X"]).is_err());
        assert!(der_block(b"-----BEGIN X-----\n!!\n-----END X-----", &["X"]).is_err());
    }
}
