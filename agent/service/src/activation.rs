//! systemd socket activation (sd_listen_fds(3)): the listening sockets arrive as fds 3… when
//! `LISTEN_PID` is this process; `LISTEN_FDS` says how many. Works under
//! `systemd-socket-activate` as under PID 1.

use std::os::fd::{FromRawFd, OwnedFd};

/// The first passed descriptor.
pub const FIRST_FD: i32 = 3;

/// The sockets systemd passed, if any; the variables are removed so that children (pinentry,
/// a relayed host) do not think the sockets are theirs.
pub fn listen_fds() -> Vec<OwnedFd> {
    let pid = std::env::var("LISTEN_PID").ok();
    let fds = std::env::var("LISTEN_FDS").ok();
    let n = count(pid.as_deref(), fds.as_deref(), std::process::id());
    for v in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] {
        std::env::remove_var(v);
    }
    (0..n)
        .map(|i| {
            let fd = FIRST_FD + i;
            set_cloexec(fd);
            // SAFETY: systemd handed these fds to this process (LISTEN_PID matched) and nothing
            // else in the process owns them; each is wrapped exactly once.
            unsafe { OwnedFd::from_raw_fd(fd) }
        })
        .collect()
}

/// How many fds were passed to `own_pid`, from the two variables; 0 when they are not ours.
pub fn count(pid: Option<&str>, fds: Option<&str>, own_pid: u32) -> i32 {
    let ours = pid.and_then(|p| p.trim().parse::<u32>().ok()) == Some(own_pid);
    let n = fds.and_then(|n| n.trim().parse::<i32>().ok()).unwrap_or(0);
    if ours {
        n.clamp(0, 64)
    } else {
        0
    }
}

fn set_cloexec(fd: i32) {
    // SAFETY: fcntl on an fd number is harmless even if it were closed (EBADF).
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFD);
        if flags >= 0 {
            libc::fcntl(fd, libc::F_SETFD, flags | libc::FD_CLOEXEC);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_pid_counts() {
        assert_eq!(count(Some("42"), Some("1"), 42), 1);
        assert_eq!(count(Some("41"), Some("1"), 42), 0);
        assert_eq!(count(None, Some("1"), 42), 0);
        assert_eq!(count(Some("42"), Some("x"), 42), 0);
        assert_eq!(count(Some("42"), Some("-3"), 42), 0);
        assert_eq!(count(Some("42"), Some("9999"), 42), 64);
    }
}
