//! The KAZTOKEN protocol straight over the virtual card, without CCID.

mod common;

use common::{direct, scenarios};
use tamga_virtual::CardConfig;

#[test]
fn fresh_token() {
    scenarios::fresh_token(&mut direct(CardConfig::default()).0);
}

#[test]
fn keys_and_signatures() {
    scenarios::keys_and_signatures(&mut direct(CardConfig::default()).0);
}

#[test]
fn objects() {
    scenarios::objects(&mut direct(CardConfig::default()).0);
}

#[test]
fn pins() {
    scenarios::pins(&mut direct(CardConfig::default()).0);
}

#[test]
fn journal_and_format() {
    scenarios::journal_and_format(&mut direct(CardConfig::default()).0);
}
