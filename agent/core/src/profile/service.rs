//! `tamga serve` and the browser bridge (issue #9): who may use the service socket, when it
//! exits, how often tokens are looked for, and how often a web origin may ask.

use serde::Deserialize;

/// The `service` section. Every field has a default, so a profile without it is valid.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServiceSettings {
    /// Members of this group may use the socket besides root, the service's own user and the
    /// user of the active local session.
    pub group: Option<String>,
    /// Exit after this many seconds without a client (socket activation starts it again);
    /// 0 keeps running.
    pub idle_exit_s: u64,
    /// How often the tokens are enumerated for hot-plug events, in milliseconds.
    pub hotplug_poll_ms: u64,
    /// Requests a web origin may make per minute through the browser bridge.
    pub browser_requests_per_minute: u32,
    /// Seconds a confirmation or PIN dialog for a browser may stay open.
    pub prompt_timeout_s: u64,
}

impl Default for ServiceSettings {
    fn default() -> Self {
        ServiceSettings {
            group: None,
            idle_exit_s: 300,
            hotplug_poll_ms: 1000,
            browser_requests_per_minute: 10,
            prompt_timeout_s: 120,
        }
    }
}
