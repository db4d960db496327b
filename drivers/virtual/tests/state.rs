//! The state file: round trips, atomic replacement, crash leftovers, corruption.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use tamga_virtual::state::{decode, DecodeError, StateError};
use tamga_virtual::{CardConfig, PinRef, VirtualCard};

fn state_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("token.kzt")
}

fn open(path: &Path) -> VirtualCard {
    VirtualCard::open(path, CardConfig::default()).expect("state loads")
}

/// The file on disk holds exactly the card's state.
fn assert_persisted(card: &VirtualCard, path: &Path) {
    let bytes = fs::read(path).unwrap();
    assert_eq!(&decode(&bytes).expect("the file parses"), card.state());
}

#[test]
fn a_missing_file_is_a_fresh_token_and_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = state_path(&dir);
    let mut c = open(&path);
    assert!(path.exists());
    assert_eq!(c.state().label, "KAZTOKEN");
    assert_eq!(c.state().files.len(), 2);
    let serial = ok(&mut c, &[0x00, 0xCA, 0x01, 0x81, 0x00]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    drop(c);
    let mut again = open(&path);
    assert_eq!(ok(&mut again, &[0x00, 0xCA, 0x01, 0x81, 0x00]), serial);
    // Two fresh tokens get different serials (random, 32 bits).
    let other = open(&dir.path().join("other.kzt"));
    assert_ne!(other.state().serial.to_be_bytes().to_vec(), serial);
}

#[test]
fn every_change_is_on_disk_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = state_path(&dir);
    let mut c = open(&path);
    assert_eq!(verify(&mut c, USER, b"00000000"), 0x63C9);
    assert_persisted(&c, &path);
    assert_eq!(c.state().user.tries_left, 9);
    login_user(&mut c);
    assert_persisted(&c, &path);
    select_path(&mut c, &[0x1002]);
    create(&mut c, &ef_fcp(0x0042, 600));
    assert_persisted(&c, &path);
    let content: Vec<u8> = (0..600u32).map(|i| (i % 251) as u8).collect();
    write_all(&mut c, &content);
    assert_persisted(&c, &path);
    select_path(&mut c, &[0x1001]);
    create(&mut c, &key_fcp(0x6001, 3, 0x21));
    select_path(&mut c, &[0x1001]);
    let public = ok(&mut c, &[0x00, 0x46, 0x80, 0x01, 0x00]);
    assert_persisted(&c, &path);
    ok(
        &mut c,
        &apdu(
            [0x00, 0x24, 0x01, USER],
            b"\x80\x02\x00\x06\xA5\x06000000",
            None,
        ),
    );
    assert_persisted(&c, &path);

    // A new process sees it all; the session does not survive.
    let mut c = open(&path);
    assert!(!c.is_verified(PinRef::User));
    assert_eq!(verify(&mut c, USER, b"000000"), 0x9000);
    select_path(&mut c, &[0x1002, 0x0042]);
    assert_eq!(read_all(&mut c, 600), content);
    select_path(&mut c, &[0x1001, 0x6001]);
    assert_eq!(read_all(&mut c, 128), public);
    select_path(&mut c, &[0x1001]);
    ok(
        &mut c,
        &apdu([0x00, 0x22, 0x41, 0xB6], &[0x84, 0x01, 0x01], None),
    );
    assert_eq!(
        ok(&mut c, &apdu([0x00, 0x2A, 0x9E, 0x9A], &[7; 64], Some(0))).len(),
        128
    );
}

#[test]
fn a_stale_temporary_file_is_ignored_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let path = state_path(&dir);
    let serial = open(&path).state().serial;
    let tmp = dir.path().join("token.kzt.tmp");
    // A crash after the temporary file was half written, before the rename.
    fs::write(&tmp, b"KZTV\x01half-written").unwrap();
    let c = open(&path);
    assert_eq!(c.state().serial, serial);
    assert!(!tmp.exists());
    // Nothing else is left beside the state file after saves.
    let mut c = c;
    verify(&mut c, USER, b"00000000");
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["token.kzt"]);
}

#[test]
fn the_counter_is_persisted_before_the_comparison_answers() {
    let dir = tempfile::tempdir().unwrap();
    let path = state_path(&dir);
    let mut c = open(&path);
    // Make every save fail: the temporary file's name is taken by a directory.
    fs::create_dir(dir.path().join("token.kzt.tmp")).unwrap();
    // Even the right PIN gets no answer, since the try could not be recorded first.
    assert_eq!(verify(&mut c, USER, b"12345678"), 0x6581);
    assert!(!c.is_verified(PinRef::User));
    assert_eq!(verify(&mut c, USER, b"00000000"), 0x6581);
    fs::remove_dir(dir.path().join("token.kzt.tmp")).unwrap();
    // The file still holds the full counter (nothing was recorded), and the card works again.
    assert_eq!(open(&path).state().user.tries_left, 10);
    assert_eq!(verify(&mut c, USER, b"00000000") & 0xFFF0, 0x63C0);
    assert_persisted(&c, &path);
    // "Pulling the token" after a wrong PIN: the reloaded card keeps the decrement.
    let left = c.state().user.tries_left;
    c.reload().unwrap();
    assert_eq!(c.state().user.tries_left, left);
    assert!(left < 10);
}

/// Whether a decode error is the one a case expects.
type Expect = fn(&DecodeError) -> bool;

#[test]
fn corrupted_files_are_errors_and_stay_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = state_path(&dir);
    {
        let mut c = open(&path);
        login_user(&mut c);
        select_path(&mut c, &[0x1002]);
        create(&mut c, &ef_fcp(0x0001, 50));
    }
    let good = fs::read(&path).unwrap();
    let mut flipped = good.clone();
    flipped[good.len() / 2] ^= 0x10;
    let cases: Vec<(Vec<u8>, Expect)> = vec![
        (Vec::new(), |e| *e == DecodeError::BadMagic),
        (b"hello, world".to_vec(), |e| *e == DecodeError::BadMagic),
        (good[..good.len() - 1].to_vec(), |e| {
            matches!(e, DecodeError::Corrupt(_))
        }),
        (good[..good.len() / 2].to_vec(), |e| {
            matches!(e, DecodeError::Corrupt(_))
        }),
        (flipped, |e| matches!(e, DecodeError::Corrupt(_))),
        ([&good[..4], &[2], &good[5..]].concat(), |e| {
            *e == DecodeError::UnsupportedVersion(2)
        }),
    ];
    for (bytes, expected) in cases {
        fs::write(&path, &bytes).unwrap();
        match VirtualCard::open(&path, CardConfig::default()) {
            Err(StateError::Decode {
                error,
                path: Some(p),
            }) => {
                assert!(expected(&error), "{error:?}");
                assert_eq!(p, path);
                assert!(StateError::Decode {
                    error,
                    path: Some(p)
                }
                .to_string()
                .contains("token.kzt"));
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        // Never silently reset.
        assert_eq!(fs::read(&path).unwrap(), bytes);
    }
}

#[test]
fn an_unreadable_state_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    // A directory where the file should be.
    let path = state_path(&dir);
    fs::create_dir(&path).unwrap();
    assert!(matches!(
        VirtualCard::open(&path, CardConfig::default()),
        Err(StateError::Io { .. })
    ));
}
