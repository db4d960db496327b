//! `--log-level`: simplelog to standard error, in colour only when standard error is a terminal
//! (simplelog's own "auto" looks at TERM and writes escapes into pipes). Under systemd, when
//! standard error is the journal's stream (`JOURNAL_STREAM`), plain lines with the `<N>`
//! priority prefixes journald reads instead.

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
    if journal::connected() {
        journal::init(filter);
        return;
    }
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

mod journal {
    use std::io::Write;
    use std::os::unix::fs::MetadataExt;

    use log::{Level, LevelFilter, Log, Metadata, Record};

    /// `JOURNAL_STREAM=dev:ino` names standard error.
    pub fn connected() -> bool {
        let Some(v) = std::env::var_os("JOURNAL_STREAM") else {
            return false;
        };
        let v = v.to_string_lossy();
        let Some((dev, ino)) = v.split_once(':') else {
            return false;
        };
        match std::fs::metadata("/proc/self/fd/2") {
            Ok(m) => dev.parse() == Ok(m.dev()) && ino.parse() == Ok(m.ino()),
            Err(_) => false,
        }
    }

    struct Lines;

    impl Log for Lines {
        fn enabled(&self, m: &Metadata<'_>) -> bool {
            m.level() <= log::max_level()
        }

        fn log(&self, r: &Record<'_>) {
            if !self.enabled(r.metadata()) {
                return;
            }
            // sd-daemon(3) priorities: err 3, warning 4, info 6, debug 7.
            let p = match r.level() {
                Level::Error => 3,
                Level::Warn => 4,
                Level::Info => 6,
                Level::Debug | Level::Trace => 7,
            };
            let text = r.args().to_string().replace('\n', " ");
            let _ = writeln!(std::io::stderr().lock(), "<{p}>{text}");
        }

        fn flush(&self) {}
    }

    pub fn init(filter: LevelFilter) {
        if log::set_logger(&Lines).is_ok() {
            log::set_max_level(filter);
        }
    }
}
