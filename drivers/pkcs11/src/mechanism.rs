//! Mechanism numbers → cryptoki's `MechanismType`.
//!
//! cryptoki 0.12 builds a `MechanismType` only from the values it knows (`TryFrom`) or from the
//! vendor range (`new_vendor_defined`, ≥ 0x80000000). The OASIS GOST mechanisms 0x1200–0x1202
//! are in neither, and no safe constructor reaches them (checked against cryptoki's current
//! source as well: nothing upstream changes this). [`mechanism_type`] tries both safe paths
//! first and falls back to the one `unsafe` conversion of this crate for the rest.

use cryptoki::mechanism::vendor_defined::VendorDefinedMechanism;
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki_sys::CK_MECHANISM_TYPE;

// The conversion below relies on this: `MechanismType` is `#[repr(transparent)]` over
// `CK_MECHANISM_TYPE` (cryptoki documents it so that a `Vec<MechanismType>` has the layout of a
// `Vec<CK_MECHANISM_TYPE>`). A future cryptoki that changed it would fail to compile here.
const _: () = assert!(
    core::mem::size_of::<MechanismType>() == core::mem::size_of::<CK_MECHANISM_TYPE>()
        && core::mem::align_of::<MechanismType>() == core::mem::align_of::<CK_MECHANISM_TYPE>()
);

/// The `MechanismType` of any mechanism number.
pub fn mechanism_type(raw: u64) -> MechanismType {
    if let Ok(t) = MechanismType::try_from(raw) {
        return t;
    }
    if let Ok(t) = MechanismType::new_vendor_defined(raw) {
        return t;
    }
    standard_range_unnamed(raw)
}

/// A number below the vendor range that cryptoki does not name (the OASIS GOST mechanisms).
#[allow(unsafe_code)]
fn standard_range_unnamed(raw: CK_MECHANISM_TYPE) -> MechanismType {
    // SAFETY: `MechanismType` is `repr(transparent)` over `CK_MECHANISM_TYPE` (asserted above
    // for size and alignment) and every bit pattern of an integer is a valid mechanism number:
    // cryptoki only passes it through to the module.
    unsafe { core::mem::transmute::<CK_MECHANISM_TYPE, MechanismType>(raw) }
}

/// A mechanism without parameters, for any number.
pub fn plain(raw: u64) -> Mechanism<'static> {
    Mechanism::VendorDefined(VendorDefinedMechanism::new::<()>(mechanism_type(raw), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_range_round_trips() {
        for raw in [
            0x1040,
            0x1041,
            0x1200,
            0x1201,
            0x1202,
            0xD432_1005,
            0x8E00_0012,
        ] {
            assert_eq!(CK_MECHANISM_TYPE::from(mechanism_type(raw)), raw);
            assert_eq!(plain(raw).mechanism_type(), mechanism_type(raw));
        }
    }
}
