//! Newline-delimited messages with a cap: a client that never sends a newline cannot make the
//! service buffer without bound. Lines may hold a PIN (an answer), so the buffer zeroizes.

use std::io::{self, BufRead, Read};

use zeroize::Zeroizing;

/// What reading a line gave.
#[derive(Debug)]
pub enum Line {
    /// One line, without its newline.
    Line(Zeroizing<Vec<u8>>),
    /// Longer than the cap; the rest of it was skipped, the stream may go on.
    TooLong,
    /// The peer closed the stream.
    Eof,
}

/// Reads one line of at most `max` bytes.
pub fn read_line<R: BufRead>(r: &mut R, max: usize) -> io::Result<Line> {
    let mut line = Zeroizing::new(Vec::new());
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    let n = r.by_ref().take(limit).read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(Line::Eof);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
        return Ok(Line::Line(line));
    }
    if line.len() <= max {
        // The stream ended without a newline: take what came.
        return Ok(Line::Line(line));
    }
    // Skip to the end of the oversized line so that the next one parses.
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(Line::TooLong);
        }
        match buf.iter().position(|b| *b == b'\n') {
            Some(i) => {
                r.consume(i + 1);
                return Ok(Line::TooLong);
            }
            None => {
                let n = buf.len();
                r.consume(n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_skipped_not_buffered() {
        let mut input = io::Cursor::new(b"abc\nxxxxxxxxxx\nok".to_vec());
        assert!(
            matches!(read_line(&mut input, 5).unwrap(), Line::Line(l) if l.as_slice() == b"abc")
        );
        assert!(matches!(read_line(&mut input, 5).unwrap(), Line::TooLong));
        assert!(
            matches!(read_line(&mut input, 5).unwrap(), Line::Line(l) if l.as_slice() == b"ok")
        );
        assert!(matches!(read_line(&mut input, 5).unwrap(), Line::Eof));
    }
}
