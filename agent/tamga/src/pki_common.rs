//! What the PKI commands (`cms`, `pfx`, `cert`, `crl`) share: the language and `--json`,
//! failures worded from tamga-pki's errors, reading certificates, CRLs and key containers, and
//! asking for a container's password. Passwords live in zeroizing `Pin`s only and are never
//! logged or printed.

use std::path::Path;
use std::time::SystemTime;

use serde_json::{json, Value};
use tamga_core::{CoreError, Lang, Pin, SecretError};
use tamga_pki::pfx::{Container, Pfx};
use tamga_pki::private_key::{GostKey, Pkcs8File, PrivateKey};
use tamga_pki::{Certificate, Crl, PkiError};

use crate::agent;
use crate::cli::{GlobalArgs, OutputArgs};
use crate::error::{display_path, exit, pki_exit, pki_message, Failure, Result};
use crate::keyfile::{self, read_file};

/// The language and output form of one PKI command.
pub struct Ui<'a> {
    pub lang: Lang,
    pub output: &'a OutputArgs,
}

impl<'a> Ui<'a> {
    pub fn new(g: &GlobalArgs, output: &'a OutputArgs) -> Self {
        Ui {
            lang: agent::lang(g),
            output,
        }
    }

    pub fn pick(&self, ru: &'static str, en: &'static str) -> &'static str {
        self.lang.pick(ru, en, None)
    }

    /// A failure with its code, printed as JSON with `--json` (plus `extra` fields) and returned
    /// for `main` to print and exit with.
    pub fn fail_with(&self, exit: u8, code: &str, message: String, extra: Value) -> Failure {
        log::debug!("failed: {code} (exit {exit})");
        if self.output.json {
            let mut object = json!({
                "ok": false,
                "exit": exit,
                "error": { "code": code, "message": message, "details": Value::Null },
            });
            if let (Value::Object(o), Value::Object(fields)) = (&mut object, extra) {
                o.extend(fields);
            }
            println!("{object}");
        }
        Failure::Agent { exit, message }
    }

    /// A tamga-pki error, with the file it is about.
    pub fn pki(&self, e: &PkiError, path: Option<&Path>) -> Failure {
        let mut message = pki_message(e, self.lang);
        if let Some(p) = path {
            message = format!("{}: {message}", display_path(p));
        }
        if *e == PkiError::WrongPassword {
            message.push_str(self.pick(
                ". Проверьте раскладку клавиатуры и Caps Lock, похожие символы (цифра 1 и буква I, \
                 буква O и цифра 0) и тот ли это ключевой контейнер (не другой организации или \
                 другого пользователя).",
                ". Check the keyboard layout and Caps Lock, look-alike characters (the digit 1 and \
                 the letter I, the letter O and the digit 0), and that this is the right key \
                 container (not another organisation's or user's).",
            ));
        }
        self.fail_with(pki_exit(e), e.code(), message, Value::Null)
    }

    /// A usage or input/output failure (exit 2) with a message in both languages picked here.
    pub fn invalid(&self, code: &str, message: String) -> Failure {
        self.fail_with(exit::USAGE, code, message, Value::Null)
    }

    /// A failure that was already worded (an I/O error from the key-file reader).
    pub fn failure(&self, f: Failure) -> Failure {
        let exit = f.exit_code();
        self.fail_with(exit, "io", f.to_string(), Value::Null)
    }

    /// A failure to get a secret (no source, an unreadable file, cancelled).
    pub fn secret(&self, e: CoreError) -> Failure {
        let message = match &e {
            CoreError::Secret(SecretError::NoSource) => self
                .pick(
                    "Негде спросить пароль: нет терминала и программы pinentry. Укажите --password-file.",
                    "no way to ask for the password: no terminal and no pinentry program; use --password-file",
                )
                .to_owned(),
            other => other.message(self.lang),
        };
        self.fail_with(agent::exit_code(e.class()), e.code(), message, Value::Null)
    }

    /// The whole file.
    pub fn read(&self, path: &Path) -> Result<zeroize::Zeroizing<Vec<u8>>> {
        read_file(path).map_err(|f| self.failure(f))
    }

    /// Every certificate of each file (PEM bundles or single DER certificates).
    pub fn certificates(&self, paths: &[std::path::PathBuf]) -> Result<Vec<Certificate>> {
        let mut all = Vec::new();
        for path in paths {
            let bytes = self.read(path)?;
            all.extend(Certificate::parse_all(&bytes).map_err(|e| self.pki(&e, Some(path)))?);
        }
        Ok(all)
    }

    /// One certificate.
    pub fn certificate(&self, path: &Path) -> Result<Certificate> {
        let bytes = self.read(path)?;
        Certificate::parse(&bytes).map_err(|e| self.pki(&e, Some(path)))
    }

    /// One CRL.
    pub fn crl(&self, path: &Path) -> Result<Crl> {
        let bytes = self.read(path)?;
        Crl::parse(&bytes).map_err(|e| self.pki(&e, Some(path)))
    }

    /// The password of `what` (a file name, shown in the prompt).
    fn password(&self, file: Option<&Path>, what: &Path) -> Result<Pin> {
        let prompt = format!(
            "{} {}",
            self.pick(
                "Пароль ключевого контейнера",
                "Password of the key container"
            ),
            display_path(what)
        );
        crate::secrets::password(file, &prompt, self.lang).map_err(|e| self.secret(e))
    }

    /// Opens a PFX with its password.
    pub fn open_pfx(&self, path: &Path, password_file: Option<&Path>) -> Result<Container> {
        let bytes = self.read(path)?;
        let pfx = Pfx::parse(&bytes).map_err(|e| self.pki(&e, Some(path)))?;
        let password = self.password(password_file, path)?;
        let text = self.utf8(&password)?;
        pfx.open(text).map_err(|e| self.pki(&e, Some(path)))
    }

    fn utf8<'p>(&self, password: &'p Pin) -> Result<&'p str> {
        std::str::from_utf8(password.as_bytes()).map_err(|_| {
            self.invalid(
                "secret.encoding",
                self.pick("Пароль не в кодировке UTF-8", "the password is not UTF-8")
                    .to_owned(),
            )
        })
    }

    /// The GOST key for `cert` from a key file: a PKCS#12 container (opened with its password)
    /// or PKCS#8, plain or encrypted. A key that is not the certificate's is refused here, with
    /// both names, before anything is signed.
    pub fn signing_key(
        &self,
        path: &Path,
        password_file: Option<&Path>,
        cert: &Certificate,
        cert_path: &Path,
    ) -> Result<GostKey> {
        let bytes = self.read(path)?;
        let want = cert
            .public_key()
            .map_err(|e| self.pki(&e, Some(cert_path)))?;
        let mismatch = || {
            self.invalid(
                "pki.key_mismatch",
                format!(
                    "{}: {} {}",
                    display_path(path),
                    self.pick(
                        "ключ не соответствует сертификату",
                        "the key does not belong to the certificate"
                    ),
                    display_path(cert_path)
                ),
            )
        };
        // A PKCS#12 file is known by its structure (version 3), whatever its name.
        let keys: Vec<PrivateKey> = match Pfx::parse(&bytes) {
            Ok(_) => self
                .open_pfx(path, password_file)?
                .keys
                .into_iter()
                .map(|k| k.key)
                .collect(),
            Err(e) if is_pfx_name(path) => return Err(self.pki(&e, Some(path))),
            Err(_) => match Pkcs8File::parse(&bytes).map_err(|e| self.pki(&e, Some(path)))? {
                Pkcs8File::Plain(key) => vec![key],
                encrypted => {
                    let password = self.password(password_file, path)?;
                    let text = self.utf8(&password)?;
                    vec![encrypted
                        .decrypt(text)
                        .map_err(|e| self.pki(&e, Some(path)))?]
                }
            },
        };
        if keys.is_empty() {
            return Err(self.invalid(
                "pki.no_key",
                format!(
                    "{}: {}",
                    display_path(path),
                    self.pick(
                        "в контейнере нет закрытого ключа",
                        "the container holds no private key"
                    )
                ),
            ));
        }
        let mut first_other = None;
        let mut any_gost = false;
        for key in keys {
            match key {
                PrivateKey::Gost(k) if k.public_key() == want.key => return Ok(k),
                PrivateKey::Gost(_) => any_gost = true,
                other => first_other = first_other.or(Some(other)),
            }
        }
        match first_other {
            // Only non-GOST keys: say that rather than "does not match".
            Some(other) if !any_gost => {
                let f = keyfile::not_gost(&other);
                Err(self.invalid("pki.not_gost", format!("{}: {f}", display_path(path))))
            }
            _ => Err(mismatch()),
        }
    }
}

fn is_pfx_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pfx") || e.eq_ignore_ascii_case("p12"))
}

/// A time as RFC 3339 UTC (`2026-11-27T14:24:26Z`).
pub fn rfc3339(t: SystemTime) -> String {
    der::DateTime::from_system_time(t)
        .map(|d| d.to_string())
        .unwrap_or_else(|_| "?".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn rfc3339_dates() {
        let at = |s| rfc3339(SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_795_789_466), "2026-11-27T14:24:26Z");
    }
}
