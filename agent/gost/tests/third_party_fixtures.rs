//! Signatures made by other software: RFC 9215 Appendix D (certificates, CSRs, CRLs), raw
//! `openssl dgst -sign` output of OpenSSL + gost engine, and Kalkan's GOST 2015-512 vectors. Each
//! test also shows that the other plausible byte order fails.

mod common;
use common::*;
use tamga_gost::hash::streebog::{streebog256, streebog512};
use tamga_gost::{Curve, PublicKey, SecretKey, SigEncoding};

fn digest_for(curve: Curve, data: &[u8]) -> Vec<u8> {
    if curve.bits() == 256 {
        streebog256(data).to_vec()
    } else {
        streebog512(data).to_vec()
    }
}

fn key_from_spki(spki: &[u8]) -> PublicKey {
    let (oid, xy) = spki_key(spki);
    let curve = Curve::from_oid(&oid).unwrap_or_else(|_| panic!("curve {oid}"));
    PublicKey::from_bytes(curve, &xy).unwrap()
}

fn check_signed(der: &[u8], key: &PublicKey, what: &str) {
    let (tbs, _alg, sig) = signed_parts(der);
    let digest = digest_for(key.curve(), &tbs);
    key.verify_digest(&digest, &sig, SigEncoding::Rfc9215)
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        key.verify_digest(&digest, &sig, SigEncoding::Kz).is_err(),
        "{what}: Kazakh order must fail"
    );
    assert!(
        key.verify_digest(&rev(&digest), &sig, SigEncoding::Rfc9215)
            .is_err(),
        "{what}: BE digest must fail"
    );
    let mut r_s = sig[sig.len() / 2..].to_vec();
    r_s.extend_from_slice(&sig[..sig.len() / 2]);
    assert!(
        key.verify_digest(&digest, &r_s, SigEncoding::Rfc9215)
            .is_err(),
        "{what}: r‖s must fail"
    );
    let mut tampered = tbs.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    assert!(key
        .verify_digest(
            &digest_for(key.curve(), &tampered),
            &sig,
            SigEncoding::Rfc9215
        )
        .is_err());
}

#[test]
fn rfc9215_appendix_d() {
    for set in [
        "d1-gost2001-testparamset-256",
        "d2-tc26-256-paramSetA",
        "d3-tc26-512-paramSetTest",
    ] {
        let cert = pem(&data(&format!("rfc9215/{set}.crt.pem")));
        let (tbs, _, _) = signed_parts(&cert);
        let key = key_from_spki(&find_spki(&tbs));
        // The private key of the appendix yields the certified public key.
        let keys = flat(&data(&format!("rfc9215/{set}.key.txt")));
        let l = key.curve().scalar_len();
        let sk = SecretKey::from_be_bytes(key.curve(), &be_fixed(&keys["d"], l)).unwrap();
        assert_eq!(sk.public_key(), key, "{set}");
        assert_eq!(key.to_bytes(), unhex(&keys["pubkey_octets"]));
        check_signed(&cert, &key, &format!("{set} certificate"));
        check_signed(
            &pem(&data(&format!("rfc9215/{set}.csr.pem"))),
            &key,
            &format!("{set} CSR"),
        );
        check_signed(
            &pem(&data(&format!("rfc9215/{set}.crl.pem"))),
            &key,
            &format!("{set} CRL"),
        );
    }
}

#[test]
fn openssl_gost_engine_raw_signatures() {
    let message = data_bytes("openssl-gost/message.txt");
    for set in [
        "tc26-256-A",
        "tc26-256-B",
        "cryptopro-256-A",
        "tc26-512-A",
        "tc26-512-C",
    ] {
        let key = key_from_spki(&pem(&data(&format!("openssl-gost/{set}.pub.pem"))));
        let sig = data_bytes(&format!("openssl-gost/{set}.message.sig"));
        let digest = digest_for(key.curve(), &message);
        key.verify_digest(&digest, &sig, SigEncoding::Rfc9215)
            .unwrap_or_else(|e| panic!("{set}: {e}"));
        assert_eq!(key.detect_encoding(&digest, &sig), Ok(SigEncoding::Rfc9215));
        assert!(key.verify_digest(&digest, &sig, SigEncoding::Kz).is_err());
        assert!(key
            .verify_digest(&rev(&digest), &sig, SigEncoding::Rfc9215)
            .is_err());
        let mut r_s = sig[sig.len() / 2..].to_vec();
        r_s.extend_from_slice(&sig[..sig.len() / 2]);
        assert!(key
            .verify_digest(&digest, &r_s, SigEncoding::Rfc9215)
            .is_err());
        // The certificate carries the same key, and its self-signature verifies.
        let cert = data_bytes(&format!("openssl-gost/{set}.crt.der"));
        let (tbs, _, _) = signed_parts(&cert);
        assert_eq!(key_from_spki(&find_spki(&tbs)), key);
        check_signed(&cert, &key, set);
        // OpenSSL's PKCS#8 holds the bare little-endian scalar; it must give back the same key.
        let p8 = data_bytes(&format!("openssl-gost/{set}.key.der"));
        let (_, _, body, _) = tlv(&p8);
        let scalar = children(body)[2].2.to_vec();
        let sk = SecretKey::from_le_bytes(key.curve(), &scalar).unwrap();
        assert_eq!(sk.public_key(), key, "{set}");
        // Read big-endian, the scalar is a different (wrong) key.
        if let Ok(wrong) = SecretKey::from_be_bytes(key.curve(), &scalar) {
            assert_ne!(wrong.public_key(), key);
        }
        let mine = sk.sign_digest(&digest, SigEncoding::Rfc9215).unwrap();
        key.verify_digest(&digest, &mine, SigEncoding::Rfc9215)
            .unwrap();
    }
}

