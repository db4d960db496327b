//! Kuznyechik and Magma in CTR-ACPKM mode (GOST R 34.13-2015 CTR with the RFC 8645 re-keying),
//! and the `-omac` variants of RFC 9337/RFC 9548 that also authenticate the plaintext.
//!
//! Parameters are `Gost3412-15-Encryption-Parameters ::= SEQUENCE { ukm OCTET STRING }`: the first
//! n/2 bytes of ukm are the CTR IV (the counter block is IV ‖ 0…0, incremented big-endian), and
//! for the OMAC variants the next 8 bytes are the KDF_TREE seed that splits the PBKDF2 key into
//! an encryption key and a MAC key. Both ciphers use the 34.12 (big-endian) convention that the
//! `magma` and `kuznyechik` crates implement, so no byte-order adapter is needed here.

use cipher::consts::U32;
use cipher::{Block, BlockCipherEncrypt, BlockSizeUser, KeyInit};
use cmac::block_api::CmacCipher;
use cmac::{Cmac, Mac};
use kuznyechik::Kuznyechik;
use magma::Magma;
use subtle::ConstantTimeEq;
use tamga_gost::hash::kdf::kdf_tree_gostr3411_2012_256;
use zeroize::{Zeroize, Zeroizing};

use crate::PkiError;

/// Which block cipher runs the mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CtrCipher {
    Magma,
    Kuznyechik,
}

/// The ACPKM constant D = 0x80, 0x81, …, 0x9F (RFC 8645 §6.1), encrypted to make the next key.
const ACPKM_D: [u8; 32] = {
    let mut d = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        d[i] = 0x80 + i as u8;
        i += 1;
    }
    d
};

/// Decrypts `data` in place; with `omac`, checks and strips the trailing tag. Any failure of
/// the tag is a wrong password (the caller cannot tell it from a damaged ciphertext).
pub(crate) fn decrypt(
    cipher: CtrCipher,
    omac: bool,
    key: &[u8; 32],
    ukm: &[u8],
    data: &mut Zeroizing<Vec<u8>>,
) -> Result<(), PkiError> {
    match cipher {
        // Section sizes of the gost engine (Magma 1 KiB, Kuznyechik 4 KiB), pinned by its
        // Magma files whose cert bags pass 1 KiB; RFC 9548 A.2.1/A.3.1 never reach one.
        CtrCipher::Magma => run::<Magma>(omac, key, ukm, 1024, data),
        CtrCipher::Kuznyechik => run::<Kuznyechik>(omac, key, ukm, 4096, data),
    }
}

fn run<C>(
    omac: bool,
    key: &[u8; 32],
    ukm: &[u8],
    section: usize,
    data: &mut Zeroizing<Vec<u8>>,
) -> Result<(), PkiError>
where
    C: BlockCipherEncrypt + KeyInit<KeySize = U32> + CmacCipher + Clone,
{
    let n = <C as BlockSizeUser>::block_size();
    let seed_end = n / 2 + if omac { 8 } else { 0 };
    let ukm = ukm
        .get(..seed_end)
        .ok_or_else(|| PkiError::Corrupt(format!("CTR-ACPKM ukm shorter than {seed_end} bytes")))?;
    let (iv, seed) = ukm.split_at(n / 2);
    if !omac {
        ctr_acpkm::<C>(key, iv, section, data);
        return Ok(());
    }
    // (K_enc ‖ K_mac) = KDF_TREE_GOSTR3411_2012_256(K, "kdf tree", seed, R = 1), 512 bits.
    let mut keys = Zeroizing::new([0u8; 64]);
    kdf_tree_gostr3411_2012_256(key, b"kdf tree", seed, 1, &mut keys[..])
        .map_err(|e| PkiError::Corrupt(format!("KDF_TREE: {e}")))?;
    let (k_enc, k_mac) = keys.split_at(32);
    let k_enc: &[u8; 32] = k_enc.try_into().map_err(|_| wrong())?;
    ctr_acpkm::<C>(k_enc, iv, section, data);
    let body_len = data.len().checked_sub(n).ok_or_else(wrong)?;
    let mut mac = <Cmac<C> as KeyInit>::new_from_slice(k_mac).map_err(|_| wrong())?;
    mac.update(&data[..body_len]);
    let tag = mac.finalize().into_bytes();
    if bool::from(tag.as_slice().ct_eq(&data[body_len..])) {
        data.truncate(body_len);
        Ok(())
    } else {
        Err(wrong())
    }
}

