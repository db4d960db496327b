//! tamga's module driven by OpenSC's pkcs11-tool, an independent client: slots, mechanisms,
//! login, a GOST 2012-256 key pair, signatures (CKM_GOSTR3410 over a Streebog hash made by
//! OpenSSL, and the TC26 sign-with-hash mechanism by its number), the public key read back — and
//! OpenSSL with the gost engine verifies the signatures. Then the lockout as a real token shows
//! it (count low, final try, locked) and the SO unblocks with C_InitPIN.

mod common;

use std::path::Path;
use std::process::{Command, Output};

struct Tool<'a> {
    module: &'a Path,
    profile: &'a Path,
    dir: &'a Path,
}

impl Tool<'_> {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("pkcs11-tool")
            .arg("--module")
            .arg(self.module)
            .args(args)
            .env("TAMGA_PROFILE", self.profile)
            .current_dir(self.dir)
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "pkcs11-tool {args:?}:\n{text}");
        text
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "pkcs11-tool {args:?} succeeded");
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    }

    fn flags(&self) -> String {
        let t = self.ok(&["--list-token-slots"]);
        t.lines()
            .find(|l| l.contains("token flags"))
            .unwrap_or_default()
            .to_owned()
    }
}

fn openssl(dir: &Path, args: &[&str]) -> Output {
    let conf = dir.join("openssl-gost.cnf");
    if !conf.exists() {
        std::fs::write(&conf, OPENSSL_GOST_CNF).unwrap();
    }
    Command::new("openssl")
        .args(args)
        .env("OPENSSL_CONF", &conf)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// A copy of shared/fixtures/openssl-gost.cnf: loads Debian's gost engine.
const OPENSSL_GOST_CNF: &str = "openssl_conf = openssl_def
[openssl_def]
engines = engine_section
[engine_section]
gost = gost_section
[gost_section]
engine_id = gost
dynamic_path = /usr/lib/x86_64-linux-gnu/engines-3/gost.so
default_algorithms = ALL
";

fn openssl_gost_ready(dir: &Path) -> bool {
    let ok = Path::new("/usr/lib/x86_64-linux-gnu/engines-3/gost.so").exists()
        && openssl(dir, &["list", "-digest-algorithms"])
            .stdout
            .windows(12)
            .any(|w| w.eq_ignore_ascii_case(b"md_gost12_25"));
    if ok {
        return true;
    }
    if std::env::var("TAMGA_SKIP_OPENSSL").as_deref() == Ok("1") {
        eprintln!("openssl + gost engine missing: skipped (TAMGA_SKIP_OPENSSL=1)");
        return false;
    }
    panic!("openssl with the gost engine is missing (libengine-gost-openssl), or set TAMGA_SKIP_OPENSSL=1");
}

/// SubjectPublicKeyInfo of a GOST 2012-256 key on tc26-256-A from PKCS#11's CKA_VALUE
/// (X ‖ Y little-endian), as RFC 9215 lays it out.
fn spki_256a(value: &[u8]) -> Vec<u8> {
    assert_eq!(value.len(), 64);
    let mut alg = hex::decode("06082a85030701010101").unwrap();
    let params = hex::decode("300b06092a8503070102010101").unwrap();
    alg.extend(params);
    let mut ai = vec![0x30, alg.len() as u8];
    ai.extend(alg);
    let mut bits = vec![0x03, 67, 0x00, 0x04, 0x40];
    bits.extend(value);
    let mut body = ai;
    body.extend(bits);
    let mut spki = vec![0x30, body.len() as u8];
    spki.extend(body);
    spki
}

/// The hex of `VALUE:` of the first public key pkcs11-tool lists.
fn listed_value(listing: &str) -> Vec<u8> {
    let mut hex = String::new();
    let mut inside = false;
    for line in listing.lines() {
        let t = line.trim();
        if let Some(v) = t.strip_prefix("VALUE:") {
            hex.push_str(v.trim());
            inside = true;
        } else if inside && !t.is_empty() && t.chars().all(|c| c.is_ascii_hexdigit()) {
            hex.push_str(t);
        } else if inside {
            break;
        }
    }
    hex::decode(hex).unwrap()
}

#[test]
fn pkcs11_tool_drives_the_module() {
    if !common::tool("pkcs11-tool", "--help", "TAMGA_SKIP_PKCS11") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    if !openssl_gost_ready(d) {
        return;
    }
    let (module, profile) = (common::module(), common::profile(d));
    let t = Tool {
        module: &module,
        profile: &profile,
        dir: d,
    };

    let slots = t.ok(&["--list-slots"]);
    assert!(
        slots.contains("KAZTOKEN p11") && slots.contains("4242"),
        "{slots}"
    );
    let mechanisms = t.ok(&["--list-mechanisms"]);
    for m in [
        "GOSTR3410-KEY-PAIR-GEN",
        "GOSTR3410-512-KEY-PAIR-GEN",
        "GOSTR3410, keySize",
        "GOSTR3410-WITH-GOSTR3411-12-256",
        "GOSTR3410-WITH-GOSTR3411-12-512",
        "GOSTR3411-12-256",
        "GOSTR3411-12-512",
    ] {
        assert!(mechanisms.contains(m), "{m} missing:\n{mechanisms}");
    }

    let user = ["--login", "--pin", "12345678"];
    let generated = t.ok(&[
        &user[..],
        &[
            "--keypairgen",
            "--key-type",
            "GOSTR3410-2012-256:A",
            "--id",
            "01",
        ],
    ]
    .concat());
    assert!(generated.contains("GOSTR3410-2012-256"), "{generated}");
    // The public key, read back through pkcs11-tool.
    let listing = t.ok(&["--list-objects", "--type", "pubkey", "--id", "01"]);
    std::fs::write(d.join("pub.der"), spki_256a(&listed_value(&listing))).unwrap();

    std::fs::write(d.join("order.txt"), b"payment order 42: 1000 KZT").unwrap();
    let hash = openssl(
        d,
        &[
            "dgst",
            "-md_gost12_256",
            "-binary",
            "-out",
            "hash.bin",
            "order.txt",
        ],
    );
    assert!(hash.status.success());
    t.ok(&[
        &user[..],
        &[
            "--sign",
            "--mechanism",
            "GOSTR3410",
            "--id",
            "01",
            "-i",
            "hash.bin",
            "-o",
            "sig.bin",
        ],
    ]
    .concat());
    // The TC26 sign-with-Streebog mechanism by its number: the module hashes.
    t.ok(&[
        &user[..],
        &[
            "--sign",
            "-m",
            "0xD4321008",
            "--id",
            "01",
            "-i",
            "order.txt",
            "-o",
            "sig2.bin",
        ],
    ]
    .concat());
    for sig in ["sig.bin", "sig2.bin"] {
        let v = openssl(
            d,
            &[
                "dgst",
                "-md_gost12_256",
                "-verify",
                "pub.der",
                "-keyform",
                "DER",
                "-signature",
                sig,
                "order.txt",
            ],
        );
        assert!(
            v.status.success() && String::from_utf8_lossy(&v.stdout).contains("Verified OK"),
            "{sig}: {}{}",
            String::from_utf8_lossy(&v.stdout),
            String::from_utf8_lossy(&v.stderr)
        );
    }
    // A tampered order does not verify.
    std::fs::write(d.join("order.txt"), b"payment order 42: 9000 KZT").unwrap();
    let v = openssl(
        d,
        &[
            "dgst",
            "-md_gost12_256",
            "-verify",
            "pub.der",
            "-keyform",
            "DER",
            "-signature",
            "sig.bin",
            "order.txt",
        ],
    );
    assert!(!v.status.success());

    // A 512-bit key, and a digest by the module matching OpenSSL's.
    let big = t.ok(&[
        &user[..],
        &[
            "--keypairgen",
            "--key-type",
            "GOSTR3410-2012-512:A",
            "--id",
            "02",
        ],
    ]
    .concat());
    assert!(big.contains("GOSTR3410-2012-512"), "{big}");
    t.ok(&[
        "--hash",
        "-m",
        "0xD4321012",
        "-i",
        "order.txt",
        "-o",
        "h.bin",
    ]);
    let ours = std::fs::read(d.join("h.bin")).unwrap();
    let theirs = openssl(d, &["dgst", "-md_gost12_256", "-binary", "order.txt"]).stdout;
    assert_eq!(ours, theirs);

    // Lockout as a real token shows it: three tries, then locked; the SO unblocks.
    assert!(!t.flags().contains("count low"));
    let wrong = ["--login", "--pin", "00000000", "--list-objects"];
    assert!(t.fails(&wrong).contains("CKR_PIN_INCORRECT"));
    assert!(t.flags().contains("user PIN count low"));
    t.fails(&wrong);
    assert!(t.flags().contains("final user PIN try"), "{}", t.flags());
    t.fails(&wrong);
    assert!(t.flags().contains("user PIN locked"), "{}", t.flags());
    assert!(t
        .fails(&[&user[..], &["--list-objects"]].concat())
        .contains("CKR_PIN_LOCKED"));
    t.ok(&[
        "--login",
        "--login-type",
        "so",
        "--so-pin",
        "87654321",
        "--init-pin",
        "--new-pin",
        "11112222",
    ]);
    assert!(!t.flags().contains("locked"));
    let objects = t.ok(&["--login", "--pin", "11112222", "--list-objects"]);
    assert_eq!(
        objects.matches("Private Key Object").count(),
        2,
        "{objects}"
    );
    // C_SetPIN from the user's session.
    t.ok(&[
        "--login",
        "--pin",
        "11112222",
        "--change-pin",
        "--new-pin",
        "22223333",
    ]);
    t.ok(&["--login", "--pin", "22223333", "--list-objects"]);
}
