//! Bad input is an error, never a panic: public keys off the curve, outside the prime-order
//! subgroup or out of range; signatures with r or s out of range; wrong lengths everywhere.

mod common;
use common::*;
use tamga_gost::{Curve, Error, PublicKey, SecretKey, SigEncoding, Signature};

#[test]
fn public_key_outside_the_subgroup_is_refused() {
    // (8, y) is on TC26-256-A's Weierstrass form but q·P ≠ O: it has a component of order 2 or 4
    // (found by a throwaway search: the smallest x whose point is not killed by q).
    let x = be_fixed("08", 32);
    let y = be_fixed(
        "ED3581BEC3A800B4E42F823268B76D5802FF206853353B55A2B91452F2ADFD07",
        32,
    );
    assert_eq!(
        PublicKey::from_coordinates(Curve::Tc26_256A, &x, &y),
        Err(Error::InvalidPublicKey)
    );
    // The same x on a cofactor-1 curve is simply off that curve.
    assert_eq!(
        PublicKey::from_coordinates(Curve::CryptoProA, &x, &y),
        Err(Error::InvalidPublicKey)
    );
}

#[test]
fn public_key_off_the_curve_or_out_of_range_is_refused() {
    for curve in tamga_gost::ALL_CURVES {
        let l = curve.scalar_len();
        let good = SecretKey::from_seed(curve, &[7u8; 128]).public_key();
        let mut xy = good.to_bytes();
        xy[0] ^= 1; // x changes: (x', y) is on the curve with negligible probability
        assert_eq!(
            PublicKey::from_bytes(curve, &xy),
            Err(Error::InvalidPublicKey),
            "{curve}"
        );
        // Coordinates ≥ p.
        let ff = vec![0xFFu8; l];
        assert_eq!(
            PublicKey::from_coordinates(curve, &ff, &good.y_be()),
            Err(Error::InvalidPublicKey)
        );
        // The identity has no affine encoding; (0, 0) is not a point.
        assert!(PublicKey::from_bytes(curve, &vec![0u8; 2 * l]).is_err());
        assert!(matches!(
            PublicKey::from_bytes(curve, &xy[1..]),
            Err(Error::Length { .. })
        ));
    }
}

#[test]
fn signature_range_checks() {
    let curve = Curve::CryptoProA;
    let sk = SecretKey::from_seed(curve, &[1u8; 128]);
    let pk = sk.public_key();
    let digest = [0x44u8; 32];
    let q = be_fixed(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893",
        32,
    );
    let one = be_fixed("01", 32);
    let zero = vec![0u8; 32];
    for (s, r) in [(&zero, &one), (&one, &zero), (&q, &one), (&one, &q)] {
        let mut sig = s.clone();
        sig.extend_from_slice(r);
        assert_eq!(
            pk.verify_digest(&digest, &sig, SigEncoding::Rfc9215),
            Err(Error::SignatureRange)
        );
    }
    // Wrong lengths of digest and signature.
    let good = sk.sign_digest(&digest, SigEncoding::Rfc9215).unwrap();
    assert!(matches!(
        pk.verify_digest(&digest[1..], &good, SigEncoding::Rfc9215),
        Err(Error::Length { .. })
    ));
    assert!(matches!(
        pk.verify_digest(&digest, &good[1..], SigEncoding::Auto),
        Err(Error::Length { .. })
    ));
    assert!(matches!(
        Signature::from_bytes(curve, &[], SigEncoding::Kz),
        Err(Error::Length { .. })
    ));
    assert!(matches!(
        sk.sign_digest(&[0u8; 64], SigEncoding::Rfc9215),
        Err(Error::Length { .. })
    ));
    // A signature made on one curve does not verify with a key of another size.
    let other = SecretKey::from_seed(Curve::Tc26_512A, &[1u8; 128]).public_key();
    assert!(other
        .verify_digest(&[0u8; 64], &good, SigEncoding::Rfc9215)
        .is_err());
}

#[test]
fn secret_key_range_checks() {
    let curve = Curve::CryptoProA;
    let q = be_fixed(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893",
        32,
    );
    assert_eq!(
        SecretKey::from_be_bytes(curve, &q).unwrap_err(),
        Error::InvalidSecretKey
    );
    assert_eq!(
        SecretKey::from_le_bytes(curve, &[0u8; 32]).unwrap_err(),
        Error::InvalidSecretKey
    );
    assert!(matches!(
        SecretKey::from_le_bytes(curve, &[1u8; 33]),
        Err(Error::Length { .. })
    ));
    assert!(matches!(
        SecretKey::from_le_bytes(curve, &[]),
        Err(Error::Length { .. })
    ));
    // Debug output never shows the scalar.
    let sk = SecretKey::from_le_bytes(curve, &[0xABu8; 31]).unwrap();
    assert!(!format!("{sk:?}").to_lowercase().contains("abab"));
}

#[test]
fn vko_rejects_bad_input() {
    let a = SecretKey::from_seed(Curve::Tc26_512A, &[2u8; 128]);
    let b = SecretKey::from_seed(Curve::Tc26_256A, &[3u8; 128]).public_key();
    assert_eq!(
        tamga_gost::vko_point(&a, &b, &[1]).unwrap_err(),
        Error::InvalidPublicKey
    );
    let b = SecretKey::from_seed(Curve::Tc26_512A, &[3u8; 128]).public_key();
    assert!(matches!(
        tamga_gost::vko_point(&a, &b, &[]),
        Err(Error::Length { .. })
    ));
    assert_eq!(
        tamga_gost::vko_point(&a, &b, &[0u8; 8]).unwrap_err(),
        Error::InvalidUkm
    );
}
