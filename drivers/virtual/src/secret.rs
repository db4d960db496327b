//! Secret bytes (PINs, private keys): wiped when dropped, never printed.

use zeroize::Zeroizing;

/// Bytes that must not leak: `Debug` shows only their length.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    pub fn new(bytes: Zeroizing<Vec<u8>>) -> Self {
        Secret(bytes)
    }

    pub fn from_slice(bytes: &[u8]) -> Self {
        Secret(Zeroizing::new(bytes.to_vec()))
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Compares without an early exit, so the time a wrong PIN takes says nothing about where it
    /// differs.
    pub fn matches(&self, candidate: &[u8]) -> bool {
        let diff = self
            .0
            .iter()
            .zip(candidate)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        diff == 0 && self.0.len() == candidate.len()
    }
}

impl core::fmt::Debug for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Secret({} bytes)", self.0.len())
    }
}
