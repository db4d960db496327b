//! Independent peers: `openssl cmp` as a client of the sandbox CA (PBM, a P-256 key), tamga's
//! CMP client against `openssl cmp`'s mock server (PBM), and `openssl verify` (+ gost engine)
//! on certificates and the CRL the sandbox CA issued.
//!
//! OpenSSL 3 with the gost engine is required (`apt-get install -y openssl
//! libengine-gost-openssl`); without it these tests fail unless `TAMGA_SKIP_OPENSSL=1`.

mod common;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use common::*;
use tamga_pki::cmp::ResponseTrust;
use tamga_sandbox_bank::ServeOptions;
use tamga_test_support::openssl::{missing, openssl_config};

struct Ossl {
    dir: tempfile::TempDir,
    cnf: PathBuf,
}

impl Ossl {
    fn new() -> Option<Ossl> {
        let dir = tempfile::tempdir().unwrap();
        let cnf = openssl_config(dir.path())?;
        let o = Ossl { dir, cnf };
        match o.cmd().args(["cmp", "-help"]).output() {
            Ok(out)
                if String::from_utf8_lossy(&out.stdout).contains("-srv_secret")
                    || String::from_utf8_lossy(&out.stderr).contains("-srv_secret") =>
            {
                Some(o)
            }
            _ => missing("this OpenSSL has no `cmp` command (OpenSSL 3 needed)"),
        }
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new("openssl");
        c.env("OPENSSL_CONF", &self.cnf);
        c
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, data: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, data).unwrap();
        p
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = self.cmd().args(args).output().unwrap();
        out
    }
}

fn ok(out: &Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "openssl failed:\n{text}");
    text
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn openssl_cmp_client_enrolls_a_p256_key_with_pbm() {
    let Some(o) = Ossl::new() else { return };
    let t = bank();
    let c = customer(&t.bank);
    let server = t
        .bank
        .serve(&ServeOptions {
            plain_http: true,
            ..Default::default()
        })
        .unwrap();
    let key = o.path("p256.pem");
    ok(&o.run(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        s(&key),
    ]));
    let out_cert = o.path("enrolled.pem");
    let ca = t.bank.ca_certificate_path();
    let subject = format!("/CN={}", c.user_id);
    let secret = format!("pass:{}", c.otp_pin.as_str());
    let started = Instant::now();
    let text = ok(&o.run(&[
        "cmp",
        "-cmd",
        "ir",
        "-server",
        &server.addr.to_string(),
        "-path",
        "cmp",
        "-ref",
        &c.user_id,
        "-secret",
        &secret,
        "-newkey",
        s(&key),
        "-subject",
        &subject,
        "-days",
        "730",
        "-srvcert",
        s(&ca),
        "-certout",
        s(&out_cert),
    ]));
    eprintln!(
        "openssl cmp ir → ip → certConf → pkiConf in {:?}",
        started.elapsed()
    );
    assert!(text.contains("received PKICONF"), "{text}");
    // The enrolled certificate chains to the sandbox CA in OpenSSL's eyes too.
    ok(&o.run(&["verify", "-CAfile", s(&ca), s(&out_cert)]));
    let cert = tamga_pki::Certificate::parse(&std::fs::read(&out_cert).unwrap()).unwrap();
    assert_eq!(cert.subject(), format!("CN={}", c.user_id));
    let days = cert
        .not_after()
        .duration_since(cert.not_before())
        .unwrap()
        .as_secs()
        / 86_400;
    assert!((729..=730).contains(&days), "term {days} days");
    let state = t.bank.state().unwrap();
    assert_eq!(state.issued[&c.user_id], 1);
    assert_eq!(state.transactions["confirmed"], 1);

    // A wrong secret is refused with a CMP error, and nothing is issued.
    let out = o.run(&[
        "cmp",
        "-cmd",
        "ir",
        "-server",
        &server.addr.to_string(),
        "-path",
        "cmp",
        "-ref",
        &c.user_id,
        "-secret",
        "pass:WRONGPIN000",
        "-newkey",
        s(&key),
        "-subject",
        &subject,
        "-srvcert",
        s(&ca),
        "-certout",
        s(&o.path("no.pem")),
    ]);
    assert!(!out.status.success());
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("badMessageCheck") || text.contains("OTP PIN"),
        "{text}"
    );
    assert_eq!(t.bank.state().unwrap().issued_total, 1);
    server.stop();
}

