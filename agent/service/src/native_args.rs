//! What a browser puts on a native host's command line. Chromium and Chrome pass the calling
//! extension's origin (`chrome-extension://<id>/`, on Windows also `--parent-window=N`);
//! Firefox passes the host manifest's path and the extension's ID. A host that refuses these
//! dies at once and the browser only says "Native host has exited", so anything is accepted
//! here and merely described.

/// Who started the host, as far as its arguments tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// Chromium or Chrome: the extension's ID (from `chrome-extension://<id>/`).
    Chromium {
        /// The 32-letter ID.
        extension_id: String,
    },
    /// Firefox: the manifest it read and the add-on's ID.
    Firefox {
        /// The manifest path.
        manifest: String,
        /// `browser_specific_settings.gecko.id`.
        extension_id: String,
    },
    /// Started by hand or by a test.
    Unknown,
}

impl Caller {
    /// Reads the arguments after the program name (and after `native-host`).
    pub fn from_args<S: AsRef<str>>(args: &[S]) -> Caller {
        let args: Vec<&str> = args
            .iter()
            .map(AsRef::as_ref)
            .filter(|a| !a.starts_with("--parent-window="))
            .collect();
        if let Some(rest) = args
            .first()
            .and_then(|a| a.strip_prefix("chrome-extension://"))
        {
            let id = rest.trim_end_matches('/');
            if is_chromium_id(id) {
                return Caller::Chromium {
                    extension_id: id.to_owned(),
                };
            }
        }
        if let [manifest, id] = args.as_slice() {
            if manifest.ends_with(".json") && !id.is_empty() && id.len() <= 256 {
                return Caller::Firefox {
                    manifest: (*manifest).to_owned(),
                    extension_id: (*id).to_owned(),
                };
            }
        }
        Caller::Unknown
    }

    /// The extension's ID, if a browser started the host.
    pub fn extension_id(&self) -> Option<&str> {
        match self {
            Caller::Chromium { extension_id } | Caller::Firefox { extension_id, .. } => {
                Some(extension_id)
            }
            Caller::Unknown => None,
        }
    }

    /// `chromium`, `firefox` or `unknown`, for the audit log.
    pub fn browser(&self) -> &'static str {
        match self {
            Caller::Chromium { .. } => "chromium",
            Caller::Firefox { .. } => "firefox",
            Caller::Unknown => "unknown",
        }
    }
}

/// 32 letters a–p: a Chromium extension ID (SHA-256 of the key, nibbles mapped to a–p).
pub fn is_chromium_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| (b'a'..=b'p').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_browser_convention_is_recognised() {
        let id = "bnmmnjhkpobofnaolchinpidmbcclhmm";
        assert_eq!(
            Caller::from_args(&[format!("chrome-extension://{id}/")]),
            Caller::Chromium {
                extension_id: id.into()
            }
        );
        assert_eq!(
            Caller::from_args(&[
                format!("chrome-extension://{id}/"),
                "--parent-window=0".into()
            ]),
            Caller::Chromium {
                extension_id: id.into()
            }
        );
        let ff = Caller::from_args(&["/home/u/.mozilla/native-messaging-hosts/x.json", "tamga@x"]);
        assert_eq!(ff.extension_id(), Some("tamga@x"));
        assert_eq!(ff.browser(), "firefox");
        assert_eq!(Caller::from_args::<&str>(&[]), Caller::Unknown);
        assert_eq!(
            Caller::from_args(&["chrome-extension://short/"]),
            Caller::Unknown
        );
        assert_eq!(
            Caller::from_args(&["--whatever", "x", "y"]),
            Caller::Unknown
        );
    }
}
