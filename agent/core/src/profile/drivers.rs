//! The drivers a profile names: a real KAZTOKEN over USB CCID, the virtual KAZTOKEN, or a
//! vendor's PKCS#11 module.

mod pkcs11;

pub use pkcs11::{Pkcs11, Pkcs11KeyMechanisms, Pkcs11Mechanisms, Pkcs11Pin, Pkcs11SignatureOrder};

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use tamga_gost::Curve;
use tamga_kaztoken::KaztokenConfig;
use tamga_token::GostAlgorithm;

/// One driver and its settings. The variant name is the driver's name in the profile.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub enum DriverSpec {
    /// A KAZTOKEN (or any Rutoken-ECP-like token) in a USB CCID reader.
    KaztokenCcid(KaztokenCcid),
    /// The virtual KAZTOKEN behind the virtual CCID reader (the demo and the tests).
    VirtualKaztoken(VirtualKaztoken),
    /// A vendor's PKCS#11 module (the fallback where tamga cannot drive the token itself).
    Pkcs11(Pkcs11),
}

impl DriverSpec {
    /// The registry name of the driver that serves this spec.
    pub fn name(&self) -> &'static str {
        match self {
            DriverSpec::KaztokenCcid(_) => crate::drivers::KAZTOKEN_CCID,
            DriverSpec::VirtualKaztoken(_) => crate::drivers::VIRTUAL_KAZTOKEN,
            DriverSpec::Pkcs11(_) => crate::drivers::PKCS11,
        }
    }
}

/// Which USB devices to try, and the card protocol of the token in them.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KaztokenCcid {
    /// Try every interface of the CCID class (0x0B), whatever the vendor.
    #[serde(default = "yes")]
    pub any_ccid_class: bool,
    /// Vendors whose CCID or vendor-class interfaces are readers (default: Aktiv, 0x0A89).
    #[serde(default = "aktiv")]
    pub vendors: Vec<u16>,
    /// Exact devices.
    #[serde(default)]
    pub devices: Vec<UsbId>,
    /// The card protocol (what real firmware may do differently from Rutoken ECP).
    #[serde(default)]
    pub card: CardProtocol,
}

fn yes() -> bool {
    true
}

fn aktiv() -> Vec<u16> {
    vec![0x0A89]
}

/// A USB device: `(vendor: 0x0a89, product: 0x0030)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsbId {
    /// idVendor.
    pub vendor: u16,
    /// idProduct.
    pub product: u16,
}

/// Every parameter of [`KaztokenConfig`]; a missing field keeps the Rutoken ECP default.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CardProtocol {
    /// Path of the keys DF below the MF.
    pub keys_df: Vec<u16>,
    /// Path of the objects DF below the MF.
    pub objects_df: Vec<u16>,
    /// File ID of key slot n is `key_fid_base + n`.
    pub key_fid_base: u16,
    /// VERIFY reference of the user PIN.
    pub user_pin_ref: u8,
    /// VERIFY reference of the admin PIN.
    pub admin_pin_ref: u8,
    /// Algorithm byte of each family: `[(Gost2012_256, 0x02), …]`.
    pub algorithm_ids: Vec<(Algorithm, u8)>,
    /// Parameter-set byte of each curve: `[("tc26-256-a", 0x11), …]`.
    pub paramset_ids: Vec<(CurveName, u8)>,
    /// Largest data chunk per READ/UPDATE BINARY.
    pub max_chunk: usize,
}

impl Default for CardProtocol {
    fn default() -> Self {
        let c = KaztokenConfig::default();
        CardProtocol {
            keys_df: c.keys_df,
            objects_df: c.objects_df,
            key_fid_base: c.key_fid_base,
            user_pin_ref: c.user_pin_ref,
            admin_pin_ref: c.admin_pin_ref,
            algorithm_ids: c
                .algorithm_ids
                .into_iter()
                .map(|(a, id)| (Algorithm::from(a), id))
                .collect(),
            paramset_ids: c
                .paramset_ids
                .into_iter()
                .map(|(curve, id)| (CurveName(curve), id))
                .collect(),
            max_chunk: c.max_chunk,
        }
    }
}

