//! The arguments of the bank commands: enroll, login, pay, demo.

use std::path::PathBuf;

use clap::Args;

use super::{OutputArgs, TokenSelect};

/// `tamga enroll`: the registration wizard; every answer may come from a flag or `--answers`.
#[derive(Debug, Args)]
pub struct EnrollArgs {
    /// An answers file (RON; see the README): any field not given as a flag.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// The user ID from annex 2 of the contract (`qq111111_qwertyui`).
    #[arg(long, value_name = "ID")]
    pub user_id: Option<String>,
    /// File holding the PIN from the OTP card.
    #[arg(long, value_name = "FILE")]
    pub otp_pin_file: Option<PathBuf>,
    /// The primary initialization key file (GOST.pfx or Key.pfx).
    #[arg(long, value_name = "GOST.pfx")]
    pub key_file: Option<PathBuf>,
    /// File holding the key file's own password (when it does not match the OTP PIN).
    #[arg(long, value_name = "FILE", conflicts_with = "password_matches_pin")]
    pub key_password_file: Option<PathBuf>,
    /// The key file's password is the OTP PIN (the guide's default).
    #[arg(long)]
    pub password_matches_pin: bool,
    /// A name for the token (Latin letters, optional).
    #[arg(long, value_name = "NAME")]
    pub token_name: Option<String>,
    /// File holding the token's current password [default: the factory 12345678].
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
    /// File holding the new token password.
    #[arg(long, value_name = "FILE")]
    pub new_pin_file: Option<PathBuf>,
    /// File holding its confirmation [default: --new-pin-file again].
    #[arg(long, value_name = "FILE", requires = "new_pin_file")]
    pub repeat_pin_file: Option<PathBuf>,
    /// The certificate term in months (from the contract) [default: the profile's first].
    #[arg(long, value_name = "MONTHS")]
    pub term: Option<u16>,
    /// Answer yes to the confirmation screen.
    #[arg(long)]
    pub yes: bool,
    /// Spend the last remaining PIN try without asking.
    #[arg(long)]
    pub confirm_last_attempt: bool,
    #[command(flatten)]
    pub select: TokenSelect,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// What every command that signs with an enrolled key takes (login, pay): the token password,
/// the last-try consent, the token, the output.
#[derive(Debug, Args)]
pub struct SessionArgs {
    /// File holding the token password.
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
    /// Spend the last remaining PIN try without asking.
    #[arg(long)]
    pub confirm_last_attempt: bool,
    #[command(flatten)]
    pub select: TokenSelect,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `tamga login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    #[command(flatten)]
    pub session: SessionArgs,
}

/// `tamga pay ORDER.json`.
#[derive(Debug, Args)]
pub struct PayArgs {
    /// The payment order (JSON, PROTOCOL.md's format).
    #[arg(value_name = "ORDER.json")]
    pub order: PathBuf,
    /// Also keep the signed CMS (DER) here.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Sign without asking (the order was checked elsewhere).
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub session: SessionArgs,
}

/// `tamga demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Keep everything in this directory (the bank's database, the customer's files, the
    /// certificates, the signed payment) [default: a temporary one, removed at the end].
    #[arg(long, value_name = "DIR")]
    pub workdir: Option<PathBuf>,
    /// Simulated key-generation time on the virtual token, in milliseconds (a real KAZTOKEN:
    /// up to 5 minutes).
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub keygen_delay_ms: u64,
    /// Use a fresh SoftHSM2 token (in the work directory) through the PKCS#11 driver, with EC
    /// P-256 keys, instead of the virtual KAZTOKEN; MODULE is SoftHSM2's PKCS#11 module (where
    /// Debian and Ubuntu install it by default).
    #[arg(
        long,
        value_name = "MODULE",
        num_args = 0..=1,
        default_missing_value = "/usr/lib/softhsm/libsofthsm2.so"
    )]
    pub softhsm: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}
