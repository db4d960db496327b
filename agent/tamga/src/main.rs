//! `tamga`: the command-line face of the agent. This file only parses, dispatches and turns
//! failures into exit codes; every command lives in `cmd/`.
// The one exception is the process-CPU clock of `tamga speed` (`cputime.rs`).
#![deny(unsafe_code)]

mod cli;
mod cmd;
mod cputime;

// Parsers and errors live in the library half of the crate (`lib.rs`), shared with the fuzz targets.
use tamga::{error, hash, keyfile};

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, GostCommand};

fn main() -> ExitCode {
    // clap itself exits with status 2 on a usage error, matching `error::Failure::Invalid`.
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Gost(GostCommand::Sign(args)) => cmd::gost::sign(args),
        Command::Gost(GostCommand::Verify(args)) => cmd::gost::verify(args),
        Command::Speed(args) => cmd::speed::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("tamga: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}
