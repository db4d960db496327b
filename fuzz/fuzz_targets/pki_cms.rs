//! tamga-pki's CMS SignedData reader on arbitrary bytes: verification of every signer (with the
//! content given or not, with a fixed extra certificate, with a chain check) and adding a
//! co-signature. Every input must give a result or an error, never a panic.
//!
//! Input: `[flags, bytes…]`; bit 0: pass detached content, bit 1: also try `add_signer` with a
//! fixed key (slower: it signs), bit 2: check chains to the fixed certificate.
#![no_main]

use std::sync::OnceLock;
use std::time::{Duration, UNIX_EPOCH};

use libfuzzer_sys::fuzz_target;
use tamga_gost::{Curve, SecretKey, SigEncoding};
use tamga_pki::cms::{add_signer, verify, SignOptions, TrustOptions, VerifyOptions};
use tamga_pki::{Certificate, SoftwareSigner};

const CERT: &[u8] = include_bytes!("../../agent/pki/tests/data/openssl-gost/tc26-256-A.crt.der");
const KEY: &[u8] = include_bytes!("../../agent/pki/tests/data/openssl-gost/tc26-256-A.key.der");

fn fixed() -> &'static (Certificate, SoftwareSigner) {
    static FIXED: OnceLock<(Certificate, SoftwareSigner)> = OnceLock::new();
    FIXED.get_or_init(|| {
        let cert = Certificate::from_der(CERT).expect("fixture certificate");
        // OpenSSL writes the bare little-endian scalar at the end of the PKCS#8.
        let secret = SecretKey::from_le_bytes(Curve::Tc26_256A, &KEY[KEY.len() - 32..])
            .expect("fixture key");
        (cert, SoftwareSigner::new(secret))
    })
}

fuzz_target!(|data: &[u8]| {
    let [flags, bytes @ ..] = data else {
        return;
    };
    let (cert, signer) = fixed();
    let content: &[u8] = b"fuzz content";
    let given = (flags & 1 == 1).then_some(content);
    let certs = [cert.clone()];
    let anchors = [cert.clone()];
    let options = VerifyOptions {
        certificates: &certs,
        encoding: SigEncoding::Auto,
        trust: (flags & 4 == 4).then_some(TrustOptions {
            anchors: &anchors,
            time: UNIX_EPOCH + Duration::from_secs(1_800_000_000),
        }),
    };
    if let Ok(v) = verify(bytes, given, &options) {
        let _ = v.all_valid();
        let _ = v.require_all_valid();
    }
    if flags & 2 == 2 {
        if let Ok(both) = add_signer(bytes, given, signer, cert, &SignOptions::default()) {
            // The added signer verifies in what was written.
            let v = verify(&both, given, &options).expect("a co-signed SignedData parses");
            assert!(v.signers.iter().any(|s| s.result.is_ok()));
        }
    }
});
