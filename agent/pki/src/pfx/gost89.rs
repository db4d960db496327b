//! GOST 28147-89 in CFB-64 mode with CryptoPro key meshing, as OpenSSL's gost engine and
//! R 50.1.112-2016 encrypt PFX contents (`gost89`, OID 1.2.643.2.2.21).
//!
//! The `magma` crate implements the block function in the GOST R 34.12-2015 convention (key
//! and blocks big-endian). GOST 28147-89 as RFC 5830 and OpenSSL use it reads both as
//! little-endian 32-bit words, so E_28147(K, b) = rev8(E_34.12(swap32(K), rev8(b))) where swap32
//! reverses each 4-byte key word (pinned by the R 50.1.112 example and OpenSSL-made files).

use cipher::consts::{U32, U8};
use cipher::{Block, BlockCipherDecrypt, BlockCipherEncrypt, BlockSizeUser, KeyInit};
use magma::{Gost89CryptoProA, Magma};
use zeroize::{Zeroize, Zeroizing};

/// The S-box ("encryption parameter set") named by Gost28147-89-Parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParamSet {
    /// id-tc26-gost-28147-param-Z, what every current writer uses.
    Z,
    /// id-Gost28147-89-CryptoPro-A-ParamSet, found in older CryptoPro containers.
    CryptoProA,
}

/// RFC 4357 §2.3.2: the constant that is decrypted under the current key to make the next one.
const MESHING_CONSTANT: [u8; 32] = [
    0x69, 0x00, 0x72, 0x22, 0x64, 0xC9, 0x04, 0x23, 0x8D, 0x3A, 0xDB, 0x96, 0x46, 0xE9, 0x2A, 0xC4,
    0x18, 0xFE, 0xAC, 0x94, 0x00, 0xED, 0x07, 0x12, 0xC0, 0x86, 0xDC, 0xC2, 0xEF, 0x4C, 0xA9, 0x2B,
];

/// Bytes processed under one key before CryptoPro key meshing replaces it.
const MESHING_PERIOD: usize = 1024;

/// The `magma` block functions: one per S-box.
trait Block34_12:
    BlockCipherEncrypt + BlockCipherDecrypt + BlockSizeUser<BlockSize = U8> + KeyInit<KeySize = U32>
{
}

impl<C> Block34_12 for C where
    C: BlockCipherEncrypt
        + BlockCipherDecrypt
        + BlockSizeUser<BlockSize = U8>
        + KeyInit<KeySize = U32>
{
}

/// GOST 28147-89 with the RFC 5830 byte order, keyed from 32 bytes in that order.
struct Gost28147<C: Block34_12> {
    cipher: C,
}

impl<C: Block34_12> Gost28147<C> {
    fn new(key: &[u8; 32]) -> Self {
        let mut swapped = Zeroizing::new(*key);
        swapped.chunks_exact_mut(4).for_each(<[u8]>::reverse);
        let cipher = C::new(&(*swapped).into());
        Self { cipher }
    }

    fn encrypt(&self, block: &mut [u8; 8]) {
        self.apply(block, |c, b| c.encrypt_block(b));
    }

    fn decrypt(&self, block: &mut [u8; 8]) {
        self.apply(block, |c, b| c.decrypt_block(b));
    }

    fn apply(&self, block: &mut [u8; 8], f: impl Fn(&C, &mut Block<C>)) {
        let mut b = Block::<C>::default();
        b.copy_from_slice(block);
        b.reverse();
        f(&self.cipher, &mut b);
        b.reverse();
        block.copy_from_slice(&b);
        b.zeroize();
    }
}

/// CFB-64 state: the current key (it changes every [`MESHING_PERIOD`] bytes) and the feedback.
struct Cfb<C: Block34_12> {
    cipher: Gost28147<C>,
    key: Zeroizing<[u8; 32]>,
    feedback: [u8; 8],
    processed: usize,
}

