//! tamga-service: the pure parts of `tamga serve` and `tamga native-host`.
//!
//! Everything here reads outside bytes (a socket client's JSON lines, a browser's frames, the
//! environment systemd hands over) and is bounded and panic-free; the binary (`agent/tamga`)
//! puts it together with the registry, the runner and pinentry.
//!
//! - [`api`]: the versioned JSON API of the service socket (requests, replies, events, asks).
//! - [`lines`]: newline-delimited JSON with a length cap.
//! - [`frame`]: native-messaging frames (4-byte native-endian length + UTF-8 JSON), chunking.
//! - [`native_args`]: what each browser passes a native host on its command line.
//! - [`peer`], [`access`]: who is calling (SO_PEERCRED) and whether they may.
//! - [`activation`], [`notify`]: systemd socket activation and readiness.
//! - [`origin`], [`browser`], [`rate`], [`payment`], [`audit`]: the browser policy.
//! - [`manifest`]: native-messaging host manifests and where each browser looks for them.
//! - [`lock`]: one prompt at a time across host processes.
//! - [`group`]: killing a dialog program (and its children) that outlived its time.
#![warn(missing_docs)]

pub mod access;
pub mod activation;
pub mod api;
pub mod audit;
pub mod browser;
pub mod frame;
pub mod group;
pub mod lines;
pub mod lock;
pub mod manifest;
pub mod native_args;
pub mod notify;
pub mod origin;
pub mod payment;
pub mod peer;
pub mod rate;
