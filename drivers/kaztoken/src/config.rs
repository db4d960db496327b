//! Everything about the card that real KAZTOKEN firmware may do differently from the Rutoken ECP
//! defaults: the profile fills this in (see PROTOCOL.md).

use tamga_gost::Curve;
use tamga_token::GostAlgorithm;

/// Card-protocol parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KaztokenConfig {
    /// Path of the keys DF below the MF (without 3F00).
    pub keys_df: Vec<u16>,
    /// Path of the objects DF below the MF (without 3F00).
    pub objects_df: Vec<u16>,
    /// File ID of key slot n is `key_fid_base + n`.
    pub key_fid_base: u16,
    /// VERIFY reference of the user PIN.
    pub user_pin_ref: u8,
    /// VERIFY reference of the admin PIN.
    pub admin_pin_ref: u8,
    /// Algorithm byte of each family in a key file's proprietary attributes.
    pub algorithm_ids: Vec<(GostAlgorithm, u8)>,
    /// Parameter-set byte of each curve.
    pub paramset_ids: Vec<(Curve, u8)>,
    /// Largest data chunk per READ/UPDATE BINARY (the card's short-APDU limit).
    pub max_chunk: usize,
}

impl Default for KaztokenConfig {
    fn default() -> Self {
        KaztokenConfig {
            keys_df: vec![0x1001],
            objects_df: vec![0x1002],
            key_fid_base: 0x6000,
            user_pin_ref: 0x02,
            admin_pin_ref: 0x01,
            algorithm_ids: vec![
                (GostAlgorithm::Gost2001, 0x01),
                (GostAlgorithm::Gost2012_256, 0x02),
                (GostAlgorithm::Gost2012_512, 0x03),
            ],
            paramset_ids: vec![
                (Curve::CryptoProA, 0x01),
                (Curve::CryptoProB, 0x02),
                (Curve::CryptoProC, 0x03),
                (Curve::CryptoProXchA, 0x04),
                (Curve::CryptoProXchB, 0x05),
                (Curve::Tc26_256A, 0x11),
                (Curve::Tc26_256B, 0x12),
                (Curve::Tc26_256C, 0x13),
                (Curve::Tc26_256D, 0x14),
                (Curve::Tc26_512A, 0x21),
                (Curve::Tc26_512B, 0x22),
                (Curve::Tc26_512C, 0x23),
            ],
            max_chunk: 240,
        }
    }
}

impl KaztokenConfig {
    pub(crate) fn algorithm_id(&self, alg: GostAlgorithm) -> Option<u8> {
        self.algorithm_ids
            .iter()
            .find(|(a, _)| *a == alg)
            .map(|(_, id)| *id)
    }

    pub(crate) fn algorithm_of(&self, id: u8) -> Option<GostAlgorithm> {
        self.algorithm_ids
            .iter()
            .find(|(_, i)| *i == id)
            .map(|(a, _)| *a)
    }

    pub(crate) fn paramset_id(&self, curve: Curve) -> Option<u8> {
        self.paramset_ids
            .iter()
            .find(|(c, _)| *c == curve)
            .map(|(_, id)| *id)
    }

    pub(crate) fn curve_of(&self, id: u8) -> Option<Curve> {
        self.paramset_ids
            .iter()
            .find(|(_, i)| *i == id)
            .map(|(c, _)| *c)
    }
}
