//! The command line's key-file readers (tamga-pki underneath) on arbitrary bytes: PEM or DER
//! PKCS#8 private keys, SubjectPublicKeyInfo and certificates. Every input must give a key or an
//! error, never a panic; a private key that parses must sign what its own public key verifies.
//!
//! Input: `[which, file bytes…]`; `which % 3` picks the parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamga::keyfile::{parse_certificate, parse_private_key, parse_public_key};

fuzz_target!(|data: &[u8]| {
    let [which, bytes @ ..] = data else {
        return;
    };
    match which % 3 {
        0 => {
            if let Ok(file) = parse_private_key(bytes) {
                let key = file.secret();
                let digest = vec![0x5Au8; key.curve().digest_len()];
                let sig = key
                    .sign_digest(&digest, tamga_gost::SigEncoding::Rfc9215)
                    .expect("a parsed key signs");
                key.public_key()
                    .verify_digest(&digest, &sig, tamga_gost::SigEncoding::Rfc9215)
                    .expect("and its public key verifies");
            }
        }
        1 => {
            let _ = parse_public_key(bytes);
        }
        _ => {
            let _ = parse_certificate(bytes);
        }
    }
});
