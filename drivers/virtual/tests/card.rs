//! Every command of PROTOCOL.md against the card, positive and negative.

mod common;

use common::*;
use tamga_gost::{PublicKey, SigEncoding};
use tamga_virtual::card::keys::KeySpec;
use tamga_virtual::{CardChannel, CardConfig, PinRef, VirtualCard, ATR};

fn card() -> VirtualCard {
    VirtualCard::new(CardConfig::default().with_serial(0x4B5A_0102))
}

#[test]
fn atr_and_power_cycle() {
    let mut c = card();
    assert_eq!(
        ATR,
        [0x3B, 0x88, 0x01, 0x4B, 0x41, 0x5A, 0x54, 0x4F, 0x4B, 0x45, 0x4E, 0x82]
    );
    // TCK: the XOR of T0..the last historical byte.
    assert_eq!(ATR[1..].iter().fold(0, |a, b| a ^ b), 0);
    login_user(&mut c);
    c.power_off();
    assert!(c.process_apdu(&[0x00, 0x20, 0x00, USER]).is_empty());
    assert_eq!(c.power_on(), ATR);
    assert!(!c.is_verified(PinRef::User));
    assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, USER]), 0x63CA);
}

#[test]
fn verify_counts_blocks_and_restores() {
    let mut c = card();
    assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, USER]), 0x63CA);
    assert_eq!(verify(&mut c, USER, b"00000000"), 0x63C9);
    assert_eq!(verify(&mut c, USER, b"1234567"), 0x63C8);
    login_user(&mut c);
    assert_eq!(c.state().user.tries_left, 10);
    assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, USER]), 0x9000);
    // A wrong PIN also ends the verified state.
    assert_eq!(verify(&mut c, USER, b"00000000"), 0x63C9);
    assert!(!c.is_verified(PinRef::User));
    for left in (0..9).rev() {
        assert_eq!(verify(&mut c, USER, b"00000000"), 0x63C0 | left);
    }
    assert_eq!(verify(&mut c, USER, b"12345678"), 0x6983);
    assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, USER]), 0x6983);
    // The admin PIN is counted apart.
    assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, ADMIN]), 0x63CA);
    assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, 0x03]), 0x6A88);
    assert_eq!(sw(&mut c, &[0x00, 0x20, 0x01, USER]), 0x6A86);
}

#[test]
fn configured_retries() {
    let mut c = VirtualCard::new(CardConfig::default().with_max_tries(3, 5));
    assert_eq!(verify(&mut c, USER, b"00000000"), 0x63C2);
    assert_eq!(verify(&mut c, ADMIN, b"00000000"), 0x63C4);
}

#[test]
fn admin_unblocks_the_user_pin() {
    let mut c = VirtualCard::new(CardConfig::default().with_max_tries(2, 10));
    verify(&mut c, USER, b"00000000");
    assert_eq!(verify(&mut c, USER, b"00000000"), 0x63C0);
    assert_eq!(verify(&mut c, USER, b"12345678"), 0x6983);
    let reset = [0x00, 0x2C, 0x03, USER];
    let change = apdu(
        [0x00, 0x24, 0x01, USER],
        b"\x80\x02\x00\x06\xA5\x06654321",
        None,
    );
    assert_eq!(sw(&mut c, &reset), 0x6982);
    assert_eq!(sw(&mut c, &change), 0x6982);
    login_admin(&mut c);
    assert_eq!(sw(&mut c, &[0x00, 0x2C, 0x02, USER]), 0x6A86);
    ok(&mut c, &reset);
    ok(&mut c, &change);
    assert_eq!(verify(&mut c, USER, b"12345678"), 0x63C1);
    assert_eq!(verify(&mut c, USER, b"654321"), 0x9000);
}

