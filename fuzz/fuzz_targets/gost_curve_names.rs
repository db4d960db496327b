//! `Curve::from_name`, `Curve::from_oid`, `Curve: FromStr` and `SigEncoding: FromStr` on arbitrary
//! text (the bytes as UTF-8, invalid sequences replaced): an error or a curve whose own name / OID
//! leads back to it, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamga_gost::{Curve, SigEncoding};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let s: &str = &text;

    let by_name = Curve::from_name(s);
    if let Ok(c) = by_name {
        assert_eq!(Curve::from_name(c.name()), Ok(c));
        assert_eq!(s.parse::<Curve>(), Ok(c), "FromStr tries the name first");
        assert_eq!(c.to_string(), c.name());
    }
    if let Ok(c) = Curve::from_oid(s) {
        assert!(c.oid() == s || c.other_oids().contains(&s), "{s:?} -> {c}");
        assert!(Curve::from_oid(c.oid()).is_ok_and(|d| d.same_curve(c)));
    }
    match s.parse::<Curve>() {
        Ok(c) => assert!(by_name == Ok(c) || Curve::from_oid(s) == Ok(c)),
        Err(_) => assert!(by_name.is_err() && Curve::from_oid(s).is_err()),
    }
    if let Ok(e) = s.parse::<SigEncoding>() {
        assert_eq!(e.name().parse::<SigEncoding>(), Ok(e));
        assert_eq!(e.to_string(), e.name());
    }
});
