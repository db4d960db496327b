//! Live cross-check with OpenSSL + gost engine, the reference implementation tamga must agree
//! with: for each of the five curves, 100 random messages each way (tamga signs → `openssl dgst
//! -verify` accepts; OpenSSL signs → `tamga gost verify` accepts) and a flipped bit (in the
//! signature or the message) rejected by both. Everything goes through both command lines; to
//! keep it fast, each side is driven by one generated `sh` script per step instead of hundreds of
//! spawns from Rust.
//!
//! OpenSSL's GOST engine is required: `apt-get install -y openssl libengine-gost-openssl`. Without
//! it the test fails, unless `TAMGA_SKIP_OPENSSL=1` is set.

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use tamga_test_support::openssl::openssl_config;

const MESSAGES: usize = 100;
/// Keys per curve; messages take turns.
const KEYS: usize = 4;

struct Set {
    curve: &'static str,
    algorithm: &'static str,
    paramset: &'static str,
    md: &'static str,
}

#[test]
fn tc26_256_a() {
    crosscheck(Set {
        curve: "tc26-256-a",
        algorithm: "gost2012_256",
        paramset: "TCA",
        md: "md_gost12_256",
    });
}

#[test]
fn tc26_256_b() {
    crosscheck(Set {
        curve: "tc26-256-b",
        algorithm: "gost2012_256",
        paramset: "TCB",
        md: "md_gost12_256",
    });
}

#[test]
fn cryptopro_a() {
    // The engine's gost2012_256 "A" is CryptoPro-A (1.2.643.2.2.35.1), not TC26 paramSetA.
    crosscheck(Set {
        curve: "cryptopro-a",
        algorithm: "gost2012_256",
        paramset: "A",
        md: "md_gost12_256",
    });
}

#[test]
fn tc26_512_a() {
    crosscheck(Set {
        curve: "tc26-512-a",
        algorithm: "gost2012_512",
        paramset: "A",
        md: "md_gost12_512",
    });
}

#[test]
fn tc26_512_c() {
    crosscheck(Set {
        curve: "tc26-512-c",
        algorithm: "gost2012_512",
        paramset: "C",
        md: "md_gost12_512",
    });
}

/// One signature to check: which key, files, and whether it must verify.
struct Case {
    label: String,
    key: usize,
    msg: String,
    sig: String,
    valid: bool,
}

