//! Shared by the bank's tests: a bank in a temporary directory, a CMP client on a software
//! key (standing in for the token), and a tiny HTTP(S) client.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tamga_gost::{Curve, SecretKey};
use tamga_pki::cmp::{
    cert_hash, Answer, CertConfirm, CertReq, CertReqSpec, ClientTransaction, CmpMessage, PbmMac,
    Protect, ResponseTrust,
};
use tamga_pki::name::parse_name;
use tamga_pki::pfx::Pfx;
use tamga_pki::{Certificate, Profile, SoftwareSigner};
use tamga_sandbox_bank::{Bank, CaConfig, CustomerFiles, CustomerOptions};

pub struct TestBank {
    pub dir: tempfile::TempDir,
    pub bank: Bank,
}

pub fn bank() -> TestBank {
    let dir = tempfile::tempdir().unwrap();
    let bank = Bank::open_with(
        dir.path(),
        CaConfig {
            check_after_secs: 0,
            ..CaConfig::default()
        },
    )
    .unwrap();
    TestBank { dir, bank }
}

pub fn customer(bank: &Bank) -> CustomerFiles {
    bank.add_customer(&CustomerOptions::default()).unwrap()
}

pub fn random(n: usize) -> Vec<u8> {
    let mut v = vec![0; n];
    getrandom::fill(&mut v).unwrap();
    v
}

pub fn key(seed: &[u8]) -> SoftwareSigner {
    SoftwareSigner::new(SecretKey::from_seed(Curve::Tc26_256A, seed))
}

/// The init key and certificate from GOST.pfx.
pub fn init_key(files: &CustomerFiles) -> (SoftwareSigner, Certificate) {
    let pfx = Pfx::parse(&std::fs::read(&files.pfx_path).unwrap()).unwrap();
    let c = pfx.open(&files.otp_pin).unwrap();
    let k = c.keys[0].key.as_gost().unwrap().secret().clone();
    (
        SoftwareSigner::new(k),
        Certificate::from_der(&c.certificates[0].der).unwrap(),
    )
}

pub enum Auth<'a> {
    Pbm(&'a str),
    Sig(&'a SoftwareSigner, &'a Certificate),
}

impl Auth<'_> {
    pub fn protect<'b>(&'b self, salt: &'b [u8]) -> Protect<'b> {
        match self {
            Auth::Pbm(pin) => Protect::Pbm {
                secret: pin.as_bytes(),
                salt,
                iterations: 10_000,
                mac: PbmMac::HmacSha256,
            },
            Auth::Sig(k, c) => Protect::Signature {
                signer: *k,
                certs: std::slice::from_ref(*c),
                profile: Profile::TC26,
            },
        }
    }
}

pub fn requests(user_id: &str, keys: &[&SoftwareSigner], term_days: u64) -> Vec<CertReq> {
    let now = SystemTime::now();
    keys.iter()
        .enumerate()
        .map(|(i, k)| {
            CertReq::build(
                &CertReqSpec {
                    cert_req_id: i as i64,
                    subject: parse_name(&format!("CN={user_id}")).unwrap(),
                    not_before: Some(now),
                    not_after: Some(now + Duration::from_secs(term_days * 86_400)),
                    extensions: Vec::new(),
                },
                *k,
                &Profile::TC26,
            )
            .unwrap()
        })
        .collect()
}

pub fn transaction(user_id: &str, ca: &Certificate, tx_id: Vec<u8>) -> ClientTransaction {
    ClientTransaction::new(
        tx_id,
        parse_name(&format!("CN={user_id}")).unwrap(),
        ca.subject_name().clone(),
        Some(user_id.as_bytes().to_vec()),
    )
}

pub fn trust(ca: &Certificate) -> ResponseTrust<'_> {
    ResponseTrust {
        ca: Some(ca),
        pbm_secret: None,
    }
}

