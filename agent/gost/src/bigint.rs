//! Limb primitives and fixed-width helpers shared by the field and scalar arithmetic.
//!
//! Limbs are little-endian `u64`s. Everything here is branch-free: carries and borrows travel as
//! values, and choices are made with all-ones / all-zeros masks.

/// `a + b + carry`, returning (sum, carry out ∈ {0, 1}).
#[inline(always)]
pub(crate) const fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = (a as u128) + (b as u128) + (carry as u128);
    (t as u64, (t >> 64) as u64)
}

/// `a - b - borrow`, returning (difference, borrow out ∈ {0, 1}).
#[inline(always)]
pub(crate) const fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    let t = (a as u128).wrapping_sub((b as u128) + (borrow as u128));
    (t as u64, ((t >> 64) as u64) & 1)
}

/// `acc + a * b + carry`, returning (low, high). Never overflows 128 bits.
#[inline(always)]
pub(crate) const fn mac(acc: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = (acc as u128) + (a as u128) * (b as u128) + (carry as u128);
    (t as u64, (t >> 64) as u64)
}

/// All ones when `bit` is 1, zero when it is 0 (`bit` must be 0 or 1).
///
/// The value passes through `black_box` so that LLVM cannot see that it came from a comparison:
/// otherwise it turns mask-and-xor selections back into branches, `cmov`s or indexed loads (the
/// constant-time test caught exactly that).
#[inline(always)]
pub(crate) fn mask(bit: u64) -> u64 {
    core::hint::black_box(0u64.wrapping_sub(bit))
}

/// `a + b` over N limbs, returning the carry.
#[inline(always)]
pub(crate) fn add_n<const N: usize>(a: &[u64; N], b: &[u64; N]) -> ([u64; N], u64) {
    let mut r = [0u64; N];
    let mut c = 0;
    for i in 0..N {
        (r[i], c) = adc(a[i], b[i], c);
    }
    (r, c)
}

/// `a - b` over N limbs, returning the borrow.
#[inline(always)]
pub(crate) fn sub_n<const N: usize>(a: &[u64; N], b: &[u64; N]) -> ([u64; N], u64) {
    let mut r = [0u64; N];
    let mut bw = 0;
    for i in 0..N {
        (r[i], bw) = sbb(a[i], b[i], bw);
    }
    (r, bw)
}

/// `m ? b : a` limb-wise, where `m` is a mask.
#[inline(always)]
pub(crate) fn select_n<const N: usize>(a: &[u64; N], b: &[u64; N], m: u64) -> [u64; N] {
    let mut r = [0u64; N];
    for i in 0..N {
        r[i] = a[i] ^ ((a[i] ^ b[i]) & m);
    }
    r
}

/// 1 when every limb is zero, else 0, without branching.
#[inline(always)]
pub(crate) fn is_zero_n<const N: usize>(a: &[u64; N]) -> u64 {
    let mut acc = 0u64;
    for limb in a {
        acc |= *limb;
    }
    // (acc | -acc) has its top bit set exactly when acc != 0.
    1 ^ ((acc | acc.wrapping_neg()) >> 63)
}

/// 1 when `a < b`, else 0 (constant time).
#[inline(always)]
pub(crate) fn lt_n<const N: usize>(a: &[u64; N], b: &[u64; N]) -> u64 {
    sub_n(a, b).1
}

/// Little-endian bytes → limbs. `bytes.len()` must be `8 * N` (checked by callers).
pub(crate) fn from_le_bytes<const N: usize>(bytes: &[u8]) -> [u64; N] {
    let mut r = [0u64; N];
    for (i, chunk) in bytes.chunks_exact(8).take(N).enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        r[i] = u64::from_le_bytes(w);
    }
    r
}

/// Limbs → little-endian bytes into `out[..8 * N]`.
pub(crate) fn to_le_bytes<const N: usize>(a: &[u64; N], out: &mut [u8]) {
    for (i, chunk) in out.chunks_exact_mut(8).take(N).enumerate() {
        chunk.copy_from_slice(&a[i].to_le_bytes());
    }
}

/// Big-endian bytes → limbs (`bytes.len()` must be `8 * N`).
pub(crate) fn from_be_bytes<const N: usize>(bytes: &[u8]) -> [u64; N] {
    let mut r = [0u64; N];
    for (i, chunk) in bytes.rchunks_exact(8).take(N).enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        r[i] = u64::from_be_bytes(w);
    }
    r
}

/// Limbs → big-endian bytes into `out[..8 * N]`.
pub(crate) fn to_be_bytes<const N: usize>(a: &[u64; N], out: &mut [u8]) {
    for (i, chunk) in out[..8 * N].rchunks_exact_mut(8).enumerate() {
        chunk.copy_from_slice(&a[i].to_be_bytes());
    }
}

/// Parses a big-endian hex constant at compile time (for curve parameters).
pub(crate) const fn hex_limbs<const N: usize>(s: &str) -> [u64; N] {
    let b = s.as_bytes();
    let mut r = [0u64; N];
    let mut i = 0;
    while i < b.len() {
        let c = b[b.len() - 1 - i];
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => panic!("bad hex digit in a curve constant"),
        } as u64;
        let limb = i / 16;
        assert!(limb < N, "curve constant too long");
        r[limb] |= v << ((i % 16) * 4);
        i += 1;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_round_trips() {
        let x: [u64; 4] =
            hex_limbs("0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F20");
        let mut be = [0u8; 32];
        to_be_bytes(&x, &mut be);
        assert_eq!(be[0], 1);
        assert_eq!(be[31], 0x20);
        assert_eq!(from_be_bytes::<4>(&be), x);
        let mut le = [0u8; 32];
        to_le_bytes(&x, &mut le);
        assert_eq!(le[0], 0x20);
        assert_eq!(from_le_bytes::<4>(&le), x);
    }

    #[test]
    fn zero_and_compare() {
        assert_eq!(is_zero_n(&[0u64; 4]), 1);
        assert_eq!(is_zero_n(&[0, 0, 1u64 << 63, 0]), 0);
        assert_eq!(lt_n(&[1, 0], &[2, 0]), 1);
        assert_eq!(lt_n(&[2, 0], &[2, 0]), 0);
        assert_eq!(lt_n(&[0, 1], &[u64::MAX, 0]), 0);
    }
}