#[test]
fn change_own_pin() {
    let mut c = card();
    let change = |pin: &[u8]| {
        let mut d = vec![0x80, 0x02, 0x00, pin.len() as u8, 0xA5, pin.len() as u8];
        d.extend_from_slice(pin);
        apdu([0x00, 0x24, 0x01, USER], &d, None)
    };
    assert_eq!(sw(&mut c, &change(b"abcdefgh")), 0x6982);
    login_user(&mut c);
    assert_eq!(sw(&mut c, &change(b"12345")), 0x6A80);
    assert_eq!(sw(&mut c, &change(&[b'1'; 33])), 0x6A80);
    assert_eq!(
        sw(
            &mut c,
            &apdu(
                [0x00, 0x24, 0x01, USER],
                b"\x80\x02\x00\x09\xA5\x08abcdefgh",
                None
            )
        ),
        0x6A80
    );
    assert_eq!(
        sw(
            &mut c,
            &apdu(
                [0x00, 0x24, 0x00, USER],
                b"\x80\x02\x00\x08\xA5\x08abcdefgh",
                None
            )
        ),
        0x6A86
    );
    // The user cannot change the admin PIN.
    assert_eq!(
        sw(
            &mut c,
            &apdu(
                [0x00, 0x24, 0x01, ADMIN],
                b"\x80\x02\x00\x08\xA5\x08abcdefgh",
                None
            )
        ),
        0x6982
    );
    ok(&mut c, &change(&[b'x'; 32]));
    assert_eq!(verify(&mut c, USER, b"12345678"), 0x63C9);
    assert_eq!(verify(&mut c, USER, &[b'x'; 32]), 0x9000);
}

#[test]
fn access_rules() {
    let mut c = card();
    assert_eq!(select_path(&mut c, &[0x1002]).1, 0x9000);
    assert_eq!(create(&mut c, &ef_fcp(0x0001, 10)), 0x6982);
    assert_eq!(sw(&mut c, &apdu([0x00, 0xE4, 0, 0], &[0, 1], None)), 0x6982);
    assert_eq!(sw(&mut c, &[0x00, 0x46, 0x80, 0x01, 0x00]), 0x6982);
    assert_eq!(
        sw(&mut c, &apdu([0x00, 0x2A, 0x9E, 0x9A], &[0; 32], Some(0))),
        0x6982
    );
    assert_eq!(sw(&mut c, &[0x80, 0x8A, 0x00, 0x00]), 0x6982);
    login_user(&mut c);
    ok(&mut c, &apdu([0x00, 0xE0, 0, 0], &ef_fcp(0x0001, 10), None));
    select_path(&mut c, &[]);
    // In the MF only the admin creates files.
    assert_eq!(create(&mut c, &ef_fcp(0x0005, 10)), 0x6982);
    assert_eq!(sw(&mut c, &[0x80, 0x8A, 0x00, 0x00]), 0x6982);
    c.power_off();
    c.power_on();
    // UPDATE needs a login too.
    select_path(&mut c, &[0x1002, 0x0001]);
    assert_eq!(sw(&mut c, &apdu([0x00, 0xD6, 0, 0], &[1], None)), 0x6982);
    login_admin(&mut c);
    ok(&mut c, &apdu([0x00, 0xD6, 0, 0], &[1], None));
    // The admin alone may not generate keys or sign.
    select_path(&mut c, &[0x1001]);
    assert_eq!(create(&mut c, &key_fcp(0x6001, 2, 0x11)), 0x9000);
    select_path(&mut c, &[0x1001]);
    assert_eq!(sw(&mut c, &[0x00, 0x46, 0x80, 0x01, 0x00]), 0x6982);
    select_path(&mut c, &[]);
    assert_eq!(create(&mut c, &ef_fcp(0x0005, 10)), 0x9000);
    // LOGOUT clears both.
    ok(&mut c, &[0x80, 0x40, 0x00, 0x00]);
    assert!(!c.is_verified(PinRef::Admin));
    assert_eq!(sw(&mut c, &[0x80, 0x40, 0x00, 0x01]), 0x6A86);
}

