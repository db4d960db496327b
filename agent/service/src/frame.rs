//! Native-messaging frames: a 32-bit length in the machine's byte order, then that many bytes
//! of UTF-8 JSON — the same both ways. Browsers refuse host → browser frames over 1 MiB, and
//! may send up to 4 GiB the other way, so both directions are capped here; a larger reply is
//! cut into chunk messages the extension joins again.

use std::io::{self, Read, Write};

use serde_json::{json, Value};

/// The browsers' limit for a host → browser frame (Chromium and Firefox alike).
pub const MAX_TO_BROWSER: usize = 1 << 20;

/// What tamga accepts from a browser: a payment order or an enrollment form is a few KiB.
pub const MAX_FROM_BROWSER: usize = 256 << 10;

/// The payload bytes of one chunk; with the JSON around it, far under [`MAX_TO_BROWSER`].
pub const CHUNK: usize = 512 << 10;

/// Why a frame could not be read.
#[derive(Debug)]
pub enum FrameError {
    /// The announced length is over the cap; the stream is unusable after it.
    TooLarge(u64),
    /// The stream ended inside a frame.
    Truncated,
    /// The payload is not UTF-8 JSON.
    BadJson(String),
    /// Reading failed.
    Io(io::Error),
}

impl FrameError {
    /// A stable code for replies and logs.
    pub fn code(&self) -> &'static str {
        match self {
            FrameError::TooLarge(_) => "browser.message_too_large",
            FrameError::Truncated => "browser.truncated",
            FrameError::BadJson(_) => "browser.bad_json",
            FrameError::Io(_) => "browser.io",
        }
    }
}

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrameError::TooLarge(n) => write!(f, "a message of {n} bytes is over the limit"),
            FrameError::Truncated => f.write_str("the stream ended inside a message"),
            FrameError::BadJson(e) => write!(f, "not JSON: {e}"),
            FrameError::Io(e) => write!(f, "read failed: {e}"),
        }
    }
}

/// Reads one frame's payload; `Ok(None)` at a clean end of stream (the port was closed).
pub fn read_frame<R: Read + ?Sized>(r: &mut R, max: usize) -> Result<Option<Vec<u8>>, FrameError> {
    let mut len = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match r.read(&mut len[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err(FrameError::Truncated),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(FrameError::Io(e)),
        }
    }
    let n = u32::from_ne_bytes(len);
    let size = usize::try_from(n).unwrap_or(usize::MAX);
    if size > max {
        return Err(FrameError::TooLarge(u64::from(n)));
    }
    let mut payload = vec![0u8; size];
    r.read_exact(&mut payload).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => FrameError::Truncated,
        _ => FrameError::Io(e),
    })?;
    Ok(Some(payload))
}

/// Reads one frame and parses it as a JSON object.
pub fn read_message<R: Read + ?Sized>(r: &mut R, max: usize) -> Result<Option<Value>, FrameError> {
    let Some(payload) = read_frame(r, max)? else {
        return Ok(None);
    };
    let v: Value =
        serde_json::from_slice(&payload).map_err(|e| FrameError::BadJson(e.to_string()))?;
    if !v.is_object() {
        return Err(FrameError::BadJson("not an object".into()));
    }
    Ok(Some(v))
}

/// Writes one message; a message over the browser's limit is sent as chunks
/// (`{"chunk":{"id","index","count","data"}}`, `data` a slice of the JSON text) that the
/// extension concatenates and parses.
pub fn write_message<W: Write + ?Sized>(w: &mut W, message: &Value) -> io::Result<()> {
    let text = message.to_string();
    for frame in frames(&text, message.get("id").cloned().unwrap_or(Value::Null)) {
        let len = u32::try_from(frame.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "frame too large"))?;
        w.write_all(&len.to_ne_bytes())?;
        w.write_all(frame.as_bytes())?;
    }
    w.flush()
}

/// The frames for one message: itself, or chunks of its text cut at character boundaries.
pub fn frames(text: &str, id: Value) -> Vec<String> {
    if text.len() <= MAX_TO_BROWSER - 1024 {
        return vec![text.to_owned()];
    }
    let mut pieces = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = rest.len().min(CHUNK);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        pieces.push(&rest[..end]);
        rest = &rest[end..];
    }
    let count = pieces.len();
    pieces
        .into_iter()
        .enumerate()
        .map(|(index, data)| {
            json!({ "chunk": { "id": id, "index": index, "count": count, "data": data } })
                .to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(payload: &[u8]) -> Vec<u8> {
        let mut v = u32::try_from(payload.len()).unwrap().to_ne_bytes().to_vec();
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn frames_round_trip_and_limits_hold() {
        let mut input = io::Cursor::new(framed(br#"{"a":1}"#));
        assert_eq!(read_message(&mut input, 100).unwrap(), Some(json!({"a":1})));
        assert!(read_message(&mut input, 100).unwrap().is_none());
        let big = framed(&[b' '; 101]);
        assert!(matches!(
            read_frame(&mut io::Cursor::new(big), 100),
            Err(FrameError::TooLarge(101))
        ));
        let cut = framed(b"{}")[..5].to_vec();
        assert!(matches!(
            read_frame(&mut io::Cursor::new(cut), 100),
            Err(FrameError::Truncated)
        ));
        assert!(matches!(
            read_frame(&mut io::Cursor::new(vec![1, 0]), 100),
            Err(FrameError::Truncated)
        ));
        assert!(read_message(&mut io::Cursor::new(framed(b"[1]")), 100).is_err());
        assert!(read_message(&mut io::Cursor::new(framed(b"\xff")), 100).is_err());
    }

    #[test]
    fn large_replies_are_chunked_under_the_browser_limit() {
        let message = json!({ "id": 7, "data": "ж".repeat(MAX_TO_BROWSER) });
        let mut out = Vec::new();
        write_message(&mut out, &message).unwrap();
        let mut input = io::Cursor::new(out);
        let mut text = String::new();
        let mut count = 0;
        while let Some(frame) = read_frame(&mut input, usize::MAX).unwrap() {
            assert!(frame.len() <= MAX_TO_BROWSER);
            let v: Value = serde_json::from_slice(&frame).unwrap();
            assert_eq!(v["chunk"]["id"], 7);
            text.push_str(v["chunk"]["data"].as_str().unwrap());
            count += 1;
        }
        assert!(count > 2);
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), message);
    }
}
