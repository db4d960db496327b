//! The two signature layouts found in the wild.

/// How a signature's bytes are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SigEncoding {
    /// RFC 4491 §2.2.2 / RFC 9215 §2: `s ‖ r`, each big-endian (X.509, CMS, PKCS#11, OpenSSL).
    Rfc9215,
    /// The Kazakh NCA / Kalkan layout: the RFC 9215 bytes reversed as a whole (`r ‖ s`, each
    /// little-endian).
    Kz,
    /// Verification only: try RFC 9215, then Kazakh. Signing with `Auto` writes RFC 9215.
    Auto,
}

impl SigEncoding {
    /// The CLI spelling: `rfc9215`, `kz` or `auto`.
    pub fn name(self) -> &'static str {
        match self {
            SigEncoding::Rfc9215 => "rfc9215",
            SigEncoding::Kz => "kz",
            SigEncoding::Auto => "auto",
        }
    }
}

impl core::str::FromStr for SigEncoding {
    type Err = &'static str;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "rfc9215" | "rfc4491" | "rfc" => Ok(SigEncoding::Rfc9215),
            "kz" | "kalkan" | "nca" => Ok(SigEncoding::Kz),
            "auto" => Ok(SigEncoding::Auto),
            _ => Err("expected rfc9215, kz or auto"),
        }
    }
}

impl core::fmt::Display for SigEncoding {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}
