//! Attribute values as PKCS#11 lays them out (CK_BBOOL one byte, CK_ULONG native), and the
//! attributes of each kind of object.

use cryptoki_sys::*;
use der::{Decode, Encode};
use tamga_gost::{Curve, PublicKey};
use tamga_pkcs11::consts::{
    APPLICATION, CKK_GOSTR3410_512, CKM_GOSTR3410_512_KEY_PAIR_GEN, LABEL_PREFIX, OID_STREEBOG_256,
    OID_STREEBOG_512,
};
use tamga_token::ObjectId;

/// One attribute of an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AttrValue {
    /// Readable bytes.
    Bytes(Vec<u8>),
    /// Present but never revealed (a private key's value).
    Sensitive,
}

pub(crate) type Attrs = Vec<(CK_ATTRIBUTE_TYPE, AttrValue)>;

fn ulong(v: CK_ULONG) -> AttrValue {
    AttrValue::Bytes(v.to_ne_bytes().to_vec())
}

fn boolean(v: bool) -> AttrValue {
    AttrValue::Bytes(vec![u8::from(v)])
}

fn bytes(v: impl Into<Vec<u8>>) -> AttrValue {
    AttrValue::Bytes(v.into())
}

fn oid(dotted: &str) -> Vec<u8> {
    der::asn1::ObjectIdentifier::new(dotted)
        .ok()
        .and_then(|o| o.to_der().ok())
        .unwrap_or_default()
}

/// Key type and the two GOST parameters of a curve. A token key does not say whether it is a
/// 2001 or a 2012-256 key (the same curves serve both); tamga's keys are 2012, so Streebog.
fn gost_params(curve: Curve) -> (CK_KEY_TYPE, Vec<u8>, Vec<u8>) {
    let (key_type, hash) = if curve.bits() == 512 {
        (CKK_GOSTR3410_512, OID_STREEBOG_512)
    } else {
        (CKK_GOSTR3410, OID_STREEBOG_256)
    };
    (key_type, oid(curve.oid()), oid(hash))
}

/// The attributes shared by both halves of key pair n.
fn key_common(n: u8, pk: &PublicKey, class: CK_OBJECT_CLASS, private: bool) -> Attrs {
    let (key_type, params, hash) = gost_params(pk.curve());
    let generation = if key_type == CKK_GOSTR3410_512 {
        CKM_GOSTR3410_512_KEY_PAIR_GEN
    } else {
        CKM_GOSTR3410_KEY_PAIR_GEN
    };
    vec![
        (CKA_CLASS, ulong(class)),
        (CKA_KEY_TYPE, ulong(key_type)),
        (CKA_ID, bytes([n])),
        (CKA_LABEL, bytes(format!("tamga key {n}"))),
        (CKA_TOKEN, boolean(true)),
        (CKA_PRIVATE, boolean(private)),
        (CKA_MODIFIABLE, boolean(false)),
        (CKA_LOCAL, boolean(true)),
        (CKA_KEY_GEN_MECHANISM, ulong(generation)),
        (CKA_DERIVE, boolean(false)),
        (CKA_GOSTR3410_PARAMS, bytes(params)),
        (CKA_GOSTR3411_PARAMS, bytes(hash)),
    ]
}

/// Key pair n's private half.
pub(super) fn private_key(n: u8, pk: &PublicKey) -> Attrs {
    let mut a = key_common(n, pk, CKO_PRIVATE_KEY, true);
    a.extend([
        (CKA_SIGN, boolean(true)),
        (CKA_DECRYPT, boolean(false)),
        (CKA_UNWRAP, boolean(false)),
        (CKA_SIGN_RECOVER, boolean(false)),
        (CKA_SENSITIVE, boolean(true)),
        (CKA_ALWAYS_SENSITIVE, boolean(true)),
        (CKA_EXTRACTABLE, boolean(false)),
        (CKA_NEVER_EXTRACTABLE, boolean(true)),
        (CKA_ALWAYS_AUTHENTICATE, boolean(false)),
        (CKA_VALUE, AttrValue::Sensitive),
    ]);
    a
}

/// Key pair n's public half: `CKA_VALUE` is X ‖ Y little-endian, as PKCS#11 defines it for GOST.
pub(super) fn public_key(n: u8, pk: &PublicKey) -> Attrs {
    let mut a = key_common(n, pk, CKO_PUBLIC_KEY, false);
    a.extend([
        (CKA_VERIFY, boolean(true)),
        (CKA_ENCRYPT, boolean(false)),
        (CKA_WRAP, boolean(false)),
        (CKA_VERIFY_RECOVER, boolean(false)),
        (CKA_VALUE, bytes(pk.to_bytes())),
    ]);
    a
}

