//! The file, key and token commands of PROTOCOL.md (the PIN commands are in `pin.rs`).

use super::fs::{FsError, Node};
use super::{fcp, Answer, Response, VirtualCard};
use crate::apdu::{sw, Command, Sw};
use crate::secret::Secret;
use crate::state::{LABEL_MAX, MAX_TRIES, PIN_LENGTHS};

/// `path` ‖ `fid`.
fn child(path: &[u16], fid: u16) -> Vec<u16> {
    let mut p = Vec::with_capacity(path.len() + 1);
    p.extend_from_slice(path);
    p.push(fid);
    p
}

/// A FID from exactly two data bytes.
fn fid(data: &[u8]) -> Result<u16, Sw> {
    data.try_into()
        .map(u16::from_be_bytes)
        .map_err(|_| sw::WRONG_LENGTH)
}

impl VirtualCard {
    /// `00 A4 08|00 P2`: by path, a child, or the first / next file of the current DF.
    pub(super) fn select(&mut self, c: &Command<'_>) -> Answer {
        let df = &self.session.df;
        let (target, enumerating) = match (c.p1, c.p2, c.data.len()) {
            (0x08, 0x00 | 0x0C, n) if n % 2 == 0 => (
                c.data
                    .chunks_exact(2)
                    .map(|b| u16::from_be_bytes([b[0], b[1]]))
                    .collect(),
                false,
            ),
            (0x00, 0x00, 0) => {
                let first = self.state.files.children(df).next();
                (child(df, first.ok_or(sw::NOT_FOUND)?.0), true)
            }
            (0x00, 0x02, _) => {
                let after = fid(c.data)?;
                let next = self.state.files.children(df).find(|(f, _)| *f > after);
                (child(df, next.ok_or(sw::NOT_FOUND)?.0), true)
            }
            (0x00, 0x00 | 0x0C, _) => match fid(c.data)? {
                0x3F00 => (Vec::new(), false),
                f => (child(df, f), false),
            },
            (0x08, 0x00 | 0x0C, _) => return Err(sw::WRONG_LENGTH),
            _ => return Err(sw::BAD_P1P2),
        };
        let fcp = match self.state.files.get(&target) {
            None if target.is_empty() => fcp::encode(0x3F00, &Node::Df),
            None => return Err(sw::NOT_FOUND),
            Some(node) => fcp::encode(target[target.len() - 1], node),
        };
        // Enumeration never enters a DF, so that SELECT next keeps walking the same one.
        if self.state.files.is_df(&target) {
            if !enumerating {
                self.session.df = target;
            }
            self.session.ef = None;
        } else {
            self.session.df = target[..target.len() - 1].to_vec();
            self.session.ef = Some(target);
        }
        Ok(Response::ok(if c.p2 == 0x0C { Vec::new() } else { fcp }))
    }

    /// The current EF's path, or `6986`.
    fn current_ef(&self) -> Result<&[u16], Sw> {
        self.session.ef.as_deref().ok_or(sw::NO_CURRENT_EF)
    }

    /// `00 B0 offset Le`; on a key file, its public key.
    pub(super) fn read_binary(&mut self, c: &Command<'_>) -> Answer {
        if c.p1 & 0x80 != 0 {
            return Err(sw::BAD_P1P2);
        }
        let path = self.current_ef()?;
        let content = match self.state.files.get(path) {
            Some(Node::Ef(data)) => data.clone(),
            Some(Node::Key {
                spec,
                secret: Some(secret),
            }) => spec.public_key(secret).map_err(|_| sw::UNKNOWN)?,
            Some(Node::Key { secret: None, .. }) => return Err(sw::REF_NOT_FOUND),
            _ => return Err(sw::NO_CURRENT_EF),
        };
        let offset = usize::from(c.p1p2());
        let rest = content.get(offset..).ok_or(sw::BAD_OFFSET)?;
        let ne = c.le.unwrap_or(256);
        let data = rest[..rest.len().min(ne)].to_vec();
        let short = c.le.is_some() && data.len() < ne;
        Ok(Response {
            data,
            sw: if short { sw::END_OF_FILE } else { sw::OK },
        })
    }

    /// `00 D6 offset data`: within the EF's size.
    pub(super) fn update_binary(&mut self, c: &Command<'_>) -> Answer {
        if c.p1 & 0x80 != 0 {
            return Err(sw::BAD_P1P2);
        }
        self.require(self.user_or_admin())?;
        let path = self.current_ef()?.to_vec();
        let Some(Node::Ef(content)) = self.state.files.get_mut(&path) else {
            return Err(sw::NO_CURRENT_EF);
        };
        let offset = usize::from(c.p1p2());
        if offset > content.len() {
            return Err(sw::BAD_OFFSET);
        }
        let target = content
            .get_mut(offset..offset + c.data.len())
            .filter(|t| !t.is_empty())
            .ok_or(sw::WRONG_LENGTH)?;
        target.copy_from_slice(c.data);
        self.persist()?;
        Ok(Response::done())
    }

