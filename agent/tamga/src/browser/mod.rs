//! `tamga native-host`: the native-messaging host Chromium, Chrome and Firefox start for the
//! extension (tools/browser-extension). Frames come from the browser (`tamga_service::frame`);
//! each asks for `hello`, `tokens` or `run` and carries the page's origin, which the extension
//! took from the browser (`sender.origin`), not from the page.
//!
//! The origin is checked against the profile before anything else; then the reduced command set,
//! the rate limit and one prompt at a time (`service::gate`, `tamga_service::lock`). The request
//! is relayed to a running service (`relay`), or run here with pinentry dialogs (`prompt`).
//! Nothing but frames goes to standard output.

pub mod install;
pub mod keyfile;
pub mod progress;
pub mod prompt;
pub mod relay;

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use tamga_core::profile::LoadedProfile;
use tamga_core::{Confirmation, CoreError, Interaction, Lang};
use tamga_service::api::RunParams;
use tamga_service::audit::Entry;
use tamga_service::frame::{read_message, write_message, FrameError, MAX_FROM_BROWSER};
use tamga_service::native_args::Caller;
use tamga_service::payment::shown;
use tamga_service::rate::RateLimit;
use tamga_service::{lock, origin as origins, peer};

use crate::cli::{GlobalArgs, NativeHostArgs};
use crate::error::Result;
use crate::service::{self, gate, outcome};
use progress::PageProgress;
use prompt::BrowserPrompt;

/// The most of an oversized message read and dropped; beyond it the host just ends.
const MAX_DRAIN: u64 = 64 << 20;

struct Host {
    caller: Caller,
    profile: std::result::Result<LoadedProfile, String>,
    lang: Lang,
    socket: Option<PathBuf>,
    runtime: PathBuf,
}

/// The user's runtime directory for the prompt lock and the rate counts.
fn runtime_dir() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d).join("tamga"),
        _ => std::env::temp_dir().join(format!("tamga-{}", peer::own_uid())),
    }
}

/// The service socket to relay to, if any.
fn socket_path(args: &NativeHostArgs) -> Option<PathBuf> {
    if args.no_relay {
        return None;
    }
    if let Some(p) = &args.socket {
        return Some(p.clone());
    }
    if let Some(p) = std::env::var_os("TAMGA_SOCKET").filter(|p| !p.is_empty()) {
        return Some(p.into());
    }
    [
        std::env::var_os("XDG_RUNTIME_DIR").map(|d| PathBuf::from(d).join("tamga/agent.sock")),
        Some(PathBuf::from("/run/tamga/agent.sock")),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.exists())
}

pub fn run(args: &NativeHostArgs, g: &GlobalArgs) -> Result<()> {
    let caller = Caller::from_args(&args.browser_args);
    log::debug!("native host for {:?}", caller);
    let host = Host {
        caller,
        profile: service::load_profile(g).map_err(|e| e.to_string()),
        lang: crate::agent::lang(g),
        socket: socket_path(args),
        runtime: runtime_dir(),
    };
    let stdin = io::stdin();
    let stdout = io::stdout();
    host.serve(&mut stdin.lock(), &mut stdout.lock());
    Ok(())
}

impl Host {
    fn serve(&self, input: &mut dyn Read, output: &mut dyn Write) {
        loop {
            match read_message(input, MAX_FROM_BROWSER) {
                Ok(None) => return,
                Ok(Some(message)) => {
                    let id = message.get("id").cloned().unwrap_or(Value::Null);
                    // Events carry the request's id: the extension routes them to its page.
                    let mut send = |mut v: Value| {
                        v["id"] = id.clone();
                        let _ = write_message(output, &v);
                    };
                    let reply = match self.handle(&message, &mut send) {
                        Ok(result) => json!({ "id": id, "ok": true, "result": result }),
                        Err(error) => json!({ "id": id, "ok": false, "error": error }),
                    };
                    if write_message(output, &reply).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    self.audit(None, "frame", "refused", Some(e.code()), None);
                    // An oversized message is read to its end (up to a bound) so that the
                    // browser finishes writing it and sees the refusal, not a broken pipe.
                    let synced = match &e {
                        FrameError::TooLarge(n) if *n <= MAX_DRAIN => {
                            io::copy(&mut (&mut *input).take(*n), &mut io::sink()).ok() == Some(*n)
                        }
                        FrameError::BadJson(_) => true,
                        _ => false,
                    };
                    let error = own(e.code(), "usage", &e.to_string());
                    let _ =
                        write_message(output, &json!({ "id": null, "ok": false, "error": error }));
                    if !synced {
                        return;
                    }
                }
            }
        }
    }

    fn audit(
        &self,
        origin: Option<&str>,
        op: &str,
        result: &str,
        code: Option<&str>,
        sha: Option<String>,
    ) {
        let file = self
            .profile
            .as_ref()
            .ok()
            .map(|p| p.dirs.state.join("audit.log"));
        if let Some(dir) = file.as_ref().and_then(|f| f.parent()) {
            let _ = std::fs::create_dir_all(dir);
        }
        Entry {
            channel: "browser",
            origin,
            browser: Some(self.caller.browser()),
            uid: Some(peer::own_uid()),
            pid: i32::try_from(std::process::id()).ok(),
            operation: op,
            data_sha256: sha,
            result,
            code,
        }
        .emit(file.as_deref());
    }

