//! Every token operation through the whole stack, on each exchange level: kaztoken ↔ tamga-ccid ↔
//! the virtual CCID reader ↔ the virtual card.

mod common;

use common::{levels, over_ccid, scenarios};
use tamga_ccid::Card;
use tamga_kaztoken::Kaztoken;
use tamga_virtual::device::VirtualDevice;
use tamga_virtual::{CardConfig, VirtualCard};

fn each_level(scenario: impl Fn(&mut Kaztoken<Card<VirtualDevice>>)) {
    for (name, device) in levels() {
        eprintln!("level: {name}");
        let (mut token, _handle) = over_ccid(VirtualCard::new(CardConfig::default()), device);
        scenario(&mut token);
    }
}

#[test]
fn fresh_token() {
    each_level(scenarios::fresh_token);
}

#[test]
fn keys_and_signatures() {
    each_level(scenarios::keys_and_signatures);
}

#[test]
fn objects() {
    each_level(scenarios::objects);
}

#[test]
fn pins() {
    each_level(scenarios::pins);
}

#[test]
fn journal_and_format() {
    each_level(scenarios::journal_and_format);
}
