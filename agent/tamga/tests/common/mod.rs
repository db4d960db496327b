//! Helpers shared by the CLI tests: run the real `tamga` binary and inspect its exit status.
#![allow(dead_code)] // each test file uses a different subset

pub mod sandbox;
pub mod scenarios;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The five OpenSSL fixture sets: (file stem, tamga curve name, hash).
pub const SETS: [(&str, &str, &str); 5] = [
    ("tc26-256-A", "tc26-256-a", "streebog256"),
    ("tc26-256-B", "tc26-256-b", "streebog256"),
    ("cryptopro-256-A", "cryptopro-a", "streebog256"),
    ("tc26-512-A", "tc26-512-a", "streebog512"),
    ("tc26-512-C", "tc26-512-c", "streebog512"),
];

pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

pub fn ossl(rel: &str) -> PathBuf {
    data(&format!("openssl-gost/{rel}"))
}

pub fn tamga<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_tamga"))
        .args(args)
        .output()
        .expect("run tamga")
}

pub fn text(out: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Asserts the exit status and that a failure came with a one-line message, not a panic.
#[track_caller]
pub fn expect_code(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "{}", text(out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{}", text(out));
    if code != 0 {
        assert!(!stderr.trim().is_empty(), "no error message: {}", text(out));
    }
}

/// `tamga gost verify` with the given public-key option (`--pubkey` or `--cert`).
pub fn verify(key_opt: &str, key: &Path, msg: &Path, sig: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<&OsStr> = vec![
        "gost".as_ref(),
        "verify".as_ref(),
        key_opt.as_ref(),
        key.as_os_str(),
        "--in".as_ref(),
        msg.as_os_str(),
        "--sig".as_ref(),
        sig.as_os_str(),
    ];
    args.extend(extra.iter().map(|s| OsStr::new(*s)));
    tamga(args)
}

pub fn sign(key: &Path, msg: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<&OsStr> = vec![
        "gost".as_ref(),
        "sign".as_ref(),
        "--key".as_ref(),
        key.as_os_str(),
        "--in".as_ref(),
        msg.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    args.extend(extra.iter().map(|s| OsStr::new(*s)));
    tamga(args)
}

/// A copy of `src` in `dir` with one bit flipped.
pub fn flipped(dir: &Path, src: &Path, byte: usize, bit: u8) -> PathBuf {
    let mut bytes = std::fs::read(src).unwrap();
    let i = byte % bytes.len();
    bytes[i] ^= 1 << (bit % 8);
    let dst = dir.join(format!(
        "{}.flip{i}.{bit}",
        src.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&dst, bytes).unwrap();
    dst
}
