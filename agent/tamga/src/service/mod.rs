//! `tamga serve`: the service that owns the tokens and runs workflows for local clients over a
//! unix socket (docs/service-api.md). systemd hands it its socket (activation) and learns when
//! it is ready (`Type=notify`); it exits when idle and is started again by the next client.
//!
//! `conn` serves one client, `ask` turns a workflow's questions into asks for the client,
//! `gate` is the browser policy, `signer` reads the signing certificate for its dialog,
//! `hotplug` watches the tokens, `outcome` shapes results.

pub mod ask;
pub mod conn;
pub mod gate;
pub mod hotplug;
pub mod outcome;
pub mod signer;

use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tamga_core::profile::{LoadedProfile, Lookup};
use tamga_core::Lang;
use tamga_service::access::AccessPolicy;
use tamga_service::audit::Entry;
use tamga_service::rate::RateLimit;
use tamga_service::{activation, notify, peer};

use crate::cli::{GlobalArgs, ServeArgs};
use crate::error::{Failure, Result};
use conn::{send_line, Writer};

/// What every connection shares.
pub struct Shared {
    pub profile: LoadedProfile,
    pub lang: Lang,
    pub access: AccessPolicy,
    audit_file: Option<PathBuf>,
    /// One workflow (or enumeration) on the tokens at a time.
    tokens: Mutex<()>,
    subscribers: Mutex<Vec<Writer>>,
    known: Mutex<Vec<Value>>,
    rate: Mutex<RateLimit>,
    clients: AtomicUsize,
    last_active: Mutex<Instant>,
}

impl Shared {
    pub fn audit(&self, e: &Entry<'_>) {
        e.emit(self.audit_file.as_deref());
    }

    pub fn token_lock(&self) -> MutexGuard<'_, ()> {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn try_token_lock(&self) -> Option<MutexGuard<'_, ()>> {
        match self.tokens.try_lock() {
            Ok(g) => Some(g),
            Err(std::sync::TryLockError::Poisoned(p)) => Some(p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    pub fn touch(&self) {
        *self.last_active.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
    }

    pub fn admit(&self, origin: &str, per_minute: u32) -> bool {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let max = usize::try_from(per_minute).unwrap_or(usize::MAX);
        self.rate
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .admit(origin, now, max, 60)
    }

    pub fn subscribe(&self, w: Writer) {
        self.subscribers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(w);
    }

    pub fn unsubscribe(&self, w: &Writer) {
        self.subscribers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|s| !Arc::ptr_eq(s, w));
    }

    pub fn known_tokens(&self) -> Vec<Value> {
        self.known.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Sends an event to every subscriber, forgetting those that went away.
    pub fn broadcast(&self, line: &str) {
        self.subscribers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|w| send_line(w, line).is_ok());
    }
}

/// The profile for the service: `--profile`, else `$CONFIGURATION_DIRECTORY/profile.ron`
/// (systemd's `ConfigurationDirectory=tamga`, i.e. /etc/tamga), else the usual lookup; state
/// files go to `$STATE_DIRECTORY` when systemd gives one.
pub fn load_profile(g: &GlobalArgs) -> std::result::Result<LoadedProfile, Failure> {
    let lang = crate::agent::lang(g);
    let option = g.profile.clone().or_else(|| {
        std::env::var_os("CONFIGURATION_DIRECTORY")
            .map(|d| first_dir(&d).join("profile.ron"))
            .filter(|p| p.is_file())
    });
    let mut profile = Lookup::from_env(option).load().map_err(|e| {
        let e = tamga_core::CoreError::from(e);
        Failure::Agent {
            exit: crate::agent::exit_code(e.class()),
            message: e.message(lang),
        }
    })?;
    if let Some(state) = std::env::var_os("STATE_DIRECTORY") {
        profile.dirs.state = first_dir(&state);
    }
    Ok(profile)
}

/// systemd joins several directories with `:`; the first is ours.
fn first_dir(v: &std::ffi::OsStr) -> PathBuf {
    let s = v.to_string_lossy();
    PathBuf::from(s.split(':').next().unwrap_or_default())
}

/// The default socket: `$RUNTIME_DIRECTORY/agent.sock` (systemd), `$XDG_RUNTIME_DIR/tamga/…`
/// for a user, `/run/tamga/agent.sock` for root.
pub fn default_socket() -> PathBuf {
    if let Some(d) = std::env::var_os("RUNTIME_DIRECTORY") {
        return first_dir(&d).join("agent.sock");
    }
    match std::env::var_os("XDG_RUNTIME_DIR") {
        Some(d) if peer::own_uid() != 0 => PathBuf::from(d).join("tamga/agent.sock"),
        _ => PathBuf::from("/run/tamga/agent.sock"),
    }
}

fn listener(args: &ServeArgs) -> Result<(UnixListener, String)> {
    if let Some(fd) = activation::listen_fds().into_iter().next() {
        let l = UnixListener::from(fd);
        let name = l
            .local_addr()
            .ok()
            .and_then(|a| a.as_pathname().map(|p| p.display().to_string()))
            .unwrap_or_else(|| "the socket systemd passed".into());
        return Ok((l, name));
    }
    let path = args.socket.clone().unwrap_or_else(default_socket);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Failure::io("create", dir, &e))?;
    }
    remove_stale(&path);
    let l = UnixListener::bind(&path).map_err(|e| Failure::io("listen on", &path, &e))?;
    Ok((l, path.display().to_string()))
}

