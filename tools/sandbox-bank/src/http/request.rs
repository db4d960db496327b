//! Parsing one HTTP/1.1 request from outside bytes: bounded head and body, errors not panics.

use std::io::Read;

/// Longest request head (request line + headers).
pub const MAX_HEAD: usize = 16 * 1024;
/// Longest body.
pub const MAX_BODY: usize = 1024 * 1024;
/// Most header lines.
pub const MAX_HEADERS: usize = 48;

/// One request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string (after `?`), possibly empty.
    pub query: String,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body (Content-Length bytes).
    pub body: Vec<u8>,
}

impl Request {
    /// The first header of that (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request was not read.
#[derive(Debug, PartialEq, Eq)]
pub enum RequestError {
    /// The peer closed before a whole request (nothing to answer).
    Closed,
    /// Head or body over the limits (413/431).
    TooLarge(&'static str),
    /// Not HTTP/1.1 as this server reads it (400), or a feature it refuses (chunked: 411).
    Bad(String),
    /// The socket failed or timed out.
    Io(String),
}

struct Head {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    content_length: usize,
}

/// Parses a complete head in `buf`; `Ok(None)` when more bytes are needed.
fn parse_head(buf: &[u8]) -> Result<Option<(Head, usize)>, RequestError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    let len = match req.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(RequestError::TooLarge("headers")),
        Err(e) => return Err(RequestError::Bad(format!("malformed request: {e}"))),
    };
    let method = req.method.unwrap_or_default().to_string();
    let target = req.path.unwrap_or_default();
    if !target.starts_with('/') {
        return Err(RequestError::Bad("the request target is not a path".into()));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut out = Vec::with_capacity(req.headers.len());
    let mut content_length = None;
    for h in req.headers.iter() {
        let name = h.name.to_ascii_lowercase();
        let value = std::str::from_utf8(h.value)
            .map_err(|_| RequestError::Bad(format!("header {name} is not UTF-8")))?
            .trim()
            .to_string();
        match name.as_str() {
            "content-length" => {
                let n: usize = value
                    .parse()
                    .map_err(|_| RequestError::Bad("bad Content-Length".into()))?;
                if content_length.is_some_and(|c| c != n) {
                    return Err(RequestError::Bad("conflicting Content-Length".into()));
                }
                content_length = Some(n);
            }
            "transfer-encoding" => {
                return Err(RequestError::Bad(
                    "Transfer-Encoding is not supported: send Content-Length".into(),
                ))
            }
            _ => {}
        }
        out.push((name, value));
    }
    let content_length = content_length.unwrap_or(0);
    if content_length > MAX_BODY {
        return Err(RequestError::TooLarge("body"));
    }
    Ok(Some((
        Head {
            method,
            path: path.to_string(),
            query: query.to_string(),
            headers: out,
            content_length,
        },
        len,
    )))
}

/// Parses a whole request held in memory (the fuzz target's entry point). Bytes after the
/// body are ignored (one request per connection).
pub fn parse(bytes: &[u8]) -> Result<Request, RequestError> {
    let limit = bytes.len().min(MAX_HEAD);
    let (head, len) = match parse_head(&bytes[..limit])? {
        Some(h) => h,
        None if bytes.len() > MAX_HEAD => return Err(RequestError::TooLarge("head")),
        None => return Err(RequestError::Closed),
    };
    let body = bytes
        .get(len..len + head.content_length)
        .ok_or(RequestError::Closed)?
        .to_vec();
    Ok(Request {
        method: head.method,
        path: head.path,
        query: head.query,
        headers: head.headers,
        body,
    })
}

/// Reads one request from a stream.
pub fn read<R: Read>(stream: &mut R) -> Result<Request, RequestError> {
    let io = |e: std::io::Error| RequestError::Io(e.to_string());
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let (head, len) = loop {
        let n = stream.read(&mut chunk).map_err(io)?;
        if n == 0 {
            return Err(RequestError::Closed);
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(h) = parse_head(&buf[..buf.len().min(MAX_HEAD)])? {
            break h;
        }
        if buf.len() >= MAX_HEAD {
            return Err(RequestError::TooLarge("head"));
        }
    };
    let mut body = buf.split_off(len);
    if body.len() < head.content_length {
        let missing = head.content_length - body.len();
        let mut rest = Vec::with_capacity(missing);
        stream
            .take(missing as u64)
            .read_to_end(&mut rest)
            .map_err(io)?;
        if rest.len() < missing {
            return Err(RequestError::Closed);
        }
        body.extend(rest);
    }
    body.truncate(head.content_length);
    Ok(Request {
        method: head.method,
        path: head.path,
        query: head.query,
        headers: head.headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_bounds() {
        let r =
            parse(b"POST /cmp?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcdef").unwrap();
        assert_eq!(
            (r.method.as_str(), r.path.as_str(), r.query.as_str()),
            ("POST", "/cmp", "x=1")
        );
        assert_eq!(r.body, b"abc");
        assert_eq!(r.header("host"), Some("a"));
        assert_eq!(parse(b"GET / HTTP/1.1\r\n"), Err(RequestError::Closed));
        assert!(matches!(
            parse(b"GET x HTTP/1.1\r\n\r\n"),
            Err(RequestError::Bad(_))
        ));
        let big = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY + 1
        );
        assert_eq!(parse(big.as_bytes()), Err(RequestError::TooLarge("body")));
        let chunked = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert!(matches!(parse(chunked), Err(RequestError::Bad(_))));
        let mut long = b"GET / HTTP/1.1\r\n".to_vec();
        long.extend(std::iter::repeat_n(b'a', MAX_HEAD + 10));
        assert_eq!(parse(&long), Err(RequestError::TooLarge("head")));
        let mut stream = &b"GET /ca/cert HTTP/1.1\r\n\r\n"[..];
        assert_eq!(read(&mut stream).unwrap().path, "/ca/cert");
    }
}
