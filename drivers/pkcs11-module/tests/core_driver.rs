//! tamga-core's `pkcs11` driver, as a profile names it, over tamga's own module: what
//! `tamga --profile … token info` and every workflow get.

mod common;

use tamga_core::drivers::{Pkcs11Driver, DRIVERS};
use tamga_core::profile::{Lookup, ProfileSource};
use tamga_core::{Registry, TokenDriver};
use tamga_token::{Attempt, Pin, Role};

#[test]
fn a_profile_with_the_pkcs11_driver() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The module serves the virtual KAZTOKEN of its own profile.
    std::env::set_var("TAMGA_PROFILE", common::profile(d));
    common::module_copy(d);
    let outer = d.join("outer.ron");
    std::fs::write(
        &outer,
        r#"(name: "via-pkcs11", drivers: [Pkcs11(module: "libtamga_pkcs11_module.so", token_label: "KAZTOKEN p11", pin: (tries: 3))])"#,
    )
    .unwrap();
    let mut lookup = Lookup::from_env(Some(outer.clone()));
    lookup.environment = None;
    let profile = lookup.load().unwrap();
    assert_eq!(profile.source, ProfileSource::Option(outer));
    let registry = Registry::new(DRIVERS, &[]);
    assert!(registry.driver_names().contains(&"pkcs11"));
    let spec = &profile.profile.drivers[0];
    let slots = Pkcs11Driver.list(spec, &profile).unwrap();
    assert_eq!(slots.len(), 1, "{slots:?}");
    assert!(slots[0].id.starts_with("pkcs11:") && slots[0].description.contains("KAZTOKEN p11"));
    let mut token = Pkcs11Driver.open(spec, &profile, &slots[0]).unwrap();
    assert_eq!(token.info().unwrap().serial, "4242");
    token
        .login(Role::User, &Pin::from("12345678"), Attempt::SpareLast)
        .unwrap();
}
