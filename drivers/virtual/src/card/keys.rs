//! The key algorithms and parameter sets of PROTOCOL.md (the `85` bytes of a key file's FCP),
//! on-card key generation and signing.

use tamga_gost::{Curve, SecretKey, SigEncoding};
use zeroize::Zeroizing;

use crate::secret::Secret;

/// The signature algorithm of a key file (FCP tag 85, first byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// GOST R 34.10-2001 (Kazakh GOST 34.310-2004), byte `01`.
    Gost2001,
    /// GOST R 34.10-2012 with 256-bit keys, byte `02`.
    Gost2012_256,
    /// GOST R 34.10-2012 with 512-bit keys, byte `03`.
    Gost2012_512,
}

/// The parameter-set bytes of PROTOCOL.md and the curves they name.
const PARAMSETS: [(u8, Curve); 12] = [
    (0x01, Curve::CryptoProA),
    (0x02, Curve::CryptoProB),
    (0x03, Curve::CryptoProC),
    (0x04, Curve::CryptoProXchA),
    (0x05, Curve::CryptoProXchB),
    (0x11, Curve::Tc26_256A),
    (0x12, Curve::Tc26_256B),
    (0x13, Curve::Tc26_256C),
    (0x14, Curve::Tc26_256D),
    (0x21, Curve::Tc26_512A),
    (0x22, Curve::Tc26_512B),
    (0x23, Curve::Tc26_512C),
];

impl Algorithm {
    /// The FCP byte.
    pub fn code(self) -> u8 {
        match self {
            Algorithm::Gost2001 => 0x01,
            Algorithm::Gost2012_256 => 0x02,
            Algorithm::Gost2012_512 => 0x03,
        }
    }

    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            0x01 => Some(Algorithm::Gost2001),
            0x02 => Some(Algorithm::Gost2012_256),
            0x03 => Some(Algorithm::Gost2012_512),
            _ => None,
        }
    }

    /// Whether a parameter-set byte suits the algorithm: 2001 keys live on the CryptoPro sets only,
    /// 2012-256 keys on any 256-bit set, 2012-512 keys on the 512-bit sets.
    fn takes(self, paramset: u8) -> bool {
        match self {
            Algorithm::Gost2001 => (0x01..=0x05).contains(&paramset),
            Algorithm::Gost2012_256 => {
                (0x01..=0x05).contains(&paramset) || (0x11..=0x14).contains(&paramset)
            }
            Algorithm::Gost2012_512 => (0x21..=0x23).contains(&paramset),
        }
    }
}

/// What a key file holds: an algorithm on a parameter set, always a valid pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySpec {
    algorithm: Algorithm,
    paramset: u8,
    curve: Curve,
}

impl KeySpec {
    /// From the two bytes of FCP tag 85; `None` for an unknown or mismatched pair (`6A80`).
    pub fn from_codes(algorithm: u8, paramset: u8) -> Option<Self> {
        let algorithm = Algorithm::from_code(algorithm)?;
        let &(_, curve) = PARAMSETS.iter().find(|(b, _)| *b == paramset)?;
        algorithm.takes(paramset).then_some(KeySpec {
            algorithm,
            paramset,
            curve,
        })
    }

    /// The two bytes of FCP tag 85.
    pub fn codes(self) -> [u8; 2] {
        [self.algorithm.code(), self.paramset]
    }

    pub fn algorithm(self) -> Algorithm {
        self.algorithm
    }

    pub fn curve(self) -> Curve {
        self.curve
    }

    /// The length of the public key X ‖ Y (the size a key file's FCP reports).
    pub fn public_len(self) -> usize {
        2 * self.curve.scalar_len()
    }

    /// A new private key from the operating system's generator.
    pub fn generate(self) -> Result<Secret, tamga_gost::Error> {
        Ok(Secret::new(SecretKey::generate(self.curve)?.to_le_bytes()))
    }

    /// Whether stored key bytes are a valid private key of this spec.
    pub fn accepts(self, secret: &[u8]) -> bool {
        secret.len() == self.curve.scalar_len() && self.secret_key(secret).is_ok()
    }

    /// X ‖ Y, each little-endian: what GENERATE KEY and READ BINARY on a key file answer.
    pub fn public_key(self, secret: &Secret) -> Result<Vec<u8>, tamga_gost::Error> {
        Ok(self.secret_key(secret.bytes())?.public_key().to_bytes())
    }

    /// PSO: COMPUTE DIGITAL SIGNATURE. The card receives the digest byte-reversed (the Rutoken
    /// convention) and answers r ‖ s little-endian, which is the Kazakh layout.
    pub fn sign_reversed_digest(
        self,
        secret: &Secret,
        reversed_digest: &[u8],
    ) -> Result<Vec<u8>, tamga_gost::Error> {
        let digest: Zeroizing<Vec<u8>> =
            Zeroizing::new(reversed_digest.iter().rev().copied().collect());
        self.secret_key(secret.bytes())?
            .sign_digest(&digest, SigEncoding::Kz)
    }

    fn secret_key(self, bytes: &[u8]) -> Result<SecretKey, tamga_gost::Error> {
        SecretKey::from_le_bytes(self.curve, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs() {
        assert!(KeySpec::from_codes(1, 0x01).is_some());
        assert!(KeySpec::from_codes(1, 0x11).is_none());
        assert!(KeySpec::from_codes(2, 0x03).is_some());
        assert!(KeySpec::from_codes(2, 0x14).is_some());
        assert!(KeySpec::from_codes(2, 0x21).is_none());
        assert!(KeySpec::from_codes(3, 0x23).is_some());
        assert!(KeySpec::from_codes(3, 0x01).is_none());
        assert!(KeySpec::from_codes(4, 0x01).is_none());
        assert!(KeySpec::from_codes(2, 0x15).is_none());
        let s = KeySpec::from_codes(3, 0x21).unwrap();
        assert_eq!((s.codes(), s.public_len()), ([3, 0x21], 128));
    }
}
