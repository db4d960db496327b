//! tamga-qemu-ccid: the pieces that put tamga's CCID driver on a real Linux USB stack inside a
//! QEMU guest (see README.md):
//! - [`vscard`]: the protocol of QEMU's `ccid-card-passthru`, spoken by `vscard-server` on the
//!   host to serve the virtual KAZTOKEN to QEMU's emulated `usb-ccid` reader (route 1);
//! - [`t0card`]: the virtual card as the T=0 card that reader needs;
//! - [`ffs`]: FunctionFS descriptors and events, for `ccid-gadget`, which exposes the virtual
//!   KAZTOKEN's own CCID device model through `dummy_hcd` in the guest (route 2);
//! - [`harness`]: libtest-style output (`test result:` lines) for the guest binary.
#![forbid(unsafe_code)]

pub mod ffs;
pub mod harness;
pub mod t0card;
pub mod vscard;

/// A test-control APDU the VSCard server answers itself (class FF is never the card's):
/// `FF EE 00 00 04 <remove after, ms: u16 BE> <insert again after, ms: u16 BE>`. It answers
/// 9000 at once, then sends CardRemove and later a fresh ATR — the card is pulled out and put
/// back while the guest watches the interrupt endpoint.
pub const CONTROL_REMOVE: [u8; 4] = [0xFF, 0xEE, 0x00, 0x00];

/// The control APDU that removes the card after `remove_ms` and re-inserts it `insert_ms` later.
pub fn remove_command(remove_ms: u16, insert_ms: u16) -> Vec<u8> {
    let mut c = CONTROL_REMOVE.to_vec();
    c.push(4);
    c.extend_from_slice(&remove_ms.to_be_bytes());
    c.extend_from_slice(&insert_ms.to_be_bytes());
    c
}

/// The two delays of a control APDU, if `apdu` is one.
pub fn parse_remove_command(apdu: &[u8]) -> Option<(u16, u16)> {
    match apdu {
        [a, b, c, d, 4, r0, r1, i0, i1] if [*a, *b, *c, *d] == CONTROL_REMOVE => Some((
            u16::from_be_bytes([*r0, *r1]),
            u16::from_be_bytes([*i0, *i1]),
        )),
        _ => None,
    }
}
