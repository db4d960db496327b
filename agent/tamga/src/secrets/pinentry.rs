//! A pinentry program over the Assuan protocol (the gpg-agent way to ask for a PIN without a
//! terminal): `SETDESC`/`SETPROMPT` then `GETPIN`, or `CONFIRM`. Answers are outside input: every
//! malformed or oversized line is an error, never a panic, and the PIN's bytes only ever live in
//! zeroizing buffers.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use tamga_core::{Lang, Pin, SecretError};
use zeroize::Zeroizing;

/// Assuan lines are at most 1000 bytes; a little slack for sloppy programs.
const MAX_LINE: usize = 4096;
/// GPG_ERR_CANCELED, in the low 16 bits of an ERR code.
const CANCELED: u32 = 99;
/// GPG_ERR_NOT_CONFIRMED: the user pressed "no" at CONFIRM.
const NOT_CONFIRMED: u32 = 114;

/// A pinentry program to start for each question.
pub struct Pinentry {
    program: PathBuf,
    /// How long one dialog may stay open (the browser's `prompt_timeout_s`); `None`: no limit.
    timeout: Option<Duration>,
}

impl Pinentry {
    /// `$PINENTRY` if set (empty disables pinentry), else `pinentry` on `$PATH`.
    pub fn find() -> Option<Pinentry> {
        match std::env::var_os("PINENTRY") {
            Some(p) if p.is_empty() => None,
            Some(p) => Some(Pinentry {
                program: p.into(),
                timeout: None,
            }),
            None => on_path(std::env::var_os("PATH")?, "pinentry").map(|program| Pinentry {
                program,
                timeout: None,
            }),
        }
    }

    /// Each dialog is closed (its program killed) after `timeout`; zero means no limit.
    pub fn with_timeout(mut self, timeout: Duration) -> Pinentry {
        self.timeout = (!timeout.is_zero()).then_some(timeout);
        self
    }

    /// Asks for a PIN; `None` when the person cancelled.
    pub fn get_pin(&self, prompt: &str, lang: Lang) -> Result<Option<Pin>, SecretError> {
        self.get_secret(prompt, "PIN:", lang)
    }

    /// Asks for a secret with `description` above the field and `label` beside it.
    pub fn get_secret(
        &self,
        description: &str,
        label: &str,
        lang: Lang,
    ) -> Result<Option<Pin>, SecretError> {
        self.get_secret_again(description, label, None, lang)
    }

    /// [`Pinentry::get_secret`] asked again after a wrong answer: `error` (why the last one
    /// was refused, never the answer) is the dialog's error line (`SETERROR`).
    pub fn get_secret_again(
        &self,
        description: &str,
        label: &str,
        error: Option<&str>,
        lang: Lang,
    ) -> Result<Option<Pin>, SecretError> {
        let mut s = Session::start(&self.program, self.timeout)?;
        s.setup(description, label, lang)?;
        if let Some(error) = error {
            if let Reply::Err(_, text) = s.command(&format!("SETERROR {}", escape(error)))? {
                return Err(failed(format!("SETERROR: {text}")));
            }
        }
        match s.command("GETPIN")? {
            Reply::Ok(data) if data.is_empty() => Err(SecretError::Empty),
            Reply::Ok(data) => Ok(Some(Pin::new(data.as_slice()))),
            Reply::Err(code, _) if code & 0xFFFF == CANCELED => Ok(None),
            Reply::Err(_, text) => Err(failed(format!("GETPIN: {text}"))),
        }
    }

    /// Asks a yes/no question.
    pub fn confirm(&self, question: &str, lang: Lang) -> Result<bool, SecretError> {
        let mut s = Session::start(&self.program, self.timeout)?;
        s.setup(question, "PIN:", lang)?;
        match s.command("CONFIRM")? {
            Reply::Ok(_) => Ok(true),
            Reply::Err(code, _) if matches!(code & 0xFFFF, CANCELED | NOT_CONFIRMED) => Ok(false),
            Reply::Err(_, text) => Err(failed(format!("CONFIRM: {text}"))),
        }
    }
}

