//! What a profile tells the fallback driver: which module, which token, which mechanisms, and
//! how to read PIN state that PKCS#11 reports only as flags.

use std::path::PathBuf;

use crate::consts::*;

/// Everything the driver needs to reach one vendor token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pkcs11Config {
    /// The vendor's module (`.so`).
    pub module: PathBuf,
    /// Which of its tokens.
    pub token: TokenSelector,
    /// The mechanism numbers per algorithm.
    pub mechanisms: MechanismMap,
    /// How PIN state is reported.
    pub pin: PinPolicy,
    /// The byte order of the module's GOST signatures.
    pub gost_signature: GostSignatureOrder,
}

impl Pkcs11Config {
    /// A module with the standard mechanisms, its first token, ten tries.
    pub fn new(module: impl Into<PathBuf>) -> Self {
        Pkcs11Config {
            module: module.into(),
            token: TokenSelector::Any,
            mechanisms: MechanismMap::default(),
            pin: PinPolicy::default(),
            gost_signature: GostSignatureOrder::Rfc9215,
        }
    }
}

/// Which token of the module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenSelector {
    /// Every token the module has (the first one when opening without a slot).
    Any,
    /// The tokens with this label (trailing blanks ignored).
    Label(String),
    /// The token in this slot ID.
    Slot(u64),
}

/// The mechanisms and key type of one algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyMechanisms {
    /// Key-pair generation.
    pub generate: u64,
    /// Signing a hash value computed on the host.
    pub sign: u64,
    /// `CKA_KEY_TYPE` of the keys.
    pub key_type: u64,
}

/// The mechanisms per algorithm. Defaults: OASIS for 2001 and 2012-256, TC26 for 2012-512,
/// `CKM_EC_KEY_PAIR_GEN`/`CKM_ECDSA`, `CKM_RSA_PKCS_KEY_PAIR_GEN`/`CKM_RSA_PKCS`. A Kazakh
/// module may name its own (e.g. 0x8E000012/0x8E000013).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MechanismMap {
    /// GOST R 34.10-2001.
    pub gost2001: KeyMechanisms,
    /// GOST R 34.10-2012, 256-bit.
    pub gost2012_256: KeyMechanisms,
    /// GOST R 34.10-2012, 512-bit.
    pub gost2012_512: KeyMechanisms,
    /// ECDSA P-256.
    pub ec_p256: KeyMechanisms,
    /// RSA.
    pub rsa: KeyMechanisms,
}

impl Default for MechanismMap {
    fn default() -> Self {
        let gost256 = KeyMechanisms {
            generate: CKM_GOSTR3410_KEY_PAIR_GEN,
            sign: CKM_GOSTR3410,
            key_type: CKK_GOSTR3410,
        };
        MechanismMap {
            gost2001: gost256,
            gost2012_256: gost256,
            gost2012_512: KeyMechanisms {
                generate: CKM_GOSTR3410_512_KEY_PAIR_GEN,
                sign: CKM_GOSTR3410_512,
                key_type: CKK_GOSTR3410_512,
            },
            ec_p256: KeyMechanisms {
                generate: 0x1040, // CKM_EC_KEY_PAIR_GEN
                sign: 0x1041,     // CKM_ECDSA
                key_type: 0x3,    // CKK_EC
            },
            rsa: KeyMechanisms {
                generate: 0x0, // CKM_RSA_PKCS_KEY_PAIR_GEN
                sign: 0x1,     // CKM_RSA_PKCS
                key_type: 0x0, // CKK_RSA
            },
        }
    }
}

/// PKCS#11 reports no try counts, only flags (count low, final try, locked): the policy says
/// what to report when no flag is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PinPolicy {
    /// Tries of a PIN with no failure since its last success (the vendor's documented count).
    pub tries: u8,
}

impl Default for PinPolicy {
    fn default() -> Self {
        PinPolicy { tries: 10 }
    }
}

/// How the module lays out a GOST signature. PKCS#11 and OpenSSL say `s ‖ r` big-endian
/// (RFC 9215); a module that answers the reversed (Kazakh) layout is told apart here. Every
/// signature is verified against the public key before it leaves the driver, so a wrong setting
/// is an error, never a bad signature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GostSignatureOrder {
    /// `s ‖ r`, as the standard says.
    #[default]
    Rfc9215,
    /// The bytes reversed as a whole (`r ‖ s`, little-endian).
    Reversed,
}
