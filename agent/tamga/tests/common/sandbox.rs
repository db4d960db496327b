//! A temporary home for token tests: a profile with the virtual KAZTOKEN (through the CCID
//! stack), its state file, secret files, and a transcript of everything tamga printed.

use std::cell::RefCell;
use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

/// The virtual token of the tests: 3 tries per PIN (a short way to the lockout), fixed serial.
pub const PROFILE: &str = r#"(
    name: "test",
    drivers: [
        VirtualKaztoken(
            state: Relative("token.state"),
            user_retries: 3,
            admin_retries: 3,
            serial: 4242,
            reader: READER,
        ),
    ],
)
"#;

pub struct Sandbox {
    pub dir: tempfile::TempDir,
    pub profile: PathBuf,
    extra: Vec<String>,
    transcript: RefCell<Vec<u8>>,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox::build("ShortApdu", &[])
    }

    /// Every command at `--log-level trace`.
    pub fn traced() -> Sandbox {
        Sandbox::build("ShortApdu", &["--log-level", "trace"])
    }

    /// With another exchange level of the virtual reader (`Tpdu`, `ExtendedApdu(74)`).
    pub fn with_reader(reader: &str) -> Sandbox {
        Sandbox::build(reader, &[])
    }

    fn build(reader: &str, extra: &[&str]) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let profile = dir.path().join("profile.ron");
        std::fs::write(&profile, PROFILE.replace("READER", reader)).unwrap();
        Sandbox {
            dir,
            profile,
            extra: extra.iter().map(|s| s.to_string()).collect(),
            transcript: RefCell::new(Vec::new()),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// A secret file: the value and a newline, as `echo` writes it.
    pub fn secret(&self, name: &str, value: &str) -> String {
        self.write(name, format!("{value}\n").as_bytes())
            .display()
            .to_string()
    }

    /// `tamga --profile P ARGS` in a clean environment: English, no pinentry, home in the sandbox.
    pub fn tamga(&self, args: &[&str]) -> Output {
        self.tamga_env(args, &[])
    }

    pub fn tamga_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut all: Vec<&OsStr> = vec!["--profile".as_ref(), self.profile.as_os_str()];
        all.extend(args.iter().map(OsStr::new));
        self.run(&all, env)
    }

    /// Without `--profile` (lookup tests).
    pub fn tamga_bare(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let all: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        self.run(&all, env)
    }

    fn run(&self, args: &[&OsStr], env: &[(&str, &str)]) -> Output {
        let home = self.path("home");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tamga"));
        cmd.args(args)
            .args(&self.extra)
            .env_remove("TAMGA_PROFILE")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_STATE_HOME")
            .env("HOME", &home)
            .env("LANG", "C.UTF-8")
            .env("PINENTRY", "");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run tamga");
        let mut t = self.transcript.borrow_mut();
        t.extend_from_slice(&out.stdout);
        t.extend_from_slice(&out.stderr);
        out
    }

    /// Everything printed so far (stdout and stderr of every run).
    pub fn transcript(&self) -> Vec<u8> {
        self.transcript.borrow().clone()
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The JSON object on stdout (`--json`).
#[track_caller]
pub fn json(out: &Output) -> Value {
    let text = stdout(out);
    let line = text.lines().last().unwrap_or_default();
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {}", super::text(out)))
}

/// Asserts the exit status and, for `--json` failures, the error code.
#[track_caller]
pub fn expect_error(out: &Output, exit: i32, code: &str) -> Value {
    super::expect_code(out, exit);
    let v = json(out);
    assert_eq!(v["ok"], false, "{}", super::text(out));
    assert_eq!(v["exit"], exit, "{}", super::text(out));
    assert_eq!(v["error"]["code"], code, "{}", super::text(out));
    v
}
