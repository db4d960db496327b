//! Reading one HTTP/1.1 response: status line, headers, and a body by Content-Length, chunked
//! transfer coding, or up to the end of the connection. Everything is bounded: the bank is on
//! the other side of a network.

use std::io::Read;

use crate::NetError;

/// The largest header block accepted.
pub const MAX_HEADER: usize = 16 * 1024;
/// The largest body accepted (a certificate response is a few kilobytes).
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// A response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// `Content-Type`, if sent.
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

fn malformed(what: &str) -> NetError {
    NetError::Malformed(what.to_owned())
}

/// Parses a complete response held in memory (the client reads until the server closes:
/// every request says `Connection: close`). A response cut short is [`NetError::Dropped`].
pub fn parse(raw: &[u8]) -> Result<Response, NetError> {
    let head_end = find(raw, b"\r\n\r\n").ok_or(if raw.len() > MAX_HEADER {
        malformed("header too large")
    } else {
        NetError::Dropped
    })?;
    if head_end > MAX_HEADER {
        return Err(malformed("header too large"));
    }
    let head = std::str::from_utf8(&raw[..head_end]).map_err(|_| malformed("header not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/1.") {
        return Err(malformed("not an HTTP/1.x status line"));
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .filter(|s| (100..1000).contains(s))
        .ok_or_else(|| malformed("bad status code"))?;
    let mut content_length = None;
    let mut chunked = false;
    let mut content_type = None;
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| malformed("header line without a colon"))?;
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => {
                let n: usize = value.parse().map_err(|_| malformed("bad Content-Length"))?;
                if n > MAX_BODY {
                    return Err(malformed("body too large"));
                }
                content_length = Some(n);
            }
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "content-type" => content_type = Some(value.to_owned()),
            _ => {}
        }
    }
    let rest = &raw[head_end + 4..];
    let body = if chunked {
        dechunk(rest)?
    } else if let Some(n) = content_length {
        rest.get(..n).ok_or(NetError::Dropped)?.to_vec()
    } else {
        if rest.len() > MAX_BODY {
            return Err(malformed("body too large"));
        }
        rest.to_vec()
    };
    Ok(Response {
        status,
        content_type,
        body,
    })
}

fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, NetError> {
    let mut body = Vec::new();
    loop {
        let line_end = find(rest, b"\r\n").ok_or(NetError::Dropped)?;
        let size_text =
            std::str::from_utf8(&rest[..line_end]).map_err(|_| malformed("chunk size"))?;
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| malformed("chunk size"))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        if body.len() + size > MAX_BODY {
            return Err(malformed("body too large"));
        }
        let chunk = rest.get(..size).ok_or(NetError::Dropped)?;
        body.extend_from_slice(chunk);
        rest = rest.get(size..).ok_or(NetError::Dropped)?;
        rest = rest.strip_prefix(b"\r\n").ok_or(NetError::Dropped)?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads a whole response from a connection the server closes after answering, never more
/// than the limits allow.
pub fn read_all(stream: &mut impl Read) -> Result<Vec<u8>, NetError> {
    let mut raw = Vec::new();
    let limit = (MAX_HEADER + MAX_BODY + 64 * 1024) as u64;
    match stream.take(limit).read_to_end(&mut raw) {
        Ok(_) => Ok(raw),
        // A TLS peer that closes without close_notify, or a reset, after a complete answer is
        // judged by the parser (a complete Content-Length body is fine); before it, it is
        // a drop.
        Err(e) if raw.is_empty() => Err(io_error(e)),
        Err(e) => {
            log::debug!("connection ended with {e} after {} bytes", raw.len());
            Ok(raw)
        }
    }
}

/// An I/O error on the socket, in the client's words.
pub fn io_error(e: std::io::Error) -> NetError {
    use std::io::ErrorKind::*;
    match e.kind() {
        TimedOut | WouldBlock => NetError::Timeout,
        ConnectionReset | ConnectionAborted | UnexpectedEof | BrokenPipe => NetError::Dropped,
        ConnectionRefused | NotFound | AddrNotAvailable => NetError::Connect(e.to_string()),
        _ if e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) => {
            NetError::Tls(e.to_string())
        }
        _ => NetError::Connect(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_length_chunked_and_eof() {
        let r = parse(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
        )
        .unwrap();
        assert_eq!((r.status, r.body.as_slice()), (200, &b"{}"[..]));
        assert_eq!(r.content_type.as_deref(), Some("application/json"));
        let r = parse(b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n1;x\r\nd\r\n0\r\n\r\n").unwrap();
        assert_eq!(r.body, b"abcd");
        let r = parse(b"HTTP/1.0 503 x\r\n\r\nbusy").unwrap();
        assert_eq!((r.status, r.body.as_slice()), (503, &b"busy"[..]));
    }

    #[test]
    fn cut_short_is_a_drop_and_garbage_is_malformed() {
        assert_eq!(
            parse(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"),
            Err(NetError::Dropped)
        );
        assert_eq!(parse(b"HTTP/1.1 200 OK\r\nConte"), Err(NetError::Dropped));
        assert_eq!(parse(b""), Err(NetError::Dropped));
        assert!(matches!(
            parse(b"SSH-2.0\r\n\r\n"),
            Err(NetError::Malformed(_))
        ));
        assert!(matches!(
            parse(b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n"),
            Err(NetError::Malformed(_))
        ));
        assert!(matches!(
            parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            Err(NetError::Malformed(_))
        ));
    }
}
