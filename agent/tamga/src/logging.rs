//! `--log-level`: simplelog to standard error, in colour only when standard error is a terminal
//! (simplelog's own "auto" looks at TERM and writes escapes into pipes).

use std::io::IsTerminal;

use log::LevelFilter;
use simplelog::{ColorChoice, ConfigBuilder, TermLogger, TerminalMode};

use crate::cli::LogLevel;

pub fn init(level: LogLevel) {
    let filter = match level {
        LogLevel::Off => return,
        LogLevel::Error => LevelFilter::Error,
        LogLevel::Warn => LevelFilter::Warn,
        LogLevel::Info => LevelFilter::Info,
        LogLevel::Debug => LevelFilter::Debug,
        LogLevel::Trace => LevelFilter::Trace,
    };
    let colour = if std::io::stderr().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let config = ConfigBuilder::new()
        .set_time_level(LevelFilter::Off)
        .set_thread_level(LevelFilter::Off)
        .set_target_level(LevelFilter::Debug)
        .build();
    // Fails only if a logger is already installed, which nothing else in tamga does.
    let _ = TermLogger::init(filter, config, TerminalMode::Stderr, colour);
}
