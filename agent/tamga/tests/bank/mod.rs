//! The sandbox bank in the test process (HTTPS on a free loopback port, its certificate pinned),
//! customers made as a branch makes them, a profile per virtual token, and `tamga` run as a
//! child process against them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use tamga_bank_client::http::Http;
use tamga_bank_client::ib::{Ib, Session};
use tamga_bank_client::NetError;
use tamga_core::profile::{Endpoint, Lookup};
use tamga_core::token::{KeyRef, Token};
use tamga_core::{Lang, Registry, Runner};
use tamga_plugin_enroll::journal::Journal;
use tamga_sandbox_bank::{Bank, CustomerFiles, CustomerOptions, RunningServer, ServeOptions};

/// The token password every test customer chooses.
pub const NEW_PIN: &str = "Mrk7Tv9Pzn4";

pub struct TestBank {
    pub bank: Bank,
    pub server: RunningServer,
    pub dir: tempfile::TempDir,
    pub pin: String,
}

impl TestBank {
    pub fn start() -> TestBank {
        let dir = tempfile::tempdir().unwrap();
        let bank = Bank::open(&dir.path().join("bank")).unwrap();
        let server = bank
            .serve(&ServeOptions {
                test_endpoints: true,
                ..ServeOptions::default()
            })
            .unwrap();
        let pin = server.server_cert_sha256.clone().unwrap();
        TestBank {
            bank,
            server,
            dir,
            pin,
        }
    }

    pub fn customer(&self) -> CustomerFiles {
        self.bank.add_customer(&CustomerOptions::default()).unwrap()
    }

    pub fn customer_with(&self, opts: CustomerOptions) -> CustomerFiles {
        self.bank.add_customer(&opts).unwrap()
    }

    /// IB's API as the test's own client, for what the CLI never sends (a tampered order).
    pub fn ib(&self) -> Ib {
        let endpoint = Endpoint {
            url: format!("{}/ib", self.server.base_url()),
            timeout_s: 10,
            server_cert_sha256: Some(self.pin.clone()),
            tls_roots: Vec::new(),
        };
        Ib::new(Http::new(&endpoint, Path::new(".")).unwrap())
    }

    /// The signature binds the order: IB refuses `cms` over the order with its amount changed,
    /// and accepts it over the order as signed.
    pub fn assert_only_the_signed_order_accepted(
        &self,
        session: &Session,
        order: &Path,
        cms: &Path,
    ) {
        let signed = std::fs::read(order).unwrap();
        let tampered = String::from_utf8(signed.clone())
            .unwrap()
            .replace("150000.00", "950000.00");
        let cms_der = std::fs::read(cms).unwrap();
        match self
            .ib()
            .submit_payment(session, tampered.as_bytes(), &cms_der)
        {
            Err(NetError::Api {
                status: 400, code, ..
            }) => assert_eq!(code, "signature_invalid"),
            other => panic!("a tampered order was not refused: {other:?}"),
        }
        self.ib()
            .submit_payment(session, &signed, &cms_der)
            .unwrap();
    }

    /// A client directory: a profile for its own virtual token, the new password in a file.
    pub fn client(&self, name: &str, enroll_extra: &str, sign_extra: &str) -> Client {
        self.client_on(name, &VIRTUAL, enroll_extra, sign_extra)
    }

    /// A client directory whose profile drives `token`, the new password in a file.
    pub fn client_on(
        &self,
        name: &str,
        token: &ClientToken<'_>,
        enroll_extra: &str,
        sign_extra: &str,
    ) -> Client {
        let dir = self.dir.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let base = self.server.base_url();
        let endpoint = |path: &str| {
            format!(
                "(url: \"{base}{path}\", timeout_s: 10, server_cert_sha256: \"{}\")",
                self.pin
            )
        };
        let profile = format!(
            r#"(
    name: "test",
    drivers: [ {driver} ],
    workflows: (
        enroll: (
            ca: {ca}, bank: {ib},
            trust_anchors: ["{anchor}"],
            key: {key},
            signature_encoding: rfc9215,
            max_polls: 3, max_poll_interval_s: 1,
            {enroll_extra}
        ),
        login: (bank: {ib}, origins: ["{base}"]),
        sign: (origins: ["{base}"], signature_encoding: rfc9215, {sign_extra}),
    ),
)"#,
            driver = token.driver,
            key = token.key,
            ca = endpoint("/cmp"),
            ib = endpoint("/ib"),
            anchor = self.bank.ca_certificate_path().display(),
        );
        let profile_path = dir.join("profile.ron");
        std::fs::write(&profile_path, profile).unwrap();
        std::fs::write(dir.join("new-pin.txt"), format!("{NEW_PIN}\n")).unwrap();
        Client {
            dir,
            profile: profile_path,
        }
    }
}

/// The token a client's profile names, and the key its enrollment asks for.
pub struct ClientToken<'a> {
    /// The profile's driver entry.
    pub driver: &'a str,
    /// The enrollment's `key:` value.
    pub key: &'a str,
}