#[test]
fn kalkan_gost2015_512() {
    let v = flat(&data("test_gost512.vectors"));
    let curve = Curve::from_oid("1.2.398.3.10.1.1.2.2.1").unwrap();
    assert_eq!(curve, Curve::Tc26_512A);
    // The digest is Streebog-512 of the message, as the hash outputs it.
    let digest = streebog512(v["msg"].as_bytes());
    assert_eq!(digest.to_vec(), unhex(&v["digest"]));
    // qx, qy and d are big-endian integers: the SPKI holds X‖Y little-endian, i.e. reversed.
    let key = PublicKey::from_coordinates(curve, &unhex(&v["qx"]), &unhex(&v["qy"])).unwrap();
    let spki = unhex(&v["spki"]);
    let (oid, xy) = spki_key(&spki);
    assert_eq!(oid, "1.2.398.3.10.1.1.2.2.1");
    assert_eq!(PublicKey::from_bytes(curve, &xy).unwrap(), key);
    let sk = SecretKey::from_be_bytes(curve, &unhex(&v["d"])).unwrap();
    assert_eq!(sk.public_key(), key);
    if let Ok(wrong) = SecretKey::from_le_bytes(curve, &unhex(&v["d"])) {
        assert_ne!(
            wrong.public_key(),
            key,
            "d read little-endian must not give Q"
        );
    }
    // Kalkan's signature is the RFC 9215 value reversed as a whole.
    let sig = unhex(&v["sig"]);
    key.verify_digest(&digest, &sig, SigEncoding::Kz).unwrap();
    assert_eq!(key.detect_encoding(&digest, &sig), Ok(SigEncoding::Kz));
    assert!(key
        .verify_digest(&digest, &sig, SigEncoding::Rfc9215)
        .is_err());
    key.verify_digest(&digest, &rev(&sig), SigEncoding::Rfc9215)
        .unwrap();
    // The self-signed certificate's signature, over Streebog-512 of the TBS bytes.
    let tbs = unhex(&v["cert_tbs"]);
    let cert_sig = unhex(&v["cert_sig"]);
    let cert_digest = streebog512(&tbs);
    key.verify_digest(&cert_digest, &cert_sig, SigEncoding::Kz)
        .unwrap();
    assert!(key
        .verify_digest(&cert_digest, &cert_sig, SigEncoding::Rfc9215)
        .is_err());
    // And tamga signs in that layout so that the same check passes.
    let mine = sk.sign_digest(&cert_digest, SigEncoding::Kz).unwrap();
    key.verify_digest(&cert_digest, &mine, SigEncoding::Kz)
        .unwrap();
}

#[test]
fn vko_rfc7836_examples() {
    let recs = records(&data("vko_rfc7836.txt"));
    let curve = Curve::Tc26_512A;
    for v in &recs {
        let a = SecretKey::from_le_bytes(curve, &unhex(&v["prv_a_bytes"])).unwrap();
        let b = SecretKey::from_le_bytes(curve, &unhex(&v["prv_b_bytes"])).unwrap();
        let pub_a = PublicKey::from_bytes(curve, &unhex(&v["pub_a_bytes"])).unwrap();
        let pub_b = PublicKey::from_bytes(curve, &unhex(&v["pub_b_bytes"])).unwrap();
        assert_eq!(a.public_key(), pub_a);
        assert_eq!(b.public_key(), pub_b);
        let ukm = unhex(&v["ukm_bytes"]);
        let k = tamga_gost::vko_point(&a, &pub_b, &ukm).unwrap();
        assert_eq!(rev(&k[..64]), be_fixed(&v["K_x"], 64));
        assert_eq!(rev(&k[64..]), be_fixed(&v["K_y"], 64));
        let kek = unhex(&v["kek_bytes"]);
        let (ab, ba) = if kek.len() == 32 {
            (
                tamga_gost::vko_2012_256(&a, &pub_b, &ukm).unwrap().to_vec(),
                tamga_gost::vko_2012_256(&b, &pub_a, &ukm).unwrap().to_vec(),
            )
        } else {
            (
                tamga_gost::vko_2012_512(&a, &pub_b, &ukm).unwrap().to_vec(),
                tamga_gost::vko_2012_512(&b, &pub_a, &ukm).unwrap().to_vec(),
            )
        };
        assert_eq!(ab, kek);
        assert_eq!(ba, kek);
        // UKM read big-endian gives another key.
        let other = tamga_gost::vko_2012_256(&a, &pub_b, &rev(&ukm)).unwrap();
        assert_ne!(other.to_vec(), kek[..32].to_vec());
    }
    assert_eq!(recs.len(), 2);
}
