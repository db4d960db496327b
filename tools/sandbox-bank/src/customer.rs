//! `add-customer`: what a bank branch hands a new customer — the user ID, the OTP PIN (on the
//! OTP card) and `GOST.pfx` with an init key and its certificate, opened with the OTP PIN.

use std::path::PathBuf;
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};
use tamga_gost::{Curve, SecretKey};
use tamga_pki::name::parse_name;
use tamga_pki::private_key::GostKey;
use tamga_pki::{Certificate, OidFamily, PkiError, Profile};
use zeroize::Zeroizing;

use crate::bank::Inner;
use crate::ca::issue::{self, Role};
use crate::ca::transactions;
use crate::error::BankError;
use crate::util;

/// PBKDF2 iterations of the PFX (OpenSSL's default).
const PFX_ITERATIONS: u32 = 2048;
const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
const DIGITS: &[u8] = b"0123456789";
const PIN_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const AMBIGUOUS: &[u8] = b"IO10";

/// The init key's parameter set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InitCurve {
    /// GOST R 34.10-2012 256-bit, tc26-256-A.
    #[default]
    Tc26A,
    /// GOST R 34.10-2012 256-bit on CryptoPro-A.
    CryptoProA,
}

impl InitCurve {
    /// The curve.
    pub fn curve(self) -> Curve {
        match self {
            InitCurve::Tc26A => Curve::Tc26_256A,
            InitCurve::CryptoProA => Curve::CryptoProA,
        }
    }

    /// Parses `tc26-256-a` or `cryptopro-a`.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "tc26-256-a" | "tc26a" => Ok(InitCurve::Tc26A),
            "cryptopro-a" | "cryptoproa" => Ok(InitCurve::CryptoProA),
            _ => Err(format!(
                "unknown init key curve `{s}` (tc26-256-a or cryptopro-a)"
            )),
        }
    }
}

/// How to make a customer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerOptions {
    /// A user ID to use instead of a random one (must have the guide's shape).
    pub user_id: Option<String>,
    /// The init key's curve.
    pub curve: InitCurve,
    /// The init certificate's term in days (default 365).
    pub term_days: Option<u64>,
    /// `Some(true)`: the OTP PIN contains at least one of I, O, 1, 0; `Some(false)`: none of
    /// them; `None`: whatever the draw gives.
    pub ambiguous_pin: Option<bool>,
}

/// What `add-customer` wrote.
pub struct CustomerFiles {
    /// The user ID (`qq111111_qwertyui`).
    pub user_id: String,
    /// The OTP PIN, for in-process callers (`tamga demo`); never printed or logged.
    pub otp_pin: Zeroizing<String>,
    /// The customer's folder.
    pub dir: PathBuf,
    /// `GOST.pfx`.
    pub pfx_path: PathBuf,
    /// `otp-pin.txt` (mode 0600).
    pub otp_pin_path: PathBuf,
    /// `init-cert.pem`.
    pub init_cert_path: PathBuf,
    /// The init certificate.
    pub init_cert: Certificate,
}

