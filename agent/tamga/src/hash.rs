//! The message hashes a GOST signature can be made over, and hashing a whole file with them.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use clap::ValueEnum;
use tamga_gost::hash::gost94::Gost34311;
use tamga_gost::hash::streebog::{Streebog256, Streebog512};
use tamga_gost::hash::GostHash;

use crate::error::{Failure, Result};

/// A message hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HashAlg {
    /// GOST R 34.11-2012, 256-bit (for 256-bit keys of 2012/2015).
    Streebog256,
    /// GOST R 34.11-2012, 512-bit (for 512-bit keys of 2012/2015).
    Streebog512,
    /// GOST 34.311-95 (GOST R 34.11-94 with the test S-box; for Kazakh 2004 keys).
    Gost34311,
}

impl HashAlg {
    pub fn name(self) -> &'static str {
        match self {
            HashAlg::Streebog256 => "streebog256",
            HashAlg::Streebog512 => "streebog512",
            HashAlg::Gost34311 => "gost34311",
        }
    }

    pub fn output_len(self) -> usize {
        match self {
            HashAlg::Streebog256 | HashAlg::Gost34311 => 32,
            HashAlg::Streebog512 => 64,
        }
    }

    /// The digest of a file (`-` = standard input), streamed so that large files need no memory.
    pub fn digest_file(self, path: &Path) -> Result<Vec<u8>> {
        let result = if path.as_os_str() == "-" {
            self.digest_reader(io::stdin().lock())
        } else {
            File::open(path).and_then(|f| self.digest_reader(f))
        };
        result.map_err(|e| Failure::io("read", path, &e))
    }

    pub fn digest_reader(self, reader: impl Read) -> io::Result<Vec<u8>> {
        match self {
            HashAlg::Streebog256 => digest_with::<Streebog256>(reader),
            HashAlg::Streebog512 => digest_with::<Streebog512>(reader),
            HashAlg::Gost34311 => digest_with::<Gost34311>(reader),
        }
    }
}

fn digest_with<H: GostHash>(mut reader: impl Read) -> io::Result<Vec<u8>> {
    let mut h = H::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    let mut out = vec![0u8; H::OUTPUT_LEN];
    h.finalize_into(&mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_matches_one_shot() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i * 7 + 3) as u8).collect();
        let s256 = HashAlg::Streebog256.digest_reader(&data[..]).unwrap();
        let s512 = HashAlg::Streebog512.digest_reader(&data[..]).unwrap();
        let g = HashAlg::Gost34311.digest_reader(&data[..]).unwrap();
        assert_eq!(s256, tamga_gost::hash::streebog::streebog256(&data));
        assert_eq!(s512, tamga_gost::hash::streebog::streebog512(&data));
        assert_eq!(g, tamga_gost::hash::gost94::gost34311(&data));
        for alg in [
            HashAlg::Streebog256,
            HashAlg::Streebog512,
            HashAlg::Gost34311,
        ] {
            assert_eq!(
                alg.digest_reader(&data[..]).unwrap().len(),
                alg.output_len()
            );
        }
    }
}
