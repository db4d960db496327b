//! The CRL: every revoked certificate, signed by the CA, made afresh on each request (the
//! sandbox revokes rarely and the list is short); each one is kept in `crls` with its number.

use std::time::Duration;

use der::asn1::{BitString, OctetString};
use der::Encode;
use rusqlite::Connection;
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, CrlNumber};
use x509_cert::ext::Extension;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;
use x509_cert::Version;

use super::{issue, Ca};
use crate::error::BankError;
use crate::util;

const NEXT_UPDATE: Duration = Duration::from_secs(86_400);

fn ext(oid: der::asn1::ObjectIdentifier, value: &impl Encode) -> Result<Extension, BankError> {
    Ok(Extension {
        extn_id: oid,
        critical: false,
        extn_value: OctetString::new(value.to_der()?)?,
    })
}

/// A current CRL (DER).
pub fn current(ca: &Ca, conn: &Connection) -> Result<Vec<u8>, BankError> {
    let mut stmt = conn.prepare(
        "SELECT serial, revoked_at FROM certificates WHERE revoked_at IS NOT NULL ORDER BY serial",
    )?;
    let revoked = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    let number: i64 = conn.query_row("SELECT COALESCE(MAX(number), 0) + 1 FROM crls", [], |r| {
        r.get(0)
    })?;
    let now = util::now();
    let time = |t| Time::try_from(t).map_err(BankError::from);
    let entries = revoked
        .iter()
        .map(|(serial, at)| {
            Ok(RevokedCert {
                serial_number: SerialNumber::<x509_cert::certificate::Rfc5280>::new(
                    &(*serial as u64).to_be_bytes(),
                )?,
                revocation_date: time(util::from_unix(*at))?,
                crl_entry_extensions: None,
            })
        })
        .collect::<Result<Vec<_>, BankError>>()?;
    let issuer = ca.issuer();
    let algorithm = issuer.profile.algorithm_identifier(
        issuer
            .profile
            .signature_oid(issuer.signer.public_key().gost()?.curve())?,
    );
    let tbs = TbsCertList {
        version: Version::V2,
        signature: algorithm.clone(),
        issuer: ca.name().clone(),
        this_update: time(now)?,
        next_update: Some(time(now + NEXT_UPDATE)?),
        revoked_certificates: (!entries.is_empty()).then_some(entries),
        crl_extensions: Some(vec![
            ext(
                tamga_pki::oid::EXT_AUTHORITY_KEY_ID,
                &AuthorityKeyIdentifier {
                    key_identifier: issuer
                        .key_id
                        .map(|k| OctetString::new(k.to_vec()))
                        .transpose()?,
                    authority_cert_issuer: None,
                    authority_cert_serial_number: None,
                },
            )?,
            ext(
                der::asn1::ObjectIdentifier::new_unwrap("2.5.29.20"),
                &CrlNumber(der::asn1::Uint::new(&(number as u64).to_be_bytes())?),
            )?,
        ]),
    };
    let signature = issue::sign(&issuer, &tbs.to_der()?)?;
    let der = CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: algorithm,
        signature: BitString::from_bytes(&signature)?,
    }
    .to_der()?;
    conn.execute(
        "INSERT INTO crls (number, this_update, der) VALUES (?1, ?2, ?3)",
        rusqlite::params![number, util::unix(now), der],
    )?;
    Ok(der)
}
