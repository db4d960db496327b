//! A workflow's progress for the page (a registration takes a minute: key generation, the CA,
//! the bank): events go out as frames beside the request's final reply. Labels are tamga's own
//! step names, never secrets.

use serde_json::Value;
use tamga_core::progress::{Event, Progress};

use crate::service::ask::progress_event;

/// Sends each event through `send`.
pub struct PageProgress<'a> {
    pub send: &'a mut dyn FnMut(Value),
}

impl Progress for PageProgress<'_> {
    fn event(&mut self, event: Event<'_>) {
        (self.send)(progress_event(event));
    }
}
