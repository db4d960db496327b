//! Key pairs: generated with the profile's mechanisms, found by `CKA_ID` every time (a module
//! may invalidate handles on re-login, as SoftHSM2 does), public keys read back in tamga's types.
//!
//! Key slot n is the key pair whose `CKA_ID` is the single byte n.

use cryptoki::object::{Attribute, AttributeType, ObjectClass, ObjectHandle};
use cryptoki::session::Session;
use tamga_gost::{Curve, PublicKey, SigEncoding};
use tamga_token::{EcPoint, GostAlgorithm, KeyPairSpec, KeyRef, TokenError, TokenPublicKey};

use crate::attrs::{self, key_type_of, oid_der, oid_dotted, raw_type, unwrap_octet_string};
use crate::config::{GostSignatureOrder, KeyMechanisms, MechanismMap};
use crate::consts::*;
use crate::error::token_error;
use crate::mechanism::plain;
use crate::module::guarded;

/// `CKA_ID` of key slot n.
pub(crate) fn key_id(key: KeyRef) -> Vec<u8> {
    vec![key.get()]
}

/// The key objects of a slot of one class.
pub(crate) fn find(
    session: &Session,
    class: ObjectClass,
    key: KeyRef,
) -> Result<Vec<ObjectHandle>, TokenError> {
    guarded(|| {
        session
            .find_objects(&[Attribute::Class(class), Attribute::Id(key_id(key))])
            .map_err(token_error)
    })
}

/// Whether any private key is on the token.
pub(crate) fn any_private(session: &Session) -> Result<bool, TokenError> {
    guarded(|| {
        session
            .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY)])
            .map(|v| !v.is_empty())
            .map_err(token_error)
    })
}

/// What a key's type and parameters say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Gost(GostAlgorithm),
    EcP256,
    Rsa,
}

fn gost_mechanisms(map: &MechanismMap, a: GostAlgorithm) -> KeyMechanisms {
    match a {
        GostAlgorithm::Gost2001 => map.gost2001,
        GostAlgorithm::Gost2012_256 => map.gost2012_256,
        GostAlgorithm::Gost2012_512 => map.gost2012_512,
    }
}

/// Generates the pair in slot `key`, replacing what was there.
pub(crate) fn generate(
    session: &Session,
    map: &MechanismMap,
    key: KeyRef,
    spec: KeyPairSpec,
) -> Result<TokenPublicKey, TokenError> {
    let id = key_id(key);
    let label = format!("tamga key {}", key.get()).into_bytes();
    let mut public = vec![
        Attribute::Token(true),
        Attribute::Private(false),
        Attribute::Verify(true),
        Attribute::Id(id.clone()),
        Attribute::Label(label.clone()),
    ];
    let mut private = vec![
        Attribute::Token(true),
        Attribute::Private(true),
        Attribute::Sensitive(true),
        Attribute::Extractable(false),
        Attribute::Sign(true),
        Attribute::Id(id),
        Attribute::Label(label),
    ];
    let mechanisms = match spec {
        KeyPairSpec::Gost(spec) => {
            let m = gost_mechanisms(map, spec.algorithm());
            let hash = match spec.algorithm() {
                GostAlgorithm::Gost2001 => OID_GOST94_CRYPTOPRO,
                GostAlgorithm::Gost2012_256 => OID_STREEBOG_256,
                GostAlgorithm::Gost2012_512 => OID_STREEBOG_512,
            };
            public.push(Attribute::VendorDefined((
                raw_type(CKA_GOSTR3410_PARAMS),
                oid_der(spec.curve().oid()),
            )));
            public.push(Attribute::VendorDefined((
                raw_type(CKA_GOSTR3411_PARAMS),
                oid_der(hash),
            )));
            m
        }
        KeyPairSpec::EcP256 => {
            public.push(Attribute::EcParams(oid_der(OID_P256)));
            map.ec_p256
        }
        KeyPairSpec::Rsa { bits } => {
            if !(2048..=4096).contains(&bits) {
                return Err(TokenError::InvalidArgument(
                    "RSA modulus must be 2048..=4096 bits",
                ));
            }
            public.push(Attribute::ModulusBits(u64::from(bits).into()));
            public.push(Attribute::PublicExponent(vec![1, 0, 1]));
            map.rsa
        }
    };
    let key_type = key_type_of(mechanisms.key_type)?;
    public.push(Attribute::KeyType(key_type));
    private.push(Attribute::KeyType(key_type));
    for class in [ObjectClass::PRIVATE_KEY, ObjectClass::PUBLIC_KEY] {
        for old in find(session, class, key)? {
            guarded(|| session.destroy_object(old).map_err(token_error))?;
        }
    }
    let (public_handle, _) = guarded(|| {
        session
            .generate_key_pair(&plain(mechanisms.generate), &public, &private)
            .map_err(token_error)
    })?;
    read_public(session, map, public_handle)
}