#[test]
fn objects_create_read_update_list_delete() {
    let mut c = card();
    login_user(&mut c);
    select_path(&mut c, &[0x1002]);
    // No EF selected yet.
    assert_eq!(sw(&mut c, &[0x00, 0xB0, 0, 0, 0]), 0x6986);
    assert_eq!(sw(&mut c, &apdu([0x00, 0xD6, 0, 0], &[1], None)), 0x6986);
    for fid in [0x0042u16, 0x0007, 0x0100] {
        select_path(&mut c, &[0x1002]);
        assert_eq!(create(&mut c, &ef_fcp(fid, 700)), 0x9000);
    }
    assert_eq!(create(&mut c, &ef_fcp(0x0042, 5)), 0x6A89);
    // CREATE selected the new EF: write and read it in chunks.
    let content: Vec<u8> = (0..700u32).map(|i| (i * 7 + 3) as u8).collect();
    select_path(&mut c, &[0x1002, 0x0042]);
    write_all(&mut c, &content);
    assert_eq!(read_all(&mut c, 700), content);
    // Le = 00 past what is left: the rest and 6282.
    let (data, s) = tx(&mut c, &[0x00, 0xB0, 0x02, 0x58, 0x00]);
    assert_eq!((data.as_slice(), s), (&content[600..], 0x6282));
    assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x02, 0xBD, 0x01]), 0x6B00);
    assert_eq!(
        sw(&mut c, &apdu([0x00, 0xD6, 0x02, 0xBB], &[1, 2], None)),
        0x6700
    );
    assert_eq!(
        sw(&mut c, &apdu([0x00, 0xD6, 0x02, 0xBD], &[1], None)),
        0x6B00
    );
    assert_eq!(
        sw(&mut c, &apdu([0x00, 0xD6, 0x82, 0x00], &[1], None)),
        0x6A86
    );
    // The FCP.
    let (fcp, s) = select_path(&mut c, &[0x1002, 0x0042]);
    assert_eq!(s, 0x9000);
    assert_eq!(
        fcp,
        [0x62, 0x0C, 0x80, 2, 0x02, 0xBC, 0x82, 2, 1, 0, 0x83, 2, 0x00, 0x42]
    );
    // Listing: first, then next after each, ascending FIDs, ending in 6A82.
    select_path(&mut c, &[0x1002]);
    let mut fids = Vec::new();
    let (mut fcp, mut s) = tx(&mut c, &[0x00, 0xA4, 0x00, 0x00, 0x00]);
    while s == 0x9000 {
        let fid = u16::from_be_bytes([fcp[12], fcp[13]]);
        fids.push(fid);
        (fcp, s) = tx(
            &mut c,
            &apdu([0x00, 0xA4, 0x00, 0x02], &fid.to_be_bytes(), Some(0)),
        );
    }
    assert_eq!(s, 0x6A82);
    assert_eq!(fids, [0x0007, 0x0042, 0x0100]);
    // Delete, from the objects DF.
    ok(&mut c, &apdu([0x00, 0xE4, 0, 0], &[0x00, 0x42], None));
    assert_eq!(
        sw(&mut c, &apdu([0x00, 0xE4, 0, 0], &[0x00, 0x42], None)),
        0x6A82
    );
    assert_eq!(select_path(&mut c, &[0x1002, 0x0042]).1, 0x6A82);
    assert_eq!(sw(&mut c, &apdu([0x00, 0xE4, 0, 0], &[0x00], None)), 0x6700);
    assert_eq!(
        sw(&mut c, &apdu([0x00, 0xE4, 0, 1], &[0x00, 0x07], None)),
        0x6A86
    );
}

#[test]
fn select_variants_and_errors() {
    let mut c = card();
    let (fcp, s) = select_path(&mut c, &[0x1001]);
    assert_eq!(
        (fcp.as_slice(), s),
        (
            &[0x62, 8, 0x82, 2, 0x38, 0, 0x83, 2, 0x10, 0x01][..],
            0x9000
        )
    );
    assert_eq!(
        tx(&mut c, &apdu([0x00, 0xA4, 0x08, 0x0C], &[0x10, 0x02], None)),
        (vec![], 0x9000)
    );
    assert_eq!(select_child(&mut c, 0x3F00).1, 0x9000);
    assert_eq!(select_child(&mut c, 0x1001).1, 0x9000);
    assert_eq!(select_child(&mut c, 0x1002).1, 0x6A82);
    // The path leaves out 3F00: giving it is a host bug the card refuses.
    assert_eq!(select_path(&mut c, &[0x3F00, 0x1001]).1, 0x6A82);
    assert_eq!(
        sw(
            &mut c,
            &apdu([0x00, 0xA4, 0x08, 0x00], &[0x10, 0x01, 0x10], None)
        ),
        0x6700
    );
    assert_eq!(
        sw(&mut c, &apdu([0x00, 0xA4, 0x04, 0x00], &[0x10, 0x01], None)),
        0x6A86
    );
    assert_eq!(
        sw(&mut c, &apdu([0x00, 0xA4, 0x00, 0x04], &[0x10, 0x01], None)),
        0x6A86
    );
    // The keys DF is empty.
    select_path(&mut c, &[0x1001]);
    assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x00, 0x00, 0x00]), 0x6A82);
}

