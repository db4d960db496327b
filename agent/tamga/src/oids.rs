//! The key algorithms and digest parameter OIDs tamga recognises in key files and certificates.
//! Parameter-set (curve) OIDs are tamga-gost's business (`Curve::from_oid`).

use crate::hash::HashAlg;

/// A GOST public-key algorithm as named by an AlgorithmIdentifier.
#[derive(Debug, PartialEq, Eq)]
pub struct KeyAlgorithm {
    pub oid: &'static str,
    pub name: &'static str,
    pub bits: usize,
    /// The hash the algorithm prescribes when the key's parameters name none.
    pub hash: HashAlg,
}

const fn alg(oid: &'static str, name: &'static str, bits: usize, hash: HashAlg) -> KeyAlgorithm {
    KeyAlgorithm {
        oid,
        name,
        bits,
        hash,
    }
}

static KEY_ALGORITHMS: [KeyAlgorithm; 7] = [
    alg(
        "1.2.643.7.1.1.1.1",
        "GOST R 34.10-2012 256-bit",
        256,
        HashAlg::Streebog256,
    ),
    alg(
        "1.2.643.7.1.1.1.2",
        "GOST R 34.10-2012 512-bit",
        512,
        HashAlg::Streebog512,
    ),
    // OpenSSL signs 2001 keys with GOST R 34.11-94 under the CryptoPro S-box, which tamga does not
    // implement; the Kazakh 2004 PKI that reuses this curve hashes with GOST 34.311-95 (test S-box).
    alg(
        "1.2.643.2.2.19",
        "GOST R 34.10-2001",
        256,
        HashAlg::Gost34311,
    ),
    alg(
        "1.2.398.3.10.1.1.2.2",
        "GOST R 34.10-2015 512-bit (KZ)",
        512,
        HashAlg::Streebog512,
    ),
    alg(
        "1.2.398.3.10.1.1.2.1",
        "GOST R 34.10-2015 256-bit (KZ)",
        256,
        HashAlg::Streebog256,
    ),
    alg(
        "1.2.398.3.10.1.1.1.1",
        "GOST 34.310-2004 (KZ)",
        256,
        HashAlg::Gost34311,
    ),
    alg(
        "1.3.6.1.4.1.6801.1.5.8",
        "GOST 34.310-2004 (Gamma)",
        256,
        HashAlg::Gost34311,
    ),
];

pub fn key_algorithm(oid: &str) -> Option<&'static KeyAlgorithm> {
    KEY_ALGORITHMS.iter().find(|a| a.oid == oid)
}

/// The hash named by a digestParamSet OID. Unknown OIDs (e.g. the CryptoPro 34.11-94 S-box
/// 1.2.643.2.2.30.1 in OpenSSL's 2001 keys) give `None`: the algorithm's own hash then applies.
pub fn digest(oid: &str) -> Option<HashAlg> {
    match oid {
        "1.2.643.7.1.1.2.2" | "1.2.398.3.10.1.3.2" => Some(HashAlg::Streebog256),
        "1.2.643.7.1.1.2.3" | "1.2.398.3.10.1.3.3" => Some(HashAlg::Streebog512),
        "1.2.398.3.10.1.3.1" => Some(HashAlg::Gost34311),
        _ => None,
    }
}
