//! Ending a dialog program that does not answer in time. A pinentry (or a script standing in
//! for one) may have children holding its output pipe open, so killing its process alone would
//! leave the reader waiting; it runs in its own process group and the whole group is killed.

use std::io;

/// Sends SIGKILL to every process in the group `pgid` (a child started with
/// `process_group(0)` leads a group whose id is its pid).
pub fn kill(pgid: u32) -> io::Result<()> {
    let pgid = libc::pid_t::try_from(pgid).map_err(|_| io::Error::other("process group id"))?;
    // 0 and 1 would name our own group or every process: never a dialog's group.
    if pgid <= 1 {
        return Err(io::Error::other("refusing to signal process group 0 or 1"));
    }
    // SAFETY: kill(2) takes plain integers and touches no memory of ours.
    let rc = unsafe { libc::kill(-pgid, libc::SIGKILL) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_our_own_group_and_init() {
        assert!(kill(0).is_err());
        assert!(kill(1).is_err());
    }

    #[test]
    fn kills_a_group_with_its_children() {
        use std::os::unix::process::CommandExt;
        let mut child = std::process::Command::new("sh")
            .args(["-c", "sleep 60 & sleep 60"])
            .process_group(0)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(100));
        kill(child.id()).unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success());
    }
}
