//! tamga-core: the agent's core.
//!
//! A profile (RON, [`profile`]) names drivers and workflow settings; the static [`Registry`]
//! holds the [`TokenDriver`]s and [`Workflow`]s compiled into the build (Cargo features); the
//! [`Runner`] connects a token through a driver and runs a workflow on it, reporting
//! [`progress`] and asking the person through an [`Interaction`]. Errors carry stable codes,
//! a class for exit statuses, and messages in Russian, English and Kazakh ([`Lang`]).
//!
//! The [`Token`] trait and its vocabulary come from `tamga-token`, re-exported here: workflows
//! and front ends depend on this crate alone.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod driver;
pub mod drivers;
mod error;
pub mod interaction;
mod lang;
pub mod profile;
pub mod progress;
mod registry;
pub mod report;
mod runner;
mod workflow;

pub use tamga_token as token;
pub use tamga_token::{Attempt, Pin, PinCounters, PinStatus, Role, Token, TokenError, TokenInfo};

pub use driver::{TokenDriver, TokenSlot};
pub use error::{CoreError, ErrorClass, PluginError, SecretError};
pub use interaction::{Confirmation, Field, Interaction, SecretPrompt};
pub use lang::Lang;
pub use registry::Registry;
pub use runner::Runner;
pub use workflow::{Context, Outcome, Workflow};
