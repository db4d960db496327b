//! `tamga browser install`: the native-messaging host manifests where each browser looks for
//! them, and a launcher for the manifests to name (a manifest's `path` takes no arguments, and
//! the browser adds its own: the launcher turns them into `tamga native-host …`).

use std::path::{Path, PathBuf};

use tamga_service::manifest::{self, Browser, Scope};

use crate::cli::{BrowserInstallArgs, GlobalArgs};
use crate::error::{Failure, Result};

pub fn install(args: &BrowserInstallArgs, g: &GlobalArgs) -> Result<()> {
    let mut browsers = Vec::new();
    if args.chromium {
        browsers.push(Browser::Chromium);
    }
    if args.chrome {
        browsers.push(Browser::Chrome);
    }
    if args.firefox {
        browsers.push(Browser::Firefox);
    }
    if browsers.is_empty() {
        browsers = vec![Browser::Chromium, Browser::Chrome, Browser::Firefox];
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let scope = match (&args.profile_dir, args.system) {
        (Some(dir), _) => Scope::ProfileDir(dir.clone()),
        (None, true) => Scope::System,
        (None, false) => Scope::User(
            home.clone()
                .ok_or_else(|| Failure::invalid("HOME is not set"))?,
        ),
    };
    let launcher = match &args.host_path {
        Some(p) => p.clone(),
        None => write_launcher(&scope, home.as_deref(), g)?,
    };
    for b in browsers {
        let dir = manifest::directory(b, &scope);
        std::fs::create_dir_all(&dir).map_err(|e| Failure::io("create", &dir, &e))?;
        let path = dir.join(format!("{}.json", manifest::HOST_NAME));
        let text = manifest::manifest(b, &launcher);
        std::fs::write(&path, text).map_err(|e| Failure::io("write", &path, &e))?;
        println!("{}", path.display());
    }
    Ok(())
}

/// `#!/bin/sh` + `exec tamga [--profile P] native-host "$@"`, executable.
fn write_launcher(scope: &Scope, home: Option<&Path>, g: &GlobalArgs) -> Result<PathBuf> {
    let path = match scope {
        Scope::ProfileDir(dir) => dir.join("tamga-native-host"),
        Scope::System => PathBuf::from("/usr/local/libexec/tamga/tamga-native-host"),
        Scope::User(_) => home
            .map(|h| h.join(".local/libexec/tamga/tamga-native-host"))
            .ok_or_else(|| Failure::invalid("HOME is not set"))?,
    };
    let exe = std::env::current_exe().map_err(|e| Failure::invalid(format!("where am I: {e}")))?;
    let mut command = vec![quote(&exe)];
    if let Some(p) = &g.profile {
        let p = std::path::absolute(p).unwrap_or_else(|_| p.clone());
        command.push("--profile".into());
        command.push(quote(&p));
    }
    command.push("native-host".into());
    let script = format!(
        "#!/bin/sh\n# Written by `tamga browser install`: browsers start this with their own arguments.\nexec {} \"$@\"\n",
        command.join(" ")
    );
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Failure::io("create", dir, &e))?;
    }
    std::fs::write(&path, script).map_err(|e| Failure::io("write", &path, &e))?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| Failure::io("chmod", &path, &e))?;
    Ok(path)
}

/// Single quotes for sh.
fn quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', r"'\''"))
}
