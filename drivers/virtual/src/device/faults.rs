//! The faults a test can inject into the reader model: lost and spoiled replies, and unplugging.

/// How to spoil one reply frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Garble {
    /// XOR the byte at this index (modulo the frame length) with 0xFF.
    FlipByte(usize),
    /// A bSeq that answers no command.
    WrongSeq,
    /// dwLength one more than the data that follows.
    WrongLength,
    /// Cut the frame in the middle of its header.
    Truncate,
}

impl Garble {
    pub(crate) fn apply(self, frame: &mut Vec<u8>) {
        match self {
            Garble::FlipByte(i) => {
                let n = frame.len().max(1);
                if let Some(b) = frame.get_mut(i % n) {
                    *b ^= 0xFF;
                }
            }
            Garble::WrongSeq => {
                if let Some(b) = frame.get_mut(6) {
                    *b = b.wrapping_add(1);
                }
            }
            Garble::WrongLength => {
                if let Some(len) = frame.get_mut(1..5) {
                    let n = u32::from_le_bytes([len[0], len[1], len[2], len[3]]).wrapping_add(1);
                    len.copy_from_slice(&n.to_le_bytes());
                }
            }
            Garble::Truncate => frame.truncate(5),
        }
    }
}

/// The armed faults.
#[derive(Clone, Debug, Default)]
pub(crate) struct Faults {
    /// Replies still to swallow (the host's bulk-IN times out instead).
    pub drop_replies: u32,
    /// Spoils the next reply, once.
    pub garble: Option<Garble>,
    /// Bulk transfers left before the device is unplugged.
    pub unplug_after: Option<u64>,
}

impl Faults {
    /// A reply about to leave the device: `None` if it is lost.
    pub fn on_reply(&mut self, mut frame: Vec<u8>) -> Option<Vec<u8>> {
        if self.drop_replies > 0 {
            self.drop_replies -= 1;
            log::debug!("virtual reader: dropping a reply");
            return None;
        }
        if let Some(g) = self.garble.take() {
            log::debug!("virtual reader: garbling a reply ({g:?})");
            g.apply(&mut frame);
        }
        Some(frame)
    }

    /// Counts one bulk transfer; false when the countdown has run out (the device is gone).
    pub fn count_transfer(&mut self) -> bool {
        match &mut self.unplug_after {
            Some(0) => false,
            Some(n) => {
                *n -= 1;
                true
            }
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbles() {
        let frame = vec![0x80, 2, 0, 0, 0, 0, 9, 0, 0, 0, 0x90, 0];
        let spoiled = |g: Garble| {
            let mut f = frame.clone();
            g.apply(&mut f);
            f
        };
        assert_eq!(spoiled(Garble::FlipByte(12))[0], 0x7F);
        assert_eq!(spoiled(Garble::WrongSeq)[6], 10);
        assert_eq!(spoiled(Garble::WrongLength)[1], 3);
        assert_eq!(spoiled(Garble::Truncate).len(), 5);
        let mut f = Faults {
            drop_replies: 1,
            garble: Some(Garble::WrongSeq),
            unplug_after: Some(1),
        };
        assert_eq!(f.on_reply(frame.clone()), None);
        assert_eq!(f.on_reply(frame.clone()).unwrap()[6], 10);
        assert_eq!(f.on_reply(frame.clone()), Some(frame));
        assert!(f.count_transfer());
        assert!(!f.count_transfer());
    }
}
