//! The stacks the kaztoken tests run on, and the scenarios they all pass.
#![allow(dead_code)]

pub mod scenarios;

use tamga_ccid::Card;
use tamga_kaztoken::{Kaztoken, KaztokenConfig};
use tamga_virtual::device::{DeviceConfig, DeviceHandle, VirtualDevice};
use tamga_virtual::{CardChannel, CardConfig, VirtualCard};

/// The driver straight over the card: the protocol alone.
pub fn direct(config: CardConfig) -> (Kaztoken<CardChannel>, CardChannel) {
    let mut card = VirtualCard::new(config);
    let atr = card.power_on();
    let channel = CardChannel::new(card);
    let token = Kaztoken::new(channel.clone(), KaztokenConfig::default(), &atr);
    (token, channel)
}

/// The whole stack: kaztoken ↔ CCID driver ↔ virtual CCID reader ↔ virtual card.
pub fn over_ccid(
    card: VirtualCard,
    device: DeviceConfig,
) -> (Kaztoken<Card<VirtualDevice>>, DeviceHandle) {
    let device = VirtualDevice::new(card, device);
    let handle = device.handle();
    let card = Card::open(device).expect("the CCID driver connects to the virtual reader");
    let atr = card.atr().as_bytes().to_vec();
    (Kaztoken::new(card, KaztokenConfig::default(), &atr), handle)
}

/// The three exchange levels of the issue, by name.
pub fn levels() -> [(&'static str, DeviceConfig); 3] {
    [
        ("short APDU", DeviceConfig::default()),
        // Messages of 64 bytes of payload force CCID-level chaining of most commands.
        ("extended APDU", DeviceConfig::default().extended_apdu(74)),
        ("T=1 TPDU", DeviceConfig::default().tpdu()),
    ]
}
