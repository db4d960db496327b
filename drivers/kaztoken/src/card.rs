//! The card's commands (PROTOCOL.md), one method each, over any APDU channel.

use tamga_ccid::ApduChannel;
use tamga_token::TokenError;
use zeroize::Zeroizing;

use crate::apdu::{Command, Response};
use crate::fcp::Fcp;
use crate::status::{channel_error, sw_error};

/// A PIN reference's state as VERIFY without data reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PinState {
    Verified,
    Remaining(u8),
    Blocked,
}

/// The command layer: no policy, no state beyond the channel.
pub(crate) struct Card<C> {
    channel: C,
}

impl<C: ApduChannel> Card<C> {
    pub fn new(channel: C) -> Self {
        Card { channel }
    }

    pub fn channel_mut(&mut self) -> &mut C {
        &mut self.channel
    }

    pub fn into_channel(self) -> C {
        self.channel
    }

    fn send(&mut self, cmd: &Command<'_>) -> Result<Response, TokenError> {
        // The encoded APDU may carry a PIN: wipe it once sent.
        let raw = Zeroizing::new(cmd.encode()?);
        log::trace!(
            "APDU {:02X} {:02X} {:02X} {:02X} Lc={} Le={:?}",
            cmd.cla,
            cmd.ins,
            cmd.p1,
            cmd.p2,
            cmd.data.len(),
            cmd.le
        );
        let resp = self.channel.transmit(&raw).map_err(channel_error)?;
        let resp = Response::parse(resp)?;
        log::trace!("SW {:04X}, {} bytes", resp.sw, resp.data.len());
        Ok(resp)
    }

    /// Sends and insists on 9000.
    fn expect_ok(&mut self, cmd: &Command<'_>) -> Result<Vec<u8>, TokenError> {
        let resp = self.send(cmd)?;
        if resp.is_ok() {
            Ok(resp.data)
        } else {
            Err(sw_error(resp.sw))
        }
    }

    /// SELECT by path from the MF; `Ok(false)` when it does not exist.
    pub fn select_path(&mut self, path: &[u16]) -> Result<bool, TokenError> {
        let bytes: Vec<u8> = path.iter().flat_map(|f| f.to_be_bytes()).collect();
        self.select(0x08, &bytes)
    }

    fn select(&mut self, p1: u8, data: &[u8]) -> Result<bool, TokenError> {
        let resp = self.send(&Command::new(0, 0xA4, p1, 0x0C).data(data))?;
        match resp.sw {
            0x9000 => Ok(true),
            0x6A82 => Ok(false),
            sw => Err(sw_error(sw)),
        }
    }

    /// The file IDs of the current DF, ascending (SELECT first / SELECT next).
    pub fn list_children(&mut self) -> Result<Vec<u16>, TokenError> {
        let mut out = Vec::new();
        let mut resp = self.send(&Command::new(0, 0xA4, 0, 0).le(256))?;
        // A DF holds far fewer files than this; the bound stops a card that loops.
        for _ in 0..4096 {
            match resp.sw {
                0x9000 => {}
                0x6A82 => return Ok(out),
                sw => return Err(sw_error(sw)),
            }
            let fid = Fcp::parse(&resp.data)?.fid;
            if out.last().is_some_and(|&last| last >= fid) {
                return Err(TokenError::Protocol("file list not ascending"));
            }
            out.push(fid);
            let prev = fid.to_be_bytes();
            resp = self.send(&Command::new(0, 0xA4, 0, 0x02).data(&prev).le(256))?;
        }
        Err(TokenError::Protocol("file list does not end"))
    }

    /// Reads the whole current EF, whose size the caller knows from its FCP, or up to `limit`.
    pub fn read_binary(&mut self, limit: usize, chunk: usize) -> Result<Vec<u8>, TokenError> {
        let mut out = Vec::new();
        while out.len() < limit {
            let offset = u16::try_from(out.len())
                .map_err(|_| TokenError::Protocol("file larger than 64 KiB"))?;
            let want = chunk.min(limit - out.len()) as u16;
            let [hi, lo] = offset.to_be_bytes();
            let resp = self.send(&Command::new(0, 0xB0, hi, lo).le(want))?;
            match resp.sw {
                0x9000 | 0x6282 => {}
                0x6B00 => break,
                sw => return Err(sw_error(sw)),
            }
            if resp.data.is_empty() || resp.data.len() > want as usize {
                return Err(TokenError::Protocol("READ BINARY returned a wrong length"));
            }
            let short = resp.data.len() < want as usize;
            out.extend_from_slice(&resp.data);
            if short || resp.sw == 0x6282 {
                break;
            }
        }
        Ok(out)
    }

    /// Writes `data` into the current EF from offset 0, in chunks.
    pub fn update_binary(&mut self, data: &[u8], chunk: usize) -> Result<(), TokenError> {
        for (i, part) in data.chunks(chunk).enumerate() {
            let offset = u16::try_from(i * chunk)
                .map_err(|_| TokenError::InvalidArgument("object larger than 64 KiB"))?;
            let [hi, lo] = offset.to_be_bytes();
            self.expect_ok(&Command::new(0, 0xD6, hi, lo).data(part))?;
        }
        Ok(())
    }

