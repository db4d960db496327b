//! `tamga pfx inspect`: what a PKCS#12 container holds — key algorithms, curves and OID families,
//! certificate subjects, and which certificate belongs to which key. Never key material.

use serde_json::{json, Value};
use tamga_pki::pfx::{BagAttributes, CertEntry};
use tamga_pki::private_key::PrivateKey;
use tamga_pki::Certificate;

use crate::agent::print;
use crate::cli::{GlobalArgs, PfxInspectArgs};
use crate::cmd::cms::family_name;
use crate::error::Result;
use crate::pki_common::{rfc3339, Ui};

pub fn inspect(args: &PfxInspectArgs, g: &GlobalArgs) -> Result<()> {
    let ui = Ui::new(g, &args.output);
    let container = ui.open_pfx(&args.input, args.password_file.as_deref())?;
    let certs: Vec<Option<Certificate>> = container
        .certificates
        .iter()
        .map(|c| Certificate::from_der(&c.der).ok())
        .collect();

    let mut lines = Vec::new();
    let mut keys_json = Vec::new();
    // For each certificate, the number of the key it belongs to.
    let mut owner: Vec<Option<usize>> = vec![None; certs.len()];
    for (i, entry) in container.keys.iter().enumerate() {
        let n = i + 1;
        let matching: Vec<usize> = (0..certs.len())
            .filter(|&c| {
                belongs(
                    &entry.key,
                    &entry.attributes,
                    &container.certificates[c],
                    certs[c].as_ref(),
                )
            })
            .collect();
        for &c in &matching {
            owner[c].get_or_insert(n);
        }
        let mut line = format!("{} {n}: ", ui.pick("Ключ", "Key"));
        let mut key_json = match &entry.key {
            PrivateKey::Gost(k) => {
                let curve = k.curve();
                line += &format!(
                    "{}, {} {curve} ({}), {} {}, {} {}",
                    k.key_algorithm().name,
                    ui.pick("кривая", "curve"),
                    curve.oid(),
                    ui.pick("OID", "OIDs"),
                    family_text(&ui, k.family()),
                    ui.pick("хеш", "hash"),
                    k.hash().name()
                );
                json!({
                    "type": "gost",
                    "algorithm": k.key_algorithm().name,
                    "algorithm_oid": k.key_algorithm().oid.to_string(),
                    "bits": k.key_algorithm().bits,
                    "curve": curve.to_string(),
                    "curve_oid": curve.oid(),
                    "family": family_name(k.family()),
                    "hash": k.hash().name(),
                })
            }
            PrivateKey::Rsa(_) => {
                line += ui.pick("RSA (не ГОСТ)", "RSA (not GOST)");
                json!({ "type": "rsa" })
            }
            PrivateKey::EcP256(_) => {
                line += ui.pick("EC P-256 (не ГОСТ)", "EC P-256 (not GOST)");
                json!({ "type": "ec-p256", "curve": "prime256v1" })
            }
            _ => {
                line += ui.pick("другой алгоритм", "another algorithm");
                json!({ "type": "other" })
            }
        };
        if let Some(name) = &entry.attributes.friendly_name {
            line += &format!(", {} «{name}»", ui.pick("имя", "name"));
            key_json["friendly_name"] = json!(name);
        }
        key_json["certificates"] = json!(matching.iter().map(|c| c + 1).collect::<Vec<_>>());
        keys_json.push(key_json);
        lines.push(line);
    }
    if container.keys.is_empty() {
        lines.push(
            ui.pick("Закрытых ключей нет.", "No private key.")
                .to_owned(),
        );
    }

    let mut certs_json = Vec::new();
    for (i, cert) in certs.iter().enumerate() {
        let n = i + 1;
        let entry = &container.certificates[i];
        let mut line = format!("{} {n}: ", ui.pick("Сертификат", "Certificate"));
        let mut cert_json = match cert {
            Some(c) => {
                line += &format!(
                    "{}; {} {}; {} {} — {}",
                    c.subject(),
                    ui.pick("издатель", "issuer"),
                    c.issuer(),
                    ui.pick("действителен", "valid"),
                    rfc3339(c.not_before()),
                    rfc3339(c.not_after())
                );
                json!({
                    "subject": c.subject(),
                    "issuer": c.issuer(),
                    "not_before": rfc3339(c.not_before()),
                    "not_after": rfc3339(c.not_after()),
                    "key_algorithm": c.public_key().ok().map(|k| k.algorithm.name),
                    "ca": c.is_ca(),
                })
            }
            None => {
                line += ui.pick("(не удалось разобрать)", "(cannot be parsed)");
                json!({ "subject": Value::Null })
            }
        };
        if let Some(k) = owner[i] {
            line += &format!(" [{} {k}]", ui.pick("ключ", "key"));
        }
        cert_json["key"] = json!(owner[i]);
        if let Some(name) = &entry.attributes.friendly_name {
            cert_json["friendly_name"] = json!(name);
        }
        certs_json.push(cert_json);
        lines.push(line);
    }
    print(
        &args.output,
        &lines.join("\n"),
        json!({ "keys": keys_json, "certificates": certs_json }),
    );
    Ok(())
}

/// Whether a certificate is the key's: the same GOST public key, or (for RSA and EC keys, which
/// tamga does not parse) the same localKeyId bag attribute.
fn belongs(
    key: &PrivateKey,
    attrs: &BagAttributes,
    entry: &CertEntry,
    cert: Option<&Certificate>,
) -> bool {
    match (key, cert.and_then(|c| c.public_key().ok())) {
        (PrivateKey::Gost(k), Some(public)) => k.public_key() == public.key,
        (PrivateKey::Gost(_), None) => false,
        _ => attrs.local_key_id.is_some() && attrs.local_key_id == entry.attributes.local_key_id,
    }
}

fn family_text(ui: &Ui<'_>, family: tamga_pki::OidFamily) -> &'static str {
    match family {
        tamga_pki::OidFamily::Tc26 => {
            ui.pick("российские (ТК 26, RFC 9215)", "Russian (TC26, RFC 9215)")
        }
        tamga_pki::OidFamily::Kz => ui.pick("казахстанские (НУЦ РК)", "Kazakh (NCA)"),
        _ => ui.pick("Гамма", "Gamma"),
    }
}
