//! The masked private keys of R 50.1.112-2016 (CryptoPro export): `privateKey` holds
//! LE(k′) ‖ LE(mask₁) ‖ … ‖ LE(maskₙ), each L bytes, and the key is d = k′·mask₁·…·maskₙ mod q.
//!
//! tamga-gost exposes no modular multiplication, but [`SecretKey::from_seed`] reduces any 2L-byte
//! little-endian number mod q in constant time: each product of two L-byte factors is formed
//! here (schoolbook, fixed loops on 64-bit limbs) and reduced through it.

use tamga_gost::{Curve, SecretKey};
use zeroize::Zeroizing;

use crate::PkiError;

/// Unmasks `content` (n + 1 ≥ 2 factors of `curve.scalar_len()` bytes).
pub(crate) fn unmask(curve: Curve, content: &[u8]) -> Result<SecretKey, PkiError> {
    let l = curve.scalar_len();
    if content.len() < 2 * l || content.len() % l != 0 {
        return Err(PkiError::Corrupt(format!(
            "masked {curve} private key of {} bytes",
            content.len()
        )));
    }
    let mut factors = content.chunks_exact(l);
    let first = factors
        .next()
        .ok_or_else(|| PkiError::Corrupt("empty key".into()))?;
    let mut acc = reduce(curve, first, &one(l))?;
    for mask in factors {
        acc = reduce(curve, &acc.to_le_bytes(), mask)?;
    }
    Ok(acc)
}

fn one(l: usize) -> Zeroizing<Vec<u8>> {
    let mut v = Zeroizing::new(vec![0u8; l]);
    v[0] = 1;
    v
}

/// a·b mod q for L-byte little-endian `a` and `b`; a factor ≡ 0 mod q is an error.
fn reduce(curve: Curve, a: &[u8], b: &[u8]) -> Result<SecretKey, PkiError> {
    for factor in [a, b] {
        if is_zero_mod_q(curve, factor) {
            return Err(PkiError::Corrupt(format!(
                "masked {curve} private key with a zero factor"
            )));
        }
    }
    Ok(SecretKey::from_seed(curve, &mul(a, b)))
}

/// `from_seed` maps 0 to 1, so f ≡ 0 shows as f ↦ 1 and 2f ↦ 1 (f ≡ 1 would give 2f ↦ 2). The
/// branch is on an event of probability ~2⁻²⁵⁵ for a real key.
fn is_zero_mod_q(curve: Curve, f: &[u8]) -> bool {
    let l = curve.scalar_len();
    let maps_to_one = |x: &[u8]| SecretKey::from_seed(curve, x).to_le_bytes()[..] == one(l)[..];
    maps_to_one(&mul(f, &one(l))) && maps_to_one(&mul(f, &two(l)))
}

fn two(l: usize) -> Zeroizing<Vec<u8>> {
    let mut v = Zeroizing::new(vec![0u8; l]);
    v[0] = 2;
    v
}

/// The full 2L-byte little-endian product of two L-byte little-endian numbers (L = 32 or 64).
fn mul(a: &[u8], b: &[u8]) -> Zeroizing<Vec<u8>> {
    let limbs = |x: &[u8]| -> Zeroizing<Vec<u64>> {
        Zeroizing::new(
            x.chunks(8)
                .map(|c| {
                    let mut w = [0u8; 8];
                    w[..c.len()].copy_from_slice(c);
                    u64::from_le_bytes(w)
                })
                .collect(),
        )
    };
    let (a, b) = (limbs(a), limbs(b));
    let mut r = Zeroizing::new(vec![0u64; a.len() + b.len()]);
    for (i, &ai) in a.iter().enumerate() {
        let mut carry = 0u128;
        for (j, &bj) in b.iter().enumerate() {
            let t = u128::from(ai) * u128::from(bj) + u128::from(r[i + j]) + carry;
            r[i + j] = t as u64;
            carry = t >> 64;
        }
        r[i + b.len()] = carry as u64;
    }
    let mut out = Zeroizing::new(Vec::with_capacity(8 * r.len()));
    for w in r.iter() {
        out.extend_from_slice(&w.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_is_schoolbook() {
        let mut a = vec![0u8; 32];
        let mut b = vec![0u8; 32];
        a[0] = 0xff;
        a[31] = 0x80;
        b[0] = 3;
        let p = mul(&a, &b);
        assert_eq!(p[0], 0xfd);
        assert_eq!(p[1], 0x02);
        assert_eq!(p[31], 0x80);
        assert_eq!(p[32], 0x01);
    }

    #[test]
    fn unmasking_by_one_is_identity_and_zero_is_refused() {
        let curve = Curve::Tc26_256A;
        let key = SecretKey::from_seed(curve, &[5u8; 64]);
        let mut content = key.to_le_bytes().to_vec();
        content.extend_from_slice(&one(32));
        assert_eq!(
            unmask(curve, &content).unwrap().to_le_bytes(),
            key.to_le_bytes()
        );
        content[32..].fill(0);
        assert!(matches!(unmask(curve, &content), Err(PkiError::Corrupt(_))));
        assert!(matches!(
            unmask(curve, &content[..40]),
            Err(PkiError::Corrupt(_))
        ));
    }
}