    /// The FCP of the current DF's child `fid`, or `None`.
    pub fn file_info(&mut self, fid: u16) -> Result<Option<Fcp>, TokenError> {
        let resp = self.send(&Command::new(0, 0xA4, 0, 0).data(&fid.to_be_bytes()).le(256))?;
        match resp.sw {
            0x9000 => Ok(Some(Fcp::parse(&resp.data)?)),
            0x6A82 => Ok(None),
            sw => Err(sw_error(sw)),
        }
    }

    /// CREATE FILE in the current DF (the new file becomes current).
    pub fn create_file(&mut self, fcp: &Fcp) -> Result<(), TokenError> {
        let body = fcp.encode();
        self.expect_ok(&Command::new(0, 0xE0, 0, 0).data(&body))
            .map(drop)
    }

    /// DELETE FILE in the current DF; `Ok(false)` when it was not there.
    pub fn delete_file(&mut self, fid: u16) -> Result<bool, TokenError> {
        let resp = self.send(&Command::new(0, 0xE4, 0, 0).data(&fid.to_be_bytes()))?;
        match resp.sw {
            0x9000 => Ok(true),
            0x6A82 => Ok(false),
            sw => Err(sw_error(sw)),
        }
    }

    /// VERIFY without data: the reference's state, spending no try.
    pub fn pin_state(&mut self, reference: u8) -> Result<PinState, TokenError> {
        let resp = self.send(&Command::new(0, 0x20, 0, reference))?;
        pin_state_of(resp.sw)
    }

    /// VERIFY with the PIN: `Ok(PinState::Verified)` or the state after a wrong PIN.
    pub fn verify(&mut self, reference: u8, pin: &[u8]) -> Result<PinState, TokenError> {
        let resp = self.send(&Command::new(0, 0x20, 0, reference).data(pin))?;
        pin_state_of(resp.sw)
    }

    /// LOGOUT (both references).
    pub fn logout(&mut self) -> Result<(), TokenError> {
        self.expect_ok(&Command::new(0x80, 0x40, 0, 0)).map(drop)
    }

    /// CHANGE REFERENCE DATA with the Rutoken TLVs `80 02 len A5 len PIN`.
    pub fn set_pin(&mut self, reference: u8, new: &[u8]) -> Result<(), TokenError> {
        let len = u8::try_from(new.len())
            .ok()
            .filter(|&l| l <= 120)
            .ok_or(TokenError::PinRejected)?;
        let mut body = Zeroizing::new(Vec::with_capacity(6 + new.len()));
        body.extend_from_slice(&[0x80, 0x02, 0x00, len, 0xA5, len]);
        body.extend_from_slice(new);
        let resp = self.send(&Command::new(0, 0x24, 0x01, reference).data(&body))?;
        match resp.sw {
            0x9000 => Ok(()),
            0x6A80 | 0x6700 => Err(TokenError::PinRejected),
            sw => Err(sw_error(sw)),
        }
    }

    /// RESET RETRY COUNTER (admin session needed).
    pub fn reset_retry_counter(&mut self, reference: u8) -> Result<(), TokenError> {
        self.expect_ok(&Command::new(0, 0x2C, 0x03, reference))
            .map(drop)
    }

    /// GENERATE KEY into the key file of `keyref` (in the current DF); the card's public key
    /// bytes, X ‖ Y little-endian.
    pub fn generate(&mut self, keyref: u8) -> Result<Vec<u8>, TokenError> {
        self.expect_ok(&Command::new(0, 0x46, 0x80, keyref).le(256))
    }

    /// MANAGE SECURITY ENVIRONMENT: the key the next signature uses.
    pub fn select_key(&mut self, keyref: u8) -> Result<(), TokenError> {
        self.expect_ok(&Command::new(0, 0x22, 0x41, 0xB6).data(&[0x84, 0x01, keyref]))
            .map(drop)
    }

    /// PSO: COMPUTE DIGITAL SIGNATURE, in the card's wire order (both ways byte-reversed).
    pub fn compute_signature(&mut self, reversed_digest: &[u8]) -> Result<Vec<u8>, TokenError> {
        self.expect_ok(
            &Command::new(0, 0x2A, 0x9E, 0x9A)
                .data(reversed_digest)
                .le(256),
        )
    }

    /// GET DATA (P1 01, P2 tag).
    pub fn get_data(&mut self, tag: u8) -> Result<Vec<u8>, TokenError> {
        self.expect_ok(&Command::new(0, 0xCA, 0x01, tag).le(256))
    }

    /// PUT DATA (P1 01, P2 tag): the label (user or admin session needed).
    pub fn put_data(&mut self, tag: u8, data: &[u8]) -> Result<(), TokenError> {
        self.expect_ok(&Command::new(0, 0xDA, 0x01, tag).data(data))
            .map(drop)
    }

    /// FORMAT with its TLVs (admin session needed).
    pub fn format(&mut self, tlvs: &[u8]) -> Result<(), TokenError> {
        let resp = self.send(&Command::new(0x80, 0x8A, 0, 0).data(tlvs))?;
        match resp.sw {
            0x9000 => Ok(()),
            0x6A80 => Err(TokenError::PinRejected),
            sw => Err(sw_error(sw)),
        }
    }
}

fn pin_state_of(sw: u16) -> Result<PinState, TokenError> {
    match sw {
        0x9000 => Ok(PinState::Verified),
        0x6983 => Ok(PinState::Blocked),
        sw if sw & 0xFFF0 == 0x63C0 => Ok(PinState::Remaining((sw & 0x0F) as u8)),
        sw => Err(sw_error(sw)),
    }
}
