//! `tamga demo --workdir DIR` run twice in the same directory: each run starts afresh (the first
//! run's token password and bank registration must not break the second), and a directory the
//! demo did not make is refused untouched.

use std::path::Path;
use std::process::{Command, Output};

fn demo(workdir: &Path, home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tamga"))
        .args(["demo", "--json", "--workdir"])
        .arg(workdir)
        .env_remove("TAMGA_PROFILE")
        .env("HOME", home)
        .env("LANG", "C.UTF-8")
        .env("PINENTRY", "")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_second_run_in_the_same_workdir_starts_afresh() {
    let home = tempfile::tempdir().unwrap();
    let workdir = home.path().join("demo");
    let mut payments = Vec::new();
    for run in 0..2 {
        let out = demo(&workdir, home.path());
        assert_eq!(out.status.code(), Some(0), "run {run}: {}", text(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["payment_status"], "accepted", "run {run}: {v}");
        payments.push(std::fs::read(workdir.join("payment.p7s")).unwrap());
    }
    // The second run signed its own payment with its own keys.
    assert_ne!(payments[0], payments[1]);
}

#[test]
fn a_directory_with_other_files_is_refused_and_left_alone() {
    let home = tempfile::tempdir().unwrap();
    let workdir = home.path().join("mine");
    std::fs::create_dir(&workdir).unwrap();
    std::fs::write(workdir.join("token.state"), b"someone's token").unwrap();
    let out = demo(&workdir, home.path());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not made by `tamga demo`"), "{stderr}");
    assert!(stderr.contains("каталог не пуст"), "{stderr}");
    assert_eq!(
        std::fs::read(workdir.join("token.state")).unwrap(),
        b"someone's token"
    );
}
