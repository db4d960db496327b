//! Object identifiers of PKCS#12, PKCS#5 and the GOST PFX profile (RFC 7292, RFC 8018,
//! RFC 9337, RFC 9548), in one place so that reader and writer cannot disagree.

use der::asn1::ObjectIdentifier as Oid;

// PKCS#7 / CMS content types.
pub(crate) const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
pub(crate) const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
pub(crate) const ENVELOPED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.3");
pub(crate) const ENCRYPTED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.6");

// PKCS#12 bag types (RFC 7292 §4.2).
pub(crate) const KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.1");
pub(crate) const SHROUDED_KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.2");
pub(crate) const CERT_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.3");
pub(crate) const SAFE_CONTENTS_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.6");
pub(crate) const X509_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.22.1");

// Bag attributes (PKCS#9).
pub(crate) const FRIENDLY_NAME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.20");
pub(crate) const LOCAL_KEY_ID: Oid = Oid::new_unwrap("1.2.840.113549.1.9.21");

// Legacy PKCS#12 password-based encryption (RFC 7292 App. C).
pub(crate) const PBE_SHA1_RC2_128: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.5");
pub(crate) const PBE_SHA1_RC2_40: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.6");
pub(crate) const PBE_SHA1_3DES: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.3");
pub(crate) const PBE_SHA1_2DES: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.4");

// PKCS#5 v2 (RFC 8018).
pub(crate) const PBES2: Oid = Oid::new_unwrap("1.2.840.113549.1.5.13");
pub(crate) const PBKDF2: Oid = Oid::new_unwrap("1.2.840.113549.1.5.12");
pub(crate) const HMAC_SHA1: Oid = Oid::new_unwrap("1.2.840.113549.2.7");
pub(crate) const HMAC_SHA224: Oid = Oid::new_unwrap("1.2.840.113549.2.8");
pub(crate) const HMAC_SHA256: Oid = Oid::new_unwrap("1.2.840.113549.2.9");
pub(crate) const HMAC_SHA384: Oid = Oid::new_unwrap("1.2.840.113549.2.10");
pub(crate) const HMAC_SHA512: Oid = Oid::new_unwrap("1.2.840.113549.2.11");
pub(crate) const AES128_CBC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.2");
pub(crate) const AES192_CBC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.22");
pub(crate) const AES256_CBC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.42");
pub(crate) const DES_EDE3_CBC: Oid = Oid::new_unwrap("1.2.840.113549.3.7");

// Digests named by MacData.
pub(crate) const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
pub(crate) const SHA224: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.4");
pub(crate) const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
pub(crate) const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
pub(crate) const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
pub(crate) const STREEBOG256: Oid = Oid::new_unwrap("1.2.643.7.1.1.2.2");
pub(crate) const STREEBOG512: Oid = Oid::new_unwrap("1.2.643.7.1.1.2.3");

// GOST PBKDF2 PRFs and ciphers (RFC 9337).
pub(crate) const HMAC_STREEBOG256: Oid = Oid::new_unwrap("1.2.643.7.1.1.4.1");
pub(crate) const HMAC_STREEBOG512: Oid = Oid::new_unwrap("1.2.643.7.1.1.4.2");
pub(crate) const GOST28147: Oid = Oid::new_unwrap("1.2.643.2.2.21");
pub(crate) const GOST28147_PARAM_Z: Oid = Oid::new_unwrap("1.2.643.7.1.2.5.1.1");
pub(crate) const GOST28147_CRYPTOPRO_A: Oid = Oid::new_unwrap("1.2.643.2.2.31.1");
pub(crate) const MAGMA_CTR_ACPKM: Oid = Oid::new_unwrap("1.2.643.7.1.1.5.1.1");
pub(crate) const MAGMA_CTR_ACPKM_OMAC: Oid = Oid::new_unwrap("1.2.643.7.1.1.5.1.2");
pub(crate) const KUZNYECHIK_CTR_ACPKM: Oid = Oid::new_unwrap("1.2.643.7.1.1.5.2.1");
pub(crate) const KUZNYECHIK_CTR_ACPKM_OMAC: Oid = Oid::new_unwrap("1.2.643.7.1.1.5.2.2");
