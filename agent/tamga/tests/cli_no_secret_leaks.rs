//! Every token, PIN and profile scenario of the command line runs again at `--log-level trace`,
//! plus a signature with a private-key file; then everything tamga printed (stdout and stderr,
//! where the log goes) is searched for every secret the scenarios used, as text, hex (either case,
//! with or without spaces, either byte order) and base64.

mod common;

use base64ct::{Base64, Encoding};
use common::sandbox::Sandbox;
use common::scenarios::{ALL, SECRETS};

fn hex(bytes: &[u8], upper: bool, sep: &str) -> String {
    bytes
        .iter()
        .map(|b| {
            if upper {
                format!("{b:02X}")
            } else {
                format!("{b:02x}")
            }
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// Every spelling of `secret` a log line could plausibly hold.
fn spellings(secret: &[u8]) -> Vec<String> {
    let mut reversed = secret.to_vec();
    reversed.reverse();
    let mut buf = vec![0u8; secret.len().div_ceil(3) * 4];
    let base64 = Base64::encode(secret, &mut buf).unwrap().to_owned();
    let mut out = vec![String::from_utf8_lossy(secret).into_owned(), base64];
    for bytes in [secret, &reversed[..]] {
        for upper in [false, true] {
            for sep in ["", " ", ":"] {
                out.push(hex(bytes, upper, sep));
            }
        }
    }
    out
}

#[test]
fn no_pin_password_or_key_reaches_any_output_at_trace_level() {
    let mut transcript = Vec::new();
    for (name, scenario) in ALL {
        let s = Sandbox::traced();
        scenario(&s);
        let t = s.transcript();
        assert!(!t.is_empty(), "{name} printed nothing");
        transcript.extend(t);
    }

    // A private key from a file, used at trace level.
    let s = Sandbox::traced();
    let key = common::ossl("tc26-256-A.key.der");
    let sig = s.path("sig");
    let out = s.tamga_bare(
        &[
            "gost",
            "sign",
            "--key",
            key.to_str().unwrap(),
            "--in",
            common::ossl("message.txt").to_str().unwrap(),
            "--out",
            sig.to_str().unwrap(),
        ],
        &[],
    );
    common::expect_code(&out, 0);
    transcript.extend(s.transcript());
    // A control: a value tamga does print (a profile's name) is found by the same search.
    let canary = s.write(
        "canary.ron",
        b"(name: \"canary7Qz\", drivers: [KaztokenCcid()])",
    );
    common::expect_code(
        &s.tamga_bare(&["profile", "check", canary.to_str().unwrap()], &[]),
        0,
    );
    transcript.extend(s.transcript());
    let der = std::fs::read(&key).unwrap();
    // The PKCS#8 of the gost engine ends with the 32-byte private scalar.
    let scalar = &der[der.len() - 32..];

    let text = String::from_utf8_lossy(&transcript);
    // The search means something only if trace logging ran and logged the PIN commands' headers.
    assert!(text.contains("[TRACE]"), "no trace output");
    assert!(
        text.contains("APDU 00 20 00 02"),
        "VERIFY of the user PIN was not traced"
    );
    assert!(
        text.contains("APDU 00 24"),
        "CHANGE REFERENCE DATA was not traced"
    );

    assert!(spellings(b"canary7Qz")
        .iter()
        .any(|sp| text.contains(sp.as_str())));
    let mut checked = 0;
    for secret in SECRETS.iter().map(|s| s.as_bytes()).chain([scalar]) {
        for spelling in spellings(secret) {
            assert!(
                !text.contains(&spelling),
                "a secret appears in the output as {spelling:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100);
}
