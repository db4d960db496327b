//! The arguments of `tamga serve`, `tamga native-host` and `tamga browser install`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Listen on this unix socket when systemd passes none [default: $RUNTIME_DIRECTORY/agent.sock,
    /// else $XDG_RUNTIME_DIR/tamga/agent.sock, else /run/tamga/agent.sock]
    #[arg(long, value_name = "PATH")]
    pub socket: Option<PathBuf>,
    /// Exit after this many idle seconds [default: the profile's service.idle_exit_s]; 0 never.
    #[arg(long, value_name = "S")]
    pub idle_exit: Option<u64>,
    /// Append audit lines to this file as well as to the log [default: $STATE_DIRECTORY/audit.log
    /// under systemd, none otherwise].
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NativeHostArgs {
    /// The service socket to relay to [default: $TAMGA_SOCKET, $XDG_RUNTIME_DIR/tamga/agent.sock,
    /// /run/tamga/agent.sock]; without a service the host runs the workflow itself.
    #[arg(long, value_name = "PATH")]
    pub socket: Option<PathBuf>,
    /// Never relay: run the workflow in this process.
    #[arg(long)]
    pub no_relay: bool,
    /// Whatever the browser passes: Chromium the extension's origin, Firefox the manifest path
    /// and the add-on ID. Accepted and only logged.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    pub browser_args: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum BrowserCommand {
    /// Write the native-messaging host manifests (and the host launcher) for the browsers.
    Install(BrowserInstallArgs),
}

#[derive(Debug, Args)]
pub struct BrowserInstallArgs {
    /// Chromium (Debian's `chromium`).
    #[arg(long)]
    pub chromium: bool,
    /// Google Chrome.
    #[arg(long)]
    pub chrome: bool,
    /// Firefox.
    #[arg(long)]
    pub firefox: bool,
    /// For the current user [default].
    #[arg(long, conflicts_with = "system")]
    pub user: bool,
    /// For every user (/etc/chromium, /etc/opt/chrome, /usr/lib/mozilla; needs root).
    #[arg(long)]
    pub system: bool,
    /// Into a browser's user-data directory (Chromium/Chrome: DIR/NativeMessagingHosts) or, for
    /// Firefox, a home directory (DIR/.mozilla/native-messaging-hosts); for tests and kiosks.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["system", "user"])]
    pub profile_dir: Option<PathBuf>,
    /// Point the manifests at this launcher instead of writing one.
    #[arg(long, value_name = "PATH")]
    pub host_path: Option<PathBuf>,
}
