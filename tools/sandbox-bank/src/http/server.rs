//! The accept loop: a thread per connection (at most [`MAX_CONNECTIONS`] at once), one request
//! per connection, fault switches applied before routing.

use std::io::Write;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use rustls::{ServerConfig, ServerConnection, StreamOwned};

use super::request::{self, RequestError};
use super::response::Response;
use super::routes;
use crate::bank::{Inner, ServeOptions};
use crate::error::BankError;
use crate::faults::Action;

/// Connections served at once; more wait in the listen queue.
pub const MAX_CONNECTIONS: usize = 64;
const IO_TIMEOUT: Duration = Duration::from_secs(15);

/// A server running on a background thread.
pub struct RunningServer {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// Whether it speaks HTTPS.
    pub tls: bool,
    /// Hex SHA-256 of the server certificate's DER (pin it), when TLS.
    pub server_cert_sha256: Option<String>,
    /// The TLS CA (trust it), when TLS.
    pub tls_ca_pem_path: Option<PathBuf>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl core::fmt::Debug for RunningServer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RunningServer")
            .field("addr", &self.addr)
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

impl RunningServer {
    /// `https://127.0.0.1:PORT` (or `http://`).
    pub fn base_url(&self) -> String {
        format!(
            "{}://{}",
            if self.tls { "https" } else { "http" },
            self.addr
        )
    }

    /// Stops accepting and waits for the accept loop (connections in flight finish alone).
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Binds and starts the accept loop.
pub fn start(inner: Arc<Inner>, opts: &ServeOptions) -> Result<RunningServer, BankError> {
    let tls = if opts.plain_http {
        None
    } else {
        Some(super::tls::load_or_create(&inner.workdir)?)
    };
    let listener = TcpListener::bind(opts.addr)?;
    let addr = listener.local_addr()?;
    let stop = Arc::new(AtomicBool::new(false));
    let config = tls.as_ref().map(|t| t.config.clone());
    let test_endpoints = opts.test_endpoints;
    let stop2 = stop.clone();
    let active = Arc::new(AtomicUsize::new(0));
    let thread = std::thread::Builder::new()
        .name("sandbox-bank-accept".into())
        .spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = conn else { continue };
                if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                    let _ = stream.shutdown(Shutdown::Both);
                    continue;
                }
                active.fetch_add(1, Ordering::SeqCst);
                let (inner, config, active) = (inner.clone(), config.clone(), active.clone());
                let spawned = std::thread::Builder::new()
                    .name("sandbox-bank-conn".into())
                    .spawn(move || {
                        serve_connection(&inner, stream, config, test_endpoints);
                        active.fetch_sub(1, Ordering::SeqCst);
                    });
                if spawned.is_err() {
                    log::error!("cannot start a connection thread");
                }
            }
        })?;
    log::info!("sandbox bank listening on {addr}");
    Ok(RunningServer {
        addr,
        tls: tls.is_some(),
        server_cert_sha256: tls.as_ref().map(|t| t.server_cert_sha256.clone()),
        tls_ca_pem_path: tls.map(|t| t.ca_pem_path),
        stop,
        thread: Some(thread),
    })
}

fn serve_connection(
    inner: &Inner,
    stream: TcpStream,
    config: Option<Arc<ServerConfig>>,
    test_endpoints: bool,
) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_nodelay(true);
    match config {
        Some(cfg) => {
            let Ok(conn) = ServerConnection::new(cfg) else {
                return;
            };
            let mut tls = StreamOwned::new(conn, stream);
            if let Some(done) = exchange(inner, &mut tls, test_endpoints) {
                if done {
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                }
                let _ = tls.sock.shutdown(Shutdown::Both);
            }
        }
        None => {
            let mut s = stream;
            if exchange(inner, &mut s, test_endpoints).is_some() {
                let _ = s.shutdown(Shutdown::Both);
            }
        }
    }
}

/// Reads a request, answers it. `Some(true)`: answered in full; `Some(false)`: dropped half-way
/// (a fault); `None`: nothing to answer.
fn exchange<S: std::io::Read + Write>(
    inner: &Inner,
    stream: &mut S,
    test_endpoints: bool,
) -> Option<bool> {
    let req = match request::read(stream) {
        Ok(r) => r,
        Err(RequestError::Closed) | Err(RequestError::Io(_)) => return None,
        Err(RequestError::TooLarge(what)) => {
            let status = if what == "body" { 413 } else { 431 };
            let r = Response::error(
                status,
                "too_large",
                &format!("the request {what} is too large"),
                "Слишком большой запрос",
            );
            let _ = stream.write_all(&r.to_bytes());
            return Some(true);
        }
        Err(RequestError::Bad(why)) => {
            let r = Response::error(400, "bad_request", &why, "Неверный запрос");
            let _ = stream.write_all(&r.to_bytes());
            return Some(true);
        }
    };
    let counted = !req.path.starts_with("/_test/");
    let (action, delay) = if counted {
        inner.faults.on_request()
    } else {
        (Action::Serve, 0)
    };
    if delay > 0 {
        std::thread::sleep(Duration::from_millis(delay));
    }
    let response = match action {
        Action::Fail => Response::error(
            503,
            "unavailable",
            "injected fault: fail_nth",
            "Сервис временно недоступен",
        ),
        _ => routes::route(inner, &req, test_endpoints),
    };
    let bytes = response.to_bytes();
    if action == Action::Drop {
        let _ = stream.write_all(&bytes[..bytes.len() / 2]);
        let _ = stream.flush();
        return Some(false);
    }
    let _ = stream.write_all(&bytes);
    let _ = stream.flush();
    Some(true)
}
