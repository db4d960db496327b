//! `tamga serve` and `tamga native-host` without a browser: the JSON API, the peer check with a
//! second uid, socket activation under `systemd-socket-activate`, readiness on a fake notify
//! socket, idle exit, hot-plug events; the host's argv conventions, origin check, command set,
//! frame limits, declined confirmations and one prompt at a time.

#[path = "common/bridge.rs"]
mod bridge;

use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bridge::*;
use serde_json::{json, Value};

const ORIGIN: &str = "http://127.0.0.1:8443";
const EXT: &str = "chrome-extension://kkkkhmjhdcimbmimiknloeoffnhmmhoo/";

fn serve(profile: &Path, socket: &Path, extra: &[&str]) -> Reap {
    let child = Command::new(TAMGA)
        .arg("--profile")
        .arg(profile)
        .args(["--log-level", "info", "serve", "--socket"])
        .arg(socket)
        .args(extra)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(socket, 20);
    Reap(child)
}

fn status_request(id: u64, origin: Option<&str>) -> Value {
    let mut r = json!({"v": 1, "id": id, "method": "run", "params": {"workflow": "pin", "action": "status"}});
    if let Some(o) = origin {
        r["origin"] = json!(o);
    }
    r
}

#[test]
fn api_hello_tokens_run_and_the_browser_policy() {
    let dir = tempfile::tempdir().unwrap();
    let p = profile(dir.path(), &[ORIGIN], "idle_exit_s: 0");
    let sock = dir.path().join("agent.sock");
    let _s = serve(
        &p,
        &sock,
        &[
            "--audit-log",
            dir.path().join("audit.log").to_str().unwrap(),
        ],
    );
    let mut c = Client::connect(&sock);
    let hello = c.call(&json!({"v": 1, "id": 1, "method": "hello"}), "");
    assert_eq!(hello["result"]["version"], 1, "{hello}");
    let tokens = c.call(&json!({"v": 1, "id": 2, "method": "tokens"}), "");
    assert_eq!(
        tokens["result"]["tokens"][0]["driver"], "virtual-kaztoken",
        "{tokens}"
    );
    let status = c.call(&status_request(3, None), "");
    assert_eq!(
        status["result"]["data"]["counters"]["user"]["remaining"], 10,
        "{status}"
    );
    // Errors carry tamga-core's codes; malformed lines get api codes, and the connection lives on.
    c.send(&json!({"v": 9, "id": 4, "method": "hello"}));
    assert_eq!(c.next()["error"]["code"], "api.version");
    writeln_raw(&mut c, "{not json");
    assert_eq!(c.next()["error"]["code"], "api.bad_json");
    let bad = c.call(
        &json!({"v":1,"id":5,"method":"run","params":{"workflow":"nope","action":"x"}}),
        "",
    );
    assert_eq!(bad["error"]["code"], "workflow.unavailable", "{bad}");
    // A browser's request: the origin first, then the reduced command set.
    let r = c.call(&status_request(6, Some("http://127.0.0.1:9999")), "");
    assert_eq!(r["error"]["code"], "browser.origin_refused", "{r}");
    let r = c.call(&json!({"v":1,"id":7,"origin":ORIGIN,"method":"run","params":{"workflow":"pin","action":"change-admin"}}), "");
    assert_eq!(r["error"]["code"], "browser.forbidden", "{r}");
    let r = c.call(&status_request(8, Some(ORIGIN)), "");
    assert_eq!(r["ok"], true, "{r}");
    // Registering takes an origin the enroll section names (this profile names none), and a
    // page never names the key file.
    let enroll = |id: u64, field: &str| {
        json!({"v":1,"id":id,"origin":ORIGIN,"method":"run","params":{"workflow":"enroll",
            "action":"enroll","fields":{field: "/etc/passwd"}}})
    };
    let r = c.call(&enroll(9, "enroll.user_id"), "");
    assert_eq!(r["error"]["code"], "browser.origin_refused", "{r}");
    let r = c.call(
        &json!({"v":1,"id":10,"origin":ORIGIN,"method":"run","params":{"workflow":"sign",
            "action":"payment","fields":{"enroll.key_file": "/etc/passwd"}}}),
        "",
    );
    assert_eq!(r["error"]["code"], "browser.bad_field", "{r}");
    let audit = std::fs::read_to_string(dir.path().join("audit.log")).unwrap();
    assert!(
        audit.contains("origin=http://127.0.0.1:9999 uid=0")
            || audit.contains("code=browser.origin_refused"),
        "{audit}"
    );
    assert!(
        audit.contains("op=pin/change-admin result=refused code=browser.forbidden"),
        "{audit}"
    );
}