impl core::fmt::Debug for CustomerFiles {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CustomerFiles")
            .field("user_id", &self.user_id)
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

fn pick(alphabet: &[u8], n: usize) -> String {
    // 256 is not a multiple of 26 or 36: draw until the byte falls in the unbiased range.
    let limit = 256 - 256 % alphabet.len();
    let mut out = String::with_capacity(n);
    while out.len() < n {
        for b in util::random(n * 2) {
            if (b as usize) < limit && out.len() < n {
                out.push(alphabet[b as usize % alphabet.len()] as char);
            }
        }
    }
    out
}

/// A user ID of the guide's shape: 2 lower-case letters, 6 digits, `_`, 8 lower-case letters.
pub fn new_user_id() -> String {
    format!("{}{}_{}", pick(LOWER, 2), pick(DIGITS, 6), pick(LOWER, 8))
}

/// Whether `s` has the guide's user ID shape.
pub fn is_user_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 17
        && b[..2].iter().all(u8::is_ascii_lowercase)
        && b[2..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'_'
        && b[9..].iter().all(u8::is_ascii_lowercase)
}

/// An 11-character upper-case OTP PIN.
pub fn new_otp_pin(ambiguous: Option<bool>) -> Zeroizing<String> {
    loop {
        let pin = Zeroizing::new(pick(PIN_ALPHABET, 11));
        let has = pin.bytes().any(|c| AMBIGUOUS.contains(&c));
        match ambiguous {
            Some(want) if want != has => continue,
            _ => return pin,
        }
    }
}

/// The OTP PIN of a customer (the CA's PBM secret).
pub fn otp_pin(conn: &Connection, user_id: &str) -> Result<Option<Zeroizing<String>>, BankError> {
    Ok(conn
        .query_row(
            "SELECT otp_pin FROM customers WHERE user_id = ?1",
            [user_id],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .map(Zeroizing::new))
}

/// Makes a customer: database rows, the init certificate, and the files.
pub fn add(inner: &Inner, opts: &CustomerOptions) -> Result<CustomerFiles, BankError> {
    let user_id = match &opts.user_id {
        Some(u) if is_user_id(u) => u.clone(),
        Some(u) => {
            return Err(BankError::Config(format!(
                "`{u}` is not a user ID of the shape qq111111_qwertyui"
            )))
        }
        None => new_user_id(),
    };
    let otp_pin = new_otp_pin(opts.ambiguous_pin);
    let secret = SecretKey::generate(opts.curve.curve())
        .map_err(|e| BankError::Config(format!("generating the init key: {e}")))?;
    let key = GostKey::new(secret, OidFamily::Tc26)?;
    let spki = tamga_pki::public_key::spki_for(&key.public_key(), &Profile::TC26)?;
    let subject = parse_name(&format!("CN={user_id}"))?;
    let term = Duration::from_secs(opts.term_days.unwrap_or(365).clamp(1, 3660) * 86_400);

    let cert = {
        let conn = inner.db.lock();
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let made = (|| -> Result<Certificate, BankError> {
            let exists: Option<i64> = conn
                .query_row(
                    "SELECT 1 FROM customers WHERE user_id = ?1",
                    [&user_id],
                    |r| r.get(0),
                )
                .optional()?;
            if exists.is_some() {
                return Err(BankError::Config(format!(
                    "customer {user_id} exists already"
                )));
            }
            let serial = transactions::next_serial(&conn)?;
            let now = util::now();
            let cert = issue::issue(
                &inner.ca.issuer(),
                serial,
                &subject,
                &spki,
                now,
                now + term,
                Role::Init,
            )?;
            transactions::insert_certificate(&conn, &cert, &user_id, Role::Init, None, None)?;
            conn.execute(
                "INSERT INTO customers (user_id, otp_pin, init_curve, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![user_id, otp_pin.as_str(), opts.curve.curve().to_string(), util::unix(now)],
            )?;
            Ok(cert)
        })();
        match made {
            Ok(c) => {
                conn.execute_batch("COMMIT")?;
                c
            }
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        }
    };

    let dir = inner.workdir.join("customers").join(&user_id);
    std::fs::create_dir_all(&dir)?;
    let mut rng = |buf: &mut [u8]| -> Result<(), PkiError> {
        getrandom::fill(buf).map_err(|e| PkiError::Signer(e.to_string()))
    };
    let pfx = tamga_pki::pfx::write_gost_pfx(
        &key,
        &[cert.to_der(), inner.ca.certificate().to_der()],
        &otp_pin,
        Some(&user_id),
        PFX_ITERATIONS,
        &mut rng,
    )?;
    let pfx_path = dir.join("GOST.pfx");
    let otp_pin_path = dir.join("otp-pin.txt");
    let init_cert_path = dir.join("init-cert.pem");
    util::write_private(&pfx_path, &pfx)?;
    util::write_private(&otp_pin_path, format!("{}\n", otp_pin.as_str()).as_bytes())?;
    std::fs::write(&init_cert_path, cert.to_pem())?;
    log::info!("customer {user_id} added: {}", dir.display());
    Ok(CustomerFiles {
        user_id,
        otp_pin,
        dir,
        pfx_path,
        otp_pin_path,
        init_cert_path,
        init_cert: cert,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        for _ in 0..50 {
            assert!(is_user_id(&new_user_id()));
            let pin = new_otp_pin(None);
            assert_eq!(pin.len(), 11);
            assert!(pin
                .bytes()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
            assert!(new_otp_pin(Some(true))
                .bytes()
                .any(|c| AMBIGUOUS.contains(&c)));
            assert!(!new_otp_pin(Some(false))
                .bytes()
                .any(|c| AMBIGUOUS.contains(&c)));
        }
        assert!(!is_user_id("QQ111111_qwertyui"));
        assert!(!is_user_id("qq111111qwertyuii"));
    }
}
