//! Command-line syntax. Flag names follow `openssl dgst` and `openssl speed` where they overlap, so
//! that scripts port over with little change. A new subcommand is one variant here (its arguments
//! in a file of `cli/`) and one file in `cmd/`.

mod agent;
mod bank;
mod pki;
mod service;

pub use agent::*;
pub use bank::*;
pub use pki::*;
pub use service::*;

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use tamga_gost::SigEncoding;
use tamga_pki::HashAlg;

use crate::error::exit;

#[derive(Debug, Parser)]
#[command(
    name = "tamga",
    version,
    about = "tamga: an open agent for the KAZTOKEN GOST token",
    after_help = exit::HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// GOST R 34.10 signatures with key files (like `openssl dgst -sign/-verify`).
    #[command(subcommand)]
    Gost(GostCommand),
    /// Keygen, sign and verify rates per curve and Streebog throughput (like `openssl speed`).
    Speed(SpeedArgs),
    /// The tokens the profile's drivers see, and what a token says about itself.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The KAZTOKEN control panel: retry counters, PIN change, unblock.
    #[command(subcommand)]
    Pin(PinCommand),
    /// Profiles: validate one, or show which one applies.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// CMS signatures (.p7s): sign with a key file or PFX, verify every signer.
    #[command(subcommand)]
    Cms(CmsCommand),
    /// PKCS#12 key containers (.pfx, .p12).
    #[command(subcommand)]
    Pfx(PfxCommand),
    /// X.509 certificates: chain, validity and revocation.
    #[command(subcommand)]
    Cert(CertCommand),
    /// Certificate revocation lists: signature and currency.
    #[command(subcommand)]
    Crl(CrlCommand),
    /// Registration with the bank (the guide's §3): keys on the token, certificates from the
    /// CA, registration with the Internet-Banking; run again to resume an interrupted one.
    #[cfg(feature = "enroll")]
    Enroll(EnrollArgs),
    /// Log in to the Internet-Banking with the token (the AUTH key).
    #[cfg(feature = "login")]
    Login(LoginArgs),
    /// Show, sign (SIGN key) and submit a payment order.
    #[cfg(feature = "sign")]
    #[command(alias = "sign")]
    Pay(PayArgs),
    /// With no setup: a sandbox bank, a virtual KAZTOKEN, enrollment, login and a signed payment.
    #[cfg(feature = "demo")]
    Demo(DemoArgs),
    /// The service: owns the tokens and runs workflows for local clients over a unix socket.
    Serve(ServeArgs),
    /// The native-messaging host browsers start (through the launcher `browser install` writes).
    NativeHost(NativeHostArgs),
    /// The browser bridge: host manifests for Chromium, Chrome and Firefox.
    #[command(subcommand)]
    Browser(BrowserCommand),
}

#[derive(Debug, Subcommand)]
pub enum GostCommand {
    /// Sign a file with a PKCS#8 private key (OpenSSL gost engine or Kalkan, PEM or DER).
    Sign(SignArgs),
    /// Verify a raw signature with a public key or a certificate; exit 0 only if it verifies.
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// Private key: PKCS#8 PrivateKeyInfo, PEM ("PRIVATE KEY") or DER.
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,
    /// The file to sign (`-` for standard input).
    #[arg(long = "in", value_name = "FILE")]
    pub input: PathBuf,
    /// Where to write the raw signature, 64 or 128 bytes (`-` for standard output).
    #[arg(long, value_name = "SIG")]
    pub out: PathBuf,
    /// Signature layout: rfc9215 = s‖r big-endian (OpenSSL, X.509, CMS); kz = the same bytes
    /// reversed (Kalkan / NCA).
    #[arg(long, value_enum, default_value_t = SignEncoding::Rfc9215)]
    pub encoding: SignEncoding,
    /// Message hash [default: the key's: Streebog-256/512 for 2012/2015 keys, GOST 34.311-95 for
    /// 2001/2004 keys, or the digest named in the key's parameters]
    #[arg(long, value_parser = hash_parser())]
    pub hash: Option<HashAlg>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("public").required(true).args(["pubkey", "cert"])))]
