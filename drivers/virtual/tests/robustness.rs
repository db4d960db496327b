//! Deterministic random inputs to the card and the state parser: answers always carry a status
//! word, nothing panics, and the state always survives its own file format.

mod common;

use common::*;
use tamga_virtual::state::{decode, encode};
use tamga_virtual::{CardConfig, VirtualCard};

/// FIDs that exist or may be created: the profile's DFs, key files, a few objects.
const FIDS: [u16; 10] = [
    0x1001, 0x1002, 0x6000, 0x6001, 0x6002, 0x0001, 0x0002, 0x0003, 0x3F00, 0x1003,
];

fn fid(rng: &mut Prng) -> Vec<u8> {
    FIDS[rng.below(FIDS.len())].to_be_bytes().to_vec()
}

/// A command of PROTOCOL.md with plausible arguments (the card's deeper paths need them).
fn plausible_apdu(rng: &mut Prng) -> Vec<u8> {
    let le = Some(0);
    match rng.below(15) {
        0 => {
            let path: Vec<u8> = (0..rng.below(3)).flat_map(|_| fid(rng)).collect();
            apdu([0x00, 0xA4, 0x08, [0x00, 0x0C][rng.below(2)]], &path, le)
        }
        1 => apdu(
            [0x00, 0xA4, 0x00, [0x00, 0x0C][rng.below(2)]],
            &fid(rng),
            le,
        ),
        2 => apdu([0x00, 0xA4, 0x00, 0x02], &fid(rng), le),
        3 => vec![0x00, 0xA4, 0x00, 0x00, 0x00],
        4 => vec![0x00, 0xB0, rng.below(2) as u8, rng.byte(), rng.byte()],
        5 => {
            let n = 1 + rng.below(255);
            apdu(
                [0x00, 0xD6, rng.below(2) as u8, rng.byte()],
                &rng.bytes(n),
                None,
            )
        }
        6 => {
            let fcp = match rng.below(3) {
                0 => key_fcp(
                    0x6000 + rng.below(3) as u16,
                    1 + rng.below(3) as u8,
                    [1, 0x11, 0x21, 5][rng.below(4)],
                ),
                1 => ef_fcp(1 + rng.below(3) as u16, rng.below(700) as u16),
                _ => vec![0x62, 8, 0x82, 2, 0x38, 0, 0x83, 2, 0x10, 0x03],
            };
            apdu([0x00, 0xE0, 0, 0], &fcp, None)
        }
        7 => apdu([0x00, 0xE4, 0, 0], &fid(rng), None),
        8 => {
            let pin: &[u8] = [&b"12345678"[..], b"87654321", b"000000"][rng.below(3)];
            let data = if rng.below(4) == 0 { &[][..] } else { pin };
            apdu([0x00, 0x20, 0x00, 1 + rng.below(2) as u8], data, None)
        }
        9 => vec![0x00, 0x46, 0x80, rng.below(3) as u8, 0x00],
        10 => apdu(
            [0x00, 0x22, 0x41, 0xB6],
            &[0x84, 0x01, rng.below(3) as u8],
            None,
        ),
        11 => {
            let n = [32, 64, 31][rng.below(3)];
            apdu([0x00, 0x2A, 0x9E, 0x9A], &rng.bytes(n), le)
        }
        12 => vec![0x00, 0xCA, 0x01, 0x81 + rng.below(2) as u8, 0x00],
        13 => vec![0x80, 0x40, 0x00, 0x00],
        _ => vec![0x00, 0x2C, 0x03, 1 + rng.below(2) as u8],
    }
}

/// Noise around the command set: any CLA, INS, P1, P2, lengths that may not add up.
fn noisy_apdu(rng: &mut Prng) -> Vec<u8> {
    let n = rng.below(300);
    let mut a = rng.bytes(n);
    if let Some(cla) = a.first_mut() {
        *cla &= 0x80;
    }
    a
}

fn random_apdu(rng: &mut Prng) -> Vec<u8> {
    if rng.below(4) == 0 {
        noisy_apdu(rng)
    } else {
        plausible_apdu(rng)
    }
}

#[test]
fn random_apdus_always_get_a_status_word() {
    let mut c = VirtualCard::new(CardConfig::default().with_capacity(8 * 1024));
    let mut rng = Prng(0xC0FF_EE00_1234_5678);
    for i in 0..20_000 {
        if i % 97 == 0 {
            // A blocked or changed PIN would end the run's reach: start over with a new token.
            let st = c.state();
            if !st.user.pin.matches(b"12345678") || !st.admin.pin.matches(b"87654321") {
                c = VirtualCard::new(CardConfig::default().with_capacity(8 * 1024));
            }
            c.power_off();
            c.power_on();
            login_user(&mut c);
            login_admin(&mut c);
            select_path(&mut c, &[[0x1001, 0x1002][rng.below(2)]]);
        }
        let a = random_apdu(&mut rng);
        let r = c.process_apdu(&a);
        assert!(r.len() >= 2 && r.len() <= 258, "{a:02X?} -> {r:02X?}");
        if i % 50 == 0 {
            assert_eq!(&decode(&encode(c.state())).unwrap(), c.state());
        }
    }
}

#[test]
fn random_and_mutated_state_files_never_panic() {
    let mut c = VirtualCard::new(CardConfig::default());
    login_user(&mut c);
    select_path(&mut c, &[0x1001]);
    create(&mut c, &key_fcp(0x6001, 1, 1));
    select_path(&mut c, &[0x1001]);
    ok(&mut c, &[0x00, 0x46, 0x80, 0x01, 0x00]);
    select_path(&mut c, &[0x1002]);
    create(&mut c, &ef_fcp(0x0001, 40));
    let good = encode(c.state()).to_vec();
    let mut rng = Prng(0x00DD_BA11_5EED);
    for _ in 0..20_000 {
        let mut b = good.clone();
        match rng.below(4) {
            0 => {
                let n = rng.below(200);
                b = rng.bytes(n);
            }
            1 => {
                let n = rng.below(b.len());
                b.truncate(n);
            }
            _ => {
                for _ in 0..=rng.below(4) {
                    let at = rng.below(b.len());
                    b[at] = rng.byte();
                }
            }
        }
        if let Ok(st) = decode(&b) {
            assert_eq!(decode(&encode(&st)).unwrap(), st);
        }
    }
}
