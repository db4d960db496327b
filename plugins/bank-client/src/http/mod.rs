//! A blocking HTTP/1.1 client for the bank's two endpoints: one request per connection
//! (`Connection: close`), TLS through rustls with the profile's pin or roots, plain HTTP only
//! to the loopback (the profile validator already refuses anything else).

mod response;
mod tls;
mod url;

use std::io::Write;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::{ClientConnection, StreamOwned};
use rustls_pki_types::ServerName;
use tamga_core::profile::Endpoint;

pub use response::{parse as parse_response, Response, MAX_BODY, MAX_HEADER};
pub use url::Url;

use crate::NetError;

/// A client for one endpoint.
#[derive(Clone)]
pub struct Http {
    url: Url,
    timeout: Duration,
    tls: Option<Arc<rustls::ClientConfig>>,
}

impl core::fmt::Debug for Http {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Http")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// Reads a PEM or DER certificate file into DER.
fn certificate_file(path: &Path) -> Result<Vec<u8>, NetError> {
    let bytes =
        std::fs::read(path).map_err(|e| NetError::Config(format!("{}: {e}", path.display())))?;
    let cert = tamga_pki::Certificate::parse(&bytes)
        .map_err(|e| NetError::Config(format!("{}: {e}", path.display())))?;
    Ok(cert.to_der().to_vec())
}

impl Http {
    /// A client for `endpoint`; relative root files resolve against `base_dir` (the
    /// profile's directory).
    pub fn new(endpoint: &Endpoint, base_dir: &Path) -> Result<Http, NetError> {
        let url = Url::parse(&endpoint.url)?;
        let tls = if !url.tls {
            None
        } else if let Some(pin) = &endpoint.server_cert_sha256 {
            Some(tls::pinned(pin)?)
        } else if !endpoint.tls_roots.is_empty() {
            let certs = endpoint
                .tls_roots
                .iter()
                .map(|f| certificate_file(&base_dir.join(f)))
                .collect::<Result<Vec<_>, _>>()?;
            Some(tls::roots(certs)?)
        } else {
            return Err(NetError::Config(format!(
                "{}: an https endpoint needs server_cert_sha256 or tls_roots",
                endpoint.url
            )));
        };
        Ok(Http {
            url,
            timeout: Duration::from_secs(endpoint.timeout_s.max(1)),
            tls,
        })
    }

    /// The endpoint's URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// `POST {endpoint}{path}`.
    pub fn post(
        &self,
        path: &str,
        content_type: &str,
        body: &[u8],
        bearer: Option<&str>,
    ) -> Result<Response, NetError> {
        self.request("POST", path, Some((content_type, body)), bearer)
    }

    /// `GET {endpoint}{path}`.
    pub fn get(&self, path: &str, bearer: Option<&str>) -> Result<Response, NetError> {
        self.request("GET", path, None, bearer)
    }

    fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<(&str, &[u8])>,
        bearer: Option<&str>,
    ) -> Result<Response, NetError> {
        let target = format!("{}{path}", self.url.path);
        let target = if target.is_empty() {
            "/".to_owned()
        } else {
            target
        };
        let mut head = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nUser-Agent: tamga/{}\r\nAccept: */*\r\nConnection: close\r\n",
            self.url.authority(),
            env!("CARGO_PKG_VERSION")
        );
        if let Some(token) = bearer {
            head.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        if let Some((content_type, data)) = body {
            head.push_str(&format!(
                "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
                data.len()
            ));
        }
        head.push_str("\r\n");
        let mut message = head.into_bytes();
        if let Some((_, data)) = body {
            message.extend_from_slice(data);
        }
        // The bearer token is a secret: log the request line only.
        log::debug!("HTTP {method} {}{target}", self.url.authority());
        let raw = self.exchange(&message)?;
        let response = response::parse(&raw)?;
        log::debug!(
            "HTTP {} ({} bytes) for {method} {target}",
            response.status,
            response.body.len()
        );
        Ok(response)
    }

    fn connect(&self) -> Result<TcpStream, NetError> {
        let addrs = (self.url.host.as_str(), self.url.port)
            .to_socket_addrs()
            .map_err(|e| NetError::Connect(format!("{}: {e}", self.url.host)))?;
        let mut last = NetError::Connect(format!("{}: no address", self.url.host));
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, self.timeout) {
                Ok(s) => {
                    s.set_read_timeout(Some(self.timeout))
                        .and_then(|()| s.set_write_timeout(Some(self.timeout)))
                        .map_err(response::io_error)?;
                    let _ = s.set_nodelay(true);
                    return Ok(s);
                }
                Err(e) => last = response::io_error(e),
            }
        }
        Err(last)
    }

    fn exchange(&self, message: &[u8]) -> Result<Vec<u8>, NetError> {
        let tcp = self.connect()?;
        match &self.tls {
            None => {
                let mut tcp = tcp;
                tcp.write_all(message).map_err(response::io_error)?;
                response::read_all(&mut tcp)
            }
            Some(config) => {
                let name = ServerName::try_from(self.url.host.clone())
                    .map_err(|e| NetError::Config(format!("{}: {e}", self.url.host)))?;
                let conn = ClientConnection::new(Arc::clone(config), name)
                    .map_err(|e| NetError::Tls(e.to_string()))?;
                let mut tls = StreamOwned::new(conn, tcp);
                tls.write_all(message).map_err(response::io_error)?;
                tls.flush().map_err(response::io_error)?;
                response::read_all(&mut tls)
            }
        }
    }
}
