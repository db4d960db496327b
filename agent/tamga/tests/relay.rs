//! The native host in front of a running `tamga serve`, without a browser: frames on the host's
//! standard input as the extension writes them, the request relayed to the service (which
//! checks the origin again, reads the token and runs the workflow), the service's asks answered
//! by the host's pinentry dialogs, and the payment signed and accepted by the sandbox bank's IB.
//! A dialog nobody answers ends the relayed request with the timeout and frees the service.

mod bank;
#[path = "common/bridge.rs"]
mod bridge;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use bridge::*;
use serde_json::{json, Value};

const EXT: &str = "chrome-extension://kkkkhmjhdcimbmimiknloeoffnhmmhoo/";

fn order(amount: &str) -> String {
    json!({"number":"7","date":"2026-11-27","amount":amount,"currency":"KZT",
        "payer":{"name":"ТОО Tamga","iik":"KZ86125KZT5004100100","bin":"940740000911"},
        "recipient":{"name":"ИП Алма","iik":"KZ86125KZT5004100100","bin":"940740000911","bank_bic":"KCJBKZKX"},
        "knp":"119","purpose":"Оплата по счёту 7"}).to_string()
}

fn sign(id: u64, origin: &str, amount: &str) -> Vec<u8> {
    frame(&json!({"id": id, "origin": origin, "method": "run",
        "params": {"workflow": "sign", "action": "payment", "fields": {"sign.order": order(amount)}}}))
}

struct Relay {
    _bank: bank::TestBank,
    dir: PathBuf,
    profile: PathBuf,
    origin: String,
    socket: PathBuf,
    audit: PathBuf,
    pin_dir: PathBuf,
    subject: String,
    _service: Reap,
}

