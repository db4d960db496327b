//! The bank's certification authority: a self-signed GOST root (GOST R 34.10-2012 256-bit on
//! tc26-256-A, TC26 OIDs) that issues init, SIGN and AUTH certificates over CMP.
//!
//! 256 bits rather than 512 so that a certConf's certHash is Streebog-256, as PROTOCOL.md says
//! for this CA. The key is a PKCS#8 file readable by its owner only (`<workdir>/ca/ca-key.der`);
//! the certificate is `<workdir>/ca/ca-cert.pem` (what clients pin).

pub mod cmp_server;
pub mod crl;
pub mod issue;
pub mod pop;
pub mod transactions;

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;
use tamga_gost::{Curve, SecretKey};
use tamga_pki::cmp::Protect;
use tamga_pki::name::parse_name;
use tamga_pki::private_key::{GostKey, PrivateKey};
use tamga_pki::{Certificate, OidFamily, Profile, SoftwareSigner};
use x509_cert::name::Name;

use crate::error::BankError;
use crate::util;
use issue::{Issuer, Role};

/// The CA's subject.
pub const CA_NAME: &str = "CN=tamga Sandbox Bank CA,O=Sandbox Bank,C=KZ";
const CA_YEARS: u64 = 10;
const DAY: u64 = 86_400;

/// Policy knobs of the CA.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaConfig {
    /// Terms a customer may ask for, in days (the contract's 1, 2 or 3 years).
    pub allowed_terms_days: Vec<u64>,
    /// The term when a request names none.
    pub default_term_days: u64,
    /// `checkAfter` in waiting answers, seconds.
    pub check_after_secs: u64,
}

impl Default for CaConfig {
    fn default() -> Self {
        CaConfig {
            allowed_terms_days: vec![365, 730, 1095],
            default_term_days: 365,
            check_after_secs: 1,
        }
    }
}

/// The loaded CA.
pub struct Ca {
    name: Name,
    signer: SoftwareSigner,
    cert: Certificate,
    key_id: Vec<u8>,
    /// Policy.
    pub config: CaConfig,
}

impl core::fmt::Debug for Ca {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Ca")
            .field("subject", &self.cert.subject())
            .finish_non_exhaustive()
    }
}

impl Ca {
    /// Loads the CA of `workdir`, creating its key and certificate on first use.
    pub fn load_or_create(
        workdir: &Path,
        conn: &Connection,
        config: CaConfig,
    ) -> Result<Ca, BankError> {
        let dir = workdir.join("ca");
        std::fs::create_dir_all(&dir)?;
        let key_path = dir.join("ca-key.der");
        let cert_path = dir.join("ca-cert.pem");
        let name = parse_name(CA_NAME)?;
        if key_path.exists() {
            let der = zeroize::Zeroizing::new(std::fs::read(&key_path)?);
            let key = PrivateKey::from_pkcs8_der(&der)?;
            let gost = key
                .as_gost()
                .ok_or_else(|| BankError::Config("the CA key is not a GOST key".into()))?;
            let cert = Certificate::parse(&std::fs::read(&cert_path)?)?;
            let signer = SoftwareSigner::new(gost.secret().clone());
            let key_id = issue::key_identifier(cert.tbs().subject_public_key_info());
            return Ok(Ca {
                name,
                signer,
                cert,
                key_id,
                config,
            });
        }
        let secret = SecretKey::generate(Curve::Tc26_256A)
            .map_err(|e| BankError::Config(format!("generating the CA key: {e}")))?;
        let gost = GostKey::new(secret.clone(), OidFamily::Tc26)?;
        let signer = SoftwareSigner::new(secret);
        let spki = tamga_pki::public_key::spki_for(&gost.public_key(), &Profile::TC26)?;
        let now = util::now();
        let serial = transactions::next_serial(conn)?;
        let issuer = Issuer {
            name: &name,
            signer: &signer,
            key_id: None,
            profile: Profile::TC26,
        };
        let cert = issue::issue(
            &issuer,
            serial,
            &name,
            &spki,
            now - Duration::from_secs(DAY),
            now + Duration::from_secs(CA_YEARS * 365 * DAY),
            Role::Ca,
        )?;
        transactions::insert_certificate(conn, &cert, "", Role::Ca, None, None)?;
        util::write_private(&key_path, &gost.to_pkcs8_der()?)?;
        std::fs::write(&cert_path, cert.to_pem())?;
        let key_id = issue::key_identifier(&spki);
        Ok(Ca {
            name,
            signer,
            cert,
            key_id,
            config,
        })
    }

    /// The root certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.cert
    }

    /// The CA's name.
    pub fn name(&self) -> &Name {
        &self.name
    }

    /// The issuer for certificates and CRLs.
    pub fn issuer(&self) -> Issuer<'_> {
        Issuer {
            name: &self.name,
            signer: &self.signer,
            key_id: Some(&self.key_id),
            profile: Profile::TC26,
        }
    }

    /// How the CA protects its CMP answers: its signature, its certificate in extraCerts.
    pub fn protect(&self) -> Protect<'_> {
        Protect::Signature {
            signer: &self.signer,
            certs: std::slice::from_ref(&self.cert),
            profile: Profile::TC26,
        }
    }
}
