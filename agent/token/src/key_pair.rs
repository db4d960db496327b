//! Key pairs beyond GOST: what a PKCS#11 token may also hold.
//!
//! The KAZTOKEN is GOST-only, and so are [`KeySpec`] and the GOST methods of
//! [`Token`](crate::Token). A vendor PKCS#11 module may also generate EC P-256 or RSA keys (a
//! bank outside the GOST world, SoftHSM2 in tests), so these types widen the vocabulary without
//! changing what the GOST methods take or return: drivers that only speak GOST keep the default
//! methods, which pass GOST through and refuse the rest.

use tamga_gost::PublicKey;

use crate::{KeySpec, TokenError};

/// The algorithm of a key pair to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyPairSpec {
    /// A GOST key (the KAZTOKEN's).
    Gost(KeySpec),
    /// ECDSA on NIST P-256 (secp256r1): the digest signed is SHA-256's.
    EcP256,
    /// RSA with a modulus of this many bits and exponent 65537; signatures are PKCS#1 v1.5 over
    /// a SHA-256 DigestInfo.
    Rsa {
        /// Modulus length in bits (2048..=4096).
        bits: u16,
    },
}

impl From<KeySpec> for KeyPairSpec {
    fn from(spec: KeySpec) -> Self {
        KeyPairSpec::Gost(spec)
    }
}

impl KeyPairSpec {
    /// Length of the digest the key signs, in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            KeyPairSpec::Gost(spec) => spec.digest_len(),
            KeyPairSpec::EcP256 | KeyPairSpec::Rsa { .. } => 32,
        }
    }
}

/// A public key read from a token, whatever its algorithm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenPublicKey {
    /// A validated GOST key.
    Gost(PublicKey),
    /// A P-256 point, SEC1 uncompressed (`04 ‖ X ‖ Y`, 65 bytes).
    EcP256(EcPoint),
    /// An RSA key.
    Rsa {
        /// The modulus, big-endian without leading zeros.
        modulus: Vec<u8>,
        /// The public exponent, big-endian.
        exponent: Vec<u8>,
    },
}

/// A SEC1 uncompressed P-256 point; only its shape is checked here (the curve check belongs to
/// whoever verifies with it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcPoint(Vec<u8>);

impl EcPoint {
    /// Takes `04 ‖ X ‖ Y` (65 bytes).
    pub fn from_sec1(bytes: &[u8]) -> Result<Self, TokenError> {
        if bytes.len() == 65 && bytes[0] == 0x04 {
            Ok(EcPoint(bytes.to_vec()))
        } else {
            Err(TokenError::Protocol(
                "EC point is not an uncompressed P-256 point",
            ))
        }
    }

    /// The 65 SEC1 bytes.
    pub fn as_sec1(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ec_point_shape() {
        let mut p = vec![4u8; 65];
        assert!(EcPoint::from_sec1(&p).is_ok());
        p[0] = 2;
        assert!(EcPoint::from_sec1(&p).is_err());
        assert!(EcPoint::from_sec1(&[4; 33]).is_err());
    }
}
