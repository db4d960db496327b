//! `tamga`: the command-line face of the agent. This file only parses, sets up logging,
//! dispatches (`cmd/`) and turns failures into exit codes (`error::exit`).
// The one exception is the process-CPU clock of `tamga speed` (`cputime.rs`).
#![deny(unsafe_code)]

mod agent;
mod answers;
mod browser;
mod cli;
mod cmd;
mod cputime;
mod logging;
mod pki_common;
mod progress;
mod registry;
mod secrets;
mod service;

// Parsers and errors live in the library half of the crate (`lib.rs`), shared with the fuzz targets.
use tamga::{error, keyfile};

use std::process::ExitCode;

use clap::Parser;

use cli::Cli;

fn main() -> ExitCode {
    // clap itself exits with status 2 on a usage error, matching `error::exit::USAGE`.
    let cli = Cli::parse();
    logging::init(cli.global.log_level);
    match cli.command.run(&cli.global) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("tamga: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}