fn on_path(path: OsString, name: &str) -> Option<PathBuf> {
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn failed(what: String) -> SecretError {
    SecretError::Pinentry(what)
}

/// The end of one command: `OK` with the data lines before it, or `ERR code text`.
enum Reply {
    Ok(Zeroizing<Vec<u8>>),
    Err(u32, String),
}

struct Session {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    watchdog: Option<Watchdog>,
}

impl Session {
    fn start(program: &Path, timeout: Option<Duration>) -> Result<Session, SecretError> {
        let mut command = Command::new(program);
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if timeout.is_some() {
            // Its own group, so that the watchdog can end it with every child it started. Only
            // then: a terminal pinentry outside the foreground group could not read the tty.
            command.process_group(0);
        }
        let mut child = command
            .spawn()
            .map_err(|e| failed(format!("cannot start {}: {e}", program.display())))?;
        let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            return Err(failed("no pipes to the program".into()));
        };
        let watchdog = timeout.map(|t| Watchdog::start(child.id(), t));
        let mut s = Session {
            child,
            input,
            output: BufReader::new(output),
            watchdog,
        };
        // The greeting is an OK line like any reply.
        match s.reply()? {
            Reply::Ok(_) => Ok(s),
            Reply::Err(_, text) => Err(failed(format!("greeting: {text}"))),
        }
    }

    fn setup(&mut self, description: &str, label: &str, lang: Lang) -> Result<(), SecretError> {
        let ok = lang.pick("Продолжить", "OK", Some("Жалғастыру"));
        let cancel = lang.pick("Отмена", "Cancel", Some("Бас тарту"));
        for (command, arg) in [
            ("SETTITLE", "tamga — KAZTOKEN"),
            ("SETDESC", description),
            ("SETPROMPT", label),
            ("SETOK", ok),
            ("SETCANCEL", cancel),
        ] {
            if let Reply::Err(_, text) = self.command(&format!("{command} {}", escape(arg)))? {
                return Err(failed(format!("{command}: {text}")));
            }
        }
        Ok(())
    }

    fn command(&mut self, line: &str) -> Result<Reply, SecretError> {
        if let Err(e) = writeln!(self.input, "{line}").and_then(|()| self.input.flush()) {
            if let Some(seconds) = self.watchdog.as_ref().and_then(Watchdog::fired) {
                return Err(SecretError::TimedOut { seconds });
            }
            return Err(failed(format!("write: {e}")));
        }
        self.reply()
    }

    /// Reads lines up to `OK` or `ERR`, keeping the (decoded) `D` lines.
    fn reply(&mut self) -> Result<Reply, SecretError> {
        let mut data = Zeroizing::new(Vec::new());
        loop {
            let line = self.line()?;
            if line.as_slice() == b"OK" || line.starts_with(b"OK ") {
                return Ok(Reply::Ok(data));
            }
            if let Some(rest) = line.strip_prefix(b"ERR ") {
                return Ok(Reply::Err(error_code(rest), error_text(rest)));
            }
            if let Some(encoded) = line.strip_prefix(b"D ") {
                unescape_into(encoded, &mut data)?;
            } else if line.starts_with(b"INQUIRE") {
                return Err(failed("unexpected INQUIRE".into()));
            }
            // `S` status lines and `#` comments carry nothing tamga needs.
        }
    }

    fn line(&mut self) -> Result<Zeroizing<Vec<u8>>, SecretError> {
        let mut line = Zeroizing::new(Vec::new());
        let limit = u64::try_from(MAX_LINE + 1).unwrap_or(u64::MAX);
        let read = (&mut self.output).take(limit).read_until(b'\n', &mut line);
        // A killed program's pipe ends like a crashed one's: the watchdog tells them apart.
        if let Some(seconds) = self.watchdog.as_ref().and_then(Watchdog::fired) {
            return Err(SecretError::TimedOut { seconds });
        }
        let n = read.map_err(|e| failed(format!("read: {e}")))?;
        if n == 0 {
            return Err(failed("the program ended without an answer".into()));
        }
        if line.last() != Some(&b'\n') {
            return Err(failed("answer line too long".into()));
        }
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Ok(line)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Stopped before the child is reaped, so its pid (the group id) cannot be reused
        // under the watchdog.
        if let Some(w) = self.watchdog.take() {
            w.stop();
        }
        let _ = writeln!(self.input, "BYE");
        let _ = self.input.flush();
        // A pinentry that ignores BYE must not outlive tamga.
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            std::thread::sleep(std::time::Duration::from_millis(20));
            if !matches!(self.child.try_wait(), Ok(Some(_))) {
                let _ = self.child.kill();
            }
        }
        let _ = self.child.wait();
    }
}