fn wrong() -> PkiError {
    PkiError::WrongPassword
}

/// CTR with ACPKM re-keying every `section` bytes; its own inverse.
fn ctr_acpkm<C: BlockCipherEncrypt + KeyInit<KeySize = U32>>(
    key: &[u8; 32],
    iv: &[u8],
    section: usize,
    data: &mut [u8],
) {
    let n = <C as BlockSizeUser>::block_size();
    let blocks_per_section = section / n;
    let mut cipher = C::new(&(*key).into());
    let mut counter = Block::<C>::default();
    counter[..iv.len()].copy_from_slice(iv);
    for (i, chunk) in data.chunks_mut(n).enumerate() {
        if i > 0 && i % blocks_per_section == 0 {
            // K_{j+1} = E_{K_j}(D_1) ‖ E_{K_j}(D_2) ‖ … (RFC 8645 ACPKM), 256 bits.
            let mut next = Zeroizing::new(ACPKM_D);
            for d in next.chunks_exact_mut(n) {
                let mut b = Block::<C>::default();
                b.copy_from_slice(d);
                cipher.encrypt_block(&mut b);
                d.copy_from_slice(&b);
                b.zeroize();
            }
            cipher = C::new(&(*next).into());
        }
        let mut gamma = counter.clone();
        cipher.encrypt_block(&mut gamma);
        chunk
            .iter_mut()
            .zip(gamma.iter())
            .for_each(|(c, g)| *c ^= g);
        gamma.zeroize();
        for byte in counter.iter_mut().rev() {
            *byte = byte.wrapping_add(1);
            if *byte != 0 {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GOST R 34.13-2015 A.2.2 (Kuznyechik CTR) and A.1.2 (Magma CTR): the first blocks, before
    /// any ACPKM section boundary, are plain CTR.
    #[test]
    fn ctr_matches_gost_34_13_examples() {
        let key: [u8; 32] =
            hex::decode("8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef")
                .unwrap()
                .try_into()
                .unwrap();
        let mut data = hex::decode("1122334455667700ffeeddccbbaa9988").unwrap();
        ctr_acpkm::<Kuznyechik>(
            &key,
            &hex::decode("1234567890abcef0").unwrap(),
            4096,
            &mut data,
        );
        assert_eq!(hex::encode(data), "f195d8bec10ed1dbd57b5fa240bda1b8");

        let key: [u8; 32] =
            hex::decode("ffeeddccbbaa99887766554433221100f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
                .unwrap()
                .try_into()
                .unwrap();
        let mut data = hex::decode("92def06b3c130a59").unwrap();
        ctr_acpkm::<Magma>(&key, &hex::decode("12345678").unwrap(), 4096, &mut data);
        assert_eq!(hex::encode(data), "4e98110c97b7b93c");
    }

    /// RFC 8645 A.1 / R 1323565.1.017: Kuznyechik CTR-ACPKM with a 32-byte section, first
    /// ciphertext blocks of the second and third sections.
    #[test]
    fn acpkm_rekeys_per_rfc_8645() {
        let key: [u8; 32] =
            hex::decode("8899aabbccddeeff0011223344556677fedcba98765432100123456789abcdef")
                .unwrap()
                .try_into()
                .unwrap();
        let plain = hex::decode(concat!(
            "1122334455667700ffeeddccbbaa9988",
            "00112233445566778899aabbcceeff0a",
            "112233445566778899aabbcceeff0a00",
            "2233445566778899aabbcceeff0a0011",
            "33445566778899aabbcceeff0a001122",
            "445566778899aabbcceeff0a00112233",
            "5566778899aabbcceeff0a0011223344"
        ))
        .unwrap();
        let mut data = plain.clone();
        ctr_acpkm::<Kuznyechik>(
            &key,
            &hex::decode("1234567890abcef0").unwrap(),
            32,
            &mut data,
        );
        assert_eq!(
            hex::encode(&data),
            concat!(
                "f195d8bec10ed1dbd57b5fa240bda1b8",
                "85eee733f6a13e5df33ce4b33c45dee4",
                "4bceeb8f646f4c55001706275e85e800",
                "587c4df568d094393e4834afd0805046",
                "cf30f57686aeece11cfc6c316b8a896e",
                "dffd07ec813636460c4f3b743423163e",
                "6409a9c282fac8d469d221e7fbd6de5d"
            )
        );
    }
}
