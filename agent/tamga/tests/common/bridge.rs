//! Helpers of the service and browser-bridge tests: a demo profile on a private virtual token,
//! a scripted pinentry stand-in, native-messaging frames, line clients.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

pub const TAMGA: &str = env!("CARGO_BIN_EXE_tamga");

/// A profile on a virtual token in `dir`, allowing `origins` to log in and sign.
pub fn profile(dir: &Path, origins: &[&str], extra_service: &str) -> PathBuf {
    let list = origins
        .iter()
        .map(|o| format!("{o:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let text = format!(
        r#"(
    name: "bridge-test",
    drivers: [ VirtualKaztoken(state: Relative("token.state"), keygen_delay_ms: 0, label: "test") ],
    workflows: (
        login: (bank: (url: "http://127.0.0.1:9/ib"), origins: [{list}]),
        sign: (origins: [{list}], signature_encoding: kz),
    ),
    service: ({extra_service}),
)"#
    );
    let path = dir.join("profile.ron");
    std::fs::write(&path, text).unwrap();
    path
}

/// The scripted pinentry: answers from files in `dir` (`pin`, `confirm` = yes|no, `delay`
/// seconds) and appends every SETDESC (decoded) and every SETERROR (`--- SETERROR <text>`) to
/// `dir/prompts.log`. `dir/answers`, if present, answers by the dialog's text first: lines
/// `GETPIN|CONFIRM <tab> text <tab> answer [<tab> once]`, the first line whose text the
/// description contains wins; a `once` line is used up (see [`answers`], [`answers_once`]).
/// The PIN `<cancel>` cancels the dialog.
pub fn fake_pinentry(dir: &Path) -> PathBuf {
    let script = r#"#!/bin/sh
D="$(dirname "$0")"
TAB="$(printf '\t')"
DESC=""
answer() {
  [ -f "$D/answers" ] || return 1
  N=0
  while IFS="$TAB" read -r kind text value once; do
    N=$((N+1))
    [ "$kind" = "$1" ] || continue
    case "$DESC" in *"$text"*)
      printf '%s' "$value"
      [ "$once" = once ] && sed -i "${N}d" "$D/answers"
      return 0;;
    esac
  done < "$D/answers"
  return 1
}
echo "OK Pleased to meet you"
while IFS= read -r line; do
  case "$line" in
    SETDESC*) DESC="${line#SETDESC }"
              printf '%s\n' "$DESC" | sed 's/%0A/\n/g; s/%25/%/g' >> "$D/prompts.log"; echo OK;;
    SETERROR*) printf -- '--- SETERROR %s\n' "${line#SETERROR }" | sed 's/%0A/\n/g; s/%25/%/g' >> "$D/prompts.log"; echo OK;;
    GETPIN*) sleep "$(cat "$D/delay" 2>/dev/null || echo 0)"; echo "--- GETPIN" >> "$D/prompts.log"
             PIN="$(answer GETPIN || cat "$D/pin")"
             if [ "$PIN" = "<cancel>" ]; then echo "ERR 83886179 Operation cancelled"
             else printf 'D %s\nOK\n' "$PIN"; fi;;
    CONFIRM*) sleep "$(cat "$D/delay" 2>/dev/null || echo 0)"; echo "--- CONFIRM" >> "$D/prompts.log"
             YES="$(answer CONFIRM || cat "$D/confirm" 2>/dev/null)"
             if [ "$YES" = no ]; then echo "ERR 83886194 Not confirmed"; else echo OK; fi;;
    BYE*) echo OK; exit 0;;
    *) echo OK;;
  esac
done
"#;
    let path = dir.join("pinentry");
    std::fs::write(&path, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(dir.join("pin"), "12345678").unwrap();
    std::fs::write(dir.join("confirm"), "yes").unwrap();
    path
}

/// Writes the scripted pinentry's answers by dialog text (`(kind, text, answer)`).
pub fn answers(dir: &Path, lines: &[(&str, &str, &str)]) {
    let text: String = lines
        .iter()
        .map(|(k, t, a)| format!("{k}\t{t}\t{a}\n"))
        .collect();
    std::fs::write(dir.join("answers"), text).unwrap();
}

/// [`answers`], the `once` lines first: each is used up by the first dialog it answers, so a
/// question can be answered wrong, then right.
pub fn answers_once(dir: &Path, once: &[(&str, &str, &str)], then: &[(&str, &str, &str)]) {
    let mut text: String = once
        .iter()
        .map(|(k, t, a)| format!("{k}\t{t}\t{a}\tonce\n"))
        .collect();
    text.extend(then.iter().map(|(k, t, a)| format!("{k}\t{t}\t{a}\n")));
    std::fs::write(dir.join("answers"), text).unwrap();
}

/// One native-messaging frame.
pub fn frame(v: &Value) -> Vec<u8> {
    let body = v.to_string().into_bytes();
    let mut out = u32::try_from(body.len()).unwrap().to_ne_bytes().to_vec();
    out.extend(body);
    out
}

/// Every frame the host wrote.
pub fn read_frames(mut bytes: &[u8]) -> Vec<Value> {
    let mut out = Vec::new();
    while bytes.len() >= 4 {
        let n = u32::from_ne_bytes(bytes[..4].try_into().unwrap()) as usize;
        out.push(serde_json::from_slice(&bytes[4..4 + n]).expect("host frame is JSON"));
        bytes = &bytes[4 + n..];
    }
    assert!(bytes.is_empty(), "trailing bytes from the host");
    out
}

/// The frames that answer requests, without the progress events sent while they ran.
pub fn replies(frames: &[Value]) -> Vec<Value> {
    frames
        .iter()
        .filter(|f| f.get("event").is_none())
        .cloned()
        .collect()
}

/// Runs the native host on `input` with the browser's `args` and env; returns its frames and
/// standard error.
pub fn host(
    profile: &Path,
    args: &[&str],
    env: &[(&str, &Path)],
    input: &[u8],
) -> (Vec<Value>, String) {
    let mut cmd = Command::new(TAMGA);
    cmd.arg("--profile")
        .arg(profile)
        .arg("native-host")
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .env_remove("TAMGA_SOCKET")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (read_frames(&out.stdout), stderr)
}

/// A line client of the service.
pub struct Client {
    pub reader: BufReader<UnixStream>,
    pub writer: UnixStream,
}

impl Client {
    pub fn connect(path: &Path) -> Client {
        let s = UnixStream::connect(path).expect("connect to the service");
        s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        Client {
            writer: s.try_clone().unwrap(),
            reader: BufReader::new(s),
        }
    }

    pub fn send(&mut self, v: &Value) {
        writeln!(self.writer, "{v}").unwrap();
    }

    pub fn next(&mut self) -> Value {
        let mut line = String::new();
        self.reader
            .read_line(&mut line)
            .expect("a line from the service");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"))
    }

    /// Sends a request and returns the reply, answering PIN asks with `pin`.
    pub fn call(&mut self, v: &Value, pin: &str) -> Value {
        self.send(v);
        loop {
            let m = self.next();
            if let Some(ask) = m.get("ask") {
                self.send(&serde_json::json!({ "answer": ask, "value": pin }));
            } else if m.get("event").is_none() {
                return m;
            }
        }
    }
}

/// Waits for a path to appear.
pub fn wait_for(path: &Path, secs: u64) {
    for _ in 0..secs * 20 {
        if path.exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("{} did not appear", path.display());
}

/// Kills a child on drop.
pub struct Reap(pub Child);

impl Drop for Reap {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn read_all(mut r: impl Read) -> String {
    let mut s = String::new();
    let _ = r.read_to_string(&mut s);
    s
}
