//! `tamga demo`: the whole of the guide's §3 on one machine, with no setup. The sandbox bank
//! runs in this process (a free loopback port, HTTPS with its certificate pinned), a customer
//! is added as a branch would, a virtual KAZTOKEN is created (or, with `--softhsm`, a SoftHSM2
//! token driven over PKCS#11 with EC P-256 keys), and tamga enrolls it, logs in,
//! signs a payment order and checks the bank accepted it — through the same workflows and
//! profile machinery as `tamga enroll`, `login` and `pay`. Secrets live in the work
//! directory's files only; the report shows the time of each step.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tamga_core::profile::Lookup;
use tamga_core::progress::{Event, Progress};
use tamga_core::{Lang, Outcome, Runner};
use tamga_payment_order::{bin_check_digit, iik_for};
use tamga_plugin_enroll::enrolled::Enrolled;
use tamga_plugin_enroll::inputs::keys as enroll_keys;
use tamga_plugin_sign::workflow_keys as sign_keys;
use tamga_sandbox_bank::{Bank, CustomerOptions, ServeOptions};

use crate::agent::{fail, lang, print};
use crate::answers::{Answers, WizardInteraction};
use crate::cli::{DemoArgs, GlobalArgs};
use crate::cmd::demo_softhsm::{self, SoftHsm};
use crate::cmd::demo_workdir;
use crate::error::{Failure, Result};
use crate::registry::REGISTRY;

/// Records when each workflow step began.
#[derive(Default)]
struct Timings {
    marks: Vec<(String, Instant)>,
    finished: Option<Instant>,
}

impl Progress for Timings {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Step { label, .. } => self.marks.push((label.to_owned(), Instant::now())),
            Event::Finished => self.finished = Some(Instant::now()),
        }
    }
}

impl Timings {
    /// (label, duration) per step; repeated labels (polling) are merged.
    fn steps(&self) -> Vec<(String, Duration)> {
        let end = self.finished.unwrap_or_else(Instant::now);
        let mut out: Vec<(String, Duration)> = Vec::new();
        for (i, (label, start)) in self.marks.iter().enumerate() {
            let stop = self.marks.get(i + 1).map_or(end, |(_, t)| *t);
            out.push((label.clone(), stop.duration_since(*start)));
        }
        out
    }
}

/// The report, step by step.
struct Report {
    lang: Lang,
    rows: Vec<(String, Duration)>,
}

impl Report {
    fn add(&mut self, name: impl Into<String>, d: Duration) {
        self.rows.push((name.into(), d));
    }

    fn timed<T>(
        &mut self,
        name: &str,
        f: impl FnOnce() -> std::result::Result<T, Failure>,
    ) -> Result<T> {
        let start = Instant::now();
        let out = f()?;
        self.add(name, start.elapsed());
        Ok(out)
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e4).round() / 10.0
}

fn failed(what: &str, e: impl std::fmt::Display) -> Failure {
    Failure::invalid(format!("demo: {what}: {e}"))
}

/// A password under the bank's rules (Latin letters and digits, both, no runs), random.
fn new_password() -> std::result::Result<String, Failure> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let rules = tamga_core::profile::PasswordRules::default();
    loop {
        let mut bytes = [0u8; 12];
        getrandom::fill(&mut bytes).map_err(|e| failed("random", e))?;
        let p: String = bytes
            .iter()
            .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
            .collect();
        if tamga_plugin_pin::check(&rules, p.as_bytes(), p.as_bytes()).is_empty() {
            return Ok(p);
        }
    }
}

/// A payment order with valid IIKs and BINs.
fn payment_order() -> Value {
    let bin = |first11: &str| format!("{first11}{}", bin_check_digit(first11).unwrap_or('0'));
    json!({
        "number": "42",
        "date": "2026-11-27",
        "amount": "150000.00",
        "currency": "KZT",
        "payer": {"name": "TOO Demo Payer", "iik": iik_for("125KZT5004100100"), "bin": bin("94064000012")},
        "recipient": {"name": "TOO Demo Recipient", "iik": iik_for("722S000012345678"), "bin": bin("10034000555"), "bank_bic": "CASPKZKA"},
        "knp": "710",
        "purpose": "Demo: payment for services"
    })
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Failure::io("write", path, &e))
}