fn crosscheck(set: Set) {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let Some(cnf) = openssl_config(dir) else {
        return;
    };
    let sh = |script: &str| run_sh(dir, &cnf, script);

    // Keys by OpenSSL; tamga reads some of them as DER to cover both encodings.
    let mut script = String::new();
    for k in 0..KEYS {
        let _ = writeln!(
            script,
            "openssl genpkey -algorithm {} -pkeyopt paramset:{} -out k{k}.pem \
             && openssl pkey -in k{k}.pem -pubout -out p{k}.pem \
             && openssl pkey -in k{k}.pem -outform DER -out k{k}.der \
             && openssl pkey -pubin -in p{k}.pem -outform DER -out p{k}.der || exit 1",
            set.algorithm, set.paramset
        );
    }
    sh(&script);
    let tamga_key = |k: usize| {
        if k % 2 == 1 {
            format!("k{k}.der")
        } else {
            format!("k{k}.pem")
        }
    };
    let tamga_pub = |k: usize| {
        if k >= 2 {
            format!("p{k}.der")
        } else {
            format!("p{k}.pem")
        }
    };

    // Random messages, with an empty one and one larger than tamga's 64 KiB read buffer.
    for i in 0..MESSAGES {
        let len = match i {
            0 => 0,
            1 => 100_000,
            _ => 1 + random_u32() as usize % 4000,
        };
        fs::write(dir.join(format!("m{i}")), random_bytes(len)).unwrap();
    }

    // tamga signs; OpenSSL signs.
    let mut tamga_signs = String::new();
    let mut openssl_signs = String::new();
    for i in 0..MESSAGES {
        let k = i % KEYS;
        let _ = writeln!(
            tamga_signs,
            "\"$TAMGA\" gost sign --key {} --in m{i} --out t{i}.sig || exit 1",
            tamga_key(k)
        );
        let _ = writeln!(
            openssl_signs,
            "openssl dgst -{} -sign k{k}.pem -out o{i}.sig m{i} || exit 1",
            set.md
        );
    }
    sh(&tamga_signs);
    sh(&openssl_signs);

    // Each signature as made, and a copy with one bit flipped in the signature (even i) or the
    // message (odd i).
    let mut cases = Vec::new();
    for (who, prefix) in [("tamga", "t"), ("openssl", "o")] {
        for i in 0..MESSAGES {
            let k = i % KEYS;
            let sig = format!("{prefix}{i}.sig");
            let msg = format!("m{i}");
            cases.push(Case {
                label: format!("{who}-signed m{i}"),
                key: k,
                msg: msg.clone(),
                sig: sig.clone(),
                valid: true,
            });
            let (bad_msg, bad_sig) = if i % 2 == 0 {
                (msg, flip_copy(dir, &sig))
            } else {
                (flip_copy(dir, &msg), sig)
            };
            cases.push(Case {
                label: format!("{who}-signed m{i}, flipped"),
                key: k,
                msg: bad_msg,
                sig: bad_sig,
                valid: false,
            });
        }
    }
    assert_eq!(
        fs::read(dir.join("t1.sig")).unwrap().len(),
        fs::read(dir.join("o1.sig")).unwrap().len()
    );

    // Both verifiers judge every case. Each script prints "<index> <verdict>" per case.
    let mut openssl_verifies = String::from(
        "v() { if openssl dgst -$MD -verify p$1.pem -signature $2 $3 >out 2>&1; then echo \"$4 accepted\"; \
         elif grep -q 'Verification failure' out; then echo \"$4 rejected\"; \
         else echo \"$4 error: $(tr '\\n' ' ' <out)\"; fi; }\n",
    );
    let mut tamga_verifies = String::from(
        "v() { \"$TAMGA\" gost verify --pubkey $1 --sig $2 --in $3 >out 2>&1; rc=$?; \
         case $rc in 0) echo \"$4 accepted\";; 1) echo \"$4 rejected\";; \
         *) echo \"$4 error $rc: $(tr '\\n' ' ' <out)\";; esac; }\n",
    );
    for (n, c) in cases.iter().enumerate() {
        let _ = writeln!(openssl_verifies, "v {} {} {} {n}", c.key, c.sig, c.msg);
        let _ = writeln!(
            tamga_verifies,
            "v {} {} {} {n}",
            tamga_pub(c.key),
            c.sig,
            c.msg
        );
    }
    let openssl_out = run_sh_env(dir, &cnf, &openssl_verifies, &[("MD", set.md)]);
    let tamga_out = sh(&tamga_verifies);

    let mut problems = Vec::new();
    for (verifier, out) in [("openssl", &openssl_out), ("tamga", &tamga_out)] {
        let verdicts: Vec<&str> = out.lines().collect();
        assert_eq!(verdicts.len(), cases.len(), "{verifier} output:\n{out}");
        for (n, (c, line)) in cases.iter().zip(&verdicts).enumerate() {
            let want = if c.valid {
                format!("{n} accepted")
            } else {
                format!("{n} rejected")
            };
            if *line != want {
                problems.push(format!(
                    "{}: {verifier} says {line:?}, expected {want:?}",
                    c.label
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}: {} disagreements with OpenSSL, first ones:\n{}",
        set.curve,
        problems.len(),
        problems
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    let checked = cases.len();
    eprintln!(
        "{}: {checked} signatures checked by both OpenSSL and tamga, all as expected",
        set.curve
    );
}

fn run_sh(dir: &Path, cnf: &Path, script: &str) -> String {
    run_sh_env(dir, cnf, script, &[])
}

fn run_sh_env(dir: &Path, cnf: &Path, script: &str, env: &[(&str, &str)]) -> String {
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("OPENSSL_CONF", cnf)
        .env("TAMGA", env!("CARGO_BIN_EXE_tamga"))
        .envs(env.iter().copied())
        .output()
        .expect("run sh");
    assert!(
        out.status.success(),
        "script failed ({:?}):\n{}\nstderr: {}",
        out.status,
        script.lines().take(5).collect::<Vec<_>>().join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Copies `name` with one random bit flipped; returns the copy's name.
fn flip_copy(dir: &Path, name: &str) -> String {
    let mut bytes = fs::read(dir.join(name)).unwrap();
    let flipped = format!("{name}.bad");
    if bytes.is_empty() {
        // The empty message has no bit to flip: a one-byte message is just as wrong.
        bytes.push(0);
    } else {
        let bit = random_u32() as usize % (bytes.len() * 8);
        bytes[bit / 8] ^= 1 << (bit % 8);
    }
    fs::write(dir.join(&flipped), bytes).unwrap();
    flipped
}

fn random_bytes(len: usize) -> Vec<u8> {
    let mut v = vec![0u8; len];
    getrandom::fill(&mut v).unwrap();
    v
}

fn random_u32() -> u32 {
    u32::from_le_bytes(random_bytes(4).try_into().unwrap())
}
