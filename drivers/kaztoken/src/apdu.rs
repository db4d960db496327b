//! Short command APDUs and their responses.

use tamga_token::TokenError;

/// A short command APDU (ISO 7816-4 cases 1–4).
#[derive(Clone)]
pub(crate) struct Command<'a> {
    pub cla: u8,
    pub ins: u8,
    pub p1: u8,
    pub p2: u8,
    pub data: &'a [u8],
    /// Expected response length; 256 is encoded as 00.
    pub le: Option<u16>,
}

impl<'a> Command<'a> {
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Command {
            cla,
            ins,
            p1,
            p2,
            data: &[],
            le: None,
        }
    }

    pub fn data(mut self, data: &'a [u8]) -> Self {
        self.data = data;
        self
    }

    pub fn le(mut self, le: u16) -> Self {
        self.le = Some(le);
        self
    }

    /// The encoded APDU; the caller wipes it when it carries a PIN.
    pub fn encode(&self) -> Result<Vec<u8>, TokenError> {
        if self.data.len() > 255 {
            return Err(TokenError::InvalidArgument(
                "APDU data longer than 255 bytes",
            ));
        }
        let mut out = Vec::with_capacity(6 + self.data.len());
        out.extend_from_slice(&[self.cla, self.ins, self.p1, self.p2]);
        if !self.data.is_empty() {
            out.push(self.data.len() as u8);
            out.extend_from_slice(self.data);
        }
        match self.le {
            None => {}
            Some(n @ 1..=255) => out.push(n as u8),
            Some(256) => out.push(0),
            Some(_) => return Err(TokenError::InvalidArgument("Le must be 1..=256")),
        }
        Ok(out)
    }
}

/// A response: data and status word.
pub(crate) struct Response {
    pub data: Vec<u8>,
    pub sw: u16,
}

impl Response {
    pub fn parse(mut raw: Vec<u8>) -> Result<Self, TokenError> {
        if raw.len() < 2 {
            return Err(TokenError::Protocol("response shorter than a status word"));
        }
        let sw = u16::from_be_bytes([raw[raw.len() - 2], raw[raw.len() - 1]]);
        raw.truncate(raw.len() - 2);
        Ok(Response { data: raw, sw })
    }

    pub fn is_ok(&self) -> bool {
        self.sw == 0x9000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_the_four_cases() {
        let c1 = Command::new(0x80, 0x40, 0, 0).encode().unwrap();
        assert_eq!(c1, [0x80, 0x40, 0, 0]);
        let c2 = Command::new(0, 0xCA, 1, 0x81).le(256).encode().unwrap();
        assert_eq!(c2, [0, 0xCA, 1, 0x81, 0]);
        let c3 = Command::new(0, 0x20, 0, 2).data(b"1234").encode().unwrap();
        assert_eq!(c3, [0, 0x20, 0, 2, 4, b'1', b'2', b'3', b'4']);
        let c4 = Command::new(0, 0x2A, 0x9E, 0x9A)
            .data(&[7; 32])
            .le(256)
            .encode()
            .unwrap();
        assert_eq!(c4.len(), 4 + 1 + 32 + 1);
        assert_eq!((c4[4], c4[37]), (32, 0));
        assert!(Command::new(0, 0, 0, 0).data(&[0; 256]).encode().is_err());
        assert!(Command::new(0, 0, 0, 0).le(0).encode().is_err());
    }

    #[test]
    fn parses_status() {
        let r = Response::parse(vec![1, 2, 0x90, 0]).unwrap();
        assert!(r.is_ok());
        assert_eq!(r.data, [1, 2]);
        assert_eq!(Response::parse(vec![0x63, 0xC3]).unwrap().sw, 0x63C3);
        assert!(Response::parse(vec![0x90]).is_err());
    }
}
