//! Web origins: `scheme://host[:port]`, compared after normalising case and default ports, so
//! that the profile's `https://IB.example.kz:443` and the browser's `https://ib.example.kz` are
//! one origin. The browser reports the origin (`sender.origin` in the extension); the page
//! never chooses it.

/// An origin in normal form, or `None` when `s` is not one (paths, user info, odd schemes).
pub fn normalize(s: &str) -> Option<String> {
    let s = s.trim_end_matches('/');
    let (scheme, rest) = s.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => "443",
        "http" => "80",
        _ => return None,
    };
    if rest.is_empty()
        || rest.len() > 255
        || rest.contains(['/', '@', '?', '#', ' ', '\\'])
        || !rest.is_ascii()
    {
        return None;
    }
    let rest = rest.to_ascii_lowercase();
    let (host, port) = match rest.rsplit_once(':') {
        // `[::1]:8443`: the colon after the bracket is the port's.
        Some((h, p)) if !p.contains(']') => (h.to_owned(), Some(p.to_owned())),
        _ => (rest.clone(), None),
    };
    if host.is_empty() {
        return None;
    }
    match port {
        Some(p) if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) => None,
        Some(p) if p.parse::<u16>().is_err() => None,
        Some(p) if p == default_port => Some(format!("{scheme}://{host}")),
        Some(p) => Some(format!("{scheme}://{host}:{p}")),
        None => Some(format!("{scheme}://{host}")),
    }
}

/// Whether `origin` is one of `allowed` (both normalised; a malformed entry matches nothing).
pub fn is_allowed<S: AsRef<str>>(origin: &str, allowed: &[S]) -> bool {
    let Some(origin) = normalize(origin) else {
        return false;
    };
    allowed
        .iter()
        .filter_map(|a| normalize(a.as_ref()))
        .any(|a| a == origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_normalise_and_compare_exactly() {
        assert_eq!(
            normalize("HTTPS://IB.Example.kz:443/").as_deref(),
            Some("https://ib.example.kz")
        );
        assert_eq!(
            normalize("http://127.0.0.1:8443").as_deref(),
            Some("http://127.0.0.1:8443")
        );
        assert_eq!(
            normalize("http://[::1]:80").as_deref(),
            Some("http://[::1]")
        );
        for bad in [
            "",
            "127.0.0.1",
            "ftp://x",
            "http://",
            "http://a/b",
            "http://u@a",
            "http://a:x",
            "http://a:99999",
            "http://a:",
            "chrome-extension://abc",
        ] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
        let list = ["http://127.0.0.1:8443", "https://ib.example.kz"];
        assert!(is_allowed("http://127.0.0.1:8443", &list));
        assert!(is_allowed("https://ib.example.kz:443", &list));
        assert!(!is_allowed("http://127.0.0.1:8444", &list));
        assert!(!is_allowed("http://localhost:8443", &list));
        assert!(!is_allowed("https://ib.example.kz.evil.com", &list));
        assert!(!is_allowed("null", &list));
    }
}
