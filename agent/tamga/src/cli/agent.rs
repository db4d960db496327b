//! The arguments of the token, PIN and profile commands, and the options every command takes.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use tamga_core::Lang;

/// Options valid before or after any subcommand.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The profile (RON) [default: $TAMGA_PROFILE, then ~/.config/tamga/profile.ron,
    /// /etc/tamga/profile.ron, then the built-in one: a real KAZTOKEN over USB CCID]
    #[arg(long, global = true, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Language of messages: ru, en or kk [default: from LC_ALL, LC_MESSAGES, LANG]
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<Lang>,
    /// Log to standard error from this level on (never PINs or key bytes, even at trace).
    #[arg(long, global = true, value_enum, default_value_t = LogLevel::Warn)]
    pub log_level: LogLevel,
}

/// `--log-level`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogLevel {
    Off,
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

/// `--json`.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// One JSON object on standard output (also for errors) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `--token`.
#[derive(Debug, Args)]
pub struct TokenSelect {
    /// The token to use, by its id from `tamga token list` [default: the first one found].
    #[arg(long, value_name = "ID")]
    pub token: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// List the tokens the profile's drivers see.
    List(ListArgs),
    /// Label, serial, model, enrollment state and PIN counters of a token.
    Info(InfoArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    #[command(flatten)]
    pub select: TokenSelect,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub enum PinCommand {
    /// Show both retry counters (spends no try).
    Status(InfoArgs),
    /// Change the user PIN (the bank password), or with --admin the admin PIN.
    Change(ChangeArgs),
    /// Unblock the user PIN with the admin PIN and set a new user PIN.
    Unblock(PinArgs),
}

#[derive(Debug, Args)]
pub struct ChangeArgs {
    /// Change the admin PIN instead of the user PIN.
    #[arg(long)]
    pub admin: bool,
    #[command(flatten)]
    pub pin: PinArgs,
}

/// Where secrets come from when not from the terminal or pinentry, and the last-try consent.
#[derive(Debug, Args)]
pub struct PinArgs {
    /// File holding the current user PIN (one trailing newline is ignored).
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
    /// File holding the admin PIN.
    #[arg(long, value_name = "FILE")]
    pub admin_pin_file: Option<PathBuf>,
    /// File holding the new PIN.
    #[arg(long, value_name = "FILE")]
    pub new_pin_file: Option<PathBuf>,
    /// File holding the confirmation of the new PIN [default: --new-pin-file again].
    #[arg(long, value_name = "FILE", requires = "new_pin_file")]
    pub repeat_pin_file: Option<PathBuf>,
    /// Spend the last remaining try without asking (for scripts; a wrong PIN then blocks it).
    #[arg(long)]
    pub confirm_last_attempt: bool,
    #[command(flatten)]
    pub select: TokenSelect,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Validate a profile; errors point at file:line:col.
    Check(CheckArgs),
    /// Show which profile applies and why.
    Which(ListArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The profile to check.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
}
