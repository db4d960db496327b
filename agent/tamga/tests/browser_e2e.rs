//! End to end in real headless browsers: Debian's `chromium` and `firefox-esr` open the sandbox
//! bank's page (tools/browser-extension/test-page) on loopback; the page talks to the extension
//! (tools/browser-extension), whose background starts `tamga native-host` through the manifest
//! `tamga browser install` wrote; tamga asks a scripted pinentry stand-in, which records what
//! each dialog showed. Chromium runs driver-less (the page POSTs its report); Firefox is driven
//! over raw Marionette (`Addon:Install` of the unsigned add-on as a temporary one).
//!
//! The browsers must be installed in CI (the test fails without them); locally
//! `TAMGA_SKIP_BROWSERS=1` skips it.

mod bank;
#[path = "common/bridge.rs"]
mod bridge;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use bridge::*;
use serde_json::{json, Value};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The page's web server: the page, `/control` (what the pinentry stand-in answers next),
/// `/result` (the page's report).
struct PageServer {
    port: u16,
    results: mpsc::Receiver<Value>,
}

fn start_server(pin_dir: PathBuf) -> PageServer {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let tx = tx.clone();
            let pin_dir = pin_dir.clone();
            std::thread::spawn(move || {
                let _ = serve_one(stream, &pin_dir, &tx);
            });
        }
    });
    PageServer { port, results: rx }
}