/// A data object.
pub(super) fn data_object(id: ObjectId, content: &[u8]) -> Attrs {
    vec![
        (CKA_CLASS, ulong(CKO_DATA)),
        (CKA_TOKEN, boolean(true)),
        (CKA_PRIVATE, boolean(false)),
        (CKA_MODIFIABLE, boolean(true)),
        (CKA_LABEL, bytes(label(id))),
        (CKA_APPLICATION, bytes(APPLICATION)),
        (CKA_OBJECT_ID, bytes(Vec::new())),
        (CKA_VALUE, bytes(content)),
    ]
}

/// The certificate view of a data object holding a DER X.509 certificate; `key_id` is the
/// `CKA_ID` of the key pair whose public key it certifies, so applications pair them.
pub(super) fn certificate(id: ObjectId, content: &[u8], key_id: Option<u8>) -> Option<Attrs> {
    let cert = x509_cert::Certificate::from_der(content).ok()?;
    let tbs = cert.tbs_certificate();
    let ck_id = key_id.map_or_else(|| id.get().to_be_bytes().to_vec(), |n| vec![n]);
    Some(vec![
        (CKA_CLASS, ulong(CKO_CERTIFICATE)),
        (CKA_CERTIFICATE_TYPE, ulong(CKC_X_509)),
        (CKA_TOKEN, boolean(true)),
        (CKA_PRIVATE, boolean(false)),
        (CKA_MODIFIABLE, boolean(true)),
        (CKA_TRUSTED, boolean(false)),
        (CKA_CERTIFICATE_CATEGORY, ulong(0)),
        (CKA_LABEL, bytes(label(id))),
        (CKA_ID, bytes(ck_id)),
        (CKA_SUBJECT, bytes(tbs.subject().to_der().ok()?)),
        (CKA_ISSUER, bytes(tbs.issuer().to_der().ok()?)),
        (CKA_SERIAL_NUMBER, bytes(tbs.serial_number().to_der().ok()?)),
        (CKA_VALUE, bytes(content)),
    ])
}

/// The certificate's public key bytes, to find its key pair: a GOST key is an OCTET STRING of
/// X ‖ Y inside the BIT STRING.
pub(super) fn certified_key(content: &[u8]) -> Option<Vec<u8>> {
    let cert = x509_cert::Certificate::from_der(content).ok()?;
    let bits = cert
        .tbs_certificate()
        .subject_public_key_info()
        .subject_public_key
        .raw_bytes();
    let inner = der::asn1::OctetString::from_der(bits).ok()?;
    Some(inner.as_bytes().to_vec())
}

/// `tamga:XXXX`.
pub(super) fn label(id: ObjectId) -> Vec<u8> {
    format!("{LABEL_PREFIX}{:04X}", id.get()).into_bytes()
}

/// The object ID a label names, if it is tamga's form.
pub(super) fn parse_label(label: &[u8]) -> Option<ObjectId> {
    let hex = std::str::from_utf8(label)
        .ok()?
        .strip_prefix(LABEL_PREFIX)?;
    (hex.len() == 4)
        .then(|| u16::from_str_radix(hex, 16).ok())
        .flatten()
        .and_then(|v| ObjectId::new(v).ok())
}

/// Whether an object matches a search template.
pub(super) fn matches(attrs: &Attrs, template: &[(CK_ATTRIBUTE_TYPE, Vec<u8>)]) -> bool {
    template.iter().all(|(t, v)| {
        attrs
            .iter()
            .any(|(a, value)| a == t && *value == AttrValue::Bytes(v.clone()))
    })
}

/// A template's value of one attribute.
pub(super) fn find(
    template: &[(CK_ATTRIBUTE_TYPE, Vec<u8>)],
    t: CK_ATTRIBUTE_TYPE,
) -> Option<&[u8]> {
    template
        .iter()
        .find(|(a, _)| *a == t)
        .map(|(_, v)| v.as_slice())
}

/// A CK_ULONG from a template value.
pub(super) fn as_ulong(v: &[u8]) -> Option<CK_ULONG> {
    Some(CK_ULONG::from_ne_bytes(v.try_into().ok()?))
}
