//! Key references and the algorithms a token generates keys for.

use core::fmt;

use tamga_gost::Curve;

use crate::TokenError;

/// A key slot on the token (1..=16).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyRef(u8);

impl KeyRef {
    /// The highest slot number.
    pub const MAX: u8 = 16;

    /// Slot `n`, 1..=16.
    pub fn new(n: u8) -> Result<Self, TokenError> {
        if (1..=Self::MAX).contains(&n) {
            Ok(KeyRef(n))
        } else {
            Err(TokenError::InvalidArgument("key reference must be 1..=16"))
        }
    }

    /// The slot number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for KeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "key #{}", self.0)
    }
}

/// The signature algorithm family of a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GostAlgorithm {
    /// GOST R 34.10-2001 (Kazakhstan's GOST 34.310-2004), 256-bit, CryptoPro curves only.
    Gost2001,
    /// GOST R 34.10-2012 with a 256-bit key.
    Gost2012_256,
    /// GOST R 34.10-2012 with a 512-bit key.
    Gost2012_512,
}

/// An algorithm and the curve it runs on; only valid pairs can be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeySpec {
    algorithm: GostAlgorithm,
    curve: Curve,
}

impl KeySpec {
    /// Checks that the curve belongs to the algorithm (2001: the CryptoPro sets; 2012-256: the
    /// 256-bit sets; 2012-512: the 512-bit sets; the test curves never).
    pub fn new(algorithm: GostAlgorithm, curve: Curve) -> Result<Self, TokenError> {
        let ok = match algorithm {
            GostAlgorithm::Gost2001 => matches!(
                curve,
                Curve::CryptoProA
                    | Curve::CryptoProB
                    | Curve::CryptoProC
                    | Curve::CryptoProXchA
                    | Curve::CryptoProXchB
            ),
            GostAlgorithm::Gost2012_256 => curve.bits() == 256 && !matches!(curve, Curve::Test2001),
            GostAlgorithm::Gost2012_512 => curve.bits() == 512 && !matches!(curve, Curve::Test512),
        };
        if ok {
            Ok(KeySpec { algorithm, curve })
        } else {
            Err(TokenError::UnsupportedAlgorithm)
        }
    }

    /// The algorithm family.
    pub fn algorithm(self) -> GostAlgorithm {
        self.algorithm
    }

    /// The curve.
    pub fn curve(self) -> Curve {
        self.curve
    }

    /// Length of the digest the key signs, in bytes (32 or 64).
    pub fn digest_len(self) -> usize {
        self.curve.digest_len()
    }
}
