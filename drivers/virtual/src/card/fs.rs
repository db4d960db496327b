//! The card's file system: the MF, DFs, working EFs and key files, addressed by their path of FIDs
//! below the MF (the MF itself is the empty path).

use std::collections::BTreeMap;

use super::keys::KeySpec;
use crate::secret::Secret;

/// How deep DFs nest below the MF: room for the profile's DFs and a level of the user's own.
pub const MAX_DEPTH: usize = 4;

/// What each file costs besides its content, so that creating empty files still fills the card.
pub const FILE_OVERHEAD: usize = 32;

/// One file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A dedicated file (directory).
    Df,
    /// A working EF: its content is always exactly its size.
    Ef(Vec<u8>),
    /// A key file: what it may hold, and the private key once GENERATE KEY has run.
    Key {
        spec: KeySpec,
        secret: Option<Secret>,
    },
}

impl Node {
    /// The FCP file-type byte (tag 82).
    pub fn type_byte(&self) -> u8 {
        match self {
            Node::Df => 0x38,
            Node::Ef(_) => 0x01,
            Node::Key { .. } => 0x10,
        }
    }

    /// What the file costs against the card's capacity.
    pub fn footprint(&self) -> usize {
        FILE_OVERHEAD
            + match self {
                Node::Df => 0,
                Node::Ef(data) => data.len(),
                Node::Key { spec, .. } => spec.public_len(),
            }
    }
}

/// Why a file could not be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    /// The parent is missing or is not a DF, or the path is too deep or has a reserved FID.
    BadPath,
    /// A file with this path exists.
    Exists,
}

/// Whether a FID may name a file: 0000, the MF's 3F00 and FF00..=FFFF are reserved.
pub fn valid_fid(fid: u16) -> bool {
    fid != 0 && fid != 0x3F00 && fid < 0xFF00
}

/// Every file but the MF, in path order (so a DF always comes before its content).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileSystem {
    nodes: BTreeMap<Vec<u16>, Node>,
}

impl FileSystem {
    /// An MF holding only the given (empty) DFs: what FORMAT leaves.
    pub fn with_dfs(dfs: &[u16]) -> Self {
        let mut fs = FileSystem::default();
        for &fid in dfs {
            // The profile's DFs are distinct valid FIDs; a bad profile just yields fewer DFs.
            let _ = fs.insert(&[fid], Node::Df);
        }
        fs
    }

    pub fn get(&self, path: &[u16]) -> Option<&Node> {
        self.nodes.get(path)
    }

    pub fn get_mut(&mut self, path: &[u16]) -> Option<&mut Node> {
        self.nodes.get_mut(path)
    }

    /// Whether `path` is the MF or a DF.
    pub fn is_df(&self, path: &[u16]) -> bool {
        path.is_empty() || matches!(self.nodes.get(path), Some(Node::Df))
    }

    /// The files directly in a DF, by ascending FID.
    pub fn children<'a>(&'a self, df: &'a [u16]) -> impl Iterator<Item = (u16, &'a Node)> + 'a {
        self.nodes
            .range(df.to_vec()..)
            .take_while(move |(p, _)| p.starts_with(df))
            .filter(move |(p, _)| p.len() == df.len() + 1)
            .map(|(p, n)| (p[p.len() - 1], n))
    }

    /// Adds a file whose parent DF exists.
    pub fn insert(&mut self, path: &[u16], node: Node) -> Result<(), FsError> {
        let (&fid, parent) = path.split_last().ok_or(FsError::BadPath)?;
        if path.len() > MAX_DEPTH || !valid_fid(fid) || !self.is_df(parent) {
            return Err(FsError::BadPath);
        }
        if self.nodes.contains_key(path) {
            return Err(FsError::Exists);
        }
        self.nodes.insert(path.to_vec(), node);
        Ok(())
    }

    /// Removes a file and, for a DF, everything in it. False when there was no such file.
    pub fn remove(&mut self, path: &[u16]) -> bool {
        if path.is_empty() || self.nodes.remove(path).is_none() {
            return false;
        }
        self.nodes.retain(|p, _| !p.starts_with(path));
        true
    }

    /// Every file with its path, parents first.
    pub fn iter(&self) -> impl Iterator<Item = (&[u16], &Node)> {
        self.nodes.iter().map(|(p, n)| (p.as_slice(), n))
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The memory the files take, as the card counts it against its capacity.
    pub fn used_bytes(&self) -> usize {
        self.nodes.values().map(Node::footprint).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree() {
        let mut fs = FileSystem::with_dfs(&[0x1001, 0x1002]);
        fs.insert(&[0x1002, 0x0005], Node::Ef(vec![1])).unwrap();
        fs.insert(&[0x1002, 0x0001], Node::Ef(vec![])).unwrap();
        fs.insert(&[0x1001, 0x6001], Node::Df).unwrap();
        assert_eq!(fs.insert(&[0x1002, 0x0001], Node::Df), Err(FsError::Exists));
        assert_eq!(
            fs.insert(&[0x1002, 0x0001, 2], Node::Df),
            Err(FsError::BadPath)
        );
        assert_eq!(fs.insert(&[0x1003, 2], Node::Df), Err(FsError::BadPath));
        assert_eq!(fs.insert(&[0x3F00], Node::Df), Err(FsError::BadPath));
        let kids: Vec<u16> = fs.children(&[0x1002]).map(|(f, _)| f).collect();
        assert_eq!(kids, [0x0001, 0x0005]);
        let top: Vec<u16> = fs.children(&[]).map(|(f, _)| f).collect();
        assert_eq!(top, [0x1001, 0x1002]);
        assert!(fs.remove(&[0x1001]));
        assert!(fs.get(&[0x1001, 0x6001]).is_none());
        assert!(!fs.remove(&[0x1001]));
        assert_eq!(fs.len(), 3);
    }
}
