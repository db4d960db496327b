//! A tiny test runner for the guest binary: libtest's output format, so the `test result:` lines
//! read the same in the CI log as cargo's.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

/// Runs named tests one after another and counts.
#[derive(Debug)]
pub struct Harness {
    suite: String,
    passed: usize,
    failed: Vec<String>,
    started: Instant,
}

impl Harness {
    pub fn new(suite: &str) -> Self {
        println!("\nrunning {suite}");
        Harness {
            suite: suite.to_owned(),
            passed: 0,
            failed: Vec::new(),
            started: Instant::now(),
        }
    }

    /// Runs one test: a panic or an `Err` fails it, the others still run.
    pub fn run<E: std::fmt::Debug>(&mut self, name: &str, test: impl FnOnce() -> Result<(), E>) {
        let t = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(test));
        let ms = t.elapsed().as_millis();
        match outcome {
            Ok(Ok(())) => {
                println!("test {}::{name} ... ok ({ms} ms)", self.suite);
                self.passed += 1;
            }
            Ok(Err(e)) => {
                println!("test {}::{name} ... FAILED ({ms} ms): {e:?}", self.suite);
                self.failed.push(name.to_owned());
            }
            Err(_) => {
                println!("test {}::{name} ... FAILED ({ms} ms): panicked", self.suite);
                self.failed.push(name.to_owned());
            }
        }
    }

    /// Prints the summary line; true when everything passed.
    pub fn finish(self) -> bool {
        let ok = self.failed.is_empty();
        if !ok {
            println!("\nfailures ({}):", self.suite);
            for f in &self.failed {
                println!("    {f}");
            }
        }
        println!(
            "\ntest result: {}. {} passed; {} failed; 0 ignored; 0 measured; 0 filtered out; finished in {:.2}s ({})",
            if ok { "ok" } else { "FAILED" },
            self.passed,
            self.failed.len(),
            self.started.elapsed().as_secs_f64(),
            self.suite
        );
        ok
    }
}
