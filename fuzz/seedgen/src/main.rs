//! Writes a small seed corpus for every fuzz target from valid encodings (keys, signatures, names),
//! so that the fuzzers start past the length and range checks. Run from anywhere:
//!
//!     cargo run --release --manifest-path fuzz/Cargo.toml -p tamga-fuzz-seedgen [-- CORPUS_DIR]
//!
//! CORPUS_DIR defaults to `fuzz/corpus`; each target's seeds go to `CORPUS_DIR/<target>/seed-*`
//! (existing files of the same name are overwritten, everything else is left alone).

use std::fs;
use std::path::{Path, PathBuf};

use tamga_gost::{SigEncoding, ALL_CURVES};

#[path = "../../common.rs"]
mod common;

fn main() {
    let root = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus"));
    let mut total = 0;
    for (target, seeds) in [
        ("gost_public_key", public_key_seeds()),
        ("gost_signature", signature_seeds()),
        ("gost_secret_key", secret_key_seeds()),
        ("gost_curve_names", name_seeds()),
        ("gost_hash", hash_seeds()),
        ("tamga_keyfile", keyfile_seeds()),
    ] {
        let dir = root.join(target);
        fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        for (name, bytes) in &seeds {
            let path = dir.join(format!("seed-{name}"));
            fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        }
        total += seeds.len();
    }
    let shown = root.canonicalize().unwrap_or(root);
    println!("seedgen: wrote {total} seeds under {}", shown.display());
}

type Seeds = Vec<(String, Vec<u8>)>;

/// The third-party key files of the CLI tests (OpenSSL gost engine, Kalkan), each behind the
/// selector byte of its parser: 0 private key, 1 public key, 2 certificate.
fn keyfile_seeds() -> Seeds {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../agent/tamga/tests/data");
    let mut out = Seeds::new();
    let mut stack = vec![data];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            let which = if name.contains("key") && !name.contains("pub") {
                0u8
            } else if name.contains("pub") {
                1
            } else if name.contains("crt") || name.contains("cer") || name.contains("cert") {
                2
            } else {
                continue;
            };
            if let Ok(bytes) = fs::read(&path) {
                out.push((name, cat(&[&[which], &bytes])));
            }
        }
    }
    out
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn public_key_seeds() -> Seeds {
    let mut out = Seeds::new();
    for curve in ALL_CURVES {
        let pk = common::fixed_public(curve);
        let l = curve.scalar_len();
        out.push((format!("{curve}-le"), cat(&[&[0x00], &pk.to_bytes()])));
        // Odd selector: from_coordinates splits after `sel >> 1` = L bytes; UKM of L bytes.
        out.push((
            format!("{curve}-be"),
            cat(&[&[(l as u8) << 1 | 1], &pk.x_be(), &pk.y_be()]),
        ));
        // (x, −y mod p) is on the curve too; y = 0 and x = 0 are not points of the subgroup.
        let mut zero_y = pk.to_bytes();
        zero_y[l..].fill(0);
        out.push((format!("{curve}-y0"), cat(&[&[0x02], &zero_y])));
        out.push((format!("{curve}-ff"), cat(&[&[0x00], &vec![0xFF; 2 * l]])));
    }
    out
}

fn signature_seeds() -> Seeds {
    let mut out = Seeds::new();
    for curve in ALL_CURVES {
        let sel = common::selector(curve);
        let digest = common::fixed_digest(curve);
        let sig = common::fixed_secret(curve)
            .sign_digest_hedged(&digest, &common::FIXED_EXTRA)
            .expect("digest length")
            .expect("nonce");
        let rfc = sig.to_bytes(SigEncoding::Rfc9215);
        let kz = sig.to_bytes(SigEncoding::Kz);
        assert!(
            common::fixed_public(curve).verify(&digest, &sig).is_ok(),
            "{curve}: seed does not verify"
        );
        out.push((format!("{curve}-rfc"), cat(&[&[sel, 0], &digest, &rfc])));
        out.push((format!("{curve}-kz"), cat(&[&[sel, 1], &digest, &kz])));
        out.push((format!("{curve}-auto"), cat(&[&[sel, 2], &digest, &kz])));
        out.push((format!("{curve}-detect"), cat(&[&[sel, 3], &digest, &rfc])));
        // Explicit digest length; a signature checked against the next curve of the list.
        out.push((
            format!("{curve}-dlen"),
            cat(&[&[sel, 4, digest.len() as u8], &digest, &rfc]),
        ));
        out.push((
            format!("{curve}-other"),
            cat(&[&[sel, 1 << 3], &digest, &rfc]),
        ));
        // r = s = 0 and r = s = 2^8L − 1: out of range.
        let l = curve.scalar_len();
        out.push((
            format!("{curve}-zero"),
            cat(&[&[sel, 0], &digest, &vec![0; 2 * l]]),
        ));
        out.push((
            format!("{curve}-max"),
            cat(&[&[sel, 0], &digest, &vec![0xFF; 2 * l]]),
        ));
    }
    out
}

fn secret_key_seeds() -> Seeds {
    let mut out = Seeds::new();
    for curve in ALL_CURVES {
        let sel = common::selector(curve);
        let le = common::fixed_secret(curve).to_le_bytes();
        let be: Vec<u8> = le.iter().rev().copied().collect();
        out.push((format!("{curve}-le"), cat(&[&[sel, 0b0110], &le])));
        out.push((format!("{curve}-be"), cat(&[&[sel, 0b0111], &be])));
        out.push((format!("{curve}-one"), cat(&[&[sel, 0b0110], &[1]])));
        out.push((
            format!("{curve}-max"),
            cat(&[&[sel, 0b1000], &vec![0xFF; curve.scalar_len()]]),
        ));
    }
    out
}

fn name_seeds() -> Seeds {
    let mut out = Seeds::new();
    for curve in ALL_CURVES {
        out.push((format!("{curve}-name"), curve.name().into()));
        out.push((
            format!("{curve}-upper"),
            curve.name().to_uppercase().replace('-', "_").into(),
        ));
        out.push((format!("{curve}-oid"), curve.oid().into()));
        for (i, oid) in curve.other_oids().iter().enumerate() {
            out.push((format!("{curve}-oid{i}"), oid.as_bytes().to_vec()));
        }
    }
    for word in [
        "rfc9215",
        "rfc4491",
        "rfc",
        "kz",
        "kalkan",
        "nca",
        "auto",
        " tc26-256-a\n",
        "1.2.643",
    ] {
        out.push((format!("word-{}", word.trim()), word.into()));
    }
    out
}

fn hash_seeds() -> Seeds {
    let msg = |n: usize| -> Vec<u8> { (0..n).map(|i| (i * 7 + 3) as u8).collect() };
    vec![
        ("empty".into(), vec![0, 0]),
        ("block".into(), cat(&[&[0, 0], &msg(64)])),
        ("split".into(), cat(&[&[63, 65], &msg(200)])),
        ("long".into(), cat(&[&[200, 255], &msg(1500)])),
    ]
}
