//! OpenSSL with the gost engine for the live cross-checks: a config that loads the engine, found
//! through `openssl version -e`, and checked before use.
//!
//! OpenSSL's GOST engine is required: `apt-get install -y openssl libengine-gost-openssl`.
//! Without it a check fails, unless `TAMGA_SKIP_OPENSSL=1` is set.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `openssl ARGS`, with `cnf` (from [`openssl_config`]) as its configuration when given.
pub fn command(args: &[&str], cnf: Option<&Path>) -> Command {
    let mut cmd = Command::new("openssl");
    cmd.args(args);
    if let Some(c) = cnf {
        cmd.env("OPENSSL_CONF", c);
    }
    cmd
}

/// Runs [`command`]; for a check that OpenSSL refuses something.
pub fn run(args: &[&str], cnf: Option<&Path>) -> Output {
    command(args, cnf).output().expect("run openssl")
}

/// Runs [`command`]; a failure panics with the command line and OpenSSL's complaint.
pub fn ok(args: &[&str], cnf: Option<&Path>) -> Output {
    succeeded(run(args, cnf), args)
}

/// `out` of `openssl ARGS`, which must have succeeded.
pub fn succeeded(out: Output, args: &[&str]) -> Output {
    assert!(
        out.status.success(),
        "openssl {}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Writes an OpenSSL config that loads the gost engine, and checks that it works. `None` (after a
/// loud notice) only when the engine is missing and TAMGA_SKIP_OPENSSL=1.
pub fn openssl_config(dir: &Path) -> Option<PathBuf> {
    let engines_dir = Command::new("openssl")
        .args(["version", "-e"])
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.split('"').nth(1).map(str::to_owned));
    let mut cnf = String::from(
        "openssl_conf = openssl_def\n[openssl_def]\nengines = engine_section\n\
         [engine_section]\ngost = gost_section\n[gost_section]\nengine_id = gost\n",
    );
    if let Some(d) = &engines_dir {
        let so = Path::new(d).join("gost.so");
        if so.exists() {
            let _ = writeln!(cnf, "dynamic_path = {}", so.display());
        }
    }
    // `openssl req` wants a distinguished_name section even when -subj gives the name.
    cnf += "default_algorithms = ALL\n[req]\ndistinguished_name = req_dn\n[req_dn]\n";
    let path = dir.join("openssl-gost.cnf");
    fs::write(&path, cnf).unwrap();

    let probe = Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "gost2012_256",
            "-pkeyopt",
            "paramset:A",
        ])
        .env("OPENSSL_CONF", &path)
        .output();
    let problem = match probe {
        Err(e) => format!("cannot run `openssl`: {e}"),
        Ok(o) if !o.status.success() || !o.stdout.starts_with(b"-----BEGIN PRIVATE KEY") => {
            format!(
                "`openssl genpkey -algorithm gost2012_256` failed (engine dir {engines_dir:?}): {}",
                String::from_utf8_lossy(&o.stderr).trim()
            )
        }
        Ok(_) => return Some(path),
    };
    missing(&problem)
}

/// What to do when OpenSSL or its gost engine cannot serve a check: `None` after a loud notice
/// when TAMGA_SKIP_OPENSSL=1, else a panic that says how to install it.
pub fn missing<T>(problem: &str) -> Option<T> {
    if std::env::var("TAMGA_SKIP_OPENSSL").as_deref() == Ok("1") {
        eprintln!(
            "\n********************************************************************\n\
             * SKIPPED: OpenSSL cross-check (TAMGA_SKIP_OPENSSL=1).\n* {problem}\n\
             ********************************************************************\n"
        );
        return None;
    }
    panic!(
        "OpenSSL with the GOST engine is needed for this cross-check: {problem}\n\
         Install it with: apt-get update && apt-get install -y openssl libengine-gost-openssl\n\
         (or set TAMGA_SKIP_OPENSSL=1 to skip this test)"
    );
}
