//! Proof of possession for the keys the CA accepts: GOST (tamga-pki) and EC P-256 (for the
//! `openssl cmp` peer, which has no GOST key of its own without the engine).

use der::asn1::ObjectIdentifier;
use p256::ecdsa::signature::Verifier;
use tamga_pki::cmp::{CertReq, CmpError, FailInfo};

const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const PRIME256V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");

/// Whether the requested key is EC P-256.
pub fn is_p256(req: &CertReq) -> bool {
    req.public_key().is_some_and(|k| {
        k.algorithm.oid == EC_PUBLIC_KEY
            && k.algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
                == Some(PRIME256V1)
    })
}

/// Verifies the request's proof of possession with its own key.
pub fn verify(req: &CertReq) -> Result<(), CmpError> {
    if !is_p256(req) {
        return req.verify_gost_pop();
    }
    let bad = |what: &str| CmpError::new(FailInfo::BadPop, what.to_string());
    let pop = req
        .pop_signature()
        .ok_or_else(|| bad("no signature proof of possession"))?;
    if pop.poposk_input.is_some() {
        return Err(bad("poposkInput is not accepted"));
    }
    if pop.algorithm.oid != ECDSA_WITH_SHA256 {
        return Err(CmpError::new(
            FailInfo::BadAlg,
            format!("P-256 proof of possession with {}", pop.algorithm.oid),
        ));
    }
    let spki = req
        .public_key()
        .ok_or_else(|| CmpError::new(FailInfo::BadCertTemplate, "no public key"))?;
    let point = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| bad("public key with unused bits"))?;
    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
        .map_err(|_| CmpError::new(FailInfo::BadCertTemplate, "not a P-256 point"))?;
    let sig_der = pop
        .signature
        .as_bytes()
        .ok_or_else(|| bad("signature with unused bits"))?;
    let sig =
        p256::ecdsa::Signature::from_der(sig_der).map_err(|_| bad("malformed ECDSA signature"))?;
    key.verify(req.pop_signed_bytes(), &sig)
        .map_err(|_| bad("the proof of possession does not verify"))
}
