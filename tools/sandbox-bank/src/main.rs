//! `sandbox-bank serve` and `sandbox-bank add-customer`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tamga_sandbox_bank::{Bank, CustomerOptions, FaultSpec, InitCurve, ServeOptions};

#[derive(Parser)]
#[command(
    name = "sandbox-bank",
    about = "The sandbox bank: a CMP CA and an Internet-Banking API on loopback"
)]
struct Cli {
    /// The bank's working directory (database, CA, TLS files, customers).
    #[arg(long, global = true, default_value = "sandbox-bank")]
    workdir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serves HTTPS (or plain HTTP) until killed.
    Serve {
        /// Address to listen on (loopback).
        #[arg(long, default_value = "127.0.0.1:8443")]
        addr: SocketAddr,
        /// Plain HTTP instead of HTTPS (for `openssl cmp` tests).
        #[arg(long)]
        plain_http: bool,
        /// Enable /_test/faults and /_test/state.
        #[arg(long)]
        test_endpoints: bool,
        /// Fault switches, e.g. `fail_nth=3,cmp_waiting=2`.
        #[arg(long, default_value = "")]
        faults: String,
    },
    /// Adds a customer: user ID, OTP PIN (to a file only) and GOST.pfx.
    AddCustomer {
        /// Use this user ID (shape qq111111_qwertyui) instead of a random one.
        #[arg(long)]
        user_id: Option<String>,
        /// The init key's curve: tc26-256-a or cryptopro-a.
        #[arg(long, default_value = "tc26-256-a")]
        curve: String,
        /// The init certificate's term in days.
        #[arg(long, default_value_t = 365)]
        term_days: u64,
        /// Force (yes) or avoid (no) I/1/O/0 in the OTP PIN.
        #[arg(long)]
        ambiguous_pin: Option<String>,
    },
}

fn run(cli: Cli) -> Result<(), String> {
    let bank = Bank::open(&cli.workdir).map_err(|e| e.to_string())?;
    match cli.command {
        Command::Serve {
            addr,
            plain_http,
            test_endpoints,
            faults,
        } => {
            if !addr.ip().is_loopback() {
                return Err(format!("{addr} is not a loopback address"));
            }
            bank.set_faults(FaultSpec::parse(&faults)?);
            let server = bank
                .serve(&ServeOptions {
                    addr,
                    plain_http,
                    test_endpoints,
                })
                .map_err(|e| e.to_string())?;
            println!("listening on {}", server.base_url());
            println!("CA certificate: {}", bank.ca_certificate_path().display());
            if let (Some(sha), Some(ca)) = (&server.server_cert_sha256, &server.tls_ca_pem_path) {
                println!("server certificate SHA-256: {sha}");
                println!("TLS CA: {}", ca.display());
            }
            loop {
                std::thread::park();
            }
        }
        Command::AddCustomer {
            user_id,
            curve,
            term_days,
            ambiguous_pin,
        } => {
            let ambiguous_pin = match ambiguous_pin.as_deref() {
                None => None,
                Some("yes") => Some(true),
                Some("no") => Some(false),
                Some(other) => return Err(format!("--ambiguous-pin {other}: yes or no")),
            };
            let files = bank
                .add_customer(&CustomerOptions {
                    user_id,
                    curve: InitCurve::parse(&curve)?,
                    term_days: Some(term_days),
                    ambiguous_pin,
                })
                .map_err(|e| e.to_string())?;
            println!("user ID: {}", files.user_id);
            println!("key file: {}", files.pfx_path.display());
            println!("OTP PIN: in {} (not shown)", files.otp_pin_path.display());
            println!("init certificate: {}", files.init_cert_path.display());
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sandbox-bank: {e}");
            ExitCode::FAILURE
        }
    }
}
