//! A token pulled at any moment: a clean error, and after reconnecting the card is consistent
//! (an object holds its old or its new content, never a broken one; PIN counters never rewind).

mod common;

use std::time::Duration;

use common::{over_ccid, scenarios::user};
use tamga_ccid::Card;
use tamga_kaztoken::{Kaztoken, KaztokenConfig};
use tamga_token::{
    Attempt, GostAlgorithm, KeyRef, KeySpec, ObjectId, Pin, PinStatus, Role, Token, TokenError,
};
use tamga_virtual::device::{DeviceConfig, DeviceHandle, VirtualDevice};
use tamga_virtual::{CardConfig, VirtualCard};

type CcidToken = Kaztoken<Card<VirtualDevice>>;

fn file_backed(dir: &tempfile::TempDir, device: DeviceConfig) -> (CcidToken, DeviceHandle) {
    let card = VirtualCard::open(dir.path().join("token.state"), CardConfig::default()).unwrap();
    over_ccid(card, device)
}

/// Plugs the device back in and connects a new driver session over the same reader.
fn reconnect(token: CcidToken, handle: &DeviceHandle) -> CcidToken {
    handle.replug().unwrap();
    let reader = token.into_channel().reader().clone();
    let card = Card::connect(reader, 0).expect("reconnects after replug");
    let atr = card.atr().as_bytes().to_vec();
    Kaztoken::new(card, KaztokenConfig::default(), &atr)
}

/// USB transfers a closure takes (each bulk OUT and IN counts).
fn transfers(handle: &DeviceHandle, token: &mut CcidToken, f: impl Fn(&mut CcidToken)) -> usize {
    let before = handle.host_messages().len();
    f(token);
    // Every exchange is one bulk-OUT and at least one bulk-IN.
    2 * (handle.host_messages().len() - before)
}

#[test]
fn object_replacement_survives_a_pull_at_every_transfer() {
    let dir = tempfile::tempdir().unwrap();
    let (mut token, handle) = file_backed(&dir, DeviceConfig::default());
    let id = ObjectId::new(0x0101).unwrap();
    let old: Vec<u8> = vec![0x11; 700];
    let new: Vec<u8> = vec![0x22; 900];
    token
        .login(Role::User, &user(), Attempt::SpareLast)
        .unwrap();
    token.write_object(id, &old).unwrap();
    let n = transfers(&handle, &mut token, |t| t.write_object(id, &new).unwrap());
    assert!(n > 20, "a 900-byte write takes many transfers ({n})");
    let (mut saw_old, mut saw_new) = (false, false);
    for cut in 0..=n as u64 + 2 {
        token.write_object(id, &old).unwrap();
        handle.unplug_after(cut);
        let result = token.write_object(id, &new);
        if let Err(e) = &result {
            assert_eq!(*e, TokenError::TokenRemoved, "cut after {cut} transfers");
        }
        token = reconnect(token, &handle);
        token
            .login(Role::User, &user(), Attempt::SpareLast)
            .unwrap();
        let got = token.read_object(id).expect("the object is still readable");
        if result.is_ok() {
            assert_eq!(got, new, "cut after {cut}: a completed write must stick");
        }
        assert!(got == old || got == new, "cut after {cut}: mixed content");
        saw_old |= got == old;
        saw_new |= got == new;
        assert_eq!(token.list_objects().unwrap(), vec![id]);
    }
    assert!(saw_old && saw_new, "the cuts covered both outcomes");
}

#[test]
fn wrong_pin_counts_even_when_pulled() {
    let dir = tempfile::tempdir().unwrap();
    let (mut token, handle) = file_backed(&dir, DeviceConfig::default());
    let wrong = Pin::from("00000000");
    // The status query goes through; the VERIFY itself is cut after the card got it.
    for cut in 2..=4 {
        let before = match token.pin_counters().unwrap().user {
            PinStatus::NotVerified { remaining } => remaining,
            other => panic!("{other:?}"),
        };
        handle.unplug_after(cut);
        let result = token.login(Role::User, &wrong, Attempt::SpareLast);
        token = reconnect(token, &handle);
        let after = match token.pin_counters().unwrap().user {
            PinStatus::NotVerified { remaining } => remaining,
            other => panic!("{other:?}"),
        };
        match result {
            Err(TokenError::TokenRemoved) => assert!(after == before || after == before - 1),
            Err(TokenError::WrongPin { remaining, .. }) => assert_eq!(after, remaining),
            other => panic!("cut {cut}: {other:?}"),
        }
    }
}

