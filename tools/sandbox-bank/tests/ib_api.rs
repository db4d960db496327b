//! The Internet-Banking API over real HTTPS (rustls client trusting the bank's TLS CA):
//! registration (idempotent, 409 for another pair), login challenge/response, payments
//! accepted and tampered ones refused; CMP over HTTPS; the fault switches.

mod common;

use std::time::SystemTime;

use base64ct::{Base64, Encoding};
use common::*;
use serde_json::{json, Value};
use tamga_pki::cms::{sign, SignOptions};
use tamga_pki::{Certificate, Profile, SoftwareSigner};
use tamga_sandbox_bank::payment_order::sample;
use tamga_sandbox_bank::{RunningServer, ServeOptions};

struct Client {
    server: RunningServer,
    ca_pem: Vec<u8>,
}

impl Client {
    fn call(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> HttpResponse {
        request(
            self.server.addr,
            Some(&self.ca_pem),
            method,
            path,
            headers,
            body,
        )
        .unwrap()
    }

    fn json(&self, path: &str, body: &Value, bearer: Option<&str>) -> HttpResponse {
        let auth = bearer.map(|b| format!("Bearer {b}"));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(a) = &auth {
            headers.push(("Authorization", a));
        }
        self.call("POST", path, &headers, body.to_string().as_bytes())
    }
}

fn b64(d: &[u8]) -> String {
    Base64::encode_string(d)
}

fn cms(content: &[u8], key: &SoftwareSigner, cert: &Certificate, detached: bool) -> Vec<u8> {
    sign(
        content,
        key,
        cert,
        &SignOptions {
            detached,
            profile: Profile::TC26,
            ..SignOptions::default()
        },
    )
    .unwrap()
}

fn registration(user_id: &str, s: &Certificate, a: &Certificate, key: &SoftwareSigner) -> Value {
    let hex = |c: &Certificate| {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(c.to_der()))
    };
    let content =
        json!({"user_id": user_id, "sign_cert_sha256": hex(s), "auth_cert_sha256": hex(a)})
            .to_string();
    json!({
        "user_id": user_id,
        "sign_cert": b64(s.to_der()),
        "auth_cert": b64(a.to_der()),
        "cms": b64(&cms(content.as_bytes(), key, s, false)),
    })
}

#[test]
fn registration_login_and_payments_over_https() {
    let t = bank();
    let c = customer(&t.bank);
    let server = t
        .bank
        .serve(&ServeOptions {
            test_endpoints: true,
            ..Default::default()
        })
        .unwrap();
    let ca_pem = std::fs::read(server.tls_ca_pem_path.as_ref().unwrap()).unwrap();
    // The pin file matches the certificate the server presents.
    let pin = std::fs::read_to_string(t.dir.path().join("server-cert.sha256")).unwrap();
    assert_eq!(pin.trim(), server.server_cert_sha256.as_deref().unwrap());
    let cl = Client { server, ca_pem };

    // Enroll over HTTPS.
    let ca = t.bank.ca_certificate().clone();
    let (sk, ak) = (key(b"ib-sign"), key(b"ib-auth"));
    let mut send = |m: &[u8]| {
        let r = cl.call(
            "POST",
            "/cmp",
            &[("Content-Type", "application/pkixcmp")],
            m,
        );
        assert_eq!(r.status, 200);
        r.body
    };
    let mut tx = transaction(&c.user_id, &ca, random(16));
    let certs = enroll(
        &mut send,
        &ca,
        &mut tx,
        requests(&c.user_id, &[&sk, &ak], 365),
        &Auth::Pbm(&c.otp_pin),
    )
    .unwrap();
    let (sc, ac) = (&certs[0], &certs[1]);
    assert_eq!(cl.call("GET", "/ca/cert", &[], b"").body, ca.to_der());

    // Registration: twice the same pair is fine, a swapped pair is refused, a bad CMS too.
    let reg = registration(&c.user_id, sc, ac, &sk);
    for _ in 0..2 {
        let r = cl.json("/ib/v1/registrations", &reg, None);
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        assert_eq!(r.json()["status"], "registered");
    }
    let swapped = registration(&c.user_id, ac, sc, &ak);
    assert_eq!(cl.json("/ib/v1/registrations", &swapped, None).status, 400);
    let mut forged = reg.clone();
    forged["cms"] = json!(b64(&cms(b"{}", &sk, sc, false)));
    let r = cl.json("/ib/v1/registrations", &forged, None);
    assert_eq!(
        (r.status, r.json()["error"]["code"].as_str()),
        (400, Some("signature_invalid"))
    );

    // A second pair while the first is active: 409.
    let (sk2, ak2) = (key(b"ib-sign-2"), key(b"ib-auth-2"));
    let mut tx = transaction(&c.user_id, &ca, random(16));
    let certs2 = enroll(
        &mut send,
        &ca,
        &mut tx,
        requests(&c.user_id, &[&sk2, &ak2], 365),
        &Auth::Pbm(&c.otp_pin),
    )
    .unwrap();
    let r = cl.json(
        "/ib/v1/registrations",
        &registration(&c.user_id, &certs2[0], &certs2[1], &sk2),
        None,
    );
    assert_eq!(
        (r.status, r.json()["error"]["code"].as_str()),
        (409, Some("already_registered"))
    );
    assert!(r.json()["error"]["message_ru"].is_string());

    // Login: challenge, signed with AUTH; the SIGN key or a reused challenge is refused.
    let login = |key: &SoftwareSigner, cert: &Certificate| {
        let ch = cl
            .json(
                "/ib/v1/login/challenge",
                &json!({"user_id": c.user_id}),
                None,
            )
            .json();
        let nonce = Base64::decode_vec(ch["nonce"].as_str().unwrap()).unwrap();
        assert_eq!(nonce.len(), 32);
        assert!(ch["expires_at"].as_str().unwrap().ends_with('Z'));
        let body =
            json!({"challenge_id": ch["challenge_id"], "cms": b64(&cms(&nonce, key, cert, false))});
        (cl.json("/ib/v1/login", &body, None), body)
    };
    let (r, _) = login(&sk, sc);
    assert_eq!(r.status, 401);
    let (r, body) = login(&ak, ac);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let session = r.json()["session"].as_str().unwrap().to_string();
    assert_eq!(
        cl.json("/ib/v1/login", &body, None).status,
        401,
        "a challenge is single use"
    );

    // Payments: attached and detached accepted; tampered, wrong key, no session refused.
    let order = serde_json::to_vec(&sample()).unwrap();
    for detached in [false, true] {
        let body = json!({"order_bytes": b64(&order), "cms": b64(&cms(&order, &sk, sc, detached))});
        let r = cl.json("/ib/v1/payments", &body, Some(&session));
        assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
        let id = r.json()["payment_id"].as_str().unwrap().to_string();
        let auth = format!("Bearer {session}");
        let got = cl
            .call(
                "GET",
                &format!("/ib/v1/payments/{id}"),
                &[("Authorization", &auth)],
                b"",
            )
            .json();
        assert_eq!(got["status"], "accepted");
        assert_eq!(got["order"]["amount"], "150000.00");
        assert_eq!(got["signed_by"], format!("CN={}", c.user_id));
    }
    let mut tampered_order = sample();
    tampered_order.amount = "950000.00".into();
    let tampered = serde_json::to_vec(&tampered_order).unwrap();
    let refused = [
        json!({"order_bytes": b64(&tampered), "cms": b64(&cms(&order, &sk, sc, true))}),
        json!({"order_bytes": b64(&tampered), "cms": b64(&cms(&order, &sk, sc, false))}),
        json!({"order_bytes": b64(&order), "cms": b64(&cms(&order, &ak, ac, true))}),
    ];
    for body in &refused {
        let r = cl.json("/ib/v1/payments", body, Some(&session));
        assert_eq!(
            (r.status, r.json()["error"]["code"].as_str()),
            (400, Some("signature_invalid")),
            "{body}"
        );
    }
    let body = json!({"order_bytes": b64(&order), "cms": b64(&cms(&order, &sk, sc, true))});
    assert_eq!(cl.json("/ib/v1/payments", &body, None).status, 401);
    assert_eq!(
        cl.json("/ib/v1/payments", &body, Some("nonsense")).status,
        401
    );

    let state = cl.call("GET", "/_test/state", &[], b"").json();
    assert_eq!(state["payments"], 2);
    assert_eq!(state["active_registrations"], 1);
    assert_eq!(state["issued"][&c.user_id], 4);
}