/// ir → (poll)* → ip → certConf → pkiConf through `send`; the certificates.
pub fn enroll(
    send: &mut dyn FnMut(&[u8]) -> Vec<u8>,
    ca: &Certificate,
    tx: &mut ClientTransaction,
    reqs: Vec<CertReq>,
    auth: &Auth<'_>,
) -> Result<Vec<Certificate>, tamga_pki::cmp::CmpError> {
    let salt = random(16);
    let protect = auth.protect(&salt);
    let ids: Vec<i64> = reqs.iter().map(|r| r.cert_req_id()).collect();
    let ir = tx.ir(reqs, random(16), SystemTime::now(), &protect)?;
    let mut msg = tx.accept(&send(&ir), &trust(ca))?;
    let reps = loop {
        match Answer::of(&msg)? {
            Answer::Certificates(r) => break r,
            Answer::Waiting { .. } => {
                let poll = tx.poll_req(ids.clone(), random(16), SystemTime::now(), &protect)?;
                msg = tx.accept(&send(&poll), &trust(ca))?;
            }
            Answer::Confirmed => panic!("pkiConf before certConf"),
        }
    };
    let certs: Vec<Certificate> = reps
        .iter()
        .map(|r| r.certificate.clone().unwrap())
        .collect();
    let confirms = reps
        .iter()
        .map(|r| CertConfirm {
            cert_req_id: r.cert_req_id,
            cert_hash: cert_hash(r.certificate.as_ref().unwrap()),
            status: None,
        })
        .collect();
    let conf = tx.cert_conf(confirms, random(16), SystemTime::now(), &protect)?;
    let done = tx.accept(&send(&conf), &trust(ca))?;
    assert_eq!(Answer::of(&done)?, Answer::Confirmed);
    Ok(certs)
}

pub fn parse(der: &[u8]) -> CmpMessage {
    CmpMessage::parse(der).unwrap()
}

// --- HTTP(S) ---

pub struct HttpResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| {
            panic!(
                "not JSON ({}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// One request; `ca_pem`: trust this TLS CA (HTTPS), `None`: plain HTTP.
pub fn request(
    addr: SocketAddr,
    ca_pem: Option<&[u8]>,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<HttpResponse> {
    // Connection: close — `openssl cmp`'s mock server cancels its transaction when a kept-alive
    // connection ends, and every exchange here is one request per connection.
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut wire = head.into_bytes();
    wire.extend_from_slice(body);
    let sock = TcpStream::connect(addr)?;
    sock.set_read_timeout(Some(Duration::from_secs(30)))?;
    match ca_pem {
        None => {
            let mut s = sock;
            s.write_all(&wire)?;
            read_response(&mut s)
        }
        Some(pem) => {
            let mut roots = rustls::RootCertStore::empty();
            for c in tamga_pki::Certificate::parse_all(pem).unwrap() {
                roots
                    .add(rustls::pki_types::CertificateDer::from(c.to_der().to_vec()))
                    .unwrap();
            }
            let cfg = rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
            let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
            let conn = rustls::ClientConnection::new(Arc::new(cfg), name).unwrap();
            let mut tls = rustls::StreamOwned::new(conn, sock);
            tls.write_all(&wire)?;
            tls.flush()?;
            read_response(&mut tls)
        }
    }
}

/// Reads one response, stopping at Content-Length (a peer may keep the connection open).
fn read_response(s: &mut dyn Read) -> std::io::Result<HttpResponse> {
    let mut raw = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..split]).to_string();
            let status: u16 = head
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| std::io::Error::other("no status"))?;
            let len: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0);
            if raw.len() >= split + 4 + len {
                let body = raw[split + 4..split + 4 + len].to_vec();
                return Ok(HttpResponse { status, body });
            }
        }
        // A peer that closes without close_notify (the drop fault) is an error here.
        let n = s.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "short response",
            ));
        }
        raw.extend_from_slice(&chunk[..n]);
    }
}
