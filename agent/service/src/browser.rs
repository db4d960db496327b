//! The browser's reduced command set (the gpg-agent `S.gpg-agent.browser` precedent): a web page
//! may sign in, sign payment orders, register (enroll) and read counters — never format a token,
//! never use or change the admin PIN, never change or unblock the user PIN. The service applies
//! the same table again to requests that carry an origin, so a native host is not trusted to.

/// Whether a browser may run `workflow`'s `action`.
pub fn may_run(workflow: &str, action: &str) -> bool {
    match workflow {
        "login" | "sign" | "enroll" => true,
        "pin" => action == "status",
        _ => false,
    }
}

/// Whether the request signs something the person must see first (every signature does).
pub fn needs_confirmation(workflow: &str) -> bool {
    matches!(workflow, "sign" | "login" | "enroll")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_and_pin_changes_are_not_for_pages() {
        assert!(may_run("sign", "payment"));
        assert!(may_run("login", "login"));
        assert!(may_run("pin", "status"));
        for (w, a) in [
            ("pin", "change-user"),
            ("pin", "change-admin"),
            ("pin", "unblock"),
            ("token", "format"),
            ("format", "format"),
            ("", ""),
        ] {
            assert!(!may_run(w, a), "{w} {a}");
        }
    }
}
