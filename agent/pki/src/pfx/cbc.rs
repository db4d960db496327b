//! CBC decryption with PKCS#7 padding for any block cipher: AES in PBES2, DES-EDE3 and RC2 in the
//! legacy PKCS#12 schemes. Written out rather than taken from the `cbc` crate so that a bad pad
//! is checked without branching on secret bytes and reported as a wrong password.

use cipher::{Block, BlockCipherDecrypt};
use subtle::{ConstantTimeEq, ConstantTimeLess};
use zeroize::{Zeroize, Zeroizing};

use crate::PkiError;

/// Decrypts `data` in place and strips the padding. A ciphertext whose length is no whole
/// number of blocks, or an IV of the wrong size, is damaged; a bad pad means a wrong key.
pub(crate) fn decrypt<C: BlockCipherDecrypt>(
    cipher: &C,
    iv: &[u8],
    data: &mut Zeroizing<Vec<u8>>,
) -> Result<(), PkiError> {
    let n = C::block_size();
    if iv.len() != n {
        return Err(PkiError::Corrupt(format!("CBC IV of {} bytes", iv.len())));
    }
    if data.is_empty() || data.len() % n != 0 {
        return Err(PkiError::Corrupt(format!(
            "CBC ciphertext of {} bytes is not whole {n}-byte blocks",
            data.len()
        )));
    }
    let mut previous = Block::<C>::default();
    previous.copy_from_slice(iv);
    let mut block = Block::<C>::default();
    for chunk in data.chunks_exact_mut(n) {
        block.copy_from_slice(chunk);
        cipher.decrypt_block(&mut block);
        for ((out, plain), prev) in chunk.iter_mut().zip(block.iter()).zip(previous.iter_mut()) {
            let cipher_byte = *out;
            *out = plain ^ *prev;
            *prev = cipher_byte;
        }
    }
    block.zeroize();
    let pad = unpad_len(data, n).ok_or(PkiError::WrongPassword)?;
    let len = data.len() - pad;
    data.truncate(len);
    Ok(())
}

/// The PKCS#7 pad length if the pad is well formed, checked in constant time.
fn unpad_len(data: &[u8], n: usize) -> Option<usize> {
    let last = *data.last()?;
    let tail = &data[data.len() - n..];
    let pad = u16::from(last);
    let mut ok = !pad.ct_eq(&0) & pad.ct_lt(&(n as u16 + 1));
    for (i, byte) in tail.iter().rev().enumerate() {
        let in_pad = (i as u16).ct_lt(&pad);
        ok &= !in_pad | byte.ct_eq(&last);
    }
    bool::from(ok).then_some(usize::from(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_are_checked() {
        assert_eq!(unpad_len(&[1, 2, 3, 4, 5, 6, 7, 1], 8), Some(1));
        assert_eq!(unpad_len(&[8; 8], 8), Some(8));
        assert_eq!(unpad_len(&[1, 2, 3, 4, 5, 6, 2, 2], 8), Some(2));
        assert_eq!(unpad_len(&[1, 2, 3, 4, 5, 6, 3, 2], 8), None);
        assert_eq!(unpad_len(&[1, 2, 3, 4, 5, 6, 3, 3], 8), None);
        assert_eq!(unpad_len(&[1, 2, 3, 4, 5, 6, 7, 0], 8), None);
        assert_eq!(unpad_len(&[9; 8], 8), None);
    }
}