pub struct VerifyArgs {
    /// Public key: SubjectPublicKeyInfo, PEM ("PUBLIC KEY") or DER.
    #[arg(long, value_name = "PUB")]
    pub pubkey: Option<PathBuf>,
    /// X.509 certificate holding the public key, PEM or DER.
    #[arg(long, value_name = "CERT")]
    pub cert: Option<PathBuf>,
    /// The signed file (`-` for standard input).
    #[arg(long = "in", value_name = "FILE")]
    pub input: PathBuf,
    /// The raw signature.
    #[arg(long, value_name = "SIG")]
    pub sig: PathBuf,
    /// Signature layout; auto accepts either.
    #[arg(long, value_enum, default_value_t = VerifyEncoding::Auto)]
    pub encoding: VerifyEncoding,
    /// Message hash [default: the key's, as for sign]
    #[arg(long, value_parser = hash_parser())]
    pub hash: Option<HashAlg>,
}

/// `--hash`: streebog256 (GOST R 34.11-2012, 256-bit), streebog512, gost34311 (GOST 34.311-95,
/// GOST R 34.11-94 with the test S-box, for Kazakh 2004 keys).
fn hash_parser() -> impl TypedValueParser<Value = HashAlg> {
    const ALL: [HashAlg; 3] = [
        HashAlg::Streebog256,
        HashAlg::Streebog512,
        HashAlg::Gost34311,
    ];
    PossibleValuesParser::new(ALL.map(HashAlg::name)).map(|name| {
        ALL.into_iter()
            .find(|h| h.name() == name)
            .unwrap_or(HashAlg::Streebog256)
    })
}

/// Layouts a signature can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SignEncoding {
    Rfc9215,
    Kz,
}

/// Layouts a signature can be read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum VerifyEncoding {
    Rfc9215,
    Kz,
    Auto,
}

impl From<SignEncoding> for SigEncoding {
    fn from(e: SignEncoding) -> Self {
        match e {
            SignEncoding::Rfc9215 => SigEncoding::Rfc9215,
            SignEncoding::Kz => SigEncoding::Kz,
        }
    }
}

impl From<VerifyEncoding> for SigEncoding {
    fn from(e: VerifyEncoding) -> Self {
        match e {
            VerifyEncoding::Rfc9215 => SigEncoding::Rfc9215,
            VerifyEncoding::Kz => SigEncoding::Kz,
            VerifyEncoding::Auto => SigEncoding::Auto,
        }
    }
}

/// The curves `tamga speed` measures unless told otherwise: the five the OpenSSL gost engine is
/// benchmarked on.
pub const DEFAULT_SPEED_CURVES: &str = "tc26-256-a,tc26-256-b,cryptopro-a,tc26-512-a,tc26-512-c";

#[derive(Debug, Args)]
pub struct SpeedArgs {
    /// CPU-seconds per measurement (fractional allowed).
    #[arg(long, value_name = "S", default_value_t = 1.0, value_parser = parse_seconds)]
    pub seconds: f64,
    /// Comma-separated curve names, or `all`.
    #[arg(long, value_name = "LIST", default_value = DEFAULT_SPEED_CURVES)]
    pub curves: String,
    /// Only these measurements (comma-separated) [default: all]
    #[arg(long, value_name = "LIST", value_enum, value_delimiter = ',')]
    pub ops: Vec<SpeedOp>,
    /// One JSON object per line instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// What `tamga speed` can measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SpeedOp {
    Keygen,
    Sign,
    Verify,
    /// Streebog-256 and Streebog-512 throughput.
    Hash,
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    // An upper bound keeps a typo (600000) from running for a week.
    if v.is_finite() && v > 0.0 && v <= 3600.0 {
        Ok(v)
    } else {
        Err("expected a number of seconds above 0 and at most 3600".to_owned())
    }
}
