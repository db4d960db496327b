//! The bank as a library: open a workdir, add customers, serve on a socket — what the
//! `sandbox-bank` binary and `tamga demo` (in-process, on a thread) both use.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tamga_pki::Certificate;

use crate::ca::{Ca, CaConfig};
use crate::customer::{self, CustomerFiles, CustomerOptions};
use crate::db::Db;
use crate::error::BankError;
use crate::faults::{FaultSpec, Faults};
use crate::http::server::{self, RunningServer};

/// Everything a request handler needs.
pub struct Inner {
    /// The database.
    pub db: Db,
    /// The CA.
    pub ca: Ca,
    /// Fault switches.
    pub faults: Faults,
    /// The working directory.
    pub workdir: PathBuf,
}

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Where to listen (`127.0.0.1:0` picks a free port).
    pub addr: SocketAddr,
    /// Plain HTTP instead of HTTPS (for the `openssl cmp` peer test).
    pub plain_http: bool,
    /// Enable `/_test/faults` and `/_test/state`.
    pub test_endpoints: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            plain_http: false,
            test_endpoints: false,
        }
    }
}

/// The sandbox bank over one working directory. Cheap to clone; every clone is the same bank.
#[derive(Clone)]
pub struct Bank {
    inner: Arc<Inner>,
}

impl core::fmt::Debug for Bank {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Bank")
            .field("workdir", &self.inner.workdir)
            .finish_non_exhaustive()
    }
}

/// Counts for the resume tests (`GET /_test/state`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct TestState {
    /// Certificates issued over CMP per user (not revoked), by user ID.
    pub issued: std::collections::BTreeMap<String, u64>,
    /// Certificates issued over CMP, revoked ones included.
    pub issued_total: u64,
    /// Active IB registrations.
    pub active_registrations: u64,
    /// Accepted payments.
    pub payments: u64,
    /// CMP transactions by state.
    pub transactions: std::collections::BTreeMap<String, u64>,
}

impl Bank {
    /// Opens (creating) the bank in `workdir`: `bank.sqlite`, `ca/`, later `tls/` and
    /// `customers/`.
    pub fn open(workdir: &Path) -> Result<Bank, BankError> {
        Self::open_with(workdir, CaConfig::default())
    }

    /// Like [`Bank::open`] with CA policy knobs.
    pub fn open_with(workdir: &Path, config: CaConfig) -> Result<Bank, BankError> {
        std::fs::create_dir_all(workdir)?;
        let db = Db::open(&workdir.join("bank.sqlite"))?;
        let ca = {
            let conn = db.lock();
            Ca::load_or_create(workdir, &conn, config)?
        };
        Ok(Bank {
            inner: Arc::new(Inner {
                db,
                ca,
                faults: Faults::default(),
                workdir: workdir.to_path_buf(),
            }),
        })
    }

    /// Adds a customer (user ID, OTP PIN, `GOST.pfx`), as a bank branch does.
    pub fn add_customer(&self, opts: &CustomerOptions) -> Result<CustomerFiles, BankError> {
        customer::add(&self.inner, opts)
    }

    /// Starts serving on a background thread; stop it with [`RunningServer::stop`].
    pub fn serve(&self, opts: &ServeOptions) -> Result<RunningServer, BankError> {
        server::start(self.inner.clone(), opts)
    }

    /// The CA certificate (what clients pin).
    pub fn ca_certificate(&self) -> &Certificate {
        self.inner.ca.certificate()
    }

    /// `<workdir>/ca/ca-cert.pem`.
    pub fn ca_certificate_path(&self) -> PathBuf {
        self.inner.workdir.join("ca").join("ca-cert.pem")
    }

    /// The working directory.
    pub fn workdir(&self) -> &Path {
        &self.inner.workdir
    }

    /// Sets the fault switches (replacing the previous ones).
    pub fn set_faults(&self, spec: FaultSpec) {
        self.inner.faults.set(spec);
    }

    /// Answers one CMP request in-process (DER in, DER out), as `POST /cmp` does.
    pub fn handle_cmp(&self, der: &[u8]) -> Option<Vec<u8>> {
        crate::ca::cmp_server::handle(&self.inner, der)
    }

    /// A current CRL (DER).
    pub fn crl(&self) -> Result<Vec<u8>, BankError> {
        let conn = self.inner.db.lock();
        crate::ca::crl::current(&self.inner.ca, &conn)
    }

    /// Revokes a certificate the CA issued (reason: RFC 5280 code).
    pub fn revoke(&self, cert: &Certificate, reason: i64) -> Result<(), BankError> {
        let conn = self.inner.db.lock();
        crate::ca::transactions::revoke(&conn, crate::ca::transactions::serial_of(cert), reason)
    }

    /// The counts of `/_test/state`.
    pub fn state(&self) -> Result<TestState, BankError> {
        state_of(&self.inner)
    }
}

/// The counts of `/_test/state`.
pub fn state_of(inner: &Inner) -> Result<TestState, BankError> {
    {
        let conn = inner.db.lock();
        let mut s = TestState::default();
        let mut stmt = conn.prepare(
            "SELECT user_id, COUNT(*) FROM certificates
             WHERE role IN ('sign','auth') AND revoked_at IS NULL GROUP BY user_id",
        )?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (u, n) = row?;
            s.issued.insert(u, n as u64);
        }
        s.issued_total = conn.query_row(
            "SELECT COUNT(*) FROM certificates WHERE role IN ('sign','auth')",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64;
        s.active_registrations = conn.query_row(
            "SELECT COUNT(*) FROM registrations WHERE active = 1",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64;
        s.payments =
            conn.query_row("SELECT COUNT(*) FROM payments", [], |r| r.get::<_, i64>(0))? as u64;
        let mut stmt = conn.prepare("SELECT state, COUNT(*) FROM transactions GROUP BY state")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (st, n) = row?;
            s.transactions.insert(st, n as u64);
        }
        Ok(s)
    }
}