/// The public key of slot `key`, if any.
pub(crate) fn public(
    session: &Session,
    map: &MechanismMap,
    key: KeyRef,
) -> Result<Option<TokenPublicKey>, TokenError> {
    match find(session, ObjectClass::PUBLIC_KEY, key)?.last() {
        Some(&h) => read_public(session, map, h).map(Some),
        None => Ok(None),
    }
}

fn kind(session: &Session, map: &MechanismMap, object: ObjectHandle) -> Result<Kind, TokenError> {
    let t = attrs::key_type(session, object)?;
    if t == map.ec_p256.key_type {
        return Ok(Kind::EcP256);
    }
    if t == map.rsa.key_type {
        return Ok(Kind::Rsa);
    }
    if t == map.gost2012_512.key_type && t != map.gost2012_256.key_type {
        return Ok(Kind::Gost(GostAlgorithm::Gost2012_512));
    }
    if t == map.gost2012_256.key_type || t == map.gost2001.key_type {
        // One key type for 2001 and 2012-256 (and, in some modules, 512): the hash parameter
        // tells them apart.
        let hash = attrs::bytes(session, object, raw_type(CKA_GOSTR3411_PARAMS))?
            .and_then(|d| oid_dotted(&d));
        return Ok(Kind::Gost(match hash.as_deref() {
            Some(OID_GOST94_CRYPTOPRO) => GostAlgorithm::Gost2001,
            Some(OID_STREEBOG_512) => GostAlgorithm::Gost2012_512,
            _ => GostAlgorithm::Gost2012_256,
        }));
    }
    Err(TokenError::UnsupportedAlgorithm)
}

fn read_public(
    session: &Session,
    map: &MechanismMap,
    object: ObjectHandle,
) -> Result<TokenPublicKey, TokenError> {
    match kind(session, map, object)? {
        Kind::Gost(_) => {
            let params = attrs::bytes(session, object, raw_type(CKA_GOSTR3410_PARAMS))?.ok_or(
                TokenError::Protocol("the GOST key has no CKA_GOSTR3410_PARAMS"),
            )?;
            let curve = oid_dotted(&params)
                .and_then(|o| Curve::from_oid(&o).ok())
                .ok_or(TokenError::Protocol("the GOST key's curve is unknown"))?;
            let value = attrs::bytes(session, object, AttributeType::Value)?
                .ok_or(TokenError::Protocol("the GOST public key has no CKA_VALUE"))?;
            let xy = unwrap_octet_string(&value, 2 * curve.scalar_len());
            PublicKey::from_bytes(curve, xy)
                .map(TokenPublicKey::Gost)
                .map_err(|_| TokenError::Protocol("the GOST public key is not on its curve"))
        }
        Kind::EcP256 => {
            let point = attrs::bytes(session, object, AttributeType::EcPoint)?.ok_or(
                TokenError::Protocol("the EC public key has no CKA_EC_POINT"),
            )?;
            EcPoint::from_sec1(unwrap_octet_string(&point, 65)).map(TokenPublicKey::EcP256)
        }
        Kind::Rsa => {
            let modulus = attrs::bytes(session, object, AttributeType::Modulus)?
                .ok_or(TokenError::Protocol("the RSA key has no CKA_MODULUS"))?;
            let exponent = attrs::bytes(session, object, AttributeType::PublicExponent)?.ok_or(
                TokenError::Protocol("the RSA key has no CKA_PUBLIC_EXPONENT"),
            )?;
            Ok(TokenPublicKey::Rsa {
                modulus: strip_zeros(modulus),
                exponent: strip_zeros(exponent),
            })
        }
    }
}

