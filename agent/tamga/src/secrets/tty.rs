//! The controlling terminal: a no-echo prompt (rpassword, on /dev/tty) and a yes/no question.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};

use tamga_core::{Pin, SecretError};
use zeroize::Zeroizing;

fn open() -> std::io::Result<File> {
    OpenOptions::new().read(true).write(true).open("/dev/tty")
}

/// Whether a person is at a terminal: standard input or error is one, and /dev/tty opens. A
/// process whose streams are all redirected (scripts, tests, services) is not asked there even
/// if it inherited a controlling terminal.
pub fn available() -> bool {
    (std::io::stdin().is_terminal() || std::io::stderr().is_terminal()) && open().is_ok()
}

/// Returns to the start of the line and clears it: the progress bar may be drawn there.
const CLEAR_LINE: &str = "\r\x1b[2K";

pub fn secret(prompt: &str) -> Result<Pin, SecretError> {
    let typed = Zeroizing::new(
        rpassword::prompt_password(format!("{CLEAR_LINE}{prompt}: "))
            .map_err(SecretError::Terminal)?,
    );
    if typed.is_empty() {
        return Err(SecretError::Empty);
    }
    Ok(Pin::new(typed.as_bytes()))
}

/// Asks `question [y/N]`; only an explicit yes (y, yes, д, да, и, иә) is a yes.
pub fn confirm(question: &str) -> Result<bool, SecretError> {
    let mut tty = open().map_err(SecretError::Terminal)?;
    write!(tty, "{CLEAR_LINE}{question} [y/N] ")
        .and_then(|()| tty.flush())
        .map_err(SecretError::Terminal)?;
    let mut answer = String::new();
    BufReader::new(tty)
        .read_line(&mut answer)
        .map_err(SecretError::Terminal)?;
    let answer = answer.trim().to_lowercase();
    Ok(["y", "yes", "д", "да", "и", "иә"].contains(&answer.as_str()))
}

/// Asks for a line of text (echoed): a wizard field. Enter alone takes `default`.
pub fn line(prompt: &str, default: Option<&str>) -> Result<String, SecretError> {
    let mut tty = open().map_err(SecretError::Terminal)?;
    let shown = match default {
        Some(d) if !d.is_empty() => format!("{prompt} [{d}]: "),
        _ => format!("{prompt}: "),
    };
    write!(tty, "{CLEAR_LINE}{shown}")
        .and_then(|()| tty.flush())
        .map_err(SecretError::Terminal)?;
    let mut answer = String::new();
    BufReader::new(tty)
        .take(4096)
        .read_line(&mut answer)
        .map_err(SecretError::Terminal)?;
    let answer = answer.trim();
    Ok(match default {
        Some(d) if answer.is_empty() => d.to_owned(),
        _ => answer.to_owned(),
    })
}

/// Shows a screen of text on the terminal.
pub fn show(text: &str) {
    if let Ok(mut tty) = open() {
        let _ = writeln!(tty, "{CLEAR_LINE}{text}");
    }
}