impl From<&CardProtocol> for KaztokenConfig {
    fn from(p: &CardProtocol) -> Self {
        KaztokenConfig {
            keys_df: p.keys_df.clone(),
            objects_df: p.objects_df.clone(),
            key_fid_base: p.key_fid_base,
            user_pin_ref: p.user_pin_ref,
            admin_pin_ref: p.admin_pin_ref,
            algorithm_ids: p
                .algorithm_ids
                .iter()
                .map(|(a, id)| (GostAlgorithm::from(*a), *id))
                .collect(),
            paramset_ids: p.paramset_ids.iter().map(|(c, id)| (c.0, *id)).collect(),
            max_chunk: p.max_chunk,
        }
    }
}

/// A GOST signature algorithm family, as profiles spell it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Algorithm {
    /// GOST R 34.10-2001 (Kazakhstan's GOST 34.310-2004).
    Gost2001,
    /// GOST R 34.10-2012, 256-bit.
    Gost2012_256,
    /// GOST R 34.10-2012, 512-bit (ST RK GOST R 34.10-2015).
    Gost2012_512,
}

impl From<GostAlgorithm> for Algorithm {
    fn from(a: GostAlgorithm) -> Self {
        match a {
            GostAlgorithm::Gost2001 => Algorithm::Gost2001,
            GostAlgorithm::Gost2012_256 => Algorithm::Gost2012_256,
            GostAlgorithm::Gost2012_512 => Algorithm::Gost2012_512,
        }
    }
}

impl From<Algorithm> for GostAlgorithm {
    fn from(a: Algorithm) -> Self {
        match a {
            Algorithm::Gost2001 => GostAlgorithm::Gost2001,
            Algorithm::Gost2012_256 => GostAlgorithm::Gost2012_256,
            Algorithm::Gost2012_512 => GostAlgorithm::Gost2012_512,
        }
    }
}

/// A curve by its tamga name (`"tc26-512-a"`, `"cryptopro-a"`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CurveName(pub Curve);

impl<'de> Deserialize<'de> for CurveName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Curve::from_name(&name).map(CurveName).map_err(|_| {
            serde::de::Error::custom(format!(
                "unknown curve `{name}`, expected a name such as `tc26-256-a`, `tc26-512-a` or `cryptopro-a`"
            ))
        })
    }
}

/// The virtual KAZTOKEN: where it keeps its state, and how the card and reader behave.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VirtualKaztoken {
    /// The state file.
    pub state: StatePath,
    /// How long key generation takes, in milliseconds (a real KAZTOKEN: up to 5 minutes).
    #[serde(default)]
    pub keygen_delay_ms: u64,
    /// User PIN tries of a fresh token (an existing state file keeps its own).
    #[serde(default = "ten")]
    pub user_retries: u8,
    /// Admin PIN tries of a fresh token.
    #[serde(default = "ten")]
    pub admin_retries: u8,
    /// Label of a fresh token.
    #[serde(default = "kaztoken")]
    pub label: String,
    /// Serial number of a fresh token (default: random).
    #[serde(default)]
    pub serial: Option<u32>,
    /// The exchange level of the virtual reader.
    #[serde(default)]
    pub reader: VirtualReader,
}

fn ten() -> u8 {
    10
}

fn kaztoken() -> String {
    "KAZTOKEN".to_owned()
}

impl VirtualKaztoken {
    /// The key-generation delay.
    pub fn keygen_delay(&self) -> Duration {
        Duration::from_millis(self.keygen_delay_ms)
    }
}

/// The exchange level of the virtual CCID reader.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub enum VirtualReader {
    /// Rutoken ECP's: one short APDU per message.
    #[default]
    ShortApdu,
    /// Extended APDUs, chained over messages of this dwMaxCCIDMessageLength.
    ExtendedApdu(u32),
    /// TPDU: the host runs T=1.
    Tpdu,
}

/// Where a state file lives.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub enum StatePath {
    /// Under the user's state directory: `$XDG_STATE_HOME/tamga/NAME` (or
    /// `~/.local/state/tamga/NAME`).
    UserState(String),
    /// Relative to the profile file's directory (an absolute path is taken as it is).
    Relative(String),
}

impl StatePath {
    /// The file, given the profile's directory and the user's state directory.
    pub fn resolve(&self, profile_dir: &Path, state_dir: &Path) -> PathBuf {
        match self {
            StatePath::UserState(name) => state_dir.join(name),
            StatePath::Relative(path) => profile_dir.join(path),
        }
    }
}
