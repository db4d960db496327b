//! One audit line per browser or socket operation: who (uid, pid, origin, browser), what
//! (workflow/action), the SHA-256 of what was signed, and the result. Never the data, never a
//! PIN. Lines go to standard error (the journal under systemd) and, when configured, to an
//! append-only file.

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

/// The fields of one line.
#[derive(Clone, Debug, Default)]
pub struct Entry<'a> {
    /// `socket` or `browser`.
    pub channel: &'a str,
    /// The web origin, if any.
    pub origin: Option<&'a str>,
    /// `chromium`, `firefox`, …
    pub browser: Option<&'a str>,
    /// The caller's uid.
    pub uid: Option<u32>,
    /// The caller's pid (for reading logs, not for decisions).
    pub pid: Option<i32>,
    /// `workflow/action` or the method.
    pub operation: &'a str,
    /// The SHA-256 of the signed bytes, hex.
    pub data_sha256: Option<String>,
    /// `ok`, `refused`, `cancelled`, `failed`.
    pub result: &'a str,
    /// An error code.
    pub code: Option<&'a str>,
}

/// Hex SHA-256, for [`Entry::data_sha256`].
pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Entry<'_> {
    /// The line, `key=value` pairs; values cannot hold spaces or newlines.
    pub fn line(&self) -> String {
        let mut parts = vec![format!("audit channel={}", clean(self.channel))];
        let mut add = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                parts.push(format!("{k}={}", clean(&v)));
            }
        };
        add("origin", self.origin.map(str::to_owned));
        add("browser", self.browser.map(str::to_owned));
        add("uid", self.uid.map(|u| u.to_string()));
        add("pid", self.pid.map(|p| p.to_string()));
        add("op", Some(self.operation.to_owned()));
        add("sha256", self.data_sha256.clone());
        add("result", Some(self.result.to_owned()));
        add("code", self.code.map(str::to_owned));
        parts.join(" ")
    }

    /// Writes the line to standard error and, if given, appends it to `file`.
    pub fn emit(&self, file: Option<&Path>) {
        let line = self.line();
        eprintln!("tamga: {line}");
        if let Some(path) = file {
            let appended = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut f| writeln!(f, "{line}"));
            if let Err(e) = appended {
                log::warn!("audit file {}: {e}", path.display());
            }
        }
    }
}

fn clean(v: &str) -> String {
    crate::api::truncate(v, 200)
        .chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_has_no_spaces_inside_values() {
        let e = Entry {
            channel: "browser",
            origin: Some("http://evil origin\nx"),
            operation: "sign/payment",
            result: "refused",
            code: Some("browser.origin"),
            ..Entry::default()
        };
        let l = e.line();
        assert_eq!(
            l,
            "audit channel=browser origin=http://evil_origin_x op=sign/payment result=refused code=browser.origin"
        );
        assert_eq!(sha256_hex(b"").len(), 64);
    }
}
