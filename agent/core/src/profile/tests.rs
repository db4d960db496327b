use std::path::{Path, PathBuf};

use super::*;

fn syntax_error(text: &str) -> (usize, usize, String, String) {
    match Profile::parse(text, "p.ron") {
        Err(ProfileError::Syntax {
            line,
            col,
            message,
            excerpt,
            ..
        }) => (line, col, message, excerpt),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn the_builtin_profile_is_a_real_kaztoken_over_ccid() {
    let p = Profile::parse(BUILTIN, "builtin").unwrap();
    assert!(matches!(
        &p.drivers[..],
        [DriverSpec::KaztokenCcid(c)] if c.any_ccid_class && c.vendors == [0x0a89]
            && c.card == CardProtocol::default()
    ));
    assert_eq!(p.workflows.pin.user_password, PasswordRules::default());
}

#[test]
fn the_demo_profile_uses_the_virtual_kaztoken_in_the_state_dir() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../profiles/demo.ron"
    ))
    .unwrap();
    let p = Profile::parse(&text, "demo.ron").unwrap();
    let DriverSpec::VirtualKaztoken(v) = &p.drivers[0] else {
        panic!("{p:?}")
    };
    assert_eq!(
        v.state.resolve(Path::new("/p"), Path::new("/s/tamga")),
        PathBuf::from("/s/tamga/demo-kaztoken.state")
    );
    let enroll = p.workflows.enroll.unwrap();
    assert_eq!(enroll.signature_encoding, SignatureEncoding::Kz);
    assert_eq!(
        enroll.key.curve,
        crate::profile::KeyCurve::Gost(tamga_gost::Curve::Tc26_512A)
    );
}

#[test]
fn card_protocol_round_trips_into_the_driver_config() {
    let text = r#"(name: "x", drivers: [KaztokenCcid(devices: [(vendor: 0x0a89, product: 0x0030)],
        card: (keys_df: [0x1001, 0x2002], user_pin_ref: 3, paramset_ids: [("tc26-256-a", 0x41)]))])"#;
    let p = Profile::parse(text, "x").unwrap();
    let DriverSpec::KaztokenCcid(c) = &p.drivers[0] else {
        panic!()
    };
    let k = tamga_kaztoken::KaztokenConfig::from(&c.card);
    assert_eq!(k.keys_df, [0x1001, 0x2002]);
    assert_eq!(k.user_pin_ref, 3);
    assert_eq!(k.admin_pin_ref, 0x01);
    assert_eq!(k.paramset_ids, [(tamga_gost::Curve::Tc26_256A, 0x41)]);
    assert_eq!(
        c.devices,
        [UsbId {
            vendor: 0x0a89,
            product: 0x0030
        }]
    );
    assert_eq!(
        tamga_kaztoken::KaztokenConfig::from(&CardProtocol::default()),
        tamga_kaztoken::KaztokenConfig::default()
    );
}

#[test]
fn an_unknown_field_is_named_at_its_line_and_column() {
    let text = "(\n    name: \"x\",\n    drivers: [VirtualKaztoken(state: Relative(\"s\"), user_retires: 3)],\n)";
    let (line, col, message, excerpt) = syntax_error(text);
    assert_eq!(line, 3);
    assert!(col > 40, "{col}");
    assert!(message.contains("user_retires"), "{message}");
    assert!(message.contains("user_retries"), "{message}");
    assert!(
        excerpt.contains("user_retires") && excerpt.ends_with('^'),
        "{excerpt}"
    );
}

#[test]
fn malformed_profiles_say_what_was_expected() {
    let (line, _, message, _) = syntax_error("(\n name: \"x\"\n drivers: [],\n)");
    assert_eq!(line, 3);
    assert!(message.to_lowercase().contains("comma"), "{message}");
    let (_, _, message, _) = syntax_error("(name: \"x\", drivers: [Drivr()])");
    assert!(message.contains("KaztokenCcid"), "{message}");
    let (_, _, message, _) =
        syntax_error("(name: \"x\", drivers: [KaztokenCcid(vendors: [0x1ffff])])");
    assert!(message.contains("out of bounds"), "{message}");
    let (_, _, message, _) = syntax_error(
        "(name: \"x\", drivers: [KaztokenCcid(card: (paramset_ids: [(\"tc99\", 1)]))])",
    );
    assert!(message.contains("unknown curve `tc99`"), "{message}");
    let (_, _, message, _) = syntax_error("(drivers: [])");
    assert!(message.contains("name"), "{message}");
}

#[test]
fn values_out_of_range_name_their_field() {
    let bad = [
        ("(name: \"x\", drivers: [])", "drivers"),
        (
            "(name: \"x\", drivers: [VirtualKaztoken(state: Relative(\"s\"), user_retries: 1)])",
            "drivers[0].user_retries",
        ),
        (
            "(name: \"x\", drivers: [KaztokenCcid()], workflows: (pin: (user_password: (min_length: 40))))",
            "workflows.pin.user_password.min_length",
        ),
        (
            "(name: \"x\", drivers: [KaztokenCcid()], workflows: (login: (bank: (url: \"http://bank.kz\"), origins: [])))",
            "workflows.login.bank.url",
        ),
    ];
    for (text, want) in bad {
        match Profile::parse(text, "x") {
            Err(ProfileError::Invalid { field, .. }) => assert_eq!(field, want),
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn lookup_order_is_option_environment_user_system_builtin() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str| {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, "(name: \"n\", drivers: [KaztokenCcid()])").unwrap();
        p
    };
    let mut lookup = Lookup {
        option: None,
        environment: None,
        dirs: Dirs::from_vars(|v| (v == "HOME").then(|| dir.path().join("home"))),
        system: dir.path().join("etc/profile.ron"),
    };
    assert_eq!(lookup.source().unwrap(), ProfileSource::Builtin);
    let system = file("etc/profile.ron");
    assert_eq!(lookup.source().unwrap(), ProfileSource::System(system));
    let user = file("home/.config/tamga/profile.ron");
    assert_eq!(lookup.source().unwrap(), ProfileSource::User(user));
    let env = file("env.ron");
    lookup.environment = Some(env.clone());
    assert_eq!(lookup.source().unwrap(), ProfileSource::Environment(env));
    lookup.option = Some(dir.path().join("missing.ron"));
    assert!(matches!(lookup.source(), Err(ProfileError::NotFound(_))));
    let loaded = Lookup {
        option: Some(file("sub/p.ron")),
        ..lookup
    }
    .load()
    .unwrap();
    assert_eq!(loaded.base_dir, dir.path().join("sub"));
    assert_eq!(
        loaded.state_path(&StatePath::Relative("t.state".into())),
        dir.path().join("sub/t.state")
    );
}

#[test]
fn state_dir_follows_xdg_then_home() {
    let d = Dirs::from_vars(|v| match v {
        "XDG_STATE_HOME" => Some("/x/state".into()),
        "HOME" => Some("/h".into()),
        _ => None,
    });
    assert_eq!(d.state, PathBuf::from("/x/state/tamga"));
    assert_eq!(d.config, Some(PathBuf::from("/h/.config/tamga")));
    // A relative XDG value is ignored.
    let d = Dirs::from_vars(|v| match v {
        "XDG_STATE_HOME" => Some("rel".into()),
        "HOME" => Some("/h".into()),
        _ => None,
    });
    assert_eq!(d.state, PathBuf::from("/h/.local/state/tamga"));
}