/// A key generation far longer than the driver's read timeout: it succeeds only because the
/// reader (APDU levels) or the card (S(WTX) at the TPDU level) asks for more time, and the host
/// waits without resending.
fn generate_slowly(device: DeviceConfig) -> Result<(), TokenError> {
    let card =
        VirtualCard::new(CardConfig::default().with_keygen_delay(Duration::from_millis(400)));
    let (mut token, handle) = over_ccid(card, device);
    token
        .login(Role::User, &user(), Attempt::SpareLast)
        .unwrap();
    let reader = token.channel_mut().reader().clone();
    reader
        .lock()
        .unwrap()
        .set_timeout(Duration::from_millis(100));
    let spec = KeySpec::new(GostAlgorithm::Gost2012_256, tamga_gost::Curve::CryptoProA).unwrap();
    let key = KeyRef::new(1).unwrap();
    let before = handle.host_messages().len();
    let result = token.generate_key(key, spec);
    let generate = handle.host_messages()[before..]
        .iter()
        .filter(|m| m.windows(4).any(|w| w == [0x00, 0x46, 0x80, 0x01]))
        .count();
    assert_eq!(generate, 1, "GENERATE sent once");
    let public = result?;
    assert_eq!(token.public_key(key).unwrap(), Some(public));
    Ok(())
}

#[test]
fn slow_key_generation_with_time_extensions_on_every_level() {
    for (name, device) in common::levels() {
        let device = device.time_extension_interval(Duration::from_millis(40));
        generate_slowly(device).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn slow_key_generation_without_time_extensions_times_out() {
    let device = DeviceConfig::default().time_extension_interval(Duration::ZERO);
    match generate_slowly(device) {
        Err(TokenError::Communication(_)) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn token_taken_out_of_the_reader_and_put_back() {
    use tamga_ccid::{ReaderEvent, SlotState};
    let (mut token, handle) = over_ccid(
        VirtualCard::new(CardConfig::default()),
        DeviceConfig::default(),
    );
    let reader = token.channel_mut().reader().clone();
    // The insertion that was pending when the driver connected.
    let first = reader
        .lock()
        .unwrap()
        .poll_slot_change(Duration::from_millis(50));
    assert!(
        matches!(first, Ok(Some(ReaderEvent::SlotChange(_)))),
        "{first:?}"
    );
    token
        .login(Role::User, &user(), Attempt::SpareLast)
        .unwrap();

    handle.remove_card();
    let event = reader
        .lock()
        .unwrap()
        .poll_slot_change(Duration::from_millis(500));
    assert_eq!(
        event.unwrap(),
        Some(ReaderEvent::SlotChange(vec![SlotState {
            slot: 0,
            present: false,
            changed: true
        }]))
    );
    assert_eq!(token.info().unwrap_err(), TokenError::TokenRemoved);

    handle.insert_card();
    let event = reader
        .lock()
        .unwrap()
        .poll_slot_change(Duration::from_millis(500));
    assert!(matches!(
        event.unwrap(),
        Some(ReaderEvent::SlotChange(ref s)) if s[0].present && s[0].changed
    ));
    let card = Card::connect(reader, 0).unwrap();
    let atr = card.atr().as_bytes().to_vec();
    let mut token = Kaztoken::new(card, KaztokenConfig::default(), &atr);
    // A new power session: the login did not survive the removal.
    assert_eq!(
        token.pin_counters().unwrap().user,
        PinStatus::NotVerified { remaining: 10 }
    );
    token.info().unwrap();
}
