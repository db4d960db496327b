//! The object identifiers tamga reads and writes, in one place.
//!
//! GOST arcs: Russian TC26 (`1.2.643.7.1.*`) and CryptoPro (`1.2.643.2.2.*`), Kazakh NCA
//! (`1.2.398.3.10.*`) and Gamma/Tumar (`1.3.6.1.4.1.6801.*`). Curve (parameter-set) OIDs are
//! tamga-gost's (`Curve::from_oid`, `Curve::oid`, `Curve::other_oids`). Besides GOST: EC P-256
//! with ECDSA/SHA-256 (RFC 5480, RFC 5758), for tokens whose PKCS#11 module has no GOST.

use der::asn1::ObjectIdentifier as Oid;

const fn oid(s: &str) -> Oid {
    Oid::new_unwrap(s)
}

/// GOST R 34.10-2012 256-bit public key (id-tc26-gost3410-12-256).
pub const TC26_KEY_256: Oid = oid("1.2.643.7.1.1.1.1");
/// GOST R 34.10-2012 512-bit public key (id-tc26-gost3410-12-512).
pub const TC26_KEY_512: Oid = oid("1.2.643.7.1.1.1.2");
/// GOST R 34.10-2001 public key (id-GostR3410-2001).
pub const CRYPTOPRO_KEY_2001: Oid = oid("1.2.643.2.2.19");
/// Streebog-256 (id-tc26-gost3411-12-256).
pub const TC26_STREEBOG_256: Oid = oid("1.2.643.7.1.1.2.2");
/// Streebog-512 (id-tc26-gost3411-12-512).
pub const TC26_STREEBOG_512: Oid = oid("1.2.643.7.1.1.2.3");
/// GOST R 34.11-94 (id-GostR3411-94).
pub const CRYPTOPRO_GOST94: Oid = oid("1.2.643.2.2.9");
/// Signature with Streebog-256 (id-tc26-signwithdigest-gost3410-12-256).
pub const TC26_SIGN_256: Oid = oid("1.2.643.7.1.1.3.2");
/// Signature with Streebog-512 (id-tc26-signwithdigest-gost3410-12-512).
pub const TC26_SIGN_512: Oid = oid("1.2.643.7.1.1.3.3");
/// GOST R 34.10-2001 with GOST R 34.11-94 (CryptoPro S-box).
pub const CRYPTOPRO_SIGN_2001: Oid = oid("1.2.643.2.2.3");

/// Kazakh GOST 34.310-2004 public key.
pub const KZ_KEY_2004: Oid = oid("1.2.398.3.10.1.1.1.1");
/// Kazakh GOST 34.310-2004 signature with GOST 34.311-95.
pub const KZ_SIGN_2004: Oid = oid("1.2.398.3.10.1.1.1.2");
/// Kazakh GOST R 34.10-2015 256-bit public key.
pub const KZ_KEY_256: Oid = oid("1.2.398.3.10.1.1.2.1");
/// Kazakh GOST R 34.10-2015 512-bit public key.
pub const KZ_KEY_512: Oid = oid("1.2.398.3.10.1.1.2.2");
/// Kazakh GOST R 34.10-2015 signature (arc of the two below; the Certex raw-sign mechanism).
pub const KZ_SIGN_2015: Oid = oid("1.2.398.3.10.1.1.2.3");
/// Kazakh signature with Streebog-256.
pub const KZ_SIGN_256: Oid = oid("1.2.398.3.10.1.1.2.3.1");
/// Kazakh signature with Streebog-512.
pub const KZ_SIGN_512: Oid = oid("1.2.398.3.10.1.1.2.3.2");
/// Kazakh GOST 34.311-95 hash.
pub const KZ_GOST34311: Oid = oid("1.2.398.3.10.1.3.1");
/// Kazakh Streebog-256.
pub const KZ_STREEBOG_256: Oid = oid("1.2.398.3.10.1.3.2");
/// Kazakh Streebog-512.
pub const KZ_STREEBOG_512: Oid = oid("1.2.398.3.10.1.3.3");

