//! Who is at the other end of a unix socket: SO_PEERCRED (pid, uid, gid at connect time, set by
//! the kernel, unforgeable) and SO_PEERGROUPS (the supplementary groups). std has no stable
//! `peer_cred` yet, hence the two `getsockopt` calls.

use std::io;
use std::os::fd::AsRawFd;

/// The credentials of a connected peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerCred {
    /// Its process (for the audit log only: pids are reused, so never for decisions).
    pub pid: i32,
    /// Its user.
    pub uid: u32,
    /// Its primary group.
    pub gid: u32,
    /// Its supplementary groups (empty where the kernel cannot say).
    pub groups: Vec<u32>,
}

/// Reads the peer's credentials from a connected unix stream socket.
pub fn peer_cred(socket: &impl AsRawFd) -> io::Result<PeerCred> {
    let fd = socket.as_raw_fd();
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = libc::socklen_t::try_from(std::mem::size_of::<libc::ucred>())
        .map_err(|_| io::Error::other("ucred size"))?;
    // SAFETY: `cred` is a valid, writable ucred of `len` bytes; the kernel writes at most `len`.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(PeerCred {
        pid: cred.pid,
        uid: cred.uid,
        gid: cred.gid,
        groups: peer_groups(fd).unwrap_or_default(),
    })
}

fn peer_groups(fd: i32) -> io::Result<Vec<u32>> {
    let mut groups = vec![0 as libc::gid_t; 256];
    let mut len = libc::socklen_t::try_from(groups.len() * std::mem::size_of::<libc::gid_t>())
        .map_err(|_| io::Error::other("groups size"))?;
    // SAFETY: the buffer holds `len` bytes of gid_t; the kernel writes at most `len` bytes and
    // sets `len` to what it wrote (or ERANGE when more are needed, then we give up on groups).
    let rc = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_PEERGROUPS,
            groups.as_mut_ptr().cast(),
            &mut len,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    let n = usize::try_from(len).unwrap_or(0) / std::mem::size_of::<libc::gid_t>();
    groups.truncate(n.min(256));
    Ok(groups)
}

/// This process's effective uid.
pub fn own_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// The gid of a group by name, from the system's group database.
pub fn group_gid(name: &str) -> Option<u32> {
    let c = std::ffi::CString::new(name).ok()?;
    let mut grp: libc::group = unsafe { std::mem::zeroed() };
    let mut buf = vec![0 as libc::c_char; 16 << 10];
    let mut out: *mut libc::group = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call; `buf` outlives it; getgrnam_r writes only
    // into `grp` and `buf` and sets `out` to `&grp` or null.
    let rc =
        unsafe { libc::getgrnam_r(c.as_ptr(), &mut grp, buf.as_mut_ptr(), buf.len(), &mut out) };
    (rc == 0 && !out.is_null()).then_some(grp.gr_gid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixStream;

    #[test]
    fn a_socket_pair_sees_this_process() {
        let (a, _b) = UnixStream::pair().unwrap();
        let c = peer_cred(&a).unwrap();
        assert_eq!(c.uid, own_uid());
        assert_eq!(c.pid, i32::try_from(std::process::id()).unwrap());
        assert_eq!(group_gid("root"), Some(0));
        assert_eq!(group_gid("no-such-group-tamga"), None);
    }
}