#[test]
fn capacity_is_finite() {
    let mut c = VirtualCard::new(CardConfig::default().with_capacity(2000));
    login_user(&mut c);
    select_path(&mut c, &[0x1002]);
    assert_eq!(create(&mut c, &ef_fcp(1, 1500)), 0x9000);
    select_path(&mut c, &[0x1002]);
    assert_eq!(create(&mut c, &ef_fcp(2, 1500)), 0x6A84);
}

/// The (algorithm, parameter set) pairs a key file can hold, one or more per family.
const KEY_KINDS: [(u8, u8); 9] = [
    (0x01, 0x01),
    (0x01, 0x03),
    (0x01, 0x05),
    (0x02, 0x01),
    (0x02, 0x11),
    (0x02, 0x14),
    (0x03, 0x21),
    (0x03, 0x22),
    (0x03, 0x23),
];

#[test]
fn generate_and_sign_every_family_in_both_encodings() {
    let mut c = card();
    login_user(&mut c);
    for (i, &(alg, ps)) in KEY_KINDS.iter().enumerate() {
        let keyref = i as u8 + 1;
        let fid = 0x6000 + u16::from(keyref);
        let curve = KeySpec::from_codes(alg, ps).unwrap().curve();
        let l = curve.scalar_len();
        select_path(&mut c, &[0x1001]);
        assert_eq!(create(&mut c, &key_fcp(fid, alg, ps)), 0x9000);
        select_path(&mut c, &[0x1001]);
        let public = ok(&mut c, &[0x00, 0x46, 0x80, keyref, 0x00]);
        assert_eq!(public.len(), 2 * l);
        let key = PublicKey::from_bytes(curve, &public).expect("X ‖ Y little-endian");
        // The key file's FCP and READ BINARY agree.
        let (fcp, _) = select_path(&mut c, &[0x1001, fid]);
        assert_eq!(&fcp[fcp.len() - 4..], &[0x85, 2, alg, ps]);
        assert_eq!(read_all(&mut c, 2 * l), public);

        ok(
            &mut c,
            &apdu([0x00, 0x22, 0x41, 0xB6], &[0x84, 0x01, keyref], None),
        );
        // An asymmetric digest: reversing it gives another number.
        let digest: Vec<u8> = (0..l as u8)
            .map(|b| b.wrapping_mul(29).wrapping_add(1))
            .collect();
        let reversed: Vec<u8> = digest.iter().rev().copied().collect();
        let sig = ok(&mut c, &apdu([0x00, 0x2A, 0x9E, 0x9A], &reversed, Some(0)));
        assert_eq!(sig.len(), 2 * l);
        // r ‖ s little-endian over the digest as hashed; = the RFC 9215 bytes reversed.
        key.verify_digest(&digest, &sig, SigEncoding::Kz)
            .expect("Kazakh layout");
        let rfc: Vec<u8> = sig.iter().rev().copied().collect();
        key.verify_digest(&digest, &rfc, SigEncoding::Rfc9215)
            .expect("RFC 9215 layout");
        // Each plausible wrong order fails.
        assert!(key
            .verify_digest(&digest, &sig, SigEncoding::Rfc9215)
            .is_err());
        assert!(key.verify_digest(&reversed, &sig, SigEncoding::Kz).is_err());
        assert!(key
            .verify_digest(&reversed, &rfc, SigEncoding::Rfc9215)
            .is_err());
        // Wrong digest length.
        assert_eq!(
            sw(
                &mut c,
                &apdu([0x00, 0x2A, 0x9E, 0x9A], &reversed[1..], Some(0))
            ),
            0x6700
        );
    }
}

