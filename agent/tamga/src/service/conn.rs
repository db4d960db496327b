//! One client connection: the peer check, then requests one after another. A request runs in
//! this connection's thread; while it runs, the lines that come in are answers to its asks (a
//! new request meanwhile is refused as busy).

use std::io::{self, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tamga_core::CoreError;
use tamga_service::api::{
    self, error_line, ok_line, AnswerKind, ClientMessage, Method, Request, MAX_LINE,
};
use tamga_service::audit::Entry;
use tamga_service::lines::{read_line, Line};
use tamga_service::peer::PeerCred;

use super::ask::{AskInteraction, AskProgress};
use super::gate;
use super::outcome::{self, own_error};
use super::Shared;

/// What a browser's client may take beyond the dialog timeout to send its answer.
const ANSWER_SLACK_S: u64 = 15;

/// The writing half, shared with the hot-plug thread (events to subscribers).
pub type Writer = Arc<Mutex<UnixStream>>;

/// Writes one line.
pub fn send_line(w: &Writer, line: &str) -> io::Result<()> {
    let mut s = w.lock().map_err(|_| io::Error::other("writer poisoned"))?;
    s.write_all(line.as_bytes())?;
    s.write_all(b"\n")?;
    s.flush()
}

pub struct Conn {
    reader: BufReader<UnixStream>,
    pub writer: Writer,
    pub peer: PeerCred,
}

impl Conn {
    pub fn send(&self, line: &str) -> io::Result<()> {
        send_line(&self.writer, line)
    }

    /// Waits for the answer to ask `ask` of request `request`.
    pub fn wait_answer(&mut self, ask: u64, request: u64) -> Result<AnswerKind, CoreError> {
        loop {
            match read_line(&mut self.reader, MAX_LINE) {
                Ok(Line::Line(l)) => match api::parse_client(&l) {
                    Ok(ClientMessage::Answer(a)) if a.ask == ask => return Ok(a.reply),
                    Ok(ClientMessage::Answer(_)) => {}
                    Ok(ClientMessage::Request(r)) => {
                        let e = json!({"code": "service.busy", "class": "usage",
                            "message": format!("request {request} is still running"), "details": null});
                        let _ = self.send(&error_line(Some(r.id), e));
                    }
                    Err(e) => {
                        let _ = self.send(&error_line(None, api_error(&e)));
                    }
                },
                Ok(Line::TooLong) => {
                    let _ = self.send(&error_line(None, too_long()));
                }
                // The client went away: nobody answers, so the workflow stops here.
                Ok(Line::Eof) | Err(_) => return Err(CoreError::Cancelled),
            }
        }
    }
}

fn api_error(e: &api::ApiError) -> Value {
    json!({ "code": e.code, "class": "usage", "message": e.message, "details": null })
}

fn too_long() -> Value {
    json!({ "code": "api.too_large", "class": "usage", "message": "line too long", "details": null })
}

/// Serves one client until it closes the connection.
pub fn serve(stream: UnixStream, shared: Arc<Shared>) {
    let peer = match tamga_service::peer::peer_cred(&stream) {
        Ok(p) => p,
        Err(e) => {
            log::warn!("cannot read the peer's credentials: {e}");
            return;
        }
    };
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    let mut conn = Conn {
        reader: BufReader::new(stream),
        writer: Arc::new(Mutex::new(write_half)),
        peer,
    };
    if shared.access.check(&conn.peer).is_none() {
        shared.audit(&Entry {
            channel: "socket",
            uid: Some(conn.peer.uid),
            pid: Some(conn.peer.pid),
            operation: "connect",
            result: "refused",
            code: Some("service.forbidden"),
            ..Entry::default()
        });
        let e = own_error(
            "service.forbidden",
            "usage",
            "Этому пользователю не разрешено обращаться к службе tamga.",
            "this user may not use the tamga service",
            shared.lang,
        );
        let _ = conn.send(&error_line(None, e));
        return;
    }
    log::debug!("client uid {} pid {}", conn.peer.uid, conn.peer.pid);
    loop {
        // A request is awaited for as long as the client likes; only answers have a limit.
        let _ = conn.reader.get_ref().set_read_timeout(None);
        let line = match read_line(&mut conn.reader, MAX_LINE) {
            Ok(Line::Line(l)) => l,
            Ok(Line::TooLong) => {
                let _ = conn.send(&error_line(None, too_long()));
                continue;
            }
            Ok(Line::Eof) | Err(_) => break,
        };
        shared.touch();
        match api::parse_client(&line) {
            Ok(ClientMessage::Request(r)) => handle(&mut conn, &shared, r),
            Ok(ClientMessage::Answer(_)) => {
                let e = json!({"code": "api.no_ask", "class": "usage", "message": "no question is open", "details": null});
                let _ = conn.send(&error_line(None, e));
            }
            Err(e) => {
                let _ = conn.send(&error_line(None, api_error(&e)));
            }
        }
        shared.touch();
    }
    shared.unsubscribe(&conn.writer);
}

fn handle(conn: &mut Conn, shared: &Arc<Shared>, r: Request) {
    let lang = shared.lang;
    let reply = match &r.method {
        Method::Hello => Ok(json!({
            "version": api::VERSION,
            "service": "tamga",
            "workflows": crate::registry::REGISTRY.workflow_names(),
            "peer": { "uid": conn.peer.uid, "pid": conn.peer.pid },
        })),
        Method::Subscribe => {
            shared.subscribe(conn.writer.clone());
            let tokens = shared.known_tokens();
            Ok(json!({ "subscribed": true, "tokens": tokens }))
        }
        Method::Tokens => {
            if let Some(origin) = &r.origin {
                if let Err(e) = gate::origin_only(&shared.profile, origin, lang) {
                    let _ = conn.send(&error_line(Some(r.id), e));
                    return;
                }
            }
            let _guard = shared.token_lock();
            outcome::tokens(&shared.profile, lang).map_err(|e| outcome::error(&e, lang))
        }
        Method::Run(params) => run(conn, shared, &r, params),
    };
    let line = match reply {
        Ok(v) => ok_line(r.id, v),
        Err(e) => error_line(Some(r.id), e),
    };
    let _ = conn.send(&line);
}

fn run(
    conn: &mut Conn,
    shared: &Arc<Shared>,
    r: &Request,
    params: &tamga_service::api::RunParams,
) -> Result<Value, Value> {
    let lang = outcome::lang_of(params, shared.lang);
    let op = format!("{}/{}", params.workflow, params.action);
    let mut entry = Entry {
        channel: if r.origin.is_some() {
            "browser"
        } else {
            "socket"
        },
        origin: r.origin.as_deref(),
        uid: Some(conn.peer.uid),
        pid: Some(conn.peer.pid),
        operation: &op,
        ..Entry::default()
    };
    // A browser's request is checked here again, whatever the native host did.
    let confirm_text = match &r.origin {
        Some(origin) => match gate::check(&shared.profile, origin, params, lang, &mut |o, max| {
            shared.admit(o, max)
        }) {
            Ok(g) => {
                entry.data_sha256 = g.data_sha256.clone();
                g.confirm
            }
            Err((code, e)) => {
                entry.result = "refused";
                entry.code = Some(code);
                shared.audit(&entry);
                return Err(e);
            }
        },
        None => None,
    };
    let _guard = if r.origin.is_some() {
        match shared.try_token_lock() {
            Some(g) => g,
            None => {
                entry.result = "refused";
                entry.code = Some("browser.prompt_busy");
                shared.audit(&entry);
                return Err(gate::busy(lang));
            }
        }
    } else {
        shared.token_lock()
    };
    // Read under the token lock: the dialog names the certificate this very run will use.
    let confirm_text = super::signer::with_certificate(confirm_text, &shared.profile, params, lang);
    let orders =
        std::env::temp_dir().join(format!("tamga-orders-{}", tamga_service::peer::own_uid()));
    let (params, _order) = match gate::with_order_file(params, &orders) {
        Ok(x) => x,
        Err(e) => {
            log::warn!("cannot keep the order: {e}");
            return Err(outcome::error(&CoreError::Cancelled, lang));
        }
    };
    let params = &params;
    let writer = conn.writer.clone();
    // A browser's client draws each dialog with the profile's timeout; one that neither
    // answers nor goes away must not hold the tokens for ever either.
    let limit = shared.profile.profile.service.prompt_timeout_s;
    let browser = r.origin.is_some() && limit > 0;
    if browser {
        let wait = std::time::Duration::from_secs(limit.saturating_add(ANSWER_SLACK_S));
        let _ = conn.reader.get_ref().set_read_timeout(Some(wait));
    }
    let mut interaction = AskInteraction {
        conn: &mut *conn,
        request: r.id,
        lang,
        fields: &params.fields,
        next_ask: 0,
        preconfirmed: false,
        interactive: r.origin.is_some(),
        wrong: None,
    };
    if let Some(text) = confirm_text {
        use tamga_core::{Confirmation, Interaction};
        if !matches!(
            interaction.confirm("browser.confirm", &text),
            Ok(Confirmation::Yes)
        ) {
            entry.result = "cancelled";
            entry.code = Some("cancelled");
            shared.audit(&entry);
            return Err(outcome::error(&CoreError::Cancelled, lang));
        }
        interaction.preconfirmed = r.origin.is_some();
    }
    let mut progress = AskProgress {
        writer,
        request: r.id,
    };
    let result = outcome::run(
        &shared.profile,
        lang,
        params,
        &mut interaction,
        &mut progress,
    );
    match &result {
        Ok(_) => entry.result = "ok",
        Err(e) => {
            entry.result = if matches!(e, CoreError::Cancelled) {
                "cancelled"
            } else {
                "failed"
            };
            entry.code = Some(e.code());
        }
    }
    shared.audit(&entry);
    result.map_err(|e| outcome::error(&e, lang))
}
