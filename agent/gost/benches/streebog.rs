//! Streebog throughput, ours against RustCrypto's `streebog`, single thread.
//!
//! `cargo bench -p tamga-gost --bench streebog [-- SECONDS]`. Prints MB/s with 1 MB = 10^6
//! bytes, the unit of /work/shared/anchors/gost_engine_bench.c, so the numbers compare directly
//! with `gost_engine_bench hash md_gost12_256 65536 2`. Each figure is the median of five timed
//! runs, which keeps a neighbour's burst on the shared machine from deciding the result.

use std::hint::black_box;
use std::time::{Duration, Instant};

use streebog::Digest;
use tamga_gost::hash::pbkdf2::pbkdf2_hmac_streebog512;
use tamga_gost::hash::streebog::ct::streebog256_ct;
use tamga_gost::hash::streebog::{streebog256, streebog512};

/// Hashes `buf` repeatedly for about `budget`, returning MB/s.
fn rate(budget: Duration, buf: &[u8], f: &dyn Fn(&[u8])) -> f64 {
    // Warm-up: tables into cache, frequency up.
    let start = Instant::now();
    while start.elapsed() < budget / 10 {
        f(black_box(buf));
    }
    let mut runs = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let mut bytes = 0u64;
        while start.elapsed() < budget / 5 {
            f(black_box(buf));
            bytes += buf.len() as u64;
        }
        runs.push(bytes as f64 / start.elapsed().as_secs_f64() / 1e6);
    }
    runs.sort_by(f64::total_cmp);
    runs[2]
}

fn main() {
    let secs: f64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2.0);
    let budget = Duration::from_secs_f64(secs);

    type Case<'a> = (&'a str, &'a dyn Fn(&[u8]));
    let cases: [Case; 4] = [
        ("tamga streebog256", &|b| {
            black_box(streebog256(b));
        }),
        ("tamga streebog512", &|b| {
            black_box(streebog512(b));
        }),
        ("rustcrypto streebog256", &|b| {
            black_box(streebog::Streebog256::digest(b));
        }),
        ("rustcrypto streebog512", &|b| {
            black_box(streebog::Streebog512::digest(b));
        }),
    ];
    for size in [8192usize, 65536] {
        let buf: Vec<u8> = (0..size).map(|i| (i * 31 + 7) as u8).collect();
        for (name, f) in &cases {
            println!("{name:<24} {size:>6} B  {:>8.1} MB/s", rate(budget, &buf, *f));
        }
    }

    let buf = [0x5au8; 128];
    let r = rate(budget / 4, &buf, &|b| {
        black_box(streebog256_ct(b));
    });
    println!("{:<24} {:>6} B  {r:>8.2} MB/s", "tamga streebog256_ct", buf.len());

    let start = Instant::now();
    let mut key = [0u8; 32];
    let reps = 5;
    for _ in 0..reps {
        pbkdf2_hmac_streebog512(b"Test1234", &[7u8; 8], black_box(2048), &mut key)
            .expect("valid parameters");
    }
    println!(
        "pbkdf2-hmac-streebog512, 2048 iterations, 32 B: {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3 / reps as f64
    );
}
