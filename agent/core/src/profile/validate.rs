//! Checks a parsed profile for values the schema's types cannot rule out.

use super::drivers::DriverSpec;
use super::workflows::{Endpoint, PasswordRules};
use super::Profile;

/// A field path and what is wrong with it.
type Problem = (String, String);

pub(super) fn check(p: &Profile) -> Result<(), Problem> {
    if p.drivers.is_empty() {
        return Err(problem("drivers", "name at least one driver"));
    }
    for (i, d) in p.drivers.iter().enumerate() {
        driver(d).map_err(|(f, m)| (format!("drivers[{i}].{f}"), m))?;
    }
    let w = &p.workflows;
    rules(&w.pin.user_password).map_err(within("workflows.pin.user_password"))?;
    rules(&w.pin.admin_password).map_err(within("workflows.pin.admin_password"))?;
    if let Some(e) = &w.enroll {
        endpoint(&e.ca).map_err(within("workflows.enroll.ca"))?;
        endpoint(&e.bank).map_err(within("workflows.enroll.bank"))?;
        e.key
            .spec()
            .map_err(|m| ("workflows.enroll.key".to_owned(), m))?;
        if e.user_id_pattern.is_empty() {
            return Err(problem("workflows.enroll.user_id_pattern", "empty"));
        }
        if e.certificate_terms_months.is_empty() {
            return Err(problem(
                "workflows.enroll.certificate_terms_months",
                "name at least one term",
            ));
        }
    }
    if let Some(l) = &w.login {
        endpoint(&l.bank).map_err(within("workflows.login.bank"))?;
    }
    Ok(())
}

fn problem(field: &str, message: &str) -> Problem {
    (field.to_owned(), message.to_owned())
}

fn within(prefix: &'static str) -> impl Fn(Problem) -> Problem {
    move |(f, m)| (format!("{prefix}.{f}"), m)
}

fn driver(d: &DriverSpec) -> Result<(), Problem> {
    match d {
        DriverSpec::KaztokenCcid(c) => {
            if !c.any_ccid_class && c.vendors.is_empty() && c.devices.is_empty() {
                return Err(problem(
                    "KaztokenCcid",
                    "selects no device: set any_ccid_class, vendors or devices",
                ));
            }
            if c.card.max_chunk == 0 || c.card.max_chunk > 255 {
                return Err(problem("card.max_chunk", "expected 1..=255"));
            }
        }
        DriverSpec::VirtualKaztoken(v) => {
            for (field, n) in [
                ("user_retries", v.user_retries),
                ("admin_retries", v.admin_retries),
            ] {
                if !(3..=10).contains(&n) {
                    return Err(problem(field, "expected 3..=10 (the token's range)"));
                }
            }
        }
        DriverSpec::Pkcs11(p) => {
            if p.module.is_empty() {
                return Err(problem("module", "name the vendor's PKCS#11 module"));
            }
            if p.token_label.is_some() && p.slot.is_some() {
                return Err(problem(
                    "slot",
                    "name the token by label or by slot, not both",
                ));
            }
            if !(1..=99).contains(&p.pin.tries) {
                return Err(problem("pin.tries", "expected 1..=99"));
            }
        }
    }
    Ok(())
}

fn rules(r: &PasswordRules) -> Result<(), Problem> {
    if r.min_length == 0 || r.min_length > r.max_length {
        return Err(problem("min_length", "expected 1..=max_length"));
    }
    if r.forbid_sequence == 1 {
        return Err(problem(
            "forbid_sequence",
            "a run of 1 is any character: use 0 (off) or at least 2",
        ));
    }
    Ok(())
}

fn endpoint(e: &Endpoint) -> Result<(), Problem> {
    if let Some(pin) = &e.server_cert_sha256 {
        if pin.len() != 64 || !pin.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(problem(
                "server_cert_sha256",
                "expected 64 hexadecimal digits (the SHA-256 of the certificate's DER)",
            ));
        }
    }
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"];
    if e.url.starts_with("https://") || loopback.iter().any(|l| e.url.starts_with(l)) {
        Ok(())
    } else {
        Err(problem(
            "url",
            "expected https:// (plain http only to the loopback)",
        ))
    }
}