fn serve_one(stream: TcpStream, pin_dir: &Path, tx: &mpsc::Sender<Value>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut r = BufReader::new(stream.try_clone()?);
    let mut head = String::new();
    r.read_line(&mut head)?;
    let mut length = 0usize;
    loop {
        let mut l = String::new();
        r.read_line(&mut l)?;
        if l.trim().is_empty() {
            break;
        }
        if let Some(v) = l.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    r.read_exact(&mut body)?;
    let target = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let (status, ctype, content) = if target.starts_with("/result") {
        let _ = tx.send(serde_json::from_slice(&body).unwrap_or(Value::Null));
        ("200 OK", "text/plain", b"ok".to_vec())
    } else if let Some(q) = target.strip_prefix("/control?") {
        for pair in q.split('&') {
            if let Some((k, v)) = pair.split_once('=') {
                if k == "confirm" || k == "delay" {
                    std::fs::write(pin_dir.join(k), v)?;
                }
            }
        }
        ("200 OK", "text/plain", b"ok".to_vec())
    } else if target.starts_with("/index.html") || target == "/" {
        let page = std::fs::read(repo().join("tools/browser-extension/test-page/index.html"))?;
        ("200 OK", "text/html; charset=utf-8", page)
    } else {
        ("404 Not Found", "text/plain", b"no".to_vec())
    };
    let mut w = stream;
    write!(w, "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", content.len())?;
    w.write_all(&content)?;
    w.flush()
}

/// Everything one browser run needs.
struct Setup {
    dir: tempfile::TempDir,
    profile: PathBuf,
    pin_dir: PathBuf,
    server: PageServer,
    refused: PageServer,
    /// The bank's customer the page registers: the user ID (the page's only input) and the
    /// OTP card's PIN (typed only into tamga's dialog).
    user_id: String,
    otp: String,
}

/// A fresh virtual KAZTOKEN and a fresh customer of the sandbox bank for one browser; the
/// page's origin is the one the profile allows to register, log in and sign, and the bank's
/// key file lies in the directory the profile names for it.
fn setup(b: &bank::TestBank, name: &str) -> Setup {
    let server_pin = tempfile::tempdir().unwrap();
    let pin_dir = server_pin.path().join("pinentry");
    std::fs::create_dir_all(&pin_dir).unwrap();
    fake_pinentry(&pin_dir);
    std::fs::write(pin_dir.join("pin"), bank::NEW_PIN).unwrap();
    let server = start_server(pin_dir.clone());
    // A second site on loopback, not on the profile's list (the extension still runs there).
    let refused = start_server(pin_dir.clone());
    let origin = format!("http://127.0.0.1:{}", server.port);
    let customer = b.customer();
    let keys = customer.pfx_path.parent().unwrap().display().to_string();
    let client = b.client(
        name,
        &format!("origins: [\"{origin}\"], key_file_dirs: [{keys:?}],"),
        "",
    );
    let text = std::fs::read_to_string(&client.profile).unwrap();
    let base = b.server.base_url();
    let text = text
        .replace(
            &format!("origins: [\"{base}\"]"),
            &format!("origins: [\"{origin}\"]"),
        )
        .replace(
            "name: \"test\",",
            "name: \"test\",\n    service: (idle_exit_s: 0),",
        );
    std::fs::write(&client.profile, text).unwrap();
    let otp = customer.otp_pin.to_string();
    // tamga's dialogs during the registration, answered by their text: the factory token
    // password, the OTP PIN, the key file it found (yes), "password matches PIN" (no, so that
    // its own password is asked), the new token password twice.
    answers(
        &pin_dir,
        &[
            ("GETPIN", "factory default 12345678", "12345678"),
            ("GETPIN", "PIN from the OTP card", &otp),
            ("CONFIRM", "Use the bank's key file", "yes"),
            ("CONFIRM", "password match the PIN", "no"),
            ("GETPIN", "Key file password", &otp),
            ("GETPIN", "New token password", bank::NEW_PIN),
            ("GETPIN", "Repeat the new password", bank::NEW_PIN),
        ],
    );
    Setup {
        dir: server_pin,
        profile: client.profile.clone(),
        pin_dir,
        server,
        refused,
        user_id: customer.user_id.clone(),
        otp,
    }
}

impl Setup {
    fn env(&self, home: &Path) -> Vec<(String, PathBuf)> {
        vec![
            ("HOME".into(), home.to_path_buf()),
            ("PINENTRY".into(), self.pin_dir.join("pinentry")),
            ("XDG_RUNTIME_DIR".into(), home.join("run")),
            ("XDG_STATE_HOME".into(), home.join("state")),
            ("TAMGA_SOCKET".into(), home.join("no-service.sock")),
        ]
    }

    fn install(&self, flag: &str, dir: &Path) {
        let out = Command::new(TAMGA)
            .arg("--profile")
            .arg(&self.profile)
            .args(["browser", "install", flag, "--profile-dir"])
            .arg(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn url(&self, port: u16, steps: &str) -> String {
        format!(
            "http://127.0.0.1:{port}/index.html?steps={steps}&user={}",
            self.user_id
        )
    }

    fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.server.port)
    }

    fn prompts(&self) -> String {
        std::fs::read_to_string(self.pin_dir.join("prompts.log")).unwrap_or_default()
    }
}

fn wait_result(server: &PageServer, secs: u64, log: &Path) -> Value {
    server
        .results
        .recv_timeout(Duration::from_secs(secs))
        .unwrap_or_else(|_| {
            let log = std::fs::read_to_string(log).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            panic!(
                "the page did not report back; {}:\n{}",
                log.len(),
                tail.join("\n")
            )
        })
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

const STEPS: &str = "hello,register,status,login,declined,oversized,concurrent,pay";

/// What every browser must show for the allowed page.
fn check_allowed(browser: &str, r: &Value, setup: &Setup) {
    let (prompts, origin) = (setup.prompts(), setup.origin());
    assert_eq!(
        r["bridge"], true,
        "{browser}: no bridge on the allowed page: {r}"
    );
    let s = &r["steps"];
    assert_eq!(s["hello"]["ok"], true, "{browser}: {s}");
    assert_eq!(s["hello"]["result"]["browser"], browser, "{browser}: {s}");
    // The registration: the page sent the user ID; the token got keys and certificates, IB
    // registered them; the steps came back as progress events.
    let reg = &s["register"];
    assert_eq!(reg["ok"], true, "{browser}: {reg}\n{prompts}");
    let data = &reg["result"]["data"];
    assert_eq!(data["user_id"], setup.user_id.as_str(), "{browser}: {reg}");
    let events = reg["events"].as_array().cloned().unwrap_or_default();
    assert!(
        events.iter().filter(|e| e["label"].is_string()).count() >= 3
            && events.iter().any(|e| e["finished"] == true),
        "{browser}: progress events {events:?}"
    );
    // tamga's own dialogs asked for the OTP PIN and showed the key file it found.
    for want in [
        "PIN from the OTP card",
        "Use the bank's key file",
        "GOST.pfx",
    ] {
        assert!(
            prompts.contains(want),
            "{browser}: no dialog with {want:?}:\n{prompts}"
        );
    }
    // The page saw no secret: not the OTP PIN, not the token's passwords.
    let report = r.to_string();
    for secret in [setup.otp.as_str(), bank::NEW_PIN, "12345678"] {
        assert!(
            !report.contains(secret),
            "{browser}: a secret reached the page"
        );
    }
    // The payment dialog names the SIGN certificate: its holder (the sandbox CA's subject is
    // CN=<user ID>) and its serial.
    let signer = [
        setup.user_id.as_str(),
        data["certificates"]["sign_serial"]
            .as_str()
            .unwrap_or_default(),
    ];
    assert_eq!(
        s["status"]["result"]["data"]["counters"]["user"]["remaining"], 10,
        "{browser}: {s}"
    );
    // A declined confirmation: nothing is signed, and the dialog showed the payment.
    assert_eq!(code(&s["declined"]), "cancelled", "{browser}: {s}");
    assert!(
        signer.iter().all(|s| !s.is_empty()),
        "{browser}: no certificate from the enrollment: {signer:?}"
    );
    // One dialog (the text between two answers) shows all of it together.
    let dialog = prompts
        .split("\n--- ")
        .find(|d| d.contains("150 000.00 KZT") && d.contains("KNP"))
        .unwrap_or_default();
    for want in [
        origin.as_str(),
        signer[0],
        signer[1],
        "150 000.00 KZT",
        "ИП Алма",
        "KZ86125KZT5004100100",
        "КНП / KNP: 119",
    ] {
        assert!(
            dialog.contains(want),
            "{browser}: the dialog lacks {want:?}:\n{prompts}"
        );
    }
    assert_eq!(
        code(&s["oversized"]),
        "browser.message_too_large",
        "{browser}: {s}"
    );
    assert_eq!(
        code(&s["concurrent"]["second"]),
        "browser.prompt_busy",
        "{browser}: {s}"
    );
    assert_eq!(
        code(&s["concurrent"]["first"]),
        "cancelled",
        "{browser}: {s}"
    );
    // With the registered token: a login to IB, then the payment signed and accepted by IB.
    let login = &s["login"];
    assert_eq!(login["ok"], true, "{browser}: {login}");
    assert_eq!(login["result"]["data"]["user_id"], setup.user_id.as_str());
    let pay = &s["pay"];
    assert_eq!(pay["ok"], true, "{browser}: {pay}");
    assert!(
        pay["result"]["data"]["payment_id"].is_string()
            || pay["result"]["data"]["payment_id"].is_number(),
        "{browser}: {pay}"
    );
}

fn chromium(s: &Setup) {
    let exe = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("chromium is installed");
    let ext = repo().join("tools/browser-extension/chromium");
    let run = |url: String, tag: &str| -> Reap {
        let home = s.dir.path().join(format!("chromium-{tag}"));
        let data = home.join("user-data");
        std::fs::create_dir_all(&data).unwrap();
        s.install("--chromium", &data);
        let mut cmd = Command::new(exe);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", data.display()))
        .arg(format!("--disable-extensions-except={}", ext.display()))
        .arg(format!("--load-extension={}", ext.display()))
        .arg(url)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(home.join("chromium.log")).unwrap());
        for (k, v) in s.env(&home) {
            cmd.env(k, v);
        }
        Reap(cmd.spawn().unwrap())
    };
    let _b = run(s.url(s.server.port, STEPS), "allowed");
    let r = wait_result(
        &s.server,
        90,
        &s.dir.path().join("chromium-allowed/chromium.log"),
    );
    check_allowed("chromium", &r, s);
    // Another origin on loopback: the extension runs there, the host refuses it.
    let _b = run(s.url(s.refused.port, "hello"), "refused");
    let r = wait_result(
        &s.refused,
        60,
        &s.dir.path().join("chromium-refused/chromium.log"),
    );
    assert_eq!(code(&r["steps"]["hello"]), "browser.origin_refused", "{r}");
}

/// Marionette: `len:JSON` over TCP.
struct Marionette {
    stream: TcpStream,
    buf: Vec<u8>,
    id: u64,
}

impl Marionette {
    fn connect(port: u16) -> Marionette {
        for _ in 0..120 {
            if let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) {
                stream
                    .set_read_timeout(Some(Duration::from_secs(60)))
                    .unwrap();
                let mut m = Marionette {
                    stream,
                    buf: Vec::new(),
                    id: 0,
                };
                m.read();
                return m;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        panic!("Marionette did not start");
    }

    fn read(&mut self) -> Value {
        loop {
            if let Some(colon) = self.buf.iter().position(|b| *b == b':') {
                let n: usize = std::str::from_utf8(&self.buf[..colon])
                    .unwrap()
                    .parse()
                    .unwrap();
                if self.buf.len() >= colon + 1 + n {
                    let v = serde_json::from_slice(&self.buf[colon + 1..colon + 1 + n]).unwrap();
                    self.buf.drain(..colon + 1 + n);
                    return v;
                }
            }
            let mut chunk = [0u8; 65536];
            let n = self.stream.read(&mut chunk).expect("Marionette read");
            assert!(n > 0, "Marionette closed");
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    fn cmd(&mut self, name: &str, params: Value) -> Value {
        self.id += 1;
        let body = json!([0, self.id, name, params]).to_string();
        write!(self.stream, "{}:{body}", body.len()).unwrap();
        loop {
            let m = self.read();
            if m[1] == json!(self.id) {
                assert!(m[2].is_null(), "{name}: {}", m[2]);
                return m[3].clone();
            }
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn firefox(s: &Setup) {
    let home = s.dir.path().join("firefox-home");
    let prof = home.join("profile");
    std::fs::create_dir_all(&prof).unwrap();
    // Firefox reads host manifests from $HOME/.mozilla/native-messaging-hosts.
    s.install("--firefox", &home);
    let mport = free_port();
    let prefs = [
        ("marionette.port", json!(mport)),
        ("browser.shell.checkDefaultBrowser", json!(false)),
        ("datareporting.policy.dataSubmissionEnabled", json!(false)),
        ("app.update.auto", json!(false)),
        ("extensions.autoDisableScopes", json!(0)),
    ];
    let user_js: String = prefs
        .iter()
        .map(|(k, v)| format!("user_pref(\"{k}\", {v});\n"))
        .collect();
    std::fs::write(prof.join("user.js"), user_js).unwrap();
    let mut cmd = Command::new("firefox-esr");
    cmd.args(["--headless", "--marionette", "--no-remote", "--profile"])
        .arg(&prof)
        .arg("about:blank")
        .env("MOZ_HEADLESS", "1")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(home.join("firefox.log")).unwrap());
    for (k, v) in s.env(&home) {
        cmd.env(k, v);
    }
    let _ff = Reap(cmd.spawn().expect("firefox-esr is installed"));
    let mut m = Marionette::connect(mport);
    m.cmd("WebDriver:NewSession", json!({"capabilities": {}}));
    let ext = repo()
        .join("tools/browser-extension/firefox")
        .canonicalize()
        .unwrap();
    m.cmd(
        "Addon:Install",
        json!({"path": ext.display().to_string(), "temporary": true}),
    );
    eprintln!("firefox: add-on installed");
    m.cmd(
        "WebDriver:Navigate",
        json!({"url": s.url(s.server.port, STEPS)}),
    );
    let r = wait_result(&s.server, 90, &home.join("firefox.log"));
    check_allowed("firefox", &r, s);
    m.cmd(
        "WebDriver:Navigate",
        json!({"url": s.url(s.refused.port, "hello")}),
    );
    let r = wait_result(&s.refused, 60, &home.join("firefox.log"));
    assert_eq!(code(&r["steps"]["hello"]), "browser.origin_refused", "{r}");
    let _ = m.cmd("Marionette:Quit", json!({"flags": ["eForceQuit"]}));
}

#[test]
fn chromium_and_firefox_through_the_extension() {
    if std::env::var_os("TAMGA_SKIP_BROWSERS").is_some_and(|v| v == "1") {
        assert!(
            std::env::var_os("CI").is_none(),
            "browsers may not be skipped in CI"
        );
        eprintln!("skipped: TAMGA_SKIP_BROWSERS=1");
        return;
    }
    let b = bank::TestBank::start();
    // Each browser registers its own fresh token from the page.
    chromium(&setup(&b, "chromium"));
    eprintln!("chromium: passed");
    firefox(&setup(&b, "firefox"));
    let _ = read_all(std::io::empty());
}