#[test]
fn openssl_verifies_issued_gost_certificates_and_the_crl() {
    let Some(o) = Ossl::new() else { return };
    let t = bank();
    let c = customer(&t.bank);
    let ca = t.bank.ca_certificate().clone();
    let mut send = |m: &[u8]| t.bank.handle_cmp(m).unwrap();
    let mut tx = transaction(&c.user_id, &ca, random(16));
    let certs = enroll(
        &mut send,
        &ca,
        &mut tx,
        requests(&c.user_id, &[&key(b"s"), &key(b"a")], 1095),
        &Auth::Pbm(&c.otp_pin),
    )
    .unwrap();
    let ca_path = o.write("ca.pem", ca.to_pem().as_bytes());
    for (name, cert) in [
        ("sign.pem", &certs[0]),
        ("auth.pem", &certs[1]),
        ("init.pem", &c.init_cert),
    ] {
        let p = o.write(name, cert.to_pem().as_bytes());
        let text = ok(&o.run(&["verify", "-CAfile", s(&ca_path), s(&p)]));
        assert!(text.contains(": OK"), "{text}");
    }
    // Revoke AUTH; OpenSSL's CRL check agrees.
    t.bank.revoke(&certs[1], 1).unwrap();
    let crl = o.write(
        "ca.crl",
        tamga_pki::pem::to_pem("X509 CRL", &t.bank.crl().unwrap()).as_bytes(),
    );
    let sign = o.path("sign.pem");
    let auth = o.path("auth.pem");
    ok(&o.run(&[
        "verify",
        "-crl_check",
        "-CAfile",
        s(&ca_path),
        "-CRLfile",
        s(&crl),
        s(&sign),
    ]));
    let out = o.run(&[
        "verify",
        "-crl_check",
        "-CAfile",
        s(&ca_path),
        "-CRLfile",
        s(&crl),
        s(&auth),
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("revoked")
            || String::from_utf8_lossy(&out.stderr).contains("revoked")
    );
}

struct Mock(Child);

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn tamga_cmp_client_against_the_openssl_mock_server() {
    let Some(o) = Ossl::new() else { return };
    // A certificate for the client's key, from the sandbox CA: what the mock server hands out.
    let t = bank();
    let c = customer(&t.bank);
    let ca = t.bank.ca_certificate().clone();
    let k = key(b"mock-sign");
    let mut send = |m: &[u8]| t.bank.handle_cmp(m).unwrap();
    let mut tx = transaction(&c.user_id, &ca, random(16));
    let issued = enroll(
        &mut send,
        &ca,
        &mut tx,
        requests(&c.user_id, &[&k], 365),
        &Auth::Pbm(&c.otp_pin),
    )
    .unwrap();
    let rsp = o.write("rsp.pem", issued[0].to_pem().as_bytes());

    let port = free_port();
    let secret = "mock-shared-secret";
    let log = std::fs::File::create(o.path("mock.log")).unwrap();
    let child = o
        .cmd()
        .args([
            "cmp",
            "-port",
            &port.to_string(),
            "-max_msgs",
            "2",
            "-srv_ref",
            "mock",
            "-srv_secret",
            &format!("pass:{secret}"),
            "-rsp_cert",
            s(&rsp),
        ])
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let _mock = Mock(child);
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < deadline, "the mock server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }

    let post = |m: &[u8]| {
        let r = request(
            addr,
            None,
            "POST",
            "/",
            &[("Content-Type", "application/pkixcmp")],
            m,
        )
        .unwrap();
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        r.body
    };
    // The mock server answers with PBM under the same secret: trust that.
    let trust = ResponseTrust {
        ca: None,
        pbm_secret: Some(secret.as_bytes()),
    };
    let mut tx = transaction(&c.user_id, &ca, random(16));
    let salt = random(16);
    let auth = Auth::Pbm(secret);
    let protect = auth.protect(&salt);
    let ir = tx
        .ir(
            requests(&c.user_id, &[&k], 365),
            random(16),
            SystemTime::now(),
            &protect,
        )
        .unwrap();
    let answer = tx.accept(&post(&ir), &trust).unwrap_or_else(|e| {
        panic!(
            "{e}\nmock log:\n{}",
            std::fs::read_to_string(o.path("mock.log")).unwrap_or_default()
        )
    });
    let tamga_pki::cmp::Answer::Certificates(reps) = tamga_pki::cmp::Answer::of(&answer).unwrap()
    else {
        panic!("not certificates")
    };
    let cert = reps[0].certificate.clone().unwrap();
    assert_eq!(cert.public_key().unwrap().key, *k.gost_public_key());
    let conf = tx
        .cert_conf(
            vec![tamga_pki::cmp::CertConfirm {
                cert_req_id: reps[0].cert_req_id,
                cert_hash: tamga_pki::cmp::cert_hash(&cert),
                status: None,
            }],
            random(16),
            SystemTime::now(),
            &protect,
        )
        .unwrap();
    let done = tx.accept(&post(&conf), &trust).unwrap_or_else(|e| {
        panic!(
            "{e}\nmock log:\n{}",
            std::fs::read_to_string(o.path("mock.log")).unwrap_or_default()
        )
    });
    assert_eq!(
        tamga_pki::cmp::Answer::of(&done).unwrap(),
        tamga_pki::cmp::Answer::Confirmed
    );
}
