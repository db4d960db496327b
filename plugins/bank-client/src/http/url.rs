//! The few URLs the profile holds: `http(s)://host[:port][/path]`, nothing more.

use crate::NetError;

/// A parsed endpoint URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    /// `https`.
    pub tls: bool,
    /// The host as written (a name, an IPv4 address, or an IPv6 address without brackets).
    pub host: String,
    /// The port.
    pub port: u16,
    /// The path, without a trailing slash (`""` for the root).
    pub path: String,
}

impl Url {
    /// Parses `http://` or `https://` URLs without user info, query or fragment.
    pub fn parse(url: &str) -> Result<Url, NetError> {
        let bad = |why: &str| NetError::Config(format!("{url}: {why}"));
        let (tls, rest) = if let Some(r) = url.strip_prefix("https://") {
            (true, r)
        } else if let Some(r) = url.strip_prefix("http://") {
            (false, r)
        } else {
            return Err(bad("expected http:// or https://"));
        };
        if rest.contains(['?', '#', '@']) {
            return Err(bad("query, fragment and user info are not supported"));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let end = v6.find(']').ok_or_else(|| bad("unclosed ["))?;
            let port = v6[end + 1..].strip_prefix(':');
            (&v6[..end], port)
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let port = match port {
            Some(p) => p.parse().map_err(|_| bad("bad port"))?,
            None if tls => 443,
            None => 80,
        };
        Ok(Url {
            tls,
            host: host.to_owned(),
            port,
            path: path.trim_end_matches('/').to_owned(),
        })
    }

    /// `host:port` for the Host header and the socket.
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_profiles_urls() {
        let u = Url::parse("https://127.0.0.1:8443/ib/").unwrap();
        assert_eq!(
            (u.tls, u.host.as_str(), u.port, u.path.as_str()),
            (true, "127.0.0.1", 8443, "/ib")
        );
        let u = Url::parse("http://[::1]:99/cmp").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.authority()),
            ("::1", 99, "[::1]:99".to_owned())
        );
        assert_eq!(Url::parse("https://bank.kz").unwrap().port, 443);
        for bad in [
            "ftp://x",
            "https://",
            "https://h:x/",
            "https://u@h/",
            "https://h/?q",
        ] {
            assert!(Url::parse(bad).is_err(), "{bad}");
        }
    }
}
