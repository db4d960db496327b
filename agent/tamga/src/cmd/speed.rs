//! `tamga speed`: the `openssl speed` of tamga, measured the way the OpenSSL gost engine harness
//! (`gost_engine_bench.c`) measures, so the numbers compare: single thread, rates per CPU-second of
//! the process, sign and verify on a precomputed random digest (no hashing), one-shot hashes of
//! fixed-size buffers, MB = 10^6 bytes.

use std::hint::black_box;
use std::io::{self, Write};
use std::path::Path;

use tamga_gost::hash::streebog::{streebog256, streebog512};
use tamga_gost::{Curve, SecretKey, SigEncoding, ALL_CURVES};

use crate::cli::{SpeedArgs, SpeedOp};
use crate::cputime;
use crate::error::{Failure, Result};

const SIG_OPS: [(SpeedOp, &str); 3] = [
    (SpeedOp::Keygen, "keygen"),
    (SpeedOp::Sign, "sign"),
    (SpeedOp::Verify, "verify"),
];
const HASH_SIZES: [usize; 2] = [8 * 1024, 64 * 1024];
/// One-shot hashes, each handing its digest to `black_box` so that it is not optimised away.
type OneShot = fn(&[u8]);
const HASHES: [(&str, OneShot); 2] = [
    ("streebog256", |b| {
        black_box(streebog256(b));
    }),
    ("streebog512", |b| {
        black_box(streebog512(b));
    }),
];

pub fn run(args: &SpeedArgs) -> Result<()> {
    let curves = parse_curves(&args.curves)?;
    let wanted = |op| args.ops.is_empty() || args.ops.contains(&op);
    let sig_ops: Vec<_> = SIG_OPS.iter().filter(|(op, _)| wanted(*op)).collect();
    let mut out = io::stdout().lock();
    let mut emit = |line: String| writeln!(out, "{line}").map_err(stdout_error);

    if !args.json {
        emit(format!(
            "tamga speed: single thread, rates per CPU-second, {} CPU-s per measurement",
            args.seconds
        ))?;
    }
    if !sig_ops.is_empty() {
        if !args.json {
            let mut header = format!("{:<16}", "curve");
            for (_, name) in &sig_ops {
                header += &format!("{:>14}", format!("{name}/s"));
            }
            emit(header)?;
        }
        for &curve in &curves {
            let mut row = format!("{:<16}", curve.name());
            for &&(op, name) in &sig_ops {
                let per_sec = measure_sig(op, curve, args.seconds)?;
                if args.json {
                    emit(format!(
                        r#"{{"op":"{name}","curve":"{}","per_sec":{per_sec:.1}}}"#,
                        curve.name()
                    ))?;
                } else {
                    row += &format!("{per_sec:>14.1}");
                }
            }
            if !args.json {
                emit(row)?;
            }
        }
    }
    if wanted(SpeedOp::Hash) {
        if !args.json {
            let mut header = format!("{:<16}", "hash (MB/s)");
            for size in HASH_SIZES {
                header += &format!("{:>14}", format!("{size} B"));
            }
            emit(header)?;
        }
        for (name, hash) in HASHES {
            let mut row = format!("{name:<16}");
            for size in HASH_SIZES {
                let mb_per_sec = measure_hash(hash, size, args.seconds)?;
                if args.json {
                    emit(format!(
                        r#"{{"op":"{name}","bytes":{size},"mb_per_sec":{mb_per_sec:.1}}}"#
                    ))?;
                } else {
                    row += &format!("{mb_per_sec:>14.1}");
                }
            }
            if !args.json {
                emit(row)?;
            }
        }
    }
    Ok(())
}

/// `all`, or a comma-separated list of canonical curve names.
fn parse_curves(list: &str) -> Result<Vec<Curve>> {
    if list.trim().eq_ignore_ascii_case("all") {
        return Ok(ALL_CURVES.to_vec());
    }
    let curves = list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|name| {
            Curve::from_name(name).map_err(|_| {
                let known: Vec<_> = ALL_CURVES.iter().map(|c| c.name()).collect();
                Failure::invalid(format!(
                    "unknown curve `{name}` (known: {}, all) / неизвестная кривая",
                    known.join(", ")
                ))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if curves.is_empty() {
        return Err(Failure::invalid("--curves lists no curve"));
    }
    Ok(curves)
}

/// Operations per CPU-second of keygen, sign or verify on `curve`.
fn measure_sig(op: SpeedOp, curve: Curve, seconds: f64) -> Result<f64> {
    let mut digest = vec![0u8; curve.digest_len()];
    getrandom::fill(&mut digest).map_err(|e| Failure::invalid(format!("no randomness: {e}")))?;
    let key = SecretKey::generate(curve).map_err(gost_error)?;
    let public = key.public_key();
    let sig = key
        .sign_digest(&digest, SigEncoding::Rfc9215)
        .map_err(gost_error)?;
    match op {
        // As OpenSSL's keygen does, this includes computing the public point.
        SpeedOp::Keygen => measure(seconds, || {
            let k = SecretKey::generate(curve).map_err(gost_error)?;
            black_box(k.public_key());
            Ok(())
        }),
        SpeedOp::Sign => measure(seconds, || {
            black_box(
                key.sign_digest(black_box(&digest), SigEncoding::Rfc9215)
                    .map_err(gost_error)?,
            );
            Ok(())
        }),
        SpeedOp::Verify => measure(seconds, || {
            public
                .verify_digest(black_box(&digest), black_box(&sig), SigEncoding::Rfc9215)
                .map_err(|e| Failure::invalid(format!("internal error: {curve} self-test: {e}")))
        }),
        SpeedOp::Hash => unreachable!("hashes are measured by measure_hash"),
    }
}

/// MB (10^6 bytes) per CPU-second of one-shot hashes of `size`-byte buffers.
fn measure_hash(hash: OneShot, size: usize, seconds: f64) -> Result<f64> {
    let buf: Vec<u8> = (0..size).map(|i| i as u8).collect();
    let per_sec = measure(seconds, || {
        hash(black_box(&buf));
        Ok(())
    })?;
    Ok(per_sec * size as f64 / 1e6)
}

/// Runs `op` until `seconds` of process CPU time have passed; returns operations per CPU-second.
fn measure(seconds: f64, mut op: impl FnMut() -> Result<()>) -> Result<f64> {
    // Warm-up: builds the curve's fixed-base tables and faults the code in, as the C harness does.
    op()?;
    let t0 = cpu_now()?;
    let mut n = 0u64;
    loop {
        op()?;
        n += 1;
        let t = cpu_now()? - t0;
        if t >= seconds {
            return Ok(n as f64 / t);
        }
    }
}

fn cpu_now() -> Result<f64> {
    cputime::now().map_err(|e| Failure::invalid(format!("cannot read the CPU clock: {e}")))
}

fn gost_error(e: tamga_gost::Error) -> Failure {
    Failure::invalid(format!("internal error: {e}"))
}

fn stdout_error(e: io::Error) -> Failure {
    Failure::io("write", Path::new("-"), &e)
}