/// A token registered with the sandbox bank (command line), and the service on it.
fn start(service: &str) -> Relay {
    let b = bank::TestBank::start();
    let client = b.client("relay", "", "");
    let out = client.enroll(&b.customer(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", bank::text(&out));
    // The dialog names the certificate's holder: the sandbox CA's subject is CN=<user ID>.
    let subject = bank::json(&out)["user_id"].as_str().unwrap().to_owned();
    serve(b, client, service, subject)
}

/// The service on `client`'s token, with `service` as the profile's service section.
fn serve(b: bank::TestBank, client: bank::Client, service: &str, subject: String) -> Relay {
    let text = std::fs::read_to_string(&client.profile).unwrap().replace(
        "name: \"test\",",
        &format!("name: \"test\",\n    service: ({service}),"),
    );
    std::fs::write(&client.profile, text).unwrap();
    let socket = client.path("agent.sock");
    let audit = client.path("service-audit.log");
    let child = client
        .command(
            &[
                "--log-level",
                "trace",
                "serve",
                "--socket",
                socket.to_str().unwrap(),
                "--audit-log",
            ],
            &[],
        )
        .arg(&audit)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(client.path("service.log")).unwrap())
        .spawn()
        .unwrap();
    let service = Reap(child);
    wait_for(&socket, 20);
    let pin_dir = client.path("pinentry");
    std::fs::create_dir_all(&pin_dir).unwrap();
    fake_pinentry(&pin_dir);
    std::fs::write(pin_dir.join("pin"), bank::NEW_PIN).unwrap();
    Relay {
        origin: b.server.base_url(),
        _bank: b,
        dir: client.dir.clone(),
        profile: client.profile.clone(),
        socket,
        audit,
        pin_dir,
        subject,
        _service: service,
    }
}

impl Relay {
    fn host(&self, input: &[u8]) -> (Vec<Value>, String) {
        let pinentry = self.pin_dir.join("pinentry");
        let run = self.dir.join("host-run");
        let env = [
            ("PINENTRY", pinentry.as_path()),
            ("XDG_RUNTIME_DIR", run.as_path()),
            ("XDG_STATE_HOME", self.dir.as_path()),
            ("HOME", self.dir.as_path()),
        ];
        let socket = self.socket.display().to_string();
        host(&self.profile, &["--socket", &socket, EXT], &env, input)
    }

    fn prompts(&self) -> String {
        std::fs::read_to_string(self.pin_dir.join("prompts.log")).unwrap_or_default()
    }

    fn service_audit(&self) -> String {
        std::fs::read_to_string(&self.audit).unwrap_or_default()
    }
}

fn reply(frames: &[Value]) -> &Value {
    frames
        .iter()
        .find(|f| f.get("event").is_none())
        .expect("a reply frame")
}

#[test]
fn a_payment_signed_through_the_service_with_the_hosts_dialogs() {
    let r = start("idle_exit_s: 0");
    let (frames, err) = r.host(&sign(1, &r.origin, "150000.00"));
    let answer = reply(&frames);
    assert_eq!(answer["ok"], true, "{frames:?}\n{err}\n{}", r.prompts());
    assert_eq!(answer["id"], 1);
    assert!(
        answer["result"]["data"]["payment_id"].is_string()
            || answer["result"]["data"]["payment_id"].is_number(),
        "{answer}"
    );
    // The service's confirmation (with the certificate it read from the token) and its PIN
    // ask were drawn by the host's pinentry.
    let prompts = r.prompts();
    for want in [
        r.subject.as_str(),
        "150 000.00 KZT",
        "ИП Алма",
        "--- CONFIRM",
        "--- GETPIN",
    ] {
        assert!(prompts.contains(want), "{want:?} not in:\n{prompts}");
    }
    // The service ran it (its audit line), as a browser's request.
    let audit = r.service_audit();
    assert!(
        audit.lines().any(|l| l.contains("channel=browser")
            && l.contains("op=sign/payment")
            && l.ends_with("result=ok")),
        "{audit}"
    );
    // Declined in the dialog: the service hears "no" and signs nothing.
    std::fs::write(r.pin_dir.join("confirm"), "no").unwrap();
    let (frames, _) = r.host(&sign(2, &r.origin, "20.00"));
    assert_eq!(reply(&frames)["error"]["code"], "cancelled", "{frames:?}");
}

#[test]
fn a_relayed_dialog_nobody_answers_times_out_and_frees_the_service() {
    let r = start("idle_exit_s: 0, prompt_timeout_s: 2");
    std::fs::write(r.pin_dir.join("delay"), "60").unwrap();
    let start = Instant::now();
    let (frames, err) = r.host(&sign(1, &r.origin, "10.00"));
    assert_eq!(
        reply(&frames)["error"]["code"],
        "secret.timeout",
        "{frames:?}\n{err}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    // The service lets go of the token once it sees the host gone (a moment later): the next
    // request gets its dialog and is signed, not refused as busy.
    std::fs::write(r.pin_dir.join("delay"), "0").unwrap();
    let mut last = Value::Null;
    for attempt in 0..20 {
        let (frames, _) = r.host(&sign(2 + attempt, &r.origin, "10.00"));
        last = reply(&frames).clone();
        if last["error"]["code"] != "browser.prompt_busy" {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    assert_eq!(last["ok"], true, "{last}");
}

#[test]
fn a_registration_through_the_service_with_the_hosts_dialogs() {
    // A fresh token; the bank's page may register (enroll.origins), the key file lies where the
    // profile says to look for it.
    let b = bank::TestBank::start();
    let customer = b.customer();
    let origin = b.server.base_url();
    let keys = customer.pfx_path.parent().unwrap().display().to_string();
    let client = b.client(
        "fresh",
        &format!("origins: [{origin:?}], key_file_dirs: [{keys:?}],"),
        "",
    );
    let r = serve(b, client, "idle_exit_s: 0", String::new());
    let otp = customer.otp_pin.to_string();
    answers(
        &r.pin_dir,
        &[
            ("GETPIN", "factory default 12345678", "12345678"),
            ("GETPIN", "PIN from the OTP card", &otp),
            ("CONFIRM", "password match the PIN", "yes"),
            ("GETPIN", "New token password", bank::NEW_PIN),
            ("GETPIN", "Repeat the new password", bank::NEW_PIN),
        ],
    );
    let request = frame(&json!({"id": 1, "origin": r.origin, "method": "run",
        "params": {"workflow": "enroll", "action": "enroll", "lang": "en",
                   "fields": {"enroll.user_id": customer.user_id}}}));
    let (frames, err) = r.host(&request);
    let answer = reply(&frames);
    assert_eq!(answer["ok"], true, "{frames:?}\n{err}\n{}", r.prompts());
    assert_eq!(
        answer["result"]["data"]["user_id"],
        customer.user_id.as_str()
    );
    // The service's progress reached the host's output; the key file was chosen in a dialog
    // (the service asked the host for it) and the registration screen headed the last one.
    assert!(
        frames.iter().filter(|f| f["event"] == "progress").count() >= 3,
        "{frames:?}"
    );
    let prompts = r.prompts();
    for want in [
        "Use the bank's key file",
        "GOST.pfx",
        "Check the registration data",
    ] {
        assert!(prompts.contains(want), "{want:?} not in:\n{prompts}");
    }
    // No secret reached the page, the host's log, the service's log or its audit lines.
    let output = frames.iter().map(Value::to_string).collect::<String>();
    let service_log = std::fs::read_to_string(r.dir.join("service.log")).unwrap_or_default();
    assert!(
        service_log.lines().count() > 10,
        "the service logs at trace level"
    );
    for secret in [otp.as_str(), bank::NEW_PIN] {
        assert!(!output.contains(secret), "a secret reached the page");
        assert!(!err.contains(secret), "a secret in the host's log");
        assert!(
            !service_log.contains(secret),
            "a secret in the service's log"
        );
        assert!(
            !r.service_audit().contains(secret),
            "a secret in the audit log"
        );
    }
    // The new token signs at once.
    let (frames, _) = r.host(&sign(2, &r.origin, "500.00"));
    assert_eq!(reply(&frames)["ok"], true, "{frames:?}\n{}", r.prompts());
}
