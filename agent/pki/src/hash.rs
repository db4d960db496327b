//! The digests signatures are made over: the GOST family, and SHA-256 for ECDSA P-256.

use tamga_gost::hash::gost94::Gost34311;
use tamga_gost::hash::streebog::{Streebog256, Streebog512};

/// A message hash: the GOST family, or SHA-256 (only with EC P-256 keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlg {
    /// GOST R 34.11-2012 (Streebog), 256-bit.
    Streebog256,
    /// GOST R 34.11-2012 (Streebog), 512-bit.
    Streebog512,
    /// GOST 34.311-95 = GOST R 34.11-94 with the test S-box (Kazakh 2004 keys).
    Gost34311,
    /// SHA-256 (ECDSA P-256 keys).
    Sha256,
}

impl HashAlg {
    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            HashAlg::Streebog256 | HashAlg::Gost34311 | HashAlg::Sha256 => 32,
            HashAlg::Streebog512 => 64,
        }
    }

    /// A short name.
    pub fn name(self) -> &'static str {
        match self {
            HashAlg::Streebog256 => "streebog256",
            HashAlg::Streebog512 => "streebog512",
            HashAlg::Gost34311 => "gost34311",
            HashAlg::Sha256 => "sha256",
        }
    }

    /// The digest of `data`, in the byte order the hash outputs (what CMS messageDigest holds).
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut h = Hasher::new(self);
        h.update(data);
        h.finalize()
    }
}

/// An incremental [`HashAlg`], for content that arrives in pieces.
#[derive(Clone, Debug)]
pub struct Hasher(State);

#[derive(Clone, Debug)]
enum State {
    S256(Streebog256),
    S512(Streebog512),
    G(Gost34311),
    Sha(sha2::Sha256),
}

impl Hasher {
    /// A fresh state.
    pub fn new(alg: HashAlg) -> Self {
        Hasher(match alg {
            HashAlg::Streebog256 => State::S256(Streebog256::new()),
            HashAlg::Streebog512 => State::S512(Streebog512::new()),
            HashAlg::Gost34311 => State::G(Gost34311::new()),
            HashAlg::Sha256 => State::Sha(<sha2::Sha256 as sha2::Digest>::new()),
        })
    }

    /// Absorbs more input.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            State::S256(h) => h.update(data),
            State::S512(h) => h.update(data),
            State::G(h) => h.update(data),
            State::Sha(h) => sha2::Digest::update(h, data),
        }
    }

    /// The digest.
    pub fn finalize(self) -> Vec<u8> {
        match self.0 {
            State::S256(h) => h.finalize().to_vec(),
            State::S512(h) => h.finalize().to_vec(),
            State::G(h) => h.finalize().to_vec(),
            State::Sha(h) => sha2::Digest::finalize(h).to_vec(),
        }
    }
}
