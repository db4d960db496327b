//! This process's CPU time. The machine is shared, so `tamga speed` rates are per CPU-second the
//! process actually ran, like the OpenSSL harness it is compared with (`CLOCK_PROCESS_CPUTIME_ID`);
//! wall-clock rates would also count the time spent preempted by other jobs.
#![allow(unsafe_code)]

use std::io;

/// Seconds of CPU time this process has used, with nanosecond resolution.
#[cfg(unix)]
pub fn now() -> io::Result<f64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid, exclusive pointer and keeps no
    // reference to it after returning.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9)
}

/// Elsewhere there is no portable CPU clock in std: fall back to monotonic wall-clock time.
#[cfg(not(unix))]
pub fn now() -> io::Result<f64> {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    Ok(START.get_or_init(Instant::now).elapsed().as_secs_f64())
}