    fn handle(&self, m: &Value, send: &mut dyn FnMut(Value)) -> std::result::Result<Value, Value> {
        let lang = self.lang;
        // The origin first: nothing else of a request from elsewhere is even parsed.
        let origin = m.get("origin").and_then(Value::as_str).unwrap_or("");
        let method = m.get("method").and_then(Value::as_str).unwrap_or("");
        let op = m
            .pointer("/params/workflow")
            .and_then(Value::as_str)
            .map(|w| {
                format!(
                    "{w}/{}",
                    m.pointer("/params/action")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                )
            })
            .unwrap_or_else(|| method.to_owned());
        let op = shown(&op);
        let profile = match &self.profile {
            Ok(p) => p,
            Err(e) => {
                self.audit(Some(origin), &op, "failed", Some("profile"), None);
                return Err(own("profile.invalid", "usage", e));
            }
        };
        if let Err(e) = gate::origin_only(profile, origin, lang) {
            self.audit(
                Some(origin),
                &op,
                "refused",
                Some("browser.origin_refused"),
                None,
            );
            return Err(e);
        }
        match method {
            "hello" => Ok(
                json!({ "host": "tamga", "version": tamga_service::api::VERSION,
                                  "browser": self.caller.browser() }),
            ),
            "tokens" => outcome::tokens(profile, lang).map_err(|e| outcome::error(&e, lang)),
            "run" => self.run(
                profile,
                origin,
                &op,
                m.get("params").cloned().unwrap_or(Value::Null),
                send,
            ),
            _ => Err(own("browser.forbidden", "usage", "unknown method")),
        }
    }

    fn admit(&self, origin: &str, per_minute: u32) -> bool {
        let path = self.runtime.join("browser-rate.json");
        let Ok(_held) = lock::lock(&self.runtime.join("browser-rate.lock")) else {
            return false;
        };
        let mut rate = RateLimit::parse(&std::fs::read_to_string(&path).unwrap_or_default());
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let ok = rate.admit(
            origin,
            now,
            usize::try_from(per_minute).unwrap_or(usize::MAX),
            60,
        );
        let _ = std::fs::write(&path, rate.to_text());
        ok
    }

    fn run(
        &self,
        profile: &LoadedProfile,
        origin: &str,
        op: &str,
        params: Value,
        send: &mut dyn FnMut(Value),
    ) -> std::result::Result<Value, Value> {
        let params: RunParams = serde_json::from_value(params.clone())
            .map_err(|e| own("api.bad_params", "usage", &e.to_string()))?;
        let lang = outcome::lang_of(&params, self.lang);
        let checked = gate::check(profile, origin, &params, lang, &mut |o, max| {
            self.admit(o, max)
        });
        let mut gate = match checked {
            Ok(g) => g,
            Err((code, e)) => {
                self.audit(Some(origin), op, "refused", Some(code), None);
                return Err(e);
            }
        };
        let sha = gate.data_sha256.clone();
        // One prompt at a time, across every host process of this user.
        let Ok(Some(_prompt)) = lock::try_lock(&self.runtime.join("browser-prompt.lock")) else {
            self.audit(
                Some(origin),
                op,
                "refused",
                Some("browser.prompt_busy"),
                sha,
            );
            return Err(gate::busy(lang));
        };
        // The service reads the token itself; a host alone names the certificate here.
        let relay = self.socket.as_deref().and_then(relay::connect);
        if relay.is_none() {
            gate.confirm =
                service::signer::with_certificate(gate.confirm.take(), profile, &params, lang);
        }
        let normal = origins::normalize(origin).unwrap_or_default();
        let from = lang.pick(
            "Запрос из веб-браузера",
            "Request from the web browser",
            Some("Веб-браузерден сұрау"),
        );
        let mut context = format!("{from}: {}", shown(&normal));
        if let Some(text) = &gate.confirm {
            // The PIN dialog repeats what is being signed.
            context = text.clone();
        }
        let mut prompt = BrowserPrompt::new(profile, lang, context, &params.fields);
        let id = json!(params.workflow);
        let mut forward = |mut e: Value| {
            e["workflow"] = id.clone();
            send(e);
        };
        let result = match relay {
            Some(stream) => {
                log::debug!("relaying to the service");
                let v = json!({ "workflow": params.workflow, "action": params.action,
                    "token": params.token, "fields": params.fields, "lang": params.lang });
                relay::call(stream, "run", v, origin, &mut prompt, &mut forward)
            }
            None => self.run_here(
                profile,
                lang,
                &params,
                gate.confirm.as_deref(),
                &mut prompt,
                &mut forward,
            ),
        };
        let (res, code) = match &result {
            Ok(_) => ("ok", None),
            Err(e) => {
                let code = e["code"].as_str().unwrap_or("failed").to_owned();
                (
                    if code == "cancelled" {
                        "cancelled"
                    } else {
                        "failed"
                    },
                    Some(code),
                )
            }
        };
        self.audit(Some(origin), op, res, code.as_deref(), sha);
        result
    }

    fn run_here(
        &self,
        profile: &LoadedProfile,
        lang: Lang,
        params: &RunParams,
        confirm: Option<&str>,
        prompt: &mut BrowserPrompt<'_>,
        send: &mut dyn FnMut(Value),
    ) -> std::result::Result<Value, Value> {
        if let Some(text) = confirm {
            match prompt.confirm("browser.confirm", text) {
                Ok(Confirmation::Yes) => prompt.preconfirmed = true,
                Ok(_) => return Err(outcome::error(&CoreError::Cancelled, lang)),
                Err(e) => return Err(outcome::error(&e, lang)),
            }
        }
        let (params, _order) = gate::with_order_file(params, &self.runtime.join("orders"))
            .map_err(|e| own("browser.io", "usage", &e.to_string()))?;
        let mut here = prompt.with_fields(&params.fields);
        let mut progress = PageProgress { send };
        outcome::run(profile, lang, &params, &mut here, &mut progress)
            .map_err(|e| outcome::error(&e, lang))
    }
}

fn own(code: &str, class: &str, message: &str) -> Value {
    tamga_service::api::error_object(code, class, message, Value::Null)
}
