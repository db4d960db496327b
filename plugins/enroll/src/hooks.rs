//! Named points where the fault-injection tests stop a running enrollment:
//! `TAMGA_TEST_ABORT_AT=<point>:<n>` aborts the process (no unwinding, no destructors, like a
//! kill) the n-th time (1-based) it passes `<point>`. Only debug builds and builds with the
//! `test-hooks` feature read the variable; a release build ignores it.

/// Passes a named point.
#[cfg(any(debug_assertions, feature = "test-hooks"))]
pub fn point(name: &str) {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::OnceLock;
    static TARGET: OnceLock<Option<(String, u32)>> = OnceLock::new();
    static PASSED: AtomicU32 = AtomicU32::new(0);
    let target = TARGET.get_or_init(|| {
        let spec = std::env::var("TAMGA_TEST_ABORT_AT").ok()?;
        let (point, n) = spec.rsplit_once(':').unwrap_or((spec.as_str(), "1"));
        Some((point.to_owned(), n.parse().unwrap_or(1)))
    });
    if let Some((point, n)) = target {
        if point == name && PASSED.fetch_add(1, Ordering::SeqCst) + 1 == *n {
            log::warn!("test hook: aborting at {name}");
            std::process::abort();
        }
    }
}

/// Passes a named point (release build: nothing).
#[cfg(not(any(debug_assertions, feature = "test-hooks")))]
pub fn point(_: &str) {}

/// Every point, in the order an enrollment passes them (the tests iterate over it).
pub const POINTS: &[&str] = &[
    "checked",
    "logged-in",
    "journal-started",
    "pin-changed",
    "journal-pin-changed",
    "key-sign-generated",
    "key-auth-generated",
    "journal-keys",
    "ir-sent",
    "ip-received",
    "journal-certs",
    "certconf-sent",
    "pkiconf-received",
    "journal-confirmed",
    "registration-sent",
    "journal-registered",
    "journal-complete",
];
