//! A browser's request relayed to a running service: the request goes out with its origin (the
//! service checks it again), the service's asks are answered with this host's dialogs, the
//! progress events are passed on to the page, and the reply comes back.

use std::io::{BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};
use tamga_core::{Confirmation, CoreError, Interaction};
use tamga_service::api::{self, parse_service, Ask, ServiceMessage, MAX_LINE};
use tamga_service::lines::{read_line, Line};
use zeroize::Zeroizing;

use super::prompt::BrowserPrompt;

/// A connection to the service, if one listens at `path`.
pub fn connect(path: &Path) -> Option<UnixStream> {
    let s = UnixStream::connect(path).ok()?;
    let _ = s.set_write_timeout(Some(Duration::from_secs(10)));
    Some(s)
}

/// Sends `method`/`params` and waits for the reply; `on_event` receives progress events.
pub fn call(
    stream: UnixStream,
    method: &str,
    params: Value,
    origin: &str,
    prompt: &mut BrowserPrompt<'_>,
    on_event: &mut dyn FnMut(Value),
) -> Result<Value, Value> {
    let mut writer = stream.try_clone().map_err(|e| broken(&e.to_string()))?;
    let mut reader = BufReader::new(stream);
    let id = 1;
    // A service that refuses this user answers and closes at once: the write may fail, the
    // refusal is still there to read.
    let request = api::request_line(id, method, params, Some(origin));
    if let Err(e) = writeln!(writer, "{request}") {
        log::debug!("writing to the service: {e}");
    }
    loop {
        let line = match read_line(&mut reader, MAX_LINE) {
            Ok(Line::Line(l)) => l,
            Ok(Line::TooLong) => return Err(broken("a line from the service is too long")),
            Ok(Line::Eof) => return Err(broken("the service closed the connection")),
            Err(e) => return Err(broken(&e.to_string())),
        };
        match parse_service(&line).map_err(|e| broken(&e.to_string()))? {
            ServiceMessage::Reply { id: Some(i), body } if i == id => {
                return if body["ok"] == json!(true) {
                    Ok(body["result"].clone())
                } else {
                    Err(body["error"].clone())
                };
            }
            ServiceMessage::Reply { body, .. } => return Err(body["error"].clone()),
            // What the workflow tells the person goes into the next dialog, not to the page.
            ServiceMessage::Event(e) if e["event"] == "tell" => {
                prompt.tell(e["text"].as_str().unwrap_or_default());
            }
            ServiceMessage::Event(e) => on_event(e),
            ServiceMessage::Ask(ask) => {
                // A dialog nobody answered ends the request here: dropping the connection
                // makes the service cancel its workflow and free the token.
                let answer = answer(&ask, prompt)?;
                writeln!(writer, "{}", answer.as_str()).map_err(|e| broken(&e.to_string()))?;
            }
        }
    }
}

/// The answer line; it may hold a PIN, so it is built in a zeroizing string. `Err`: a dialog
/// timed out, and the request ends with that error.
fn answer(ask: &Ask, prompt: &mut BrowserPrompt<'_>) -> Result<Zeroizing<String>, Value> {
    let line = answer_line(ask, prompt);
    match prompt.timed_out.take() {
        Some(seconds) => {
            let e = CoreError::Secret(tamga_core::SecretError::TimedOut { seconds });
            Err(crate::service::outcome::error(&e, prompt.lang))
        }
        None => Ok(line),
    }
}

fn answer_line(ask: &Ask, prompt: &mut BrowserPrompt<'_>) -> Zeroizing<String> {
    // The service asks the same question again: its reason heads the dialog.
    if let Some(error) = &ask.error {
        prompt.wrong_answer(error);
    }
    let cancel = || Zeroizing::new(json!({ "answer": ask.ask, "cancel": true }).to_string());
    let yes = |y: bool| Zeroizing::new(json!({ "answer": ask.ask, "yes": y }).to_string());
    match ask.kind.as_str() {
        "secret" => match prompt.secret_text(&ask.text) {
            Ok(pin) => {
                let Ok(text) = std::str::from_utf8(pin.as_bytes()) else {
                    return cancel();
                };
                let mut line = Zeroizing::new(String::with_capacity(64 + text.len() * 2));
                line.push_str(&format!("{{\"answer\":{},\"value\":", ask.ask));
                // serde_json escapes into our zeroizing buffer, not into a temporary String.
                let mut quoted = Zeroizing::new(Vec::with_capacity(text.len() + 2));
                if serde_json::to_writer(&mut *quoted, text).is_err() {
                    return cancel();
                }
                line.push_str(std::str::from_utf8(&quoted).unwrap_or("\"\""));
                line.push('}');
                line
            }
            Err(_) => cancel(),
        },
        "confirm" | "last_attempt" => match prompt.confirm("relay", &ask.text) {
            Ok(Confirmation::Yes) => yes(true),
            Ok(_) => yes(false),
            Err(_) => cancel(),
        },
        // No value is not a refusal: an optional field (sign.cms_out) keeps its default.
        "text" => match prompt.text_for(&ask.key) {
            Ok(Some(v)) => Zeroizing::new(json!({ "answer": ask.ask, "value": v }).to_string()),
            Ok(None) => yes(false),
            Err(_) => cancel(),
        },
        _ => cancel(),
    }
}

fn broken(what: &str) -> Value {
    let e = CoreError::Driver {
        driver: "service",
        reason: what.to_owned(),
    };
    json!({ "code": "service.relay", "class": "token", "message": e.to_string(), "details": null })
}
