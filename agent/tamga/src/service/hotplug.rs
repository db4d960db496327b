//! Token hot-plug: the profile's drivers are enumerated every few hundred milliseconds (for a
//! real KAZTOKEN that is a USB enumeration; no workflow is disturbed, a busy token is skipped)
//! and an insertion or removal becomes an event for the subscribed clients.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use super::outcome::slot_json;
use super::Shared;
use crate::registry::REGISTRY;

pub fn spawn(shared: Arc<Shared>, every: Duration) {
    std::thread::spawn(move || {
        let mut known: Option<Vec<Value>> = None;
        loop {
            if let Some(now) = enumerate(&shared) {
                if let Some(before) = &known {
                    for t in now.iter().filter(|t| !before.contains(t)) {
                        event(&shared, "inserted", t);
                    }
                    for t in before.iter().filter(|t| !now.contains(t)) {
                        event(&shared, "removed", t);
                    }
                }
                *shared.known.lock().unwrap_or_else(|p| p.into_inner()) = now.clone();
                known = Some(now);
            }
            std::thread::sleep(every);
        }
    });
}

fn enumerate(shared: &Shared) -> Option<Vec<Value>> {
    let _guard = shared.try_token_lock()?;
    let runner = tamga_core::Runner {
        registry: REGISTRY,
        profile: &shared.profile,
        lang: shared.lang,
        token_id: None,
    };
    match runner.list() {
        Ok(slots) => Some(slots.iter().map(slot_json).collect()),
        Err(e) => {
            log::debug!("enumeration: {e}");
            Some(Vec::new())
        }
    }
}

fn event(shared: &Shared, change: &str, token: &Value) {
    log::info!("token {change}: {}", token["id"]);
    shared.broadcast(&json!({ "event": "token", "change": change, "token": token }).to_string());
}