/// A virtual KAZTOKEN whose state lives in the client's directory, with GOST keys.
pub const VIRTUAL: ClientToken<'static> = ClientToken {
    driver: r#"VirtualKaztoken(state: Relative("token.state"), serial: 4242)"#,
    key: r#"(algorithm: Gost2012_256, curve: "tc26-256-a")"#,
};

pub struct Client {
    pub dir: PathBuf,
    pub profile: PathBuf,
}

impl Client {
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tamga"));
        cmd.arg("--profile")
            .arg(&self.profile)
            .args(args)
            .env_remove("TAMGA_PROFILE")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("TAMGA_TEST_ABORT_AT")
            .env_remove("TAMGA_VIRTUAL_UNPLUG_AFTER")
            .env("HOME", &self.dir)
            .env("LANG", "C.UTF-8")
            .env("PINENTRY", "")
            .stdin(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn tamga(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.command(args, env).output().expect("run tamga")
    }

    pub fn spawn(&self, args: &[&str], env: &[(&str, &str)]) -> Child {
        self.command(args, env)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn tamga")
    }

    /// `tamga login --json` with the new password; IB's session, never empty.
    pub fn login(&self, env: &[(&str, &str)]) -> Session {
        let pin = self.path("new-pin.txt").display().to_string();
        let login = self.tamga(&["login", "--json", "--pin-file", &pin], env);
        assert_eq!(login.status.code(), Some(0), "{}", text(&login));
        let session = json(&login)["session"].as_str().unwrap().to_owned();
        assert!(!session.is_empty());
        serde_json::from_value(serde_json::json!({ "session": session })).unwrap()
    }

    /// `tamga pay ORDER --yes --json` with the new password, the CMS written to `cms`.
    pub fn pay(&self, order: &Path, cms: &Path, env: &[(&str, &str)]) -> Output {
        let pin = self.path("new-pin.txt").display().to_string();
        self.tamga(
            &[
                "pay",
                order.to_str().unwrap(),
                "--yes",
                "--json",
                "--pin-file",
                &pin,
                "--out",
                cms.to_str().unwrap(),
            ],
            env,
        )
    }

    /// `tamga enroll` with every answer as a flag.
    pub fn enroll_args(&self, c: &CustomerFiles) -> Vec<String> {
        vec![
            "enroll".into(),
            "--json".into(),
            "--user-id".into(),
            c.user_id.clone(),
            "--otp-pin-file".into(),
            c.otp_pin_path.display().to_string(),
            "--key-file".into(),
            c.pfx_path.display().to_string(),
            "--password-matches-pin".into(),
            "--token-name".into(),
            "Test".into(),
            "--new-pin-file".into(),
            self.path("new-pin.txt").display().to_string(),
        ]
    }

    pub fn enroll(&self, c: &CustomerFiles, env: &[(&str, &str)]) -> Output {
        let args = self.enroll_args(c);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.tamga(&args, env)
    }

    /// The client's token, opened in this process through the client's profile.
    pub fn open_token(&self) -> Box<dyn Token> {
        let profile = Lookup::from_env(Some(self.profile.clone())).load().unwrap();
        let runner = Runner {
            registry: Registry::new(tamga_core::drivers::DRIVERS, &[]),
            profile: &profile,
            lang: Lang::En,
            token_id: None,
        };
        runner.open().unwrap().1
    }

    /// The journal and the slots holding keys, read straight from the token.
    pub fn token_state(&self) -> (Option<Journal>, Vec<u8>) {
        let mut token = self.open_token();
        let journal = tamga_plugin_enroll::store::read(token.as_mut()).unwrap();
        let keys = slots_with_keys(token.as_mut());
        (journal, keys)
    }
}

pub fn slots_with_keys(token: &mut dyn Token) -> Vec<u8> {
    (1..=KeyRef::MAX)
        .filter(|n| {
            token
                .public_key(KeyRef::new(*n).unwrap())
                .unwrap()
                .is_some()
        })
        .collect()
}

pub fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn json(out: &Output) -> serde_json::Value {
    let s = String::from_utf8_lossy(&out.stdout);
    let line = s.lines().last().unwrap_or_default();
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

/// A valid payment order of `amount` tenge in `dir`; its path. No account number holds the
/// factory PIN's digits, which the leak checks look for in everything tamga prints.
pub fn order(dir: &Path, amount: &str) -> PathBuf {
    use tamga_payment_order::{bin_check_digit, iik_for};
    let bin = |f: &str| format!("{f}{}", bin_check_digit(f).unwrap());
    let o = serde_json::json!({
        "number": "7", "date": "2026-11-27", "amount": amount, "currency": "KZT",
        "payer": {"name": "TOO Payer", "iik": iik_for("125KZT5004100100"), "bin": bin("94064000012")},
        "recipient": {"name": "TOO Recipient", "iik": iik_for("722S000055501234"), "bin": bin("10034000555"), "bank_bic": "CASPKZKA"},
        "knp": "710", "purpose": "Services"
    });
    let path = dir.join(format!("order-{amount}.json"));
    std::fs::write(&path, serde_json::to_vec_pretty(&o).unwrap()).unwrap();
    path
}

pub fn file(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}
