//! The arguments of the PKI commands: `cms sign|verify`, `pfx inspect`, `cert verify`,
//! `crl verify`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::OutputArgs;

#[derive(Debug, Subcommand)]
pub enum CmsCommand {
    /// Make a CMS SignedData (.p7s) with a PKCS#8 key or a PFX and its certificate.
    Sign(CmsSignArgs),
    /// Verify every signer of a CMS SignedData; exit 0 only if all verify.
    Verify(CmsVerifyArgs),
}

#[derive(Debug, Args)]
pub struct CmsSignArgs {
    /// Private key: PKCS#8 (OpenSSL or Kalkan, PEM or DER, plain or encrypted) or a PKCS#12
    /// container (.pfx/.p12).
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,
    /// File holding the password of an encrypted key or PFX (one trailing newline is ignored)
    /// [default: a no-echo prompt on the terminal, else pinentry].
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// The signer's certificate (PEM or DER); its public key must be the key's.
    #[arg(long, value_name = "CERT")]
    pub cert: PathBuf,
    /// The file to sign (`-` for standard input).
    #[arg(long = "in", value_name = "FILE")]
    pub input: PathBuf,
    /// Where to write the SignedData, DER (`-` for standard output).
    #[arg(long, value_name = "SIG.p7s")]
    pub out: PathBuf,
    /// Put the content inside the SignedData [default: detached].
    #[arg(long)]
    pub attached: bool,
    /// No signed attributes: sign the content digest itself (like `openssl cms -noattr`).
    #[arg(long)]
    pub no_attrs: bool,
    /// Leave the signer's certificate out (like `openssl cms -nocerts`).
    #[arg(long)]
    pub no_cert: bool,
    /// Signature layout [default: the certificate's family: rfc9215 for Russian (TC26) OIDs,
    /// kz for Kazakh (NCA) OIDs]
    #[arg(long, value_enum)]
    pub encoding: Option<CmsEncoding>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Layouts a CMS signature can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CmsEncoding {
    Rfc9215,
    Kz,
}

#[derive(Debug, Args)]
pub struct CmsVerifyArgs {
    /// The signed content of a detached signature [default: the content inside the SignedData].
    #[arg(long = "in", value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// The SignedData (.p7s), DER or PEM.
    #[arg(long, value_name = "SIG.p7s")]
    pub sig: PathBuf,
    /// Trust anchor(s): every signer must chain to one at the current time (repeatable; PEM
    /// bundles allowed) [default: check signatures only].
    #[arg(long, value_name = "CA")]
    pub ca: Vec<PathBuf>,
    /// Certificates besides those inside the SignedData: signers' and intermediates'
    /// (repeatable; PEM bundles allowed).
    #[arg(long, value_name = "CERT")]
    pub certfile: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub enum PfxCommand {
    /// Show what a PKCS#12 container holds: key algorithms and curves, certificates (never key
    /// material).
    Inspect(PfxInspectArgs),
}

#[derive(Debug, Args)]
pub struct PfxInspectArgs {
    /// The container (.pfx, .p12).
    #[arg(long = "in", value_name = "FILE.pfx")]
    pub input: PathBuf,
    /// File holding its password [default: a no-echo prompt on the terminal, else pinentry].
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Verify a certificate: chain to a CA, validity now, revocation by the CRLs given; exit 0
    /// only if valid.
    Verify(CertVerifyArgs),
}

#[derive(Debug, Args)]
pub struct CertVerifyArgs {
    /// Trust anchor(s) (repeatable; PEM bundles allowed).
    #[arg(long, value_name = "CA", required = true)]
    pub ca: Vec<PathBuf>,
    /// Intermediate certificates that may complete the chain (repeatable).
    #[arg(long, value_name = "INT")]
    pub untrusted: Vec<PathBuf>,
    /// CRLs to check revocation with (repeatable); each must be current and signed by its issuer.
    #[arg(long, value_name = "CRL")]
    pub crl: Vec<PathBuf>,
    /// The certificate to verify (PEM or DER).
    #[arg(value_name = "CERT")]
    pub cert: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub enum CrlCommand {
    /// Verify a CRL: its issuer's signature and that it is current; exit 0 only if valid.
    Verify(CrlVerifyArgs),
}

#[derive(Debug, Args)]
pub struct CrlVerifyArgs {
    /// The CRL issuer's certificate (repeatable: the one that issued the CRL is used).
    #[arg(long, value_name = "CA", required = true)]
    pub ca: Vec<PathBuf>,
    /// The CRL (PEM or DER).
    #[arg(value_name = "CRL")]
    pub crl: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
}
