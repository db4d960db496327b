use core::fmt;

/// Everything that can go wrong in tamga-gost. No variant carries secret data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// A byte string has the wrong length for the curve.
    Length {
        /// Expected length in bytes.
        expected: usize,
        /// Length that was given.
        got: usize,
    },
    /// A public key is not a point of the curve's prime-order subgroup, or is the identity.
    InvalidPublicKey,
    /// A private key is zero or not below the group order.
    InvalidSecretKey,
    /// r or s is zero or not below the group order.
    SignatureRange,
    /// The signature equation does not hold.
    BadSignature,
    /// The UKM of VKO is zero modulo q.
    InvalidUkm,
    /// The operating system gave no randomness.
    Rng,
    /// No curve has this name or OID.
    UnknownCurve,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Length { expected, got } => {
                write!(f, "wrong length: expected {expected} bytes, got {got}")
            }
            Error::InvalidPublicKey => {
                f.write_str("invalid public key (not on the curve's subgroup)")
            }
            Error::InvalidSecretKey => f.write_str("invalid private key (zero or not below q)"),
            Error::SignatureRange => {
                f.write_str("signature out of range (r or s is 0 or not below q)")
            }
            Error::BadSignature => f.write_str("signature does not verify"),
            Error::InvalidUkm => f.write_str("UKM is zero modulo q"),
            Error::Rng => f.write_str("the operating system's random generator failed"),
            Error::UnknownCurve => f.write_str("unknown GOST parameter set"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}
