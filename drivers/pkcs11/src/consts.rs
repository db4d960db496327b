//! The GOST numbers PKCS#11 headers disagree about least: the OASIS range, the TC26 vendor range
//! and the Kazakh (Certex) vendor range. Consistent across three public headers and the OASIS
//! text; see the research notes (`pki-formats.md` §2).

/// `CKK_GOSTR3410`: a GOST R 34.10 key (2001, and 2012-256 with a TC26 parameter set).
pub const CKK_GOSTR3410: u64 = 0x30;
/// `CKK_GOSTR3410_512` (TC26): a 512-bit GOST R 34.10-2012 key.
pub const CKK_GOSTR3410_512: u64 = 0xD432_1003;

/// `CKA_GOSTR3410_PARAMS`: DER OID of the curve.
pub const CKA_GOSTR3410_PARAMS: u64 = 0x250;
/// `CKA_GOSTR3411_PARAMS`: DER OID of the hash the key is bound to.
pub const CKA_GOSTR3411_PARAMS: u64 = 0x251;

/// `CKM_GOSTR3410_KEY_PAIR_GEN` (also 2012-256, told apart by the parameter set).
pub const CKM_GOSTR3410_KEY_PAIR_GEN: u64 = 0x1200;
/// `CKM_GOSTR3410`: signs a 32-byte hash value.
pub const CKM_GOSTR3410: u64 = 0x1201;
/// `CKM_GOSTR3410_WITH_GOSTR3411`: hashes with GOST R 34.11-94 first.
pub const CKM_GOSTR3410_WITH_GOSTR3411: u64 = 0x1202;

/// The TC26 vendor base (`CK_VENDOR_PKCS11_RU_TEAM_TC26`).
pub const TC26_BASE: u64 = 0xD432_1000;
/// `CKM_GOSTR3410_512_KEY_PAIR_GEN` (TC26).
pub const CKM_GOSTR3410_512_KEY_PAIR_GEN: u64 = 0xD432_1005;
/// `CKM_GOSTR3410_512` (TC26): signs a 64-byte hash value.
pub const CKM_GOSTR3410_512: u64 = 0xD432_1006;
/// `CKM_GOSTR3410_WITH_GOSTR3411_12_256` (TC26): Streebog-256 then sign.
pub const CKM_GOSTR3410_WITH_GOSTR3411_12_256: u64 = 0xD432_1008;
/// `CKM_GOSTR3410_WITH_GOSTR3411_12_512` (TC26): Streebog-512 then sign.
pub const CKM_GOSTR3410_WITH_GOSTR3411_12_512: u64 = 0xD432_1009;
/// `CKM_GOSTR3411_12_256` (TC26): Streebog-256.
pub const CKM_GOSTR3411_12_256: u64 = 0xD432_1012;
/// `CKM_GOSTR3411_12_512` (TC26): Streebog-512.
pub const CKM_GOSTR3411_12_512: u64 = 0xD432_1013;

/// Kazakh vendor extension seen in public code (Certex, base 0x8E000000): 2012 key generation.
pub const CKM_CERTEX_GOSTR3410_2012_KEY_PAIR_GEN: u64 = 0x8E00_0012;
/// Kazakh vendor extension: raw 2012 signature of a hash value.
pub const CKM_CERTEX_GOSTR3410_2012: u64 = 0x8E00_0013;

/// Streebog-256's OID, the hash parameter of a 2012-256 key.
pub const OID_STREEBOG_256: &str = "1.2.643.7.1.1.2.2";
/// Streebog-512's OID, the hash parameter of a 2012-512 key.
pub const OID_STREEBOG_512: &str = "1.2.643.7.1.1.2.3";
/// GOST R 34.11-94 with the CryptoPro parameter set, the hash parameter of a 2001 key.
pub const OID_GOST94_CRYPTOPRO: &str = "1.2.643.2.2.30.1";
/// NIST P-256 (prime256v1).
pub const OID_P256: &str = "1.2.840.10045.3.1.7";

/// The DigestInfo prefix of SHA-256 (RFC 8017 §9.2 note 1), for `CKM_RSA_PKCS`.
pub const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// `CKA_APPLICATION` of tamga's data objects.
pub const APPLICATION: &[u8] = b"tamga";
/// `CKA_LABEL` prefix of tamga's data objects and certificates: `tamga:7E01`.
pub const LABEL_PREFIX: &str = "tamga:";
