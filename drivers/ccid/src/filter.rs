//! Which USB devices and interfaces are readers to open.

/// The USB interface class of CCID readers.
pub const CCID_CLASS: u8 = 0x0B;
/// The vendor class some tokens use for a CCID interface.
pub const VENDOR_CLASS: u8 = 0xFF;
/// Aktiv Co. (Rutoken, KAZTOKEN).
pub const AKTIV_VID: u16 = 0x0A89;

/// A match list: any CCID-class interface, and the CCID (or vendor-class) interfaces of the
/// named vendors and devices. The profile names exact devices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceFilter {
    /// Match every interface of class 0x0B, whatever the device.
    pub any_ccid_class: bool,
    /// Vendors whose devices are readers.
    pub vendor_ids: Vec<u16>,
    /// Exact devices (VID, PID).
    pub devices: Vec<(u16, u16)>,
}

impl Default for DeviceFilter {
    /// Any CCID-class interface, and Aktiv's devices.
    fn default() -> Self {
        DeviceFilter {
            any_ccid_class: true,
            vendor_ids: vec![AKTIV_VID],
            devices: Vec::new(),
        }
    }
}

impl DeviceFilter {
    /// Matches only the listed devices.
    pub fn devices(devices: &[(u16, u16)]) -> DeviceFilter {
        DeviceFilter {
            any_ccid_class: false,
            vendor_ids: Vec::new(),
            devices: devices.to_vec(),
        }
    }

    /// Whether the device is named by vendor or by VID:PID.
    pub fn names(&self, vendor_id: u16, product_id: u16) -> bool {
        self.vendor_ids.contains(&vendor_id) || self.devices.contains(&(vendor_id, product_id))
    }

    /// Whether an interface of class `class` on the device is a reader to try.
    pub fn selects(&self, vendor_id: u16, product_id: u16, class: u8) -> bool {
        (self.any_ccid_class && class == CCID_CLASS)
            || (self.names(vendor_id, product_id) && (class == CCID_CLASS || class == VENDOR_CLASS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_takes_ccid_interfaces_and_aktiv_vendor_class() {
        let f = DeviceFilter::default();
        assert!(f.selects(0x08E6, 0x4433, CCID_CLASS));
        assert!(f.selects(AKTIV_VID, 0x0030, VENDOR_CLASS));
        assert!(!f.selects(0x08E6, 0x4433, VENDOR_CLASS));
        assert!(!f.selects(AKTIV_VID, 0x0030, 0x03));
        let only = DeviceFilter::devices(&[(AKTIV_VID, 0x0030)]);
        assert!(!only.selects(0x08E6, 0x4433, CCID_CLASS));
        assert!(only.selects(AKTIV_VID, 0x0030, CCID_CLASS));
    }
}