/// A socket file nobody listens on is left over from a crash; a live one is not ours to take.
fn remove_stale(path: &Path) {
    if path.exists() && std::os::unix::net::UnixStream::connect(path).is_err() {
        let _ = std::fs::remove_file(path);
    }
}

pub fn serve(args: &ServeArgs, g: &GlobalArgs) -> Result<()> {
    let profile = load_profile(g)?;
    let lang = crate::agent::lang(g);
    let settings = profile.profile.service.clone();
    let group = match &settings.group {
        Some(name) => match peer::group_gid(name) {
            Some(gid) => Some(gid),
            None => {
                log::warn!("the profile's group `{name}` does not exist; only root and the session user may connect");
                None
            }
        },
        None => None,
    };
    let audit_file = args
        .audit_log
        .clone()
        .or_else(|| std::env::var_os("STATE_DIRECTORY").map(|d| first_dir(&d).join("audit.log")));
    let (listener, name) = listener(args)?;
    let shared = Arc::new(Shared {
        profile,
        lang,
        access: AccessPolicy {
            own_uid: peer::own_uid(),
            group,
            seats_dir: Some(PathBuf::from("/run/systemd/seats")),
        },
        audit_file,
        tokens: Mutex::new(()),
        subscribers: Mutex::new(Vec::new()),
        known: Mutex::new(Vec::new()),
        rate: Mutex::new(RateLimit::default()),
        clients: AtomicUsize::new(0),
        last_active: Mutex::new(Instant::now()),
    });
    hotplug::spawn(
        shared.clone(),
        Duration::from_millis(settings.hotplug_poll_ms.max(50)),
    );
    log::info!("listening on {name}");
    // READY before the first client's STATUS: systemd (and the test) read READY first.
    notify::ready(&format!("listening on {name}"));
    {
        let shared = shared.clone();
        std::thread::spawn(move || accept(listener, shared));
    }
    let idle = Duration::from_secs(args.idle_exit.unwrap_or(settings.idle_exit_s));
    let watchdog = notify::watchdog_interval().map(|i| i / 2);
    let mut last_ping = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(200));
        if let Some(w) = watchdog {
            if last_ping.elapsed() >= w {
                notify::watchdog();
                last_ping = Instant::now();
            }
        }
        let quiet = shared
            .last_active
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .elapsed();
        if !idle.is_zero() && shared.clients.load(Ordering::SeqCst) == 0 && quiet >= idle {
            log::info!("idle for {}s: exiting", idle.as_secs());
            notify::stopping();
            return Ok(());
        }
    }
}

fn accept(listener: UnixListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        shared.clients.fetch_add(1, Ordering::SeqCst);
        shared.touch();
        notify::status(&format!(
            "{} client(s)",
            shared.clients.load(Ordering::SeqCst)
        ));
        let shared = shared.clone();
        std::thread::spawn(move || {
            conn::serve(stream, shared.clone());
            shared.clients.fetch_sub(1, Ordering::SeqCst);
            shared.touch();
        });
    }
}
