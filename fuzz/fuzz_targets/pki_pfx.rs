//! tamga-pki's PKCS#12 reader and PKCS#8 private-key parser on arbitrary bytes: every input must
//! give a container, a key or an error, never a panic. A key that comes out must survive writing
//! back to PKCS#8 and reading again.
//!
//! Input: `[which, bytes…]`; `which % 2` picks PFX (`Pfx::parse`, then `open` with a fixed
//! password and at most 64 KDF iterations, so that a fuzzed iteration count cannot stall the
//! run) or a PKCS#8 PrivateKeyInfo.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamga_pki::pfx::Pfx;
use tamga_pki::private_key::PrivateKey;

/// The password the seed containers are made with.
const PASSWORD: &str = "Test1234";
const MAX_ITERATIONS: u32 = 64;

fn round_trip(key: &PrivateKey) {
    let der = key.to_pkcs8_der().expect("a parsed key encodes");
    let back = PrivateKey::from_pkcs8_der(&der).expect("and reads back");
    if let (Some(a), Some(b)) = (key.as_gost(), back.as_gost()) {
        assert_eq!(a.secret().to_le_bytes(), b.secret().to_le_bytes());
        assert_eq!(a.family(), b.family());
    }
}

fuzz_target!(|data: &[u8]| {
    let [which, bytes @ ..] = data else {
        return;
    };
    if which % 2 == 0 {
        let Ok(pfx) = Pfx::parse(bytes) else {
            return;
        };
        if let Ok(container) = pfx.open_with_limits(PASSWORD, MAX_ITERATIONS) {
            container.keys.iter().for_each(|k| round_trip(&k.key));
        }
    } else if let Ok(key) = PrivateKey::from_pkcs8_der(bytes) {
        round_trip(&key);
    }
});