#[test]
fn fault_switches() {
    let t = bank();
    let server = t
        .bank
        .serve(&ServeOptions {
            test_endpoints: true,
            ..Default::default()
        })
        .unwrap();
    let ca_pem = std::fs::read(server.tls_ca_pem_path.as_ref().unwrap()).unwrap();
    let cl = Client { server, ca_pem };
    let r = cl.call(
        "POST",
        "/_test/faults",
        &[],
        b"fail_nth=2,drop_nth=3,delay_ms=10",
    );
    assert_eq!(r.status, 200);
    assert_eq!(cl.call("GET", "/ca/cert", &[], b"").status, 200);
    assert_eq!(cl.call("GET", "/ca/cert", &[], b"").status, 503);
    // Dropped mid-response: the client sees a broken connection, not an answer.
    assert!(request(
        cl.server.addr,
        Some(&cl.ca_pem),
        "GET",
        "/ca/cert",
        &[],
        b""
    )
    .is_err());
    assert_eq!(cl.call("GET", "/ca/cert", &[], b"").status, 200);
    assert_eq!(
        cl.call("POST", "/_test/faults", &[], b"bogus=1").status,
        400
    );
    // Without --test-endpoints there are none.
    let plain = t.bank.serve(&ServeOptions::default()).unwrap();
    let r = request(
        plain.addr,
        Some(&cl.ca_pem),
        "GET",
        "/_test/state",
        &[],
        b"",
    )
    .unwrap();
    assert_eq!(r.status, 404);
    // Limits: an oversized body is 413, garbage is 400, a CMP body of garbage is 400.
    let r = request(
        cl.server.addr,
        Some(&cl.ca_pem),
        "POST",
        "/cmp",
        &[
            ("Content-Type", "application/pkixcmp"),
            ("Content-Length", "99999999"),
        ],
        b"",
    );
    assert!(r
        .map(|r| r.status == 413 || r.status == 400)
        .unwrap_or(true));
    let r = cl.call(
        "POST",
        "/cmp",
        &[("Content-Type", "application/pkixcmp")],
        b"garbage",
    );
    assert_eq!(r.status, 400);
    let r = cl.call("POST", "/cmp", &[("Content-Type", "text/plain")], b"x");
    assert_eq!(r.status, 415);
    let _ = SystemTime::now();
}