/// Gamma GOST 34.311-95 hash.
pub const GAMMA_GOST34311: Oid = oid("1.3.6.1.4.1.6801.1.2.1");
/// Gamma GOST 34.310-2004 signature with 34.311-95.
pub const GAMMA_SIGN_2004: Oid = oid("1.3.6.1.4.1.6801.1.2.2");
/// Gamma sign keys on the CryptoPro A/B/C curves (the OID names the curve too).
pub const GAMMA_KEY_A: Oid = oid("1.3.6.1.4.1.6801.1.5.8");
/// Gamma sign key, curve B.
pub const GAMMA_KEY_B: Oid = oid("1.3.6.1.4.1.6801.1.5.14");
/// Gamma sign key, curve C.
pub const GAMMA_KEY_C: Oid = oid("1.3.6.1.4.1.6801.1.5.15");

/// EC public key (id-ecPublicKey, RFC 5480).
pub const EC_PUBLIC_KEY: Oid = oid("1.2.840.10045.2.1");
/// The NIST P-256 curve (prime256v1 / secp256r1, RFC 5480).
pub const PRIME256V1: Oid = oid("1.2.840.10045.3.1.7");
/// ECDSA with SHA-256 (RFC 5758).
pub const ECDSA_WITH_SHA256: Oid = oid("1.2.840.10045.4.3.2");
/// SHA-256 (id-sha256).
pub const SHA256: Oid = oid("2.16.840.1.101.3.4.2.1");

/// Extended key usage: TLS client authentication.
pub const EKU_CLIENT_AUTH: Oid = oid("1.3.6.1.5.5.7.3.2");
/// Extended key usage: TLS server authentication.
pub const EKU_SERVER_AUTH: Oid = oid("1.3.6.1.5.5.7.3.1");
/// Extended key usage: e-mail protection.
pub const EKU_EMAIL_PROTECTION: Oid = oid("1.3.6.1.5.5.7.3.4");
/// Extended key usage: any.
pub const EKU_ANY: Oid = oid("2.5.29.37.0");

/// CMS id-data.
pub const CMS_DATA: Oid = oid("1.2.840.113549.1.7.1");
/// CMS id-signedData.
pub const CMS_SIGNED_DATA: Oid = oid("1.2.840.113549.1.7.2");
/// Signed attribute contentType.
pub const ATTR_CONTENT_TYPE: Oid = oid("1.2.840.113549.1.9.3");
/// Signed attribute messageDigest.
pub const ATTR_MESSAGE_DIGEST: Oid = oid("1.2.840.113549.1.9.4");
/// Signed attribute signingTime.
pub const ATTR_SIGNING_TIME: Oid = oid("1.2.840.113549.1.9.5");
/// Signed attribute signingCertificateV2 (RFC 5035).
pub const ATTR_SIGNING_CERTIFICATE_V2: Oid = oid("1.2.840.113549.1.9.16.2.47");
/// PKCS#9 extensionRequest.
pub const EXTENSION_REQUEST: Oid = oid("1.2.840.113549.1.9.14");
/// PKCS#9 emailAddress (in names).
pub const EMAIL_ADDRESS: Oid = oid("1.2.840.113549.1.9.1");

/// X.509 extension basicConstraints.
pub const EXT_BASIC_CONSTRAINTS: Oid = oid("2.5.29.19");
/// X.509 extension keyUsage.
pub const EXT_KEY_USAGE: Oid = oid("2.5.29.15");
/// X.509 extension extendedKeyUsage.
pub const EXT_EXTENDED_KEY_USAGE: Oid = oid("2.5.29.37");
/// X.509 extension subjectKeyIdentifier.
pub const EXT_SUBJECT_KEY_ID: Oid = oid("2.5.29.14");
/// X.509 extension authorityKeyIdentifier.
pub const EXT_AUTHORITY_KEY_ID: Oid = oid("2.5.29.35");
/// CRL entry extension reasonCode.
pub const EXT_CRL_REASON: Oid = oid("2.5.29.21");
