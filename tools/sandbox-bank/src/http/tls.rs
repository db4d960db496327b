//! The HTTPS identity: a small TLS CA (ECDSA P-256, made by rcgen) and a server certificate for
//! `127.0.0.1`/`localhost`, made on first start and reused after.
//!
//! Clients either trust `<workdir>/tls/ca-cert.pem` or pin the server certificate by the SHA-256
//! of its DER (`<workdir>/server-cert.sha256`). The TLS CA's key is not kept: nothing else is
//! ever signed with it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;

use crate::error::BankError;
use crate::util;

/// The TLS material of a workdir.
pub struct TlsIdentity {
    /// rustls' server configuration.
    pub config: Arc<ServerConfig>,
    /// Hex SHA-256 of the server certificate's DER (what clients pin).
    pub server_cert_sha256: String,
    /// `<workdir>/tls/ca-cert.pem`.
    pub ca_pem_path: PathBuf,
    /// The server certificate (DER).
    pub server_cert_der: Vec<u8>,
}

fn tls(e: impl core::fmt::Display) -> BankError {
    BankError::Tls(e.to_string())
}

/// The ring crypto provider (the only one built).
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Loads `<workdir>/tls`, making it on first use.
pub fn load_or_create(workdir: &Path) -> Result<TlsIdentity, BankError> {
    let dir = workdir.join("tls");
    std::fs::create_dir_all(&dir)?;
    let ca_pem_path = dir.join("ca-cert.pem");
    let cert_path = dir.join("server-cert.der");
    let key_path = dir.join("server-key.der");
    if !(cert_path.exists() && key_path.exists() && ca_pem_path.exists()) {
        create(&ca_pem_path, &cert_path, &key_path)?;
    }
    let cert = std::fs::read(&cert_path)?;
    let key = zeroize::Zeroizing::new(std::fs::read(&key_path)?);
    let server_cert_sha256 = util::sha256_hex(&cert);
    std::fs::write(
        workdir.join("server-cert.sha256"),
        format!("{server_cert_sha256}\n"),
    )?;
    let config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(tls)?
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(cert.clone())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.to_vec())),
        )
        .map_err(tls)?;
    Ok(TlsIdentity {
        config: Arc::new(config),
        server_cert_sha256,
        ca_pem_path,
        server_cert_der: cert,
    })
}

fn create(ca_pem_path: &Path, cert_path: &Path, key_path: &Path) -> Result<(), BankError> {
    let ca_key = KeyPair::generate().map_err(tls)?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(tls)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "tamga Sandbox Bank TLS CA");
    let ca_cert = ca_params.self_signed(&ca_key).map_err(tls)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let key = KeyPair::generate().map_err(tls)?;
    let mut params = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .map_err(tls)?;
    params
        .distinguished_name
        .push(DnType::CommonName, "tamga Sandbox Bank");
    let cert = params.signed_by(&key, &issuer).map_err(tls)?;

    std::fs::write(
        ca_pem_path,
        tamga_pki::pem::to_pem("CERTIFICATE", ca_cert.der()),
    )?;
    std::fs::write(cert_path, cert.der())?;
    util::write_private(key_path, &zeroize::Zeroizing::new(key.serialize_der()))?;
    Ok(())
}
