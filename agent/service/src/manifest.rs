//! Native-messaging host manifests and where each browser reads them on Linux. The host name and
//! the extension IDs are fixed: the Chromium ID follows from the `key` in
//! tools/browser-extension/chromium/manifest.json (first 16 bytes of SHA-256 of the key, in
//! nibbles a–p), the Firefox ID is `browser_specific_settings.gecko.id`.

use std::path::{Path, PathBuf};

use serde_json::json;

/// The host's name (`connectNative` argument, manifest file name).
pub const HOST_NAME: &str = "kz.tamga.bridge";

/// The Chromium/Chrome extension ID (from the manifest's `key`).
pub const CHROMIUM_EXTENSION_ID: &str = "kkkkhmjhdcimbmimiknloeoffnhmmhoo";

/// The Firefox add-on ID.
pub const FIREFOX_EXTENSION_ID: &str = "tamga-bridge@tamga.kz";

/// A browser family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    /// Debian's `chromium`.
    Chromium,
    /// Google Chrome.
    Chrome,
    /// Firefox (and Firefox ESR).
    Firefox,
}

/// For whom the manifest is installed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every user of the machine.
    System,
    /// One user: their home directory.
    User(PathBuf),
    /// A browser's user-data directory (`--user-data-dir`), or for Firefox a `$HOME`.
    ProfileDir(PathBuf),
}

/// The directory the browser reads host manifests from.
pub fn directory(browser: Browser, scope: &Scope) -> PathBuf {
    match (browser, scope) {
        (Browser::Chromium, Scope::System) => "/etc/chromium/native-messaging-hosts".into(),
        (Browser::Chrome, Scope::System) => "/etc/opt/chrome/native-messaging-hosts".into(),
        (Browser::Firefox, Scope::System) => "/usr/lib/mozilla/native-messaging-hosts".into(),
        (Browser::Chromium, Scope::User(h)) => h.join(".config/chromium/NativeMessagingHosts"),
        (Browser::Chrome, Scope::User(h)) => h.join(".config/google-chrome/NativeMessagingHosts"),
        (Browser::Firefox, Scope::User(h)) => h.join(".mozilla/native-messaging-hosts"),
        // With --user-data-dir, Chromium reads only <dir>/NativeMessagingHosts.
        (Browser::Chromium | Browser::Chrome, Scope::ProfileDir(d)) => {
            d.join("NativeMessagingHosts")
        }
        // Firefox follows $HOME, not the profile.
        (Browser::Firefox, Scope::ProfileDir(d)) => d.join(".mozilla/native-messaging-hosts"),
    }
}

/// The manifest's text, naming `host` (an absolute path, executable, taking no arguments of its
/// own).
pub fn manifest(browser: Browser, host: &Path) -> String {
    let mut m = json!({
        "name": HOST_NAME,
        "description": "tamga: KAZTOKEN for the bank's web pages",
        "path": host.display().to_string(),
        "type": "stdio",
    });
    match browser {
        Browser::Chromium | Browser::Chrome => {
            m["allowed_origins"] = json!([format!("chrome-extension://{CHROMIUM_EXTENSION_ID}/")]);
        }
        Browser::Firefox => m["allowed_extensions"] = json!([FIREFOX_EXTENSION_ID]),
    }
    serde_json::to_string_pretty(&m).unwrap_or_default() + "\n"
}

/// The Chromium ID of an extension `key` (base64 DER SubjectPublicKeyInfo).
pub fn chromium_id(der: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(der)[..16]
        .iter()
        .flat_map(|b| [b >> 4, b & 15])
        .map(|n| char::from(b'a' + n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHROMIUM: &str = include_str!("../../../tools/browser-extension/chromium/manifest.json");
    const FIREFOX: &str = include_str!("../../../tools/browser-extension/firefox/manifest.json");

    fn b64(s: &str) -> Vec<u8> {
        // A small decoder: the key is the only base64 this crate reads, and only in tests.
        let val = |c: u8| match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            _ => 63,
        };
        let bytes: Vec<u8> = s.bytes().filter(|c| *c != b'=').map(val).collect();
        bytes
            .chunks(4)
            .flat_map(|c| {
                let n = c.iter().fold(0u32, |a, v| (a << 6) | u32::from(*v)) << (6 * (4 - c.len()));
                let out = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
                out.into_iter().take(c.len() * 3 / 4)
            })
            .collect()
    }

    #[test]
    fn the_ids_follow_from_the_committed_manifests() {
        let m: serde_json::Value = serde_json::from_str(CHROMIUM).unwrap();
        let key = b64(m["key"].as_str().unwrap());
        assert_eq!(chromium_id(&key), CHROMIUM_EXTENSION_ID);
        let f: serde_json::Value = serde_json::from_str(FIREFOX).unwrap();
        assert_eq!(
            f["browser_specific_settings"]["gecko"]["id"],
            FIREFOX_EXTENSION_ID
        );
        // Both variants are allowed on the same origins and run the same scripts (copies: a
        // temporary Firefox add-on does not follow symbolic links).
        assert_eq!(m["content_scripts"], f["content_scripts"]);
        assert_eq!(m["host_permissions"], f["host_permissions"]);
        let ext = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tools/browser-extension/"
        );
        for js in ["content.js", "background.js"] {
            let read = |d: &str| std::fs::read(format!("{ext}{d}/{js}")).unwrap();
            assert_eq!(
                read("chromium"),
                read("firefox"),
                "{js} differs between the variants"
            );
        }
    }

    #[test]
    fn manifests_and_places() {
        let host = Path::new("/usr/libexec/tamga/tamga-native-host");
        let c: serde_json::Value =
            serde_json::from_str(&manifest(Browser::Chromium, host)).unwrap();
        assert_eq!(
            c["allowed_origins"][0],
            format!("chrome-extension://{CHROMIUM_EXTENSION_ID}/")
        );
        let f: serde_json::Value = serde_json::from_str(&manifest(Browser::Firefox, host)).unwrap();
        assert_eq!(f["allowed_extensions"][0], FIREFOX_EXTENSION_ID);
        let d = Scope::ProfileDir("/tmp/p".into());
        assert_eq!(
            directory(Browser::Chromium, &d),
            Path::new("/tmp/p/NativeMessagingHosts")
        );
        assert_eq!(
            directory(Browser::Firefox, &d),
            Path::new("/tmp/p/.mozilla/native-messaging-hosts")
        );
    }
}
