//! A small HTTP/1.1 server on std threads: one request per connection, bounded parsing, TLS by
//! rustls (ring) or plain for the `openssl cmp` peer test.

pub mod request;
pub mod response;
pub mod routes;
pub mod server;
pub mod tls;
