//! The drivers compiled into this build (Cargo features `kaztoken-ccid`, `virtual`, `pkcs11`).

#[cfg(any(feature = "kaztoken-ccid", feature = "virtual"))]
mod ccid_error;
#[cfg(feature = "kaztoken-ccid")]
mod kaztoken_ccid;
#[cfg(feature = "pkcs11")]
mod pkcs11;
#[cfg(feature = "virtual")]
mod virtual_kaztoken;

#[cfg(feature = "kaztoken-ccid")]
pub use kaztoken_ccid::KaztokenCcidDriver;
#[cfg(feature = "pkcs11")]
pub use pkcs11::Pkcs11Driver;
#[cfg(feature = "virtual")]
pub use virtual_kaztoken::VirtualKaztokenDriver;

use crate::TokenDriver;

/// The registry name of the USB CCID KAZTOKEN driver.
pub const KAZTOKEN_CCID: &str = "kaztoken-ccid";
/// The registry name of the virtual KAZTOKEN driver.
pub const VIRTUAL_KAZTOKEN: &str = "virtual-kaztoken";
/// The registry name of the PKCS#11 fallback driver.
pub const PKCS11: &str = "pkcs11";

/// Every driver of this build.
pub static DRIVERS: &[&dyn TokenDriver] = &[
    #[cfg(feature = "kaztoken-ccid")]
    &KaztokenCcidDriver,
    #[cfg(feature = "virtual")]
    &VirtualKaztokenDriver,
    #[cfg(feature = "pkcs11")]
    &Pkcs11Driver,
];
