//! Who may talk to the service: root, the user the service runs as, the user of the active
//! local session (logind's seats, as uaccess grants the token itself), and the members of a
//! group named in the profile. Everyone else is refused and an audit line says so.

use std::path::Path;

use crate::peer::PeerCred;

/// The decision's inputs, fixed at start (the seat's user is read at each connect).
#[derive(Clone, Debug, Default)]
pub struct AccessPolicy {
    /// The service's own uid (a user service serves its user).
    pub own_uid: u32,
    /// The profile's group, resolved to its gid.
    pub group: Option<u32>,
    /// Where logind publishes seats (`/run/systemd/seats`); `None` in tests.
    pub seats_dir: Option<std::path::PathBuf>,
}

/// Why a peer was let in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Granted {
    /// uid 0.
    Root,
    /// The service's own user.
    SameUser,
    /// The active session's user.
    SessionUser,
    /// A member of the profile's group.
    Group,
}

impl AccessPolicy {
    /// Whether `peer` may use the service.
    pub fn check(&self, peer: &PeerCred) -> Option<Granted> {
        if peer.uid == 0 {
            return Some(Granted::Root);
        }
        if peer.uid == self.own_uid {
            return Some(Granted::SameUser);
        }
        if let Some(dir) = &self.seats_dir {
            if active_seat_uids(dir).contains(&peer.uid) {
                return Some(Granted::SessionUser);
            }
        }
        match self.group {
            Some(g) if peer.gid == g || peer.groups.contains(&g) => Some(Granted::Group),
            _ => None,
        }
    }
}

/// The `ACTIVE_UID=` of every seat file logind keeps (`/run/systemd/seats/seat0`).
pub fn active_seat_uids(dir: &Path) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("ACTIVE_UID="))
                .and_then(|v| v.trim().parse().ok())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(uid: u32, gid: u32, groups: &[u32]) -> PeerCred {
        PeerCred {
            pid: 1,
            uid,
            gid,
            groups: groups.to_vec(),
        }
    }

    #[test]
    fn root_self_seat_and_group_only() {
        let seats = tempfile::tempdir().unwrap();
        std::fs::write(
            seats.path().join("seat0"),
            "IS_SEAT0=1\nACTIVE=c2\nACTIVE_UID=1001\n",
        )
        .unwrap();
        let p = AccessPolicy {
            own_uid: 999,
            group: Some(500),
            seats_dir: Some(seats.path().into()),
        };
        assert_eq!(p.check(&peer(0, 0, &[])), Some(Granted::Root));
        assert_eq!(p.check(&peer(999, 9, &[])), Some(Granted::SameUser));
        assert_eq!(p.check(&peer(1001, 9, &[])), Some(Granted::SessionUser));
        assert_eq!(p.check(&peer(1002, 500, &[])), Some(Granted::Group));
        assert_eq!(p.check(&peer(1002, 9, &[7, 500])), Some(Granted::Group));
        assert_eq!(p.check(&peer(1002, 9, &[7])), None);
        let no_group = AccessPolicy { group: None, ..p };
        assert_eq!(no_group.check(&peer(1002, 500, &[500])), None);
    }
}