fn writeln_raw(c: &mut Client, s: &str) {
    use std::io::Write;
    writeln!(c.writer, "{s}").unwrap();
}

#[test]
fn a_client_with_another_uid_is_refused() {
    if unsafe_euid() != 0 || Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("skipped: needs root and setpriv to run a client as another user");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let p = profile(dir.path(), &[ORIGIN], "idle_exit_s: 0");
    let sock = dir.path().join("agent.sock");
    let audit = dir.path().join("audit.log");
    let _s = serve(&p, &sock, &["--audit-log", audit.to_str().unwrap()]);
    // The socket file is world-writable on purpose: the decision is SO_PEERCRED's.
    std::fs::set_permissions(&sock, std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    // The other user's client is the native host, relaying a browser's request.
    let home = tempfile::tempdir().unwrap();
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let input = frame(
        &json!({"id": 1, "origin": ORIGIN, "method": "run", "params": {"workflow": "pin", "action": "status"}}),
    );
    let mut child = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(TAMGA)
        .arg("--profile")
        .arg(&p)
        .args(["native-host", "--socket"])
        .arg(&sock)
        .arg(EXT)
        .env("HOME", home.path())
        .env("XDG_RUNTIME_DIR", home.path())
        .env("XDG_STATE_HOME", home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    let frames = read_frames(&out.stdout);
    assert_eq!(
        frames[0]["error"]["code"],
        "service.forbidden",
        "{frames:?} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = std::fs::read_to_string(&audit).unwrap();
    assert!(
        log.contains("uid=65534") && log.contains("result=refused code=service.forbidden"),
        "{log}"
    );
    // Root (and the service's own user) still get in.
    let mut c = Client::connect(&sock);
    assert_eq!(c.call(&status_request(1, None), "")["ok"], true);
}

fn unsafe_euid() -> u32 {
    // `id -u` rather than libc: the test crate has no unsafe.
    let out = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(1)
}

#[test]
fn socket_activation_readiness_and_idle_exit() {
    if Command::new("systemd-socket-activate")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "systemd-socket-activate is missing in CI"
        );
        eprintln!("skipped: no systemd-socket-activate");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = profile(dir.path(), &[ORIGIN], "");
    let sock = dir.path().join("activated.sock");
    let notify_path = dir.path().join("notify.sock");
    let notify = UnixDatagram::bind(&notify_path).unwrap();
    notify
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let child = Command::new("systemd-socket-activate")
        .arg("-l")
        .arg(&sock)
        .arg(format!("--setenv=NOTIFY_SOCKET={}", notify_path.display()))
        .arg(TAMGA)
        .arg("--profile")
        .arg(&p)
        .args(["serve", "--idle-exit", "2"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut act = Reap(child);
    wait_for(&sock, 20);
    // The first client starts the service (systemd-socket-activate execs it on the first
    // connection, passing the listening socket as fd 3).
    let mut c = Client::connect(&sock);
    let hello = c.call(&json!({"v": 1, "id": 1, "method": "hello"}), "");
    assert_eq!(hello["ok"], true, "{hello}");
    let mut buf = [0u8; 4096];
    let n = notify.recv(&mut buf).expect("a notification");
    let first = String::from_utf8_lossy(&buf[..n]).into_owned();
    assert!(
        first.contains("READY=1") && first.contains("STATUS=listening on"),
        "{first}"
    );
    drop(c);
    // Idle for 2 s: it says it stops and exits.
    let start = Instant::now();
    let status = loop {
        if let Some(s) = act.0.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no idle exit");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}");
    let mut seen = String::new();
    notify
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    while let Ok(n) = notify.recv(&mut buf) {
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        seen.push('\n');
    }
    assert!(seen.contains("STOPPING=1"), "{seen}");
}

#[test]
fn hot_plug_is_reported_to_subscribers() {
    let dir = tempfile::tempdir().unwrap();
    let p = profile(
        dir.path(),
        &[ORIGIN],
        "idle_exit_s: 0, hotplug_poll_ms: 100",
    );
    let sock = dir.path().join("agent.sock");
    let _s = serve(&p, &sock, &[]);
    let mut c = Client::connect(&sock);
    std::thread::sleep(Duration::from_millis(300));
    let sub = c.call(&json!({"v": 1, "id": 1, "method": "subscribe"}), "");
    assert_eq!(
        sub["result"]["tokens"].as_array().map(Vec::len),
        Some(1),
        "{sub}"
    );
    let marker = dir.path().join("token.state.unplugged");
    std::fs::write(&marker, "").unwrap();
    let e = c.next();
    assert_eq!(
        (e["event"].as_str(), e["change"].as_str()),
        (Some("token"), Some("removed")),
        "{e}"
    );
    std::fs::remove_file(&marker).unwrap();
    let e = c.next();
    assert_eq!(e["change"], "inserted", "{e}");
    assert_eq!(e["token"]["driver"], "virtual-kaztoken");
}

fn order(amount: &str) -> String {
    json!({"number":"42","date":"2026-11-27","amount":amount,"currency":"KZT",
        "payer":{"name":"ТОО Tamga","iik":"KZ86125KZT5004100100","bin":"940740000911"},
        "recipient":{"name":"ИП Алма","iik":"KZ86125KZT5004100100","bin":"940740000911","bank_bic":"KCJBKZKX"},
        "knp":"119","purpose":"Оплата по счёту 7"}).to_string()
}

fn sign_request(id: u64, origin: &str, amount: &str) -> Value {
    json!({"id": id, "origin": origin, "method": "run",
           "params": {"workflow": "sign", "action": "payment", "fields": {"sign.order": order(amount)}}})
}

#[test]
fn native_host_conventions_limits_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let p = profile(
        dir.path(),
        &[ORIGIN],
        "idle_exit_s: 0, browser_requests_per_minute: 5",
    );
    let pin_dir = dir.path().join("pinentry");
    std::fs::create_dir_all(&pin_dir).unwrap();
    let pinentry = fake_pinentry(&pin_dir);
    let run = dir.path().join("run");
    let env = [
        ("PINENTRY", pinentry.as_path()),
        ("XDG_RUNTIME_DIR", run.as_path()),
        ("XDG_STATE_HOME", dir.path()),
    ];
    // Chromium's argv (the extension's origin) and Firefox's (manifest path, add-on ID).
    let status = frame(
        &json!({"id": 1, "origin": ORIGIN, "method": "run", "params": {"workflow":"pin","action":"status"}}),
    );
    for args in [
        vec![EXT],
        vec![
            "/x/.mozilla/native-messaging-hosts/kz.tamga.bridge.json",
            "tamga-bridge@tamga.kz",
        ],
    ] {
        let (all, err) = host(&p, &args, &env, &status);
        // The workflow's steps go to the page as events with the request's id, then the reply.
        assert!(
            all.iter()
                .any(|f| f["event"] == "progress" && f["id"] == 1 && f["label"].is_string()),
            "{all:?}"
        );
        let f = replies(&all);
        assert_eq!(f[0]["ok"], true, "{f:?} {err}");
        assert_eq!(f[0]["id"], 1);
    }
    // An origin not on the list: refused before anything else.
    let (f, _) = host(
        &p,
        &[EXT],
        &env,
        &frame(&json!({"id": 2, "origin": "http://127.0.0.1:8444", "method": "hello"})),
    );
    assert_eq!(f[0]["error"]["code"], "browser.origin_refused");
    // An oversized message: refused; it is read to its end, so the next one is served.
    let big =
        frame(&json!({"id": 3, "origin": ORIGIN, "method": "hello", "pad": "x".repeat(300 << 10)}));
    let f = replies(&host(&p, &[EXT], &env, &[big, status.clone()].concat()).0);
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(f[0]["error"]["code"], "browser.message_too_large");
    assert_eq!(f[1]["ok"], true, "{f:?}");
    // A length beyond what is ever drained ends the host after the refusal.
    let (f, _) = host(&p, &[EXT], &env, &u32::MAX.to_ne_bytes());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["error"]["code"], "browser.message_too_large");
    // A declined confirmation: nothing signed; the dialog showed the parsed order.
    std::fs::write(pin_dir.join("confirm"), "no").unwrap();
    let (f, _) = host(
        &p,
        &[EXT],
        &env,
        &frame(&sign_request(4, ORIGIN, "150000.00")),
    );
    assert_eq!(f[0]["error"]["code"], "cancelled", "{f:?}");
    let shown = std::fs::read_to_string(pin_dir.join("prompts.log")).unwrap();
    for want in [
        "http://127.0.0.1:8443",
        "150 000.00 KZT",
        "ИП Алма",
        "KZ86125KZT5004100100",
        "119",
    ] {
        assert!(shown.contains(want), "{want} not in {shown}");
    }
    // A malformed order never reaches a dialog.
    let (f, _) = host(&p, &[EXT], &env, &frame(&sign_request(5, ORIGIN, "-5")));
    assert_eq!(f[0]["error"]["code"], "browser.bad_order", "{f:?}");
    // The rate limit: 5 per minute and origin (the five requests above that passed the origin
    // check count).
    let (f, _) = host(&p, &[EXT], &env, &status);
    assert_eq!(f[0]["error"]["code"], "browser.rate_limited", "{f:?}");
    let audit = std::fs::read_to_string(dir.path().join("tamga/audit.log")).unwrap();
    assert!(
        audit.contains("browser=chromium") && audit.contains("browser=firefox"),
        "{audit}"
    );
    assert!(
        audit.contains("op=sign/payment") && audit.contains("sha256="),
        "{audit}"
    );
}

#[test]
fn one_prompt_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let p = profile(dir.path(), &[ORIGIN], "idle_exit_s: 0");
    let pin_dir = dir.path().join("pinentry");
    std::fs::create_dir_all(&pin_dir).unwrap();
    let pinentry = fake_pinentry(&pin_dir);
    std::fs::write(pin_dir.join("delay"), "3").unwrap();
    std::fs::write(pin_dir.join("confirm"), "no").unwrap();
    let run = dir.path().join("run");
    let env = [
        ("PINENTRY", pinentry.as_path()),
        ("XDG_RUNTIME_DIR", run.as_path()),
        ("XDG_STATE_HOME", dir.path()),
    ];
    let (p1, env1) = (p.clone(), env.map(|(k, v)| (k, v.to_path_buf())));
    let first = std::thread::spawn(move || {
        let env: Vec<(&str, &Path)> = env1.iter().map(|(k, v)| (*k, v.as_path())).collect();
        host(&p1, &[EXT], &env, &frame(&sign_request(1, ORIGIN, "10.00")))
    });
    // While the first dialog is open, a second request is refused, not queued.
    wait_for(&pin_dir.join("prompts.log"), 20);
    let (f, _) = host(&p, &[EXT], &env, &frame(&sign_request(2, ORIGIN, "20.00")));
    assert_eq!(f[0]["error"]["code"], "browser.prompt_busy", "{f:?}");
    let (f, _) = first.join().unwrap();
    assert_eq!(f[0]["error"]["code"], "cancelled", "{f:?}");
}

#[test]
fn a_dialog_nobody_answers_is_closed_and_the_slot_freed() {
    let dir = tempfile::tempdir().unwrap();
    let p = profile(dir.path(), &[ORIGIN], "idle_exit_s: 0, prompt_timeout_s: 2");
    let pin_dir = dir.path().join("pinentry");
    std::fs::create_dir_all(&pin_dir).unwrap();
    let pinentry = fake_pinentry(&pin_dir);
    // The stand-in hangs in a child process (sleep), as a real dialog's helpers may: killing
    // the script alone would leave its output pipe open and tamga waiting.
    std::fs::write(pin_dir.join("delay"), "60").unwrap();
    let run = dir.path().join("run");
    let env = [
        ("PINENTRY", pinentry.as_path()),
        ("XDG_RUNTIME_DIR", run.as_path()),
        ("XDG_STATE_HOME", dir.path()),
        ("LC_ALL", Path::new("C.UTF-8")),
    ];
    let start = Instant::now();
    let (f, err) = host(&p, &[EXT], &env, &frame(&sign_request(1, ORIGIN, "10.00")));
    let took = start.elapsed();
    assert_eq!(f[0]["error"]["code"], "secret.timeout", "{f:?} {err}");
    assert_eq!(f[0]["error"]["class"], "cancelled", "{f:?}");
    let message = f[0]["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("2 s"), "{message}");
    assert!(
        took < Duration::from_secs(20),
        "the hanging dialog was not ended: {took:?}"
    );
    // In Russian too.
    let ru = [&env[..3], &[("LC_ALL", Path::new("ru_RU.UTF-8"))]].concat();
    let (f, _) = host(&p, &[EXT], &ru, &frame(&sign_request(2, ORIGIN, "10.00")));
    let message = f[0]["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("за 2 с"), "{f:?}");
    // The slot is free again: the next request gets its dialog, not "busy".
    std::fs::write(pin_dir.join("delay"), "0").unwrap();
    std::fs::write(pin_dir.join("confirm"), "no").unwrap();
    let (f, _) = host(&p, &[EXT], &env, &frame(&sign_request(3, ORIGIN, "10.00")));
    assert_eq!(f[0]["error"]["code"], "cancelled", "{f:?}");
    let audit = std::fs::read_to_string(dir.path().join("tamga/audit.log")).unwrap();
    assert!(audit.contains("code=secret.timeout"), "{audit}");
}

#[test]
fn unit_files_pass_systemd_analyze_verify() {
    if Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "systemd-analyze is missing in CI"
        );
        eprintln!("skipped: no systemd-analyze");
        return;
    }
    let units = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packaging/systemd");
    let dir = tempfile::tempdir().unwrap();
    for (sub, user) in [("", false), ("user", true)] {
        let out_dir = dir.path().join(if user { "user" } else { "system" });
        std::fs::create_dir_all(&out_dir).unwrap();
        let mut files = Vec::new();
        for name in ["tamga.socket", "tamga.service"] {
            // ExecStart must name an existing binary: this build's.
            let text = std::fs::read_to_string(units.join(sub).join(name)).unwrap();
            let path = out_dir.join(name);
            std::fs::write(&path, text.replace("/usr/bin/tamga", TAMGA)).unwrap();
            files.push(path);
        }
        let mut cmd = Command::new("systemd-analyze");
        if user {
            cmd.arg("--user").env("XDG_RUNTIME_DIR", dir.path());
        }
        let out = cmd.arg("verify").args(&files).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && err.trim().is_empty(),
            "user={user}: {err}"
        );
    }
}