impl<C: Block34_12> Cfb<C> {
    fn new(key: &[u8; 32], iv: &[u8; 8]) -> Self {
        Self {
            cipher: Gost28147::new(key),
            key: Zeroizing::new(*key),
            feedback: *iv,
            processed: 0,
        }
    }

    /// The next 8 bytes of key stream, meshing the key first when a period is complete (as
    /// gost-engine's `gost_crypt_mesh`: the feedback is re-encrypted under the new key).
    fn gamma(&mut self) -> [u8; 8] {
        if self.processed == MESHING_PERIOD {
            let mut next = Zeroizing::new(MESHING_CONSTANT);
            for block in next.chunks_exact_mut(8) {
                let block: &mut [u8; 8] = block.try_into().unwrap_or_else(|_| unreachable!());
                self.cipher.decrypt(block);
            }
            *self.key = *next;
            self.cipher = Gost28147::new(&self.key);
            self.cipher.encrypt(&mut self.feedback);
            self.processed = 0;
        }
        let mut gamma = self.feedback;
        self.cipher.encrypt(&mut gamma);
        self.processed += 8;
        gamma
    }

    fn run(&mut self, data: &mut [u8], decrypting: bool) {
        for chunk in data.chunks_mut(8) {
            let mut gamma = self.gamma();
            if decrypting && chunk.len() == 8 {
                self.feedback.copy_from_slice(chunk);
            }
            chunk.iter_mut().zip(&gamma).for_each(|(c, g)| *c ^= g);
            if !decrypting && chunk.len() == 8 {
                self.feedback.copy_from_slice(chunk);
            }
            gamma.zeroize();
        }
    }
}

/// Decrypts `data` in place.
pub(crate) fn cfb_decrypt(params: ParamSet, key: &[u8; 32], iv: &[u8; 8], data: &mut [u8]) {
    match params {
        ParamSet::Z => Cfb::<Magma>::new(key, iv).run(data, true),
        ParamSet::CryptoProA => Cfb::<Gost89CryptoProA>::new(key, iv).run(data, true),
    }
}

/// Encrypts `data` in place.
pub(crate) fn cfb_encrypt(params: ParamSet, key: &[u8; 32], iv: &[u8; 8], data: &mut [u8]) {
    match params {
        ParamSet::Z => Cfb::<Magma>::new(key, iv).run(data, false),
        ParamSet::CryptoProA => Cfb::<Gost89CryptoProA>::new(key, iv).run(data, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GOST R 34.12-2015 A.2 Magma vector, restated in the 28147-89 byte order: the key words
    /// and the block come reversed, which is what the adapter undoes.
    #[test]
    fn adapter_matches_the_34_12_vector_in_28147_order() {
        let key_be =
            hex::decode("ffeeddccbbaa99887766554433221100f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
                .unwrap();
        let mut key = [0u8; 32];
        key.copy_from_slice(&key_be);
        key.chunks_exact_mut(4).for_each(<[u8]>::reverse);
        let mut block: [u8; 8] = hex::decode("fedcba9876543210").unwrap().try_into().unwrap();
        block.reverse();
        let c = Gost28147::<Magma>::new(&key);
        c.encrypt(&mut block);
        block.reverse();
        assert_eq!(hex::encode(block), "4ee901e5c2d8ca3d");
    }

    #[test]
    fn cfb_round_trips_across_meshing_and_partial_blocks() {
        let key = [7u8; 32];
        let iv = [9u8; 8];
        let plain: Vec<u8> = (0..3001u32).map(|i| (i * 31) as u8).collect();
        for params in [ParamSet::Z, ParamSet::CryptoProA] {
            let mut data = plain.clone();
            cfb_encrypt(params, &key, &iv, &mut data);
            assert_ne!(data, plain);
            cfb_decrypt(params, &key, &iv, &mut data);
            assert_eq!(data, plain);
        }
    }
}
