//! Key pairs: generated with the profile's mechanisms, found by `CKA_ID` every time (a module
//! may invalidate handles on re-login, as SoftHSM2 does), public keys read back in tamga's types.
//!
//! Key slot n is the key pair whose `CKA_ID` is the single byte n.

use cryptoki::error::{Error, RvError};
use cryptoki::object::{Attribute, AttributeInfo, AttributeType, ObjectClass, ObjectHandle};
use cryptoki::session::Session;
use cryptoki_sys::CKA_KEY_TYPE;
use tamga_gost::{Curve, PublicKey, SigEncoding, ALL_CURVES};
use tamga_token::{EcPoint, GostAlgorithm, KeyPairSpec, KeyRef, TokenError, TokenPublicKey};

use crate::attrs::{self, oid_der, raw_type, unwrap_octet_string};
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
    // Written as a raw attribute: cryptoki names only some key type numbers.
    let key_type = mechanisms.key_type.to_ne_bytes().to_vec();
    public.push(Attribute::VendorDefined((
        raw_type(CKA_KEY_TYPE),
        key_type.clone(),
    )));
    private.push(Attribute::VendorDefined((raw_type(CKA_KEY_TYPE), key_type)));
    // A token that cannot delete keys (the KAZTOKEN, also behind tamga's own module) refuses with
    // CKR_ACTION_PROHIBITED and replaces the slot's pair when generating into it, as the card
    // does; an enrollment resumed after its keys were generated depends on that. Whether the
    // module really replaced the pair is checked after the generation.
    let mut kept = false;
    for class in [ObjectClass::PRIVATE_KEY, ObjectClass::PUBLIC_KEY] {
        for old in find(session, class, key)? {
            match guarded(|| Ok(session.destroy_object(old)))? {
                Ok(()) => {}
                Err(Error::Pkcs11(RvError::ActionProhibited, _)) => kept = true,
                Err(e) => return Err(token_error(e)),
            }
        }
    }
    let (public_handle, private_handle) = guarded(|| {
        session
            .generate_key_pair(&plain(mechanisms.generate), &public, &private)
            .map_err(token_error)
    })?;
    if kept
        && (find(session, ObjectClass::PUBLIC_KEY, key)? != [public_handle]
            || find(session, ObjectClass::PRIVATE_KEY, key)? != [private_handle])
    {
        return Err(TokenError::Protocol(
            "the PKCS#11 module can neither delete a key slot's old pair nor replace it",
        ));
    }
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

/// What a public key object holds, told by which value attribute it has: cryptoki 0.12 cannot
/// read the GOST attributes (`CKA_GOSTR3410_PARAMS`, key type 0x30) — it fails on numbers it
/// cannot name — but it can ask whether an attribute exists.
fn public_kind(session: &Session, object: ObjectHandle) -> Result<Option<Kind>, TokenError> {
    let probe = [
        AttributeType::EcPoint,
        AttributeType::Modulus,
        AttributeType::Value,
    ];
    let info = guarded(|| {
        session
            .get_attribute_info(object, &probe)
            .map_err(token_error)
    })?;
    let has = |i: usize| matches!(info.get(i), Some(AttributeInfo::Available(_)));
    Ok(if has(0) {
        Some(Kind::EcP256)
    } else if has(1) {
        Some(Kind::Rsa)
    } else if has(2) {
        Some(Kind::Gost(GostAlgorithm::Gost2012_256))
    } else {
        None
    })
}

/// The curve of a GOST public key value: the one of its size the point lies on. Curves that
/// share an equation (CryptoPro-A and XchA) are the same curve for every purpose here.
fn curve_of(xy: &[u8]) -> Option<(Curve, PublicKey)> {
    ALL_CURVES
        .iter()
        .filter(|c| {
            2 * c.scalar_len() == xy.len() && !matches!(c, Curve::Test2001 | Curve::Test512)
        })
        .find_map(|&c| PublicKey::from_bytes(c, xy).ok().map(|pk| (c, pk)))
}

fn read_public(
    session: &Session,
    _map: &MechanismMap,
    object: ObjectHandle,
) -> Result<TokenPublicKey, TokenError> {
    match public_kind(session, object)?.ok_or(TokenError::UnsupportedAlgorithm)? {
        Kind::Gost(_) => {
            let value = attrs::bytes(session, object, AttributeType::Value)?
                .ok_or(TokenError::Protocol("the GOST public key has no CKA_VALUE"))?;
            let xy = [64, 128]
                .into_iter()
                .map(|n| unwrap_octet_string(&value, n))
                .find(|v| v.len() == 64 || v.len() == 128)
                .ok_or(TokenError::Protocol(
                    "the GOST public key has the wrong length",
                ))?;
            curve_of(xy)
                .map(|(_, pk)| TokenPublicKey::Gost(pk))
                .ok_or(TokenError::Protocol(
                    "the GOST public key is on no known curve",
                ))
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

/// The algorithm of slot `key`: from its public key, or from the private key's type when the
/// token keeps no public object (a type cryptoki cannot read is taken for GOST).
fn kind(
    session: &Session,
    map: &MechanismMap,
    private: ObjectHandle,
    public: Option<&TokenPublicKey>,
) -> Result<Kind, TokenError> {
    match public {
        Some(TokenPublicKey::Gost(pk)) if pk.curve().bits() == 512 => {
            Ok(Kind::Gost(GostAlgorithm::Gost2012_512))
        }
        Some(TokenPublicKey::Gost(_)) => Ok(Kind::Gost(GostAlgorithm::Gost2012_256)),
        Some(TokenPublicKey::EcP256(_)) => Ok(Kind::EcP256),
        Some(TokenPublicKey::Rsa { .. }) => Ok(Kind::Rsa),
        None => match attrs::key_type(session, private) {
            Ok(t) if t == map.ec_p256.key_type => Ok(Kind::EcP256),
            Ok(t) if t == map.rsa.key_type => Ok(Kind::Rsa),
            Ok(t) if t == map.gost2012_512.key_type => Ok(Kind::Gost(GostAlgorithm::Gost2012_512)),
            _ => Ok(Kind::Gost(GostAlgorithm::Gost2012_256)),
        },
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
    let public = public(session, map, key)?;
    let kind = kind(session, map, private, public.as_ref())?;
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
