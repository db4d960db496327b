//! Modules that are not modules: clear errors, no crash. (Modules that answer errors and garbage
//! lengths are tamga's own module with a fault switch: drivers/pkcs11-module/tests.)

use tamga_pkcs11::{Pkcs11Config, Pkcs11Token};
use tamga_token::TokenError;

fn open_error(path: &str) -> String {
    let config = Pkcs11Config::new(path);
    match Pkcs11Token::open(config.clone(), None) {
        Ok(_) => panic!("{path} opened"),
        Err(TokenError::Communication(m)) => {
            assert!(tamga_pkcs11::list(&config).is_err());
            m
        }
        Err(e) => panic!("{path}: {e:?}"),
    }
}

#[test]
fn missing_file() {
    let m = open_error("/nonexistent/libvendor.so");
    assert!(m.contains("does not exist"), "{m}");
}

#[test]
fn not_a_library() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("libvendor.so");
    std::fs::write(&fake, b"this is not an ELF file").unwrap();
    let m = open_error(fake.to_str().unwrap());
    assert!(m.contains("cannot load the PKCS#11 module"), "{m}");
}

#[test]
fn a_library_that_is_not_pkcs11() {
    // Any shared library without C_GetFunctionList: the C library's zlib is always there.
    let Some(libz) = [
        "/lib/x86_64-linux-gnu/libz.so.1",
        "/usr/lib/x86_64-linux-gnu/libz.so.1",
    ]
    .into_iter()
    .find(|p| std::path::Path::new(p).exists()) else {
        eprintln!("no libz.so.1 here: skipped");
        return;
    };
    let m = open_error(libz);
    assert!(m.contains("not a PKCS#11 module"), "{m}");
}
