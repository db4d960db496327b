//! Whom the client trusts: exactly the server certificate whose SHA-256 the profile pins (the
//! sandbox bank's self-signed one, or a real bank's), or else a chain to the profile's roots.
//! Never the system's roots: a bank agent has no business trusting every public CA.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use sha2::{Digest, Sha256};

use crate::NetError;

/// Accepts the one certificate whose DER hashes to the pin; the handshake signature is still
/// checked against it, so a copied certificate without its key does not pass.
#[derive(Debug)]
struct PinnedCert {
    sha256: [u8; 32],
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PinnedCert {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let seen: [u8; 32] = Sha256::digest(end_entity.as_ref()).into();
        if seen == self.sha256 {
            Ok(ServerCertVerified::assertion())
        } else {
            log::warn!(
                "the server's certificate has SHA-256 {}, the profile pins {}",
                hex::encode(seen),
                hex::encode(self.sha256)
            );
            Err(rustls::Error::General(
                "the server's certificate is not the one pinned in the profile".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn builder() -> Result<rustls::ConfigBuilder<ClientConfig, rustls::WantsVerifier>, NetError> {
    ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| NetError::Config(format!("TLS: {e}")))
}

/// A client configuration trusting only the certificate with this SHA-256 (64 hex digits).
pub fn pinned(sha256_hex: &str) -> Result<Arc<ClientConfig>, NetError> {
    let mut sha256 = [0u8; 32];
    hex::decode_to_slice(sha256_hex.trim(), &mut sha256)
        .map_err(|_| NetError::Config("server_cert_sha256 is not 64 hex digits".into()))?;
    let verifier = PinnedCert {
        sha256,
        provider: provider(),
    };
    Ok(Arc::new(
        builder()?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth(),
    ))
}

/// A client configuration trusting chains to these roots (DER certificates).
pub fn roots(certs: Vec<Vec<u8>>) -> Result<Arc<ClientConfig>, NetError> {
    let mut store = RootCertStore::empty();
    for der in certs {
        store
            .add(CertificateDer::from(der))
            .map_err(|e| NetError::Config(format!("TLS root: {e}")))?;
    }
    let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider())
        .build()
        .map_err(|e| NetError::Config(format!("TLS roots: {e}")))?;
    Ok(Arc::new(
        builder()?
            .with_webpki_verifier(verifier)
            .with_no_client_auth(),
    ))
}