#[test]
fn key_errors() {
    let mut c = card();
    login_user(&mut c);
    select_path(&mut c, &[0x1001]);
    // 2001 keys only on CryptoPro sets, 512-bit keys only on 512-bit sets; FIDs from the base.
    assert_eq!(create(&mut c, &key_fcp(0x6001, 0x01, 0x11)), 0x6A80);
    assert_eq!(create(&mut c, &key_fcp(0x6001, 0x03, 0x01)), 0x6A80);
    assert_eq!(create(&mut c, &key_fcp(0x6001, 0x04, 0x01)), 0x6A80);
    assert_eq!(create(&mut c, &key_fcp(0x7001, 0x02, 0x11)), 0x6A80);
    assert_eq!(sw(&mut c, &[0x00, 0x46, 0x80, 0x01, 0x00]), 0x6A82);
    assert_eq!(sw(&mut c, &[0x00, 0x46, 0x00, 0x01, 0x00]), 0x6A86);
    assert_eq!(create(&mut c, &key_fcp(0x6001, 0x02, 0x11)), 0x9000);
    select_path(&mut c, &[0x1001]);
    // No key generated yet: nothing to select or read.
    assert_eq!(
        sw(
            &mut c,
            &apdu([0x00, 0x22, 0x41, 0xB6], &[0x84, 0x01, 0x01], None)
        ),
        0x6A88
    );
    assert_eq!(
        sw(&mut c, &apdu([0x00, 0x2A, 0x9E, 0x9A], &[0; 32], Some(0))),
        0x6A88
    );
    select_path(&mut c, &[0x1001, 0x6001]);
    assert_eq!(sw(&mut c, &[0x00, 0xB0, 0, 0, 0]), 0x6A88);
    select_path(&mut c, &[0x1001]);
    ok(&mut c, &[0x00, 0x46, 0x80, 0x01, 0x00]);
    assert_eq!(
        sw(
            &mut c,
            &apdu([0x00, 0x22, 0x41, 0xB6], &[0x84, 0x02, 0x01, 0x00], None)
        ),
        0x6A80
    );
    assert_eq!(
        sw(
            &mut c,
            &apdu([0x00, 0x22, 0x41, 0xA4], &[0x84, 0x01, 0x01], None)
        ),
        0x6A86
    );
    ok(
        &mut c,
        &apdu([0x00, 0x22, 0x41, 0xB6], &[0x84, 0x01, 0x01], None),
    );
    assert_eq!(
        sw(&mut c, &apdu([0x00, 0x2A, 0x9E, 0x9B], &[0; 32], Some(0))),
        0x6A86
    );
    // Deleting the key file forgets the selection.
    ok(&mut c, &apdu([0x00, 0xE4, 0, 0], &[0x60, 0x01], None));
    assert_eq!(
        sw(&mut c, &apdu([0x00, 0x2A, 0x9E, 0x9A], &[0; 32], Some(0))),
        0x6A88
    );
}

#[test]
fn get_data_and_format() {
    let mut c = card();
    assert_eq!(
        ok(&mut c, &[0x00, 0xCA, 0x01, 0x81, 0x00]),
        [0x4B, 0x5A, 0x01, 0x02]
    );
    assert_eq!(ok(&mut c, &[0x00, 0xCA, 0x01, 0x82, 0x00]), b"KAZTOKEN");
    assert_eq!(sw(&mut c, &[0x00, 0xCA, 0x01, 0x83, 0x00]), 0x6A88);
    assert_eq!(sw(&mut c, &[0x00, 0xCA, 0x02, 0x81, 0x00]), 0x6A86);
    login_user(&mut c);
    select_path(&mut c, &[0x1002]);
    create(&mut c, &ef_fcp(0x0010, 4));
    login_admin(&mut c);
    let tlvs = [
        &[0x80, 4][..],
        b"BANK",
        &[0x81, 6],
        b"111111",
        &[0x82, 6],
        b"222222",
        &[0x83, 1, 5],
        &[0x84, 1, 7],
    ]
    .concat();
    for bad in [
        [&tlvs[..], &[0x85, 0]].concat(),
        [&tlvs[..], &[0x80, 1, b'x']].concat(),
        [&[0x81, 5][..], b"12345"].concat(),
        vec![0x83, 1, 0],
        vec![0x83, 1, 16],
        vec![0x80, 0xFF],
        vec![0x80, 2, 0xFF, 0xFE],
    ] {
        assert_eq!(
            sw(&mut c, &apdu([0x80, 0x8A, 0, 0], &bad, None)),
            0x6A80,
            "{bad:02X?}"
        );
    }
    ok(&mut c, &apdu([0x80, 0x8A, 0, 0], &tlvs, None));
    assert!(!c.is_verified(PinRef::Admin));
    assert_eq!(ok(&mut c, &[0x00, 0xCA, 0x01, 0x82, 0x00]), b"BANK");
    assert_eq!(
        ok(&mut c, &[0x00, 0xCA, 0x01, 0x81, 0x00]),
        [0x4B, 0x5A, 0x01, 0x02]
    );
    assert_eq!(verify(&mut c, USER, b"12345678"), 0x63C4);
    assert_eq!(verify(&mut c, ADMIN, b"87654321"), 0x63C6);
    assert_eq!(verify(&mut c, USER, b"111111"), 0x9000);
    assert_eq!(select_path(&mut c, &[0x1002, 0x0010]).1, 0x6A82);
    assert_eq!(select_path(&mut c, &[0x1002]).1, 0x9000);
    assert_eq!(select_path(&mut c, &[0x1001]).1, 0x9000);
    assert_eq!(c.state().files.len(), 2);
    // FORMAT without TLVs keeps PINs and label.
    assert_eq!(verify(&mut c, ADMIN, b"222222"), 0x9000);
    ok(&mut c, &[0x80, 0x8A, 0x00, 0x00]);
    assert_eq!(ok(&mut c, &[0x00, 0xCA, 0x01, 0x82, 0x00]), b"BANK");
}

