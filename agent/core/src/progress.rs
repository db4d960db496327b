//! Progress events a workflow reports while it runs; the front end draws them (a bar on a
//! terminal, log lines elsewhere).

/// One event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event<'a> {
    /// Step `index` (1-based) of `total` begins.
    Step {
        /// This step, 1-based.
        index: usize,
        /// All steps.
        total: usize,
        /// What it does, in the user's language.
        label: &'a str,
    },
    /// The workflow ended (successfully or not).
    Finished,
}

/// Where events go.
pub trait Progress {
    /// Receives one event.
    fn event(&mut self, event: Event<'_>);
}

/// Ignores every event.
pub struct NoProgress;

impl Progress for NoProgress {
    fn event(&mut self, _: Event<'_>) {}
}