/// Keeps a secret in a file only its owner reads.
fn write_secret(path: &Path, secret: &str) -> Result<()> {
    write(path, format!("{secret}\n").as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    Ok(())
}

/// The demo's token: the virtual KAZTOKEN (GOST), or SoftHSM2 over PKCS#11 (EC P-256).
enum DemoToken<'a> {
    Virtual { keygen_delay_ms: u64 },
    SoftHsm(&'a SoftHsm),
}

impl DemoToken<'_> {
    /// The profile's driver entry, the enrollment key, and a line saying what the token is.
    fn profile_parts(&self) -> (String, &'static str, &'static str) {
        match self {
            DemoToken::Virtual { keygen_delay_ms } => (
                format!(
                    r#"VirtualKaztoken(
            state: Relative("token.state"),
            keygen_delay_ms: {keygen_delay_ms},
            label: "KAZTOKEN",
        )"#
                ),
                r#"(algorithm: Gost2012_256, curve: "tc26-256-a")"#,
                "the virtual KAZTOKEN",
            ),
            DemoToken::SoftHsm(h) => (
                format!(
                    r#"Pkcs11(module: "{}", token_label: "{}")"#,
                    h.module.display(),
                    demo_softhsm::LABEL
                ),
                r#"(algorithm: EcP256, curve: "prime256v1")"#,
                "a SoftHSM2 token (PKCS#11, EC P-256)",
            ),
        }
    }
}

fn profile_text(base: &str, pin: &str, ca_cert: &Path, token: &DemoToken<'_>) -> String {
    let endpoint = |path: &str| {
        format!("(url: \"{base}{path}\", timeout_s: 30, server_cert_sha256: \"{pin}\")")
    };
    let (driver, key, what) = token.profile_parts();
    format!(
        r#"// Written by `tamga demo`: {what} and the sandbox bank on {base}.
(
    name: "demo",
    drivers: [
        {driver},
    ],
    workflows: (
        enroll: (
            ca: {ca},
            bank: {ib},
            trust_anchors: ["{ca_cert}"],
            key: {key},
            signature_encoding: rfc9215,
            oids: Tc26,
            protection: Signature,
        ),
        login: (bank: {ib}, origins: ["{base}"]),
        sign: (origins: ["{base}"], signature_encoding: rfc9215, oids: Tc26, detached: false),
    ),
)
"#,
        ca = endpoint("/cmp"),
        ib = endpoint("/ib"),
        ca_cert = ca_cert.display(),
    )
}

fn run_workflow(
    runner: &Runner<'_>,
    workflow: &str,
    action: &str,
    answers: Answers,
    lang: Lang,
    timings: &mut Timings,
) -> std::result::Result<Outcome, Failure> {
    let mut interaction = WizardInteraction::scripted(answers, lang);
    runner
        .run(workflow, action, &mut interaction, timings)
        .map_err(|e| Failure::Agent {
            exit: crate::agent::exit_code(e.class()),
            message: format!("demo: {workflow}: {}", e.message(lang)),
        })
}

