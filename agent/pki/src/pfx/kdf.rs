//! The PKCS#12 key derivation of RFC 7292 Appendix B.2, used by the legacy PBE schemes and by
//! the MAC of every non-GOST PFX (GOST MACs use PBKDF2 instead, see [`super::mac`]).

use sha2::digest::Digest;
use zeroize::{Zeroize, Zeroizing};

/// Purpose byte ("ID") of B.2: what the derived bytes are for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    Key = 1,
    Iv = 2,
    Mac = 3,
}

/// The password as RFC 7292 B.1 wants it: a BMPString (UTF-16BE) with two trailing zero bytes.
/// Characters outside the BMP come out as surrogate pairs, as OpenSSL's `OPENSSL_utf82uni` does.
pub(crate) fn bmp_password(password: &str) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(2 * password.len() + 2));
    for unit in password.encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    out.extend_from_slice(&[0, 0]);
    out
}

/// Fills `out` per B.2 with hash `D` of block length `block_len` (v); `iterations` ≥ 1.
pub(crate) fn derive<D: Digest>(
    block_len: usize,
    purpose: Purpose,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    out: &mut [u8],
) {
    let v = block_len;
    let diversifier = vec![purpose as u8; v];
    // I = S ‖ P, each repeated to a whole number of v-byte blocks.
    let s_len = v * salt.len().div_ceil(v);
    let p_len = v * password.len().div_ceil(v);
    let mut i = Zeroizing::new(Vec::with_capacity(s_len + p_len));
    i.extend(salt.iter().cycle().take(s_len));
    i.extend(password.iter().cycle().take(p_len));
    let mut b = Zeroizing::new(Vec::<u8>::with_capacity(v));
    for chunk in out.chunks_mut(<D as Digest>::output_size()) {
        let mut a = D::new()
            .chain_update(&diversifier)
            .chain_update(&i[..])
            .finalize();
        for _ in 1..iterations {
            let next = D::digest(&a);
            a.zeroize();
            a = next;
        }
        chunk.copy_from_slice(&a[..chunk.len()]);
        // I_j = (I_j + B + 1) mod 2^(8v), B = A repeated to v bytes.
        b.clear();
        b.extend(a.iter().cycle().take(v));
        a.zeroize();
        for block in i.chunks_mut(v) {
            let mut carry = 1u16;
            for (x, y) in block.iter_mut().rev().zip(b.iter().rev()) {
                let sum = u16::from(*x) + u16::from(*y) + carry;
                *x = sum as u8;
                carry = sum >> 8;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha1::Sha1;

    #[test]
    fn bmp_password_is_utf16be_with_terminator() {
        assert_eq!(&bmp_password("Aж")[..], &[0, 0x41, 0x04, 0x36, 0, 0][..]);
        assert_eq!(&bmp_password("")[..], &[0, 0][..]);
    }

    /// The "smeg" vectors that OpenSSL and BouncyCastle test RFC 7292 B.2 with.
    #[test]
    fn pkcs12_kdf_vectors() {
        let pw = bmp_password("smeg");
        let salt = hex::decode("0A58CF64530D823F").unwrap();
        let mut key = [0u8; 24];
        derive::<Sha1>(64, Purpose::Key, &pw, &salt, 1, &mut key);
        assert_eq!(
            hex::encode_upper(key),
            "8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3"
        );
        let mut iv = [0u8; 8];
        derive::<Sha1>(64, Purpose::Iv, &pw, &salt, 1, &mut iv);
        assert_eq!(hex::encode_upper(iv), "79993DFE048D3B76");
        let salt = hex::decode("3D83C0E4546AC140").unwrap();
        let mut mac = [0u8; 20];
        derive::<Sha1>(64, Purpose::Mac, &pw, &salt, 1, &mut mac);
        assert_eq!(
            hex::encode_upper(mac),
            "8D967D88F6CAA9D714800AB3D48051D63F73A312"
        );
        let pw = bmp_password("queeg");
        let salt = hex::decode("1682C0FC5B3F7EC5").unwrap();
        let mut key = [0u8; 24];
        derive::<Sha1>(64, Purpose::Key, &pw, &salt, 1000, &mut key);
        assert_eq!(
            hex::encode_upper(key),
            "483DD6E919D7DE2E8E648BA8F862F3FBFBDC2BCB2C02957F"
        );
    }
}
