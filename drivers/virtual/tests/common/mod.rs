//! Helpers shared by the integration tests: APDU builders and a card driven through them.
#![allow(dead_code)]

use tamga_virtual::VirtualCard;

/// Sends an APDU and splits the answer into data and SW.
pub fn tx(card: &mut VirtualCard, apdu: &[u8]) -> (Vec<u8>, u16) {
    let mut r = card.process_apdu(apdu);
    assert!(r.len() >= 2, "answer without a status word: {r:02X?}");
    let sw2 = r.pop().unwrap();
    let sw1 = r.pop().unwrap();
    (r, u16::from_be_bytes([sw1, sw2]))
}

/// Sends an APDU that must succeed with 9000 and returns its data.
pub fn ok(card: &mut VirtualCard, apdu: &[u8]) -> Vec<u8> {
    let (data, sw) = tx(card, apdu);
    assert_eq!(sw, 0x9000, "APDU {apdu:02X?}");
    data
}

/// Only the status word.
pub fn sw(card: &mut VirtualCard, apdu: &[u8]) -> u16 {
    tx(card, apdu).1
}

/// `header ‖ Lc ‖ data [‖ Le]`.
pub fn apdu(header: [u8; 4], data: &[u8], le: Option<u8>) -> Vec<u8> {
    let mut a = header.to_vec();
    if !data.is_empty() {
        a.push(data.len() as u8);
        a.extend_from_slice(data);
    }
    a.extend(le);
    a
}

pub const USER: u8 = 0x02;
pub const ADMIN: u8 = 0x01;

pub fn verify(card: &mut VirtualCard, reference: u8, pin: &[u8]) -> u16 {
    sw(card, &apdu([0x00, 0x20, 0x00, reference], pin, None))
}

pub fn login_user(card: &mut VirtualCard) {
    assert_eq!(verify(card, USER, b"12345678"), 0x9000);
}

pub fn login_admin(card: &mut VirtualCard) {
    assert_eq!(verify(card, ADMIN, b"87654321"), 0x9000);
}

pub fn select_path(card: &mut VirtualCard, path: &[u16]) -> (Vec<u8>, u16) {
    let data: Vec<u8> = path.iter().flat_map(|f| f.to_be_bytes()).collect();
    tx(card, &apdu([0x00, 0xA4, 0x08, 0x00], &data, Some(0)))
}

pub fn select_child(card: &mut VirtualCard, fid: u16) -> (Vec<u8>, u16) {
    tx(
        card,
        &apdu([0x00, 0xA4, 0x00, 0x00], &fid.to_be_bytes(), Some(0)),
    )
}

/// The FCP of a working EF for CREATE FILE.
pub fn ef_fcp(fid: u16, size: u16) -> Vec<u8> {
    let mut body = vec![0x80, 2];
    body.extend_from_slice(&size.to_be_bytes());
    body.extend_from_slice(&[0x82, 2, 0x01, 0x00, 0x83, 2]);
    body.extend_from_slice(&fid.to_be_bytes());
    [vec![0x62, body.len() as u8], body].concat()
}

/// The FCP of a key file.
pub fn key_fcp(fid: u16, algorithm: u8, paramset: u8) -> Vec<u8> {
    let mut body = vec![0x82, 2, 0x10, 0x00, 0x83, 2];
    body.extend_from_slice(&fid.to_be_bytes());
    body.extend_from_slice(&[0x85, 2, algorithm, paramset]);
    [vec![0x62, body.len() as u8], body].concat()
}

pub fn create(card: &mut VirtualCard, fcp: &[u8]) -> u16 {
    sw(card, &apdu([0x00, 0xE0, 0x00, 0x00], fcp, None))
}

/// Writes `content` into the current EF in chunks of at most 255 bytes.
pub fn write_all(card: &mut VirtualCard, content: &[u8]) {
    for (i, chunk) in content.chunks(200).enumerate() {
        let off = (i * 200) as u16;
        let [hi, lo] = off.to_be_bytes();
        ok(card, &apdu([0x00, 0xD6, hi, lo], chunk, None));
    }
}

/// Reads `len` bytes of the current EF in chunks (Le = 00, then the remainder).
pub fn read_all(card: &mut VirtualCard, len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    while out.len() < len {
        let [hi, lo] = (out.len() as u16).to_be_bytes();
        let want = (len - out.len()).min(256);
        let (data, sw) = tx(card, &[0x00, 0xB0, hi, lo, want as u8]);
        assert_eq!(sw, 0x9000);
        assert_eq!(data.len(), want);
        out.extend(data);
    }
    out
}

/// A deterministic generator for the robustness loops (xorshift64*).
pub struct Prng(pub u64);

impl Prng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn byte(&mut self) -> u8 {
        (self.next() >> 32) as u8
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.byte()).collect()
    }
}
