//! A rate limit per web origin: at most `max` requests in any `window`. Native hosts are separate
//! processes (one per port), so the counts live in a small JSON file they share under a lock;
//! the file is outside input too — whatever does not parse counts as empty.

use std::collections::BTreeMap;

use serde_json::{json, Value};

/// Sliding-window counts per origin.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// Request times (seconds since the epoch) per origin, within the window.
    seen: BTreeMap<String, Vec<u64>>,
}

/// At most this many origins are remembered (the oldest are forgotten).
const MAX_ORIGINS: usize = 64;

impl RateLimit {
    /// Reads the shared file's text; anything malformed is ignored.
    pub fn parse(text: &str) -> RateLimit {
        let mut seen = BTreeMap::new();
        if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) {
            for (origin, times) in map.into_iter().take(MAX_ORIGINS) {
                if let Value::Array(times) = times {
                    let times: Vec<u64> =
                        times.iter().filter_map(Value::as_u64).take(1024).collect();
                    seen.insert(origin, times);
                }
            }
        }
        RateLimit { seen }
    }

    /// The file's text.
    pub fn to_text(&self) -> String {
        json!(self.seen).to_string()
    }

    /// Records a request of `origin` at `now` if fewer than `max` were made in the last
    /// `window_s` seconds; `false` (and nothing recorded) otherwise.
    pub fn admit(&mut self, origin: &str, now: u64, max: usize, window_s: u64) -> bool {
        for times in self.seen.values_mut() {
            times.retain(|t| now.saturating_sub(*t) < window_s && *t <= now);
        }
        self.seen.retain(|_, t| !t.is_empty());
        let times = self.seen.entry(origin.to_owned()).or_default();
        if times.len() >= max {
            return false;
        }
        times.push(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_slides_and_origins_are_separate() {
        let mut r = RateLimit::default();
        assert!(r.admit("a", 100, 2, 60));
        assert!(r.admit("a", 101, 2, 60));
        assert!(!r.admit("a", 102, 2, 60));
        assert!(r.admit("b", 102, 2, 60));
        assert!(r.admit("a", 161, 2, 60));
        let back = RateLimit::parse(&r.to_text());
        assert_eq!(back, r);
        assert_eq!(
            RateLimit::parse("{\"a\": 5, \"b\": [\"x\"]}").seen.get("a"),
            None
        );
        assert_eq!(RateLimit::parse("garbage"), RateLimit::default());
    }
}