    /// `00 E0 00 00 FCP`: creates the file in the current DF and selects it.
    pub(super) fn create_file(&mut self, c: &Command<'_>) -> Answer {
        if c.p1p2() != 0 {
            return Err(sw::BAD_P1P2);
        }
        let in_mf = self.session.df.is_empty();
        self.require(if in_mf {
            self.session.admin_verified
        } else {
            self.user_or_admin()
        })?;
        let (fid, node) = fcp::parse(c.data)?;
        let base = self.config.profile.key_fid_base;
        if matches!(node, Node::Key { .. }) && fid.wrapping_sub(base) > 0xFF {
            return Err(sw::BAD_DATA);
        }
        if self.state.files.used_bytes() + node.footprint() > self.config.capacity {
            return Err(sw::NO_SPACE);
        }
        let path = child(&self.session.df, fid);
        let is_df = matches!(node, Node::Df);
        self.state.files.insert(&path, node).map_err(|e| match e {
            FsError::Exists => sw::EXISTS,
            // Too deep or a reserved FID: there is no room for it.
            FsError::BadPath if super::fs::valid_fid(fid) => sw::NO_SPACE,
            FsError::BadPath => sw::BAD_DATA,
        })?;
        self.persist()?;
        if is_df {
            self.session.df = path;
            self.session.ef = None;
        } else {
            self.session.ef = Some(path);
        }
        Ok(Response::done())
    }

    /// `00 E4 00 00 FID`: deletes a file (a DF with its content) of the current DF.
    pub(super) fn delete_file(&mut self, c: &Command<'_>) -> Answer {
        if c.p1p2() != 0 {
            return Err(sw::BAD_P1P2);
        }
        let path = child(&self.session.df, fid(c.data)?);
        self.require(self.user_or_admin())?;
        if !self.state.files.remove(&path) {
            return Err(sw::NOT_FOUND);
        }
        for selected in [&mut self.session.ef, &mut self.session.signing_key] {
            if selected.as_ref().is_some_and(|p| p.starts_with(&path)) {
                *selected = None;
            }
        }
        self.persist()?;
        Ok(Response::done())
    }

    /// The key file of a key reference in the current DF.
    fn key_path(&self, keyref: u8) -> Vec<u16> {
        let base = self.config.profile.key_fid_base;
        child(&self.session.df, base.wrapping_add(u16::from(keyref)))
    }

    /// `00 46 80 keyref Le`: a new key pair in an existing key file; answers X ‖ Y little-endian.
    pub(super) fn generate_key(&mut self, c: &Command<'_>) -> Answer {
        if c.p1 != 0x80 {
            return Err(sw::BAD_P1P2);
        }
        if !c.data.is_empty() {
            return Err(sw::WRONG_LENGTH);
        }
        self.require(self.session.user_verified)?;
        let path = self.key_path(c.p2);
        let Some(Node::Key { spec, secret }) = self.state.files.get_mut(&path) else {
            return Err(sw::NOT_FOUND);
        };
        let spec = *spec;
        let new: Secret = spec.generate().map_err(|_| sw::UNKNOWN)?;
        let public = spec.public_key(&new).map_err(|_| sw::UNKNOWN)?;
        *secret = Some(new);
        self.persist()?;
        Ok(Response::ok(public))
    }

    /// `00 22 41 B6 84 01 keyref`: the key PSO will sign with.
    pub(super) fn manage_security_environment(&mut self, c: &Command<'_>) -> Answer {
        if c.p1p2() != 0x41B6 {
            return Err(sw::BAD_P1P2);
        }
        let &[0x84, 0x01, keyref] = c.data else {
            return Err(sw::BAD_DATA);
        };
        let path = self.key_path(keyref);
        match self.state.files.get(&path) {
            Some(Node::Key {
                secret: Some(_), ..
            }) => {
                self.session.signing_key = Some(path);
                Ok(Response::done())
            }
            _ => Err(sw::REF_NOT_FOUND),
        }
    }