#[test]
fn malformed_apdus() {
    let mut c = card();
    for (apdu, expected) in [
        (&[0x00, 0xA4, 0x08][..], 0x6700),
        (&[0x00, 0xB0, 0, 0, 0, 0, 0], 0x6700),
        (&[0x00, 0xA4, 0x08, 0x00, 0x05, 0x10], 0x6700),
        (&[0x00, 0x99, 0, 0], 0x6D00),
        (&[0x80, 0xA4, 0, 0], 0x6E00),
        (&[0x00, 0x40, 0, 0], 0x6E00),
        (&[0x84, 0xA4, 0, 0], 0x6E00),
        (&[0xFF, 0xFF, 0xFF, 0xFF], 0x6E00),
    ] {
        assert_eq!(sw(&mut c, apdu), expected, "{apdu:02X?}");
    }
}

#[test]
fn short_answers_follow_le() {
    let mut c = card();
    assert_eq!(
        tx(&mut c, &[0x00, 0xCA, 0x01, 0x82, 0x03]),
        (b"KAZ".to_vec(), 0x9000)
    );
    assert_eq!(
        tx(&mut c, &[0x00, 0xCA, 0x01, 0x82]),
        (b"KAZTOKEN".to_vec(), 0x9000)
    );
}

#[test]
fn secrets_stay_out_of_debug_output() {
    let mut c = card();
    login_user(&mut c);
    select_path(&mut c, &[0x1001]);
    create(&mut c, &key_fcp(0x6001, 2, 0x11));
    select_path(&mut c, &[0x1001]);
    ok(&mut c, &[0x00, 0x46, 0x80, 0x01, 0x00]);
    let debug = format!("{c:?}");
    assert!(
        !debug.contains("12345678") && !debug.contains("49, 50, 51, 52"),
        "{debug}"
    );
    assert!(!debug.contains("87654321") && !debug.contains("56, 55, 54, 53"));
    let node = c.state().files.get(&[0x1001, 0x6001]).unwrap();
    let tamga_virtual::card::fs::Node::Key {
        secret: Some(s), ..
    } = node
    else {
        panic!("no key");
    };
    assert!(!debug.contains(&format!("{:?}", s.bytes())));
    assert!(!debug.contains(&hex::encode(s.bytes())));
}

#[test]
fn channel_over_the_card() {
    use tamga_ccid::{ApduChannel, CcidError};
    let mut ch = CardChannel::new(card());
    let inspector = ch.clone();
    assert_eq!(
        ch.transmit(&[0x00, 0x20, 0x00, USER, 8, b'1', b'2', b'3', b'4', b'5', b'6', b'7', b'8'])
            .unwrap(),
        [0x90, 0x00]
    );
    assert!(inspector.card().is_verified(PinRef::User));
    assert_eq!(ch.reset().unwrap(), ATR);
    assert!(!inspector.card().is_verified(PinRef::User));
    inspector.card().power_off();
    assert_eq!(
        ch.transmit(&[0x00, 0xCA, 0x01, 0x81, 0]),
        Err(CcidError::NoCard)
    );
}
