//! sd_notify(3) in a few lines: one datagram of `KEY=value` lines to `$NOTIFY_SOCKET`, a path or
//! (leading `@`) an abstract socket name. Without the variable nothing happens, so the same
//! binary runs by hand, under `systemd-socket-activate` and as a `Type=notify` service.

use std::io;
use std::os::unix::net::{SocketAddr, UnixDatagram};

/// Sends `state` (`READY=1\nSTATUS=…`); `Ok(false)` when no notify socket is set.
pub fn notify(state: &str) -> io::Result<bool> {
    let Some(path) = std::env::var_os("NOTIFY_SOCKET") else {
        return Ok(false);
    };
    let path = path.to_string_lossy().into_owned();
    let addr = address(&path)?;
    let socket = UnixDatagram::unbound()?;
    socket.send_to_addr(state.as_bytes(), &addr)?;
    Ok(true)
}

fn address(path: &str) -> io::Result<SocketAddr> {
    if let Some(name) = path.strip_prefix('@') {
        use std::os::linux::net::SocketAddrExt;
        return SocketAddr::from_abstract_name(name.as_bytes());
    }
    if !path.starts_with('/') {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "NOTIFY_SOCKET is neither absolute nor abstract",
        ));
    }
    SocketAddr::from_pathname(path)
}

/// `READY=1` with a status line.
pub fn ready(status: &str) {
    send(&format!("READY=1\nSTATUS={}", one_line(status)));
}

/// A status line (`systemctl status` shows it).
pub fn status(status: &str) {
    send(&format!("STATUS={}", one_line(status)));
}

/// `STOPPING=1`.
pub fn stopping() {
    send("STOPPING=1");
}

/// `WATCHDOG=1`.
pub fn watchdog() {
    send("WATCHDOG=1");
}

/// The watchdog interval systemd asked for (`WATCHDOG_USEC`, for this pid), if any.
pub fn watchdog_interval() -> Option<std::time::Duration> {
    let pid = std::env::var("WATCHDOG_PID").ok();
    if pid.is_some_and(|p| p.trim().parse::<u32>().ok() != Some(std::process::id())) {
        return None;
    }
    let usec: u64 = std::env::var("WATCHDOG_USEC").ok()?.trim().parse().ok()?;
    (usec > 0).then(|| std::time::Duration::from_micros(usec))
}

fn send(state: &str) {
    if let Err(e) = notify(state) {
        log::warn!("sd_notify: {e}");
    }
}

fn one_line(s: &str) -> String {
    s.replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_path_and_abstract() {
        assert!(address("/run/systemd/notify").is_ok());
        assert!(address("@/org/freedesktop/systemd1/notify/1").is_ok());
        assert!(address("relative").is_err());
    }
}