    /// `00 2A 9E 9A digest-reversed Le`: signs with the key MSE chose.
    pub(super) fn compute_signature(&mut self, c: &Command<'_>) -> Answer {
        if c.p1p2() != 0x9E9A {
            return Err(sw::BAD_P1P2);
        }
        self.require(self.session.user_verified)?;
        let key = self.session.signing_key.as_deref();
        let Some(Node::Key {
            spec,
            secret: Some(secret),
        }) = key.and_then(|p| self.state.files.get(p))
        else {
            return Err(sw::REF_NOT_FOUND);
        };
        if c.data.len() != spec.curve().digest_len() {
            return Err(sw::WRONG_LENGTH);
        }
        let sig = spec
            .sign_reversed_digest(secret, c.data)
            .map_err(|_| sw::UNKNOWN)?;
        Ok(Response::ok(sig))
    }

    /// `00 CA 01 81|82`: the serial number or the label.
    pub(super) fn get_data(&mut self, c: &Command<'_>) -> Answer {
        match c.p1p2() {
            0x0181 => Ok(Response::ok(self.state.serial.to_be_bytes().to_vec())),
            0x0182 => Ok(Response::ok(self.state.label.as_bytes().to_vec())),
            _ if c.p1 != 0x01 => Err(sw::BAD_P1P2),
            _ => Err(sw::REF_NOT_FOUND),
        }
    }

    /// `00 DA 01 82 label`: sets the label, nothing else (user or admin).
    pub(super) fn put_data(&mut self, c: &Command<'_>) -> Answer {
        match c.p1p2() {
            0x0182 => {}
            _ if c.p1 != 0x01 => return Err(sw::BAD_P1P2),
            _ => return Err(sw::REF_NOT_FOUND),
        }
        self.require(self.user_or_admin())?;
        let label = core::str::from_utf8(c.data).map_err(|_| sw::BAD_DATA)?;
        if label.len() > LABEL_MAX {
            return Err(sw::WRONG_LENGTH);
        }
        self.state.label = label.to_owned();
        self.persist()?;
        Ok(Response::ok(Vec::new()))
    }

    /// `80 8A 00 00 TLVs`: wipes keys and objects, sets label, PINs and maxima, logs out.
    pub(super) fn format(&mut self, c: &Command<'_>) -> Answer {
        if c.p1p2() != 0 {
            return Err(sw::BAD_P1P2);
        }
        self.require(self.session.admin_verified)?;
        let f = FormatParams::parse(c.data)?;
        let st = &mut self.state;
        if let Some(label) = f.label {
            st.label = label.to_owned();
        }
        for (pin, new, max) in [
            (&mut st.user, f.user_pin, f.user_max),
            (&mut st.admin, f.admin_pin, f.admin_max),
        ] {
            if let Some(new) = new {
                pin.pin = Secret::from_slice(new);
            }
            pin.max_tries = max.unwrap_or(pin.max_tries);
            pin.tries_left = pin.max_tries;
        }
        let p = &self.config.profile;
        st.files = super::fs::FileSystem::with_dfs(&[p.keys_df, p.objects_df]);
        let powered = self.session.powered;
        self.session = super::Session {
            powered,
            ..Default::default()
        };
        self.persist()?;
        Ok(Response::done())
    }
}

/// The TLVs of FORMAT, each optional: what is absent keeps its current value.
#[derive(Default)]
struct FormatParams<'a> {
    label: Option<&'a str>,
    user_pin: Option<&'a [u8]>,
    admin_pin: Option<&'a [u8]>,
    user_max: Option<u8>,
    admin_max: Option<u8>,
}

impl<'a> FormatParams<'a> {
    fn parse(mut data: &'a [u8]) -> Result<Self, Sw> {
        let mut f = FormatParams::default();
        while let [tag, len, rest @ ..] = data {
            let (value, rest) = rest
                .split_at_checked(usize::from(*len))
                .ok_or(sw::BAD_DATA)?;
            data = rest;
            let fresh = match tag {
                0x80 => {
                    let label = core::str::from_utf8(value).map_err(|_| sw::BAD_DATA)?;
                    label.len() <= LABEL_MAX && f.label.replace(label).is_none()
                }
                0x81 | 0x82 => {
                    let slot = if *tag == 0x81 {
                        &mut f.user_pin
                    } else {
                        &mut f.admin_pin
                    };
                    PIN_LENGTHS.contains(&value.len()) && slot.replace(value).is_none()
                }
                0x83 | 0x84 => {
                    let slot = if *tag == 0x83 {
                        &mut f.user_max
                    } else {
                        &mut f.admin_max
                    };
                    match value {
                        [n] if MAX_TRIES.contains(n) => slot.replace(*n).is_none(),
                        _ => false,
                    }
                }
                _ => false,
            };
            if !fresh {
                return Err(sw::BAD_DATA);
            }
        }
        if data.is_empty() {
            Ok(f)
        } else {
            Err(sw::BAD_DATA)
        }
    }
}
