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
    client: bank::Client,
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
        client,
        _service: service,
    }
}

impl Relay {
    fn host(&self, input: &[u8]) -> (Vec<Value>, String) {
        let socket = self.socket.display().to_string();
        self.host_with(&["--socket", &socket, EXT], input)
    }

    /// The host alone, running the workflow itself with its own dialogs.
    fn host_alone(&self, input: &[u8]) -> (Vec<Value>, String) {
        self.host_with(&["--no-relay", EXT], input)
    }

    fn host_with(&self, args: &[&str], input: &[u8]) -> (Vec<Value>, String) {
        let pinentry = self.pin_dir.join("pinentry");
        let run = self.dir.join("host-run");
        let env = [
            ("PINENTRY", pinentry.as_path()),
            ("XDG_RUNTIME_DIR", run.as_path()),
            ("XDG_STATE_HOME", self.dir.as_path()),
            ("HOME", self.dir.as_path()),
        ];
        host(&self.profile, args, &env, input)
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
    let (r, customer) = fresh();
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
    // The log is at trace level, so its lack of secrets means something.
    let service_log = std::fs::read_to_string(r.dir.join("service.log")).unwrap_or_default();
    assert!(
        service_log.lines().count() > 10,
        "the service logs at trace level"
    );
    no_leak(&r, &frames, &err, &[otp.as_str(), bank::NEW_PIN]);
    // The new token signs at once.
    let (frames, _) = r.host(&sign(2, &r.origin, "500.00"));
    assert_eq!(reply(&frames)["ok"], true, "{frames:?}\n{}", r.prompts());
}

/// A fresh token whose registration the bank's page may start, the service on it.
fn fresh() -> (Relay, tamga_sandbox_bank::CustomerFiles) {
    fresh_with(10)
}

/// [`fresh`] with `user_retries` tries of the user PIN.
fn fresh_with(user_retries: u8) -> (Relay, tamga_sandbox_bank::CustomerFiles) {
    let b = bank::TestBank::start();
    let customer = b.customer();
    let origin = b.server.base_url();
    let keys = customer.pfx_path.parent().unwrap().display().to_string();
    let client = b.client(
        "fresh",
        &format!("origins: [{origin:?}], key_file_dirs: [{keys:?}],"),
        "",
    );
    let text = std::fs::read_to_string(&client.profile).unwrap();
    let text = text.replace(
        "VirtualKaztoken(",
        &format!("VirtualKaztoken(user_retries: {user_retries}, "),
    );
    std::fs::write(&client.profile, text).unwrap();
    (serve(b, client, "idle_exit_s: 0", String::new()), customer)
}

fn enroll_request(id: u64, r: &Relay, user_id: &str) -> Vec<u8> {
    frame(&json!({"id": id, "origin": r.origin, "method": "run",
        "params": {"workflow": "enroll", "action": "enroll", "lang": "en",
                   "fields": {"enroll.user_id": user_id}}}))
}

/// The error lines the stand-in's dialogs showed, in order.
fn errors_shown(prompts: &str) -> Vec<&str> {
    prompts
        .lines()
        .filter_map(|l| l.strip_prefix("--- SETERROR "))
        .collect()
}

/// Nothing of `secrets` reached the page, the host's log, the service's log, its audit lines
/// or the dialogs' error lines.
fn no_leak(r: &Relay, frames: &[Value], err: &str, secrets: &[&str]) {
    let output = frames.iter().map(Value::to_string).collect::<String>();
    let service_log = std::fs::read_to_string(r.dir.join("service.log")).unwrap_or_default();
    let prompts = r.prompts();
    let shown = errors_shown(&prompts).join("\n");
    for secret in secrets {
        assert!(!output.contains(secret), "{secret:?} reached the page");
        assert!(!err.contains(secret), "{secret:?} in the host's log");
        assert!(
            !service_log.contains(secret),
            "{secret:?} in the service's log"
        );
        assert!(
            !r.service_audit().contains(secret),
            "{secret:?} in the audit log"
        );
        assert!(!shown.contains(secret), "{secret:?} in an error line");
    }
}

const WRONG_OTP: &str = "ZZZZZZZZZZZ";
const WRONG_KEY_PASSWORD: &str = "NotTheKeyPassword";
const WRONG_TOKEN_PIN: &str = "87654321";
/// The stand-in's answer that cancels the dialog.
const CANCEL: &str = "<cancel>";

#[test]
fn wrong_answers_in_the_relayed_dialogs_are_explained_and_asked_again() {
    wrong_answers_asked_again(false);
}

#[test]
fn wrong_answers_in_the_lone_hosts_dialogs_are_explained_and_asked_again() {
    wrong_answers_asked_again(true);
}

/// `alone`: the native host runs the registration itself rather than relaying it.
fn wrong_answers_asked_again(alone: bool) {
    let (r, customer) = fresh();
    let otp = customer.otp_pin.to_string();
    assert_eq!(otp.len(), WRONG_OTP.len());
    // The token's password wrong once; the OTP PIN wrong ("password matches PIN"); then the key
    // file's own password wrong; then the right ones.
    answers_once(
        &r.pin_dir,
        &[
            ("GETPIN", "factory default 12345678", WRONG_TOKEN_PIN),
            ("GETPIN", "PIN from the OTP card", WRONG_OTP),
            ("CONFIRM", "password match the PIN", "yes"),
            ("GETPIN", "Key file password", WRONG_KEY_PASSWORD),
        ],
        &[
            ("GETPIN", "factory default 12345678", "12345678"),
            ("GETPIN", "PIN from the OTP card", &otp),
            ("CONFIRM", "password match the PIN", "no"),
            ("GETPIN", "Key file password", &otp),
            ("GETPIN", "New token password", bank::NEW_PIN),
            ("GETPIN", "Repeat the new password", bank::NEW_PIN),
        ],
    );
    let request = enroll_request(1, &r, &customer.user_id);
    let (frames, err) = if alone {
        r.host_alone(&request)
    } else {
        r.host(&request)
    };
    let prompts = r.prompts();
    let answer = reply(&frames);
    assert_eq!(answer["ok"], true, "{frames:?}\n{err}\n{prompts}");
    assert_eq!(
        answer["result"]["data"]["user_id"],
        customer.user_id.as_str()
    );
    // Each wrong answer was explained in the next dialog's error line: the key file twice (the
    // wrong OTP PIN, then the wrong password), the token's password with its tries left.
    let shown = errors_shown(&prompts);
    assert_eq!(
        shown,
        [
            "Wrong password or key container. Check:",
            "Wrong password or key container. Check:",
            "wrong user PIN: 9 tries left",
        ],
        "{prompts}"
    );
    // The checklist below the headline stood above the question asked again.
    assert!(
        prompts.contains("tamga has already tried these swaps"),
        "{prompts}"
    );
    assert_eq!(
        prompts.matches("PIN from the OTP card (").count(),
        3,
        "{prompts}"
    );
    assert_eq!(
        prompts.matches("factory default 12345678").count(),
        2,
        "{prompts}"
    );
    no_leak(
        &r,
        &frames,
        &err,
        &[
            otp.as_str(),
            bank::NEW_PIN,
            WRONG_OTP,
            WRONG_KEY_PASSWORD,
            WRONG_TOKEN_PIN,
        ],
    );
    // The token took the right password: it is enrolled and signs.
    let (journal, keys) = r.client.token_state();
    assert_eq!(journal.expect("a journal").step.name(), "complete");
    assert_eq!(keys.len(), 2);
    let (frames, _) = r.host(&sign(2, &r.origin, "500.00"));
    assert_eq!(reply(&frames)["ok"], true, "{frames:?}\n{}", r.prompts());
}

#[test]
fn wrong_answers_that_run_out_end_the_registration_and_leave_the_token_as_it_was() {
    let (r, customer) = fresh();
    let otp = customer.otp_pin.to_string();
    let right = [
        ("GETPIN", "factory default 12345678", "12345678"),
        ("CONFIRM", "password match the PIN", "yes"),
        ("GETPIN", "New token password", bank::NEW_PIN),
        ("GETPIN", "Repeat the new password", bank::NEW_PIN),
    ];
    // The OTP PIN wrong every time: asked three times, then the key file's error.
    let mut wrong_otp = vec![("GETPIN", "PIN from the OTP card", WRONG_OTP)];
    wrong_otp.extend(right);
    answers(&r.pin_dir, &wrong_otp);
    let (frames, err) = r.host(&enroll_request(1, &r, &customer.user_id));
    let prompts = r.prompts();
    let error = &reply(&frames)["error"];
    assert_eq!(
        error["code"], "enroll.wrong_password_or_container",
        "{frames:?}\n{err}\n{prompts}"
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("Wrong password or key container"),
        "{error}"
    );
    assert_eq!(
        prompts.matches("PIN from the OTP card (").count(),
        3,
        "{prompts}"
    );
    assert_eq!(errors_shown(&prompts).len(), 2, "{prompts}");
    // Checked before the token is touched: no journal, no key; a rerun starts afresh.
    let (journal, keys) = r.client.token_state();
    assert!(journal.is_none() && keys.is_empty(), "{keys:?}");

    // The token's password wrong every time: three tries spent, seven left, nothing written.
    std::fs::remove_file(r.pin_dir.join("prompts.log")).unwrap();
    let mut wrong_pin = vec![
        ("GETPIN", "factory default 12345678", WRONG_TOKEN_PIN),
        ("GETPIN", "PIN from the OTP card", otp.as_str()),
    ];
    wrong_pin.extend(&right[1..]);
    answers(&r.pin_dir, &wrong_pin);
    let (frames2, err2) = r.host(&enroll_request(2, &r, &customer.user_id));
    let prompts = r.prompts();
    let error = &reply(&frames2)["error"];
    assert_eq!(error["code"], "pin.wrong", "{frames2:?}\n{err2}\n{prompts}");
    assert_eq!(
        errors_shown(&prompts),
        [
            "wrong user PIN: 9 tries left",
            "wrong user PIN: 8 tries left"
        ],
        "{prompts}"
    );
    assert!(
        error["message"].as_str().unwrap().contains("7 tries left"),
        "{error}"
    );
    let (journal, keys) = r.client.token_state();
    assert!(journal.is_none() && keys.is_empty(), "{keys:?}");

    // A dialog cancelled when asked again still cancels.
    answers_once(
        &r.pin_dir,
        &[("GETPIN", "PIN from the OTP card", WRONG_OTP)],
        &[("GETPIN", "PIN from the OTP card", CANCEL), right[0]],
    );
    let (frames3, _) = r.host(&enroll_request(3, &r, &customer.user_id));
    assert_eq!(reply(&frames3)["error"]["code"], "cancelled", "{frames3:?}");

    // The rerun with the right answers registers.
    let mut good = vec![("GETPIN", "PIN from the OTP card", otp.as_str())];
    good.extend(right);
    answers(&r.pin_dir, &good);
    let (frames4, err4) = r.host(&enroll_request(4, &r, &customer.user_id));
    assert_eq!(
        reply(&frames4)["ok"],
        true,
        "{frames4:?}\n{err4}\n{}",
        r.prompts()
    );
    for f in [&frames, &frames2, &frames4] {
        no_leak(
            &r,
            f,
            "",
            &[otp.as_str(), bank::NEW_PIN, WRONG_OTP, WRONG_TOKEN_PIN],
        );
    }
    no_leak(&r, &frames, &err, &[WRONG_OTP]);
}

#[test]
fn the_last_try_of_the_token_password_is_spent_only_on_the_persons_yes() {
    let (r, customer) = fresh_with(3);
    let otp = customer.otp_pin.to_string();
    let rest = [
        ("GETPIN", "PIN from the OTP card", otp.as_str()),
        ("CONFIRM", "password match the PIN", "yes"),
        ("GETPIN", "New token password", bank::NEW_PIN),
        ("GETPIN", "Repeat the new password", bank::NEW_PIN),
    ];
    // Wrong twice: one try left. Asked again, the person declines to spend it: cancelled, and
    // the try is still there.
    let mut then = vec![
        ("GETPIN", "factory default 12345678", "12345678"),
        ("CONFIRM", "Only one user PIN try is left", "no"),
    ];
    then.extend(rest);
    answers_once(
        &r.pin_dir,
        &[
            ("GETPIN", "factory default 12345678", WRONG_TOKEN_PIN),
            ("GETPIN", "factory default 12345678", WRONG_TOKEN_PIN),
        ],
        &then,
    );
    let (frames, err) = r.host(&enroll_request(1, &r, &customer.user_id));
    let prompts = r.prompts();
    assert_eq!(
        reply(&frames)["error"]["code"],
        "cancelled",
        "{frames:?}\n{err}\n{prompts}"
    );
    assert_eq!(
        errors_shown(&prompts),
        ["wrong user PIN: 2 tries left", "wrong user PIN: 1 try left"],
        "{prompts}"
    );
    assert_eq!(prompts.matches("Only one user PIN try is left").count(), 1);
    let (journal, keys) = r.client.token_state();
    assert!(journal.is_none() && keys.is_empty(), "{keys:?}");

    // The rerun: the right password, the last try spent on the person's yes.
    std::fs::remove_file(r.pin_dir.join("prompts.log")).unwrap();
    let mut good = vec![
        ("GETPIN", "factory default 12345678", "12345678"),
        ("CONFIRM", "Only one user PIN try is left", "yes"),
    ];
    good.extend(rest);
    answers(&r.pin_dir, &good);
    let (frames, err) = r.host(&enroll_request(2, &r, &customer.user_id));
    let prompts = r.prompts();
    assert_eq!(reply(&frames)["ok"], true, "{frames:?}\n{err}\n{prompts}");
    assert_eq!(prompts.matches("Only one user PIN try is left").count(), 1);
    assert!(errors_shown(&prompts).is_empty(), "{prompts}");
    no_leak(
        &r,
        &frames,
        &err,
        &[otp.as_str(), bank::NEW_PIN, WRONG_TOKEN_PIN],
    );
}
