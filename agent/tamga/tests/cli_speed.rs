//! `tamga speed`: the JSON lines have exactly the documented shapes, and the options filter.

mod common;

use common::*;
use serde_json::Value;

fn json_lines(args: &[&str]) -> Vec<serde_json::Map<String, Value>> {
    let out = tamga(args);
    expect_code(&out, 0);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| match serde_json::from_str::<Value>(l) {
            Ok(Value::Object(o)) => o,
            other => panic!("not a JSON object: {l:?} ({other:?})"),
        })
        .collect()
}

fn keys(o: &serde_json::Map<String, Value>) -> Vec<&str> {
    let mut k: Vec<_> = o.keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[test]
fn json_shapes() {
    let lines = json_lines(&[
        "speed",
        "--json",
        "--seconds",
        "0.05",
        "--curves",
        "tc26-256-a",
    ]);
    let mut ops = Vec::new();
    for o in &lines {
        let op = o["op"].as_str().unwrap();
        match op {
            "keygen" | "sign" | "verify" => {
                assert_eq!(keys(o), ["curve", "op", "per_sec"], "{o:?}");
                assert_eq!(o["curve"], "tc26-256-a");
                assert!(o["per_sec"].as_f64().unwrap() > 0.0, "{o:?}");
                ops.push(op.to_owned());
            }
            "streebog256" | "streebog512" => {
                assert_eq!(keys(o), ["bytes", "mb_per_sec", "op"], "{o:?}");
                let bytes = o["bytes"].as_u64().unwrap();
                assert!(bytes == 8192 || bytes == 65536, "{o:?}");
                assert!(o["mb_per_sec"].as_f64().unwrap() > 0.0, "{o:?}");
                ops.push(format!("{op}/{bytes}"));
            }
            _ => panic!("unexpected op {o:?}"),
        }
    }
    assert_eq!(
        ops,
        [
            "keygen",
            "sign",
            "verify",
            "streebog256/8192",
            "streebog256/65536",
            "streebog512/8192",
            "streebog512/65536"
        ]
    );
}

#[test]
fn ops_and_curves_filter() {
    let lines = json_lines(&[
        "speed",
        "--json",
        "--seconds",
        "0.02",
        "--curves",
        "tc26-512-c, cryptopro-a",
        "--ops",
        "verify,sign",
    ]);
    let got: Vec<_> = lines
        .iter()
        .map(|o| {
            format!(
                "{}/{}",
                o["op"].as_str().unwrap(),
                o["curve"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "sign/tc26-512-c",
            "verify/tc26-512-c",
            "sign/cryptopro-a",
            "verify/cryptopro-a"
        ]
    );

    let lines = json_lines(&["speed", "--json", "--seconds", "0.01", "--ops", "hash"]);
    assert_eq!(lines.len(), 4);
    assert!(lines.iter().all(|o| o.contains_key("mb_per_sec")));
}

#[test]
fn every_curve_and_the_table() {
    let lines = json_lines(&[
        "speed",
        "--json",
        "--seconds",
        "0.005",
        "--curves",
        "all",
        "--ops",
        "keygen",
    ]);
    assert_eq!(lines.len(), 14);
    let out = tamga([
        "speed",
        "--seconds",
        "0.01",
        "--curves",
        "tc26-256-b,tc26-512-a",
    ]);
    expect_code(&out, 0);
    let table = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<_> = table.lines().collect();
    assert!(
        rows[1].starts_with("curve") && rows[1].contains("sign/s"),
        "{table}"
    );
    assert!(
        rows[2].starts_with("tc26-256-b") && rows[3].starts_with("tc26-512-a"),
        "{table}"
    );
    assert!(rows[4].starts_with("hash (MB/s)"), "{table}");
    // Columns line up: every row of a block has the header's width.
    assert_eq!(rows[1].len(), rows[2].len(), "{table}");
    assert_eq!(rows[4].len(), rows[5].len(), "{table}");
}