fn strip_zeros(mut v: Vec<u8>) -> Vec<u8> {
    let zeros = v.iter().take_while(|b| **b == 0).count();
    v.drain(..zeros);
    v
}

/// Signs `digest` with slot `key`: GOST `s ‖ r`, ECDSA `r ‖ s`, RSA PKCS#1 v1.5.
pub(crate) fn sign(
    session: &Session,
    map: &MechanismMap,
    order: GostSignatureOrder,
    key: KeyRef,
    digest: &[u8],
) -> Result<Vec<u8>, TokenError> {
    let private = *find(session, ObjectClass::PRIVATE_KEY, key)?
        .last()
        .ok_or(TokenError::KeyNotFound(key))?;
    let kind = kind(session, map, private)?;
    let public = public(session, map, key)?;
    let (mechanism, input, sig_len) = match kind {
        Kind::Gost(a) => {
            let len = match (&public, a) {
                (Some(TokenPublicKey::Gost(pk)), _) => pk.curve().digest_len(),
                (_, GostAlgorithm::Gost2012_512) => 64,
                _ => 32,
            };
            (
                gost_mechanisms(map, a).sign,
                digest_of(digest, len)?,
                2 * len,
            )
        }
        Kind::EcP256 => (map.ec_p256.sign, digest_of(digest, 32)?, 64),
        Kind::Rsa => {
            let mut info = SHA256_DIGEST_INFO.to_vec();
            info.extend_from_slice(digest_of(digest, 32)?);
            let len = match &public {
                Some(TokenPublicKey::Rsa { modulus, .. }) => modulus.len(),
                _ => 0,
            };
            return rsa_sign(session, map, private, &info, len);
        }
    };
    let mut sig = guarded(|| {
        session
            .sign(&plain(mechanism), private, input)
            .map_err(token_error)
    })?;
    if sig.len() != sig_len {
        return Err(TokenError::Protocol(
            "the PKCS#11 module's signature has the wrong length",
        ));
    }
    if let Kind::Gost(_) = kind {
        if order == GostSignatureOrder::Reversed {
            sig.reverse();
        }
        // As the KAZTOKEN driver does: a signature that does not verify never leaves.
        if let Some(TokenPublicKey::Gost(pk)) = &public {
            pk.verify_digest(digest, &sig, SigEncoding::Rfc9215).map_err(|_| {
                TokenError::Protocol(
                    "the module's GOST signature does not verify (check gost_signature in the profile)",
                )
            })?;
        }
    }
    Ok(sig)
}

fn digest_of(digest: &[u8], len: usize) -> Result<&[u8], TokenError> {
    if digest.len() == len {
        Ok(digest)
    } else {
        Err(TokenError::InvalidArgument(
            "digest length does not match the key",
        ))
    }
}

fn rsa_sign(
    session: &Session,
    map: &MechanismMap,
    private: ObjectHandle,
    input: &[u8],
    modulus_len: usize,
) -> Result<Vec<u8>, TokenError> {
    let sig = guarded(|| {
        session
            .sign(&plain(map.rsa.sign), private, input)
            .map_err(token_error)
    })?;
    if modulus_len != 0 && sig.len() != modulus_len {
        return Err(TokenError::Protocol(
            "the PKCS#11 module's signature has the wrong length",
        ));
    }
    Ok(sig)
}