/// Kills the dialog's process group when it is still open after its time.
struct Watchdog {
    stop: mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
    fired: Arc<AtomicBool>,
    seconds: u64,
}

impl Watchdog {
    fn start(pgid: u32, timeout: Duration) -> Watchdog {
        let (stop, stopped) = mpsc::channel::<()>();
        let fired = Arc::new(AtomicBool::new(false));
        let flag = fired.clone();
        let thread = std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(timeout) {
                flag.store(true, Ordering::SeqCst);
                log::warn!(
                    "no answer from pinentry within {} s: closing it",
                    timeout.as_secs()
                );
                if let Err(e) = tamga_service::group::kill(pgid) {
                    log::warn!("cannot end pinentry: {e}");
                }
            }
        });
        Watchdog {
            stop,
            thread,
            fired,
            seconds: timeout.as_secs().max(1),
        }
    }

    /// The limit in seconds, if the watchdog closed the dialog.
    fn fired(&self) -> Option<u64> {
        self.fired.load(Ordering::SeqCst).then_some(self.seconds)
    }

    fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

fn error_code(rest: &[u8]) -> u32 {
    let digits = rest.split(|b| *b == b' ').next().unwrap_or_default();
    std::str::from_utf8(digits)
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(0)
}

fn error_text(rest: &[u8]) -> String {
    // Error texts are the program's own words, not the PIN.
    String::from_utf8_lossy(rest).into_owned()
}

/// Assuan escapes `%`, CR and LF in arguments as `%XX`.
fn escape(arg: &str) -> String {
    let mut out = String::with_capacity(arg.len());
    for c in arg.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

fn unescape_into(encoded: &[u8], out: &mut Vec<u8>) -> Result<(), SecretError> {
    let mut bytes = encoded.iter();
    while let Some(&b) = bytes.next() {
        if b != b'%' {
            out.push(b);
            continue;
        }
        let hi = bytes.next().and_then(|h| (*h as char).to_digit(16));
        let lo = bytes.next().and_then(|l| (*l as char).to_digit(16));
        match (hi, lo) {
            (Some(hi), Some(lo)) => out.push(u8::try_from(hi * 16 + lo).unwrap_or(0)),
            _ => return Err(failed("malformed %-escape in the answer".into())),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        let mut out = Vec::new();
        unescape_into(escape("a%b\nc").as_bytes(), &mut out).unwrap();
        assert_eq!(out, b"a%b\nc");
        assert!(unescape_into(b"%4", &mut out).is_err());
        assert!(unescape_into(b"%zz", &mut out).is_err());
    }

    #[test]
    fn error_codes_parse_or_default() {
        assert_eq!(
            error_code(b"83886179 Operation cancelled") & 0xFFFF,
            CANCELED
        );
        assert_eq!(error_code(b"junk"), 0);
        assert_eq!(error_code(b""), 0);
    }
}