pub fn run(args: &DemoArgs, g: &GlobalArgs) -> Result<()> {
    let lang = lang(g);
    let started = Instant::now();
    let temp;
    let workdir: PathBuf = match &args.workdir {
        Some(dir) => demo_workdir::prepare(dir)?,
        None => {
            temp = tempfile::Builder::new()
                .prefix("tamga-demo-")
                .tempdir()
                .map_err(|e| failed("temporary directory", e))?;
            temp.path().to_owned()
        }
    };
    let mut report = Report {
        lang,
        rows: Vec::new(),
    };
    // Before the bank's threads start: SoftHSM2 is configured through the environment.
    let softhsm = match &args.softhsm {
        Some(module) => Some(report.timed("token: a fresh SoftHSM2 token", || {
            demo_softhsm::prepare(&workdir.join("softhsm"), module)
        })?),
        None => None,
    };
    let token = match &softhsm {
        Some(h) => DemoToken::SoftHsm(h),
        None => DemoToken::Virtual {
            keygen_delay_ms: args.keygen_delay_ms,
        },
    };

    let bank = report.timed("bank: CA key and database", || {
        Bank::open(&workdir.join("bank")).map_err(|e| failed("bank", e))
    })?;
    let customer = report.timed("bank branch: customer, OTP PIN, GOST.pfx", || {
        bank.add_customer(&CustomerOptions::default())
            .map_err(|e| failed("add customer", e))
    })?;
    let server = report.timed("bank: HTTPS on a free loopback port", || {
        bank.serve(&ServeOptions::default())
            .map_err(|e| failed("serve", e))
    })?;
    let pin = server
        .server_cert_sha256
        .clone()
        .ok_or_else(|| failed("serve", "no TLS certificate"))?;
    let profile_path = workdir.join("profile.ron");
    let password_path = workdir.join("token-password.txt");
    write_secret(&password_path, &new_password()?)?;
    write(
        &profile_path,
        profile_text(
            &server.base_url(),
            &pin,
            &bank.ca_certificate_path(),
            &token,
        )
        .as_bytes(),
    )?;
    let profile = Lookup::from_env(Some(profile_path.clone()))
        .load()
        .map_err(|e| fail(&args.output, &e.into(), lang))?;
    let runner = Runner {
        registry: REGISTRY,
        profile: &profile,
        lang,
        token_id: None,
    };

    let mut answers = Answers::new(true, false, None);
    answers.text(enroll_keys::USER_ID, Some(customer.user_id.clone()));
    answers.secret_file(enroll_keys::OTP_PIN, Some(&customer.otp_pin_path));
    answers.text(
        enroll_keys::KEY_FILE,
        Some(customer.pfx_path.display().to_string()),
    );
    answers.flag(enroll_keys::PASSWORD_MATCHES_PIN, Some(true));
    answers.text(enroll_keys::TOKEN_NAME, Some("demo"));
    answers.secret_file(enroll_keys::NEW_PIN, Some(&password_path));
    answers.secret_file(enroll_keys::NEW_PIN_REPEAT, Some(&password_path));
    let mut timings = Timings::default();
    let enroll_start = Instant::now();
    let enrolled = run_workflow(&runner, "enroll", "enroll", answers, lang, &mut timings)?;
    let enroll_total = enroll_start.elapsed();
    for (label, d) in timings.steps() {
        report.add(format!("enroll: {label}"), d);
    }
    report.add("enroll: total", enroll_total);

    // The certificates, for OpenSSL and for people.
    {
        let (_, mut token) = runner.open().map_err(|e| fail(&args.output, &e, lang))?;
        let e = Enrolled::read(token.as_mut()).map_err(|e| fail(&args.output, &e, lang))?;
        write(
            &workdir.join("sign-cert.pem"),
            e.sign_cert.to_pem().as_bytes(),
        )?;
        write(
            &workdir.join("auth-cert.pem"),
            e.auth_cert.to_pem().as_bytes(),
        )?;
    }

    let mut timings = Timings::default();
    let login_start = Instant::now();
    let login = run_workflow(
        &runner,
        "login",
        "login",
        Answers::new(true, false, Some(password_path.clone())),
        lang,
        &mut timings,
    )?;
    report.add(
        "login: challenge signed with the AUTH key, session",
        login_start.elapsed(),
    );

    let order_path = workdir.join("payment-order.json");
    write(
        &order_path,
        serde_json::to_string_pretty(&payment_order())
            .unwrap_or_default()
            .as_bytes(),
    )?;
    let cms_path = workdir.join("payment.p7s");
    let mut answers = Answers::new(true, false, Some(password_path.clone()));
    answers.text(
        sign_keys::ORDER_FILE,
        Some(order_path.display().to_string()),
    );
    answers.text(sign_keys::CMS_OUT, Some(cms_path.display().to_string()));
    let mut timings = Timings::default();
    let pay_start = Instant::now();
    let paid = run_workflow(&runner, "sign", "payment", answers, lang, &mut timings)?;
    report.add(
        "payment: shown, signed (SIGN key), submitted, accepted",
        pay_start.elapsed(),
    );

    let state = bank.state().map_err(|e| failed("bank state", e))?;
    if paid.data["status"] != "accepted" || state.payments < 1 || state.active_registrations != 1 {
        return Err(failed("check", "the bank did not accept the payment"));
    }
    server.stop();
    report.add("total", started.elapsed());
    let kept = args.workdir.is_some();
    let data = json!({
        "user_id": customer.user_id,
        "token": if softhsm.is_some() { "softhsm-p256" } else { "virtual-kaztoken" },
        "session_expires_at": login.data["expires_at"],
        "payment_id": paid.data["payment_id"],
        "payment_status": paid.data["status"],
        "certificates": enrolled.data["certificates"],
        "workdir": if kept { Value::from(workdir.display().to_string()) } else { Value::Null },
        "steps": report.rows.iter().map(|(n, d)| json!({"step": n, "ms": ms(*d)})).collect::<Vec<_>>(),
    });
    print(
        &args.output,
        &summary(&report, &customer.user_id, &paid, kept.then_some(&workdir)),
        data,
    );
    Ok(())
}

fn summary(report: &Report, user: &str, paid: &Outcome, kept: Option<&PathBuf>) -> String {
    let lang = report.lang;
    let mut s = lang.pick(
        format!(
            "tamga demo: зарегистрирован {user}, вход выполнен, платёж {} принят банком.\n",
            paid.data["payment_id"].as_str().unwrap_or("?")
        ),
        format!(
            "tamga demo: enrolled {user}, logged in, payment {} accepted by the bank.\n",
            paid.data["payment_id"].as_str().unwrap_or("?")
        ),
        None,
    );
    for (name, d) in &report.rows {
        s.push_str(&format!("{:>10.1} ms  {name}\n", ms(*d)));
    }
    match kept {
        Some(dir) => s.push_str(&lang.pick(
            format!("Всё сохранено в {} (база банка, файлы клиента, сертификаты, подписанный платёж; пароли только в файлах).", dir.display()),
            format!("Everything is kept in {} (the bank's database, the customer's files, the certificates, the signed payment; secrets in files only).", dir.display()),
            None,
        )),
        None => s.push_str(lang.pick(
            "Временный каталог удалён; --workdir DIR сохранит всё.",
            "The temporary directory is removed; --workdir DIR keeps everything.",
            None,
        )),
    }
    s
}
