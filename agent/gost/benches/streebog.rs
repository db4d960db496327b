//! Streebog throughput, ours against RustCrypto's `streebog`, single thread.
//!
//! `cargo bench -p tamga-gost --bench streebog [-- SECONDS]` (default 2 s per case).
//!
//! Prints MB/s with 1 MB = 10^6 bytes per second of this thread's CPU time, the unit and clock
//! of /work/shared/anchors/gost_engine_bench.c, so the figures compare directly with
//! `gost_engine_bench hash md_gost12_256 65536 2`. CPU time (from /proc, 10 ms ticks, hence
//! the long runs) rather than wall time because the machine is shared: time spent preempted
//! is not ours. Each figure is the median of five runs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use streebog::Digest;
use tamga_gost::hash::pbkdf2::pbkdf2_hmac_streebog512;
use tamga_gost::hash::streebog::ct::streebog256_ct;
use tamga_gost::hash::streebog::{streebog256, streebog512};

/// CPU time of this thread (user + system), if /proc tells it.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = &stat[stat.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the file, 12th and 13th after the name.
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every Linux target that matters here.
    Some(Duration::from_millis(ticks * 10))
}

/// Hashes `buf` repeatedly for about `budget`; returns (CPU-time MB/s, wall-clock MB/s).
fn rate(budget: Duration, buf: &[u8], f: &dyn Fn(&[u8])) -> (f64, f64) {
    // Warm-up: tables into cache, clock up.
    let start = Instant::now();
    while start.elapsed() < budget / 10 {
        f(black_box(buf));
    }
    let (mut cpu_rates, mut wall_rates) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let (wall0, cpu0) = (Instant::now(), cpu_time());
        let mut bytes = 0u64;
        while wall0.elapsed() < budget / 5 {
            f(black_box(buf));
            bytes += buf.len() as u64;
        }
        let wall = wall0.elapsed().as_secs_f64();
        let cpu = match (cpu0, cpu_time()) {
            (Some(a), Some(b)) if b > a => (b - a).as_secs_f64(),
            _ => wall,
        };
        cpu_rates.push(bytes as f64 / cpu / 1e6);
        wall_rates.push(bytes as f64 / wall / 1e6);
    }
    cpu_rates.sort_by(f64::total_cmp);
    wall_rates.sort_by(f64::total_cmp);
    (cpu_rates[2], wall_rates[2])
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
    println!(
        "{:<24} {:>7}  {:>9}  {:>10}",
        "", "buffer", "CPU MB/s", "wall MB/s"
    );
    for size in [8192usize, 65536] {
        let buf: Vec<u8> = (0..size).map(|i| (i * 31 + 7) as u8).collect();
        for (name, f) in &cases {
            let (cpu, wall) = rate(budget, &buf, *f);
            println!("{name:<24} {size:>7}  {cpu:>9.1}  {wall:>10.1}");
        }
    }

    let buf = [0x5au8; 128];
    let (cpu, wall) = rate(budget / 2, &buf, &|b| {
        black_box(streebog256_ct(b));
    });
    println!(
        "{:<24} {:>7}  {cpu:>9.2}  {wall:>10.2}",
        "tamga streebog256_ct",
        buf.len()
    );

    let start = Instant::now();
    let mut key = [0u8; 32];
    let reps = 10;
    for _ in 0..reps {
        pbkdf2_hmac_streebog512(b"Test1234", &[7u8; 8], black_box(2048), &mut key)
            .expect("valid parameters");
    }
    println!(
        "pbkdf2-hmac-streebog512, 2048 iterations, 32 B: {:.1} ms (wall)",
        start.elapsed().as_secs_f64() * 1e3 / reps as f64
    );
}
