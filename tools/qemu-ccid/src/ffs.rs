//! The FunctionFS side of a USB gadget (Linux `Documentation/usb/functionfs.rst`,
//! `include/uapi/linux/usb/functionfs.h`): the blobs written to `ep0` and the events read back.
//!
//! Plain file I/O, no ioctl: the descriptors and strings are two writes to `ep0`, after which
//! the kernel creates `ep1`..`ep3` in descriptor order; every `read` of `ep0` returns events.
//! f_fs accepts a CCID class descriptor (type 0x21, exactly 54 bytes) after a class-0x0B
//! interface descriptor.

/// FUNCTIONFS_DESCRIPTORS_MAGIC_V2.
const DESCRIPTORS_MAGIC_V2: u32 = 3;
/// FUNCTIONFS_STRINGS_MAGIC.
const STRINGS_MAGIC: u32 = 2;
const HAS_FS_DESC: u32 = 1;
const HAS_HS_DESC: u32 = 2;

/// The endpoints, in the order of their files: ep1 interrupt IN, ep2 bulk IN, ep3 bulk OUT
/// (the layout of QEMU's reader and of most tokens).
pub const EP_INTERRUPT: u8 = 0x81;
pub const EP_BULK_IN: u8 = 0x82;
pub const EP_BULK_OUT: u8 = 0x03;

/// High-speed bulk packets (dummy_hcd runs at high speed by default).
pub const HS_BULK_PACKET: u16 = 512;
const FS_BULK_PACKET: u16 = 64;
/// NotifySlotChange of one slot is 2 bytes.
const INTERRUPT_PACKET: u16 = 8;

/// The interface, class descriptor and three endpoints of one speed.
fn speed_descriptors(class_descriptor: &[u8], bulk: u16, interval: u8) -> Vec<u8> {
    let mut d = vec![9, 4, 0, 0, 3, 0x0B, 0, 0, 1]; // iInterface: string 1
    d.extend_from_slice(class_descriptor);
    for (address, attributes, packet, interval) in [
        (EP_INTERRUPT, 3, INTERRUPT_PACKET, interval),
        (EP_BULK_IN, 2, bulk, 0),
        (EP_BULK_OUT, 2, bulk, 0),
    ] {
        let [lo, hi] = packet.to_le_bytes();
        d.extend_from_slice(&[7, 5, address, attributes, lo, hi, interval]);
    }
    d
}

/// The descriptors blob (v2 header, full and high speed).
pub fn descriptors(class_descriptor: &[u8]) -> Vec<u8> {
    // Interrupt bInterval: 16 ms at full speed (frames), 2^(8-1) microframes at high speed.
    let fs = speed_descriptors(class_descriptor, FS_BULK_PACKET, 16);
    let hs = speed_descriptors(class_descriptor, HS_BULK_PACKET, 8);
    let mut body = Vec::new();
    body.extend_from_slice(&(HAS_FS_DESC | HAS_HS_DESC).to_le_bytes());
    body.extend_from_slice(&5u32.to_le_bytes()); // fs_count: interface, class, 3 endpoints
    body.extend_from_slice(&5u32.to_le_bytes()); // hs_count
    body.extend_from_slice(&fs);
    body.extend_from_slice(&hs);
    with_header(DESCRIPTORS_MAGIC_V2, &body)
}

/// The strings blob: one language (en-US), one string (the interface name).
pub fn strings(interface: &str) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&1u32.to_le_bytes()); // str_count
    body.extend_from_slice(&1u32.to_le_bytes()); // lang_count
    body.extend_from_slice(&0x0409u16.to_le_bytes());
    body.extend_from_slice(interface.as_bytes());
    body.push(0);
    with_header(STRINGS_MAGIC, &body)
}

fn with_header(magic: u32, body: &[u8]) -> Vec<u8> {
    let mut m = magic.to_le_bytes().to_vec();
    let len = u32::try_from(body.len() + 8).unwrap_or(u32::MAX);
    m.extend_from_slice(&len.to_le_bytes());
    m.extend_from_slice(body);
    m
}

/// `struct usb_functionfs_event`: an 8-byte setup packet, the type, 3 bytes of padding.
pub const EVENT_LEN: usize = 12;

/// A control request addressed to the function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setup {
    pub request_type: u8,
    pub request: u8,
    pub value: u16,
    pub index: u16,
    pub length: u16,
}

/// The FunctionFS events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Bind,
    Unbind,
    Enable,
    Disable,
    Setup(Setup),
    Suspend,
    Resume,
    Unknown(u8),
}

impl Event {
    /// Decodes one event; `None` for fewer than 12 bytes.
    pub fn parse(b: &[u8]) -> Option<Event> {
        let b: &[u8; EVENT_LEN] = b.get(..EVENT_LEN)?.try_into().ok()?;
        let word = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
        Some(match b[8] {
            0 => Event::Bind,
            1 => Event::Unbind,
            2 => Event::Enable,
            3 => Event::Disable,
            4 => Event::Setup(Setup {
                request_type: b[0],
                request: b[1],
                value: word(2),
                index: word(4),
                length: word(6),
            }),
            5 => Event::Suspend,
            6 => Event::Resume,
            other => Event::Unknown(other),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_add_up() {
        let d = descriptors(&[0u8; 54]);
        assert_eq!(d.len(), 8 + 12 + 2 * (9 + 54 + 3 * 7));
        assert_eq!(&d[..4], &3u32.to_le_bytes());
        assert_eq!(&d[4..8], &(d.len() as u32).to_le_bytes());
        let s = strings("x");
        assert_eq!(
            s,
            [2, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 4, b'x', 0]
        );
    }

    #[test]
    fn events() {
        let mut e = [0u8; 12];
        e[8] = 2;
        assert_eq!(Event::parse(&e), Some(Event::Enable));
        let setup = [0x21, 0x01, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 4, 0, 0, 0];
        assert_eq!(
            Event::parse(&setup),
            Some(Event::Setup(Setup {
                request_type: 0x21,
                request: 1,
                value: 5,
                index: 0,
                length: 0
            }))
        );
        assert_eq!(Event::parse(&e[..11]), None);
    }
}
