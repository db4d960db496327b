//! Little-endian fields of fixed-size wire structures.

/// The u16 at `at` of a buffer whose length the caller checked.
pub(crate) fn le_u16<const N: usize>(b: &[u8; N], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

/// The u32 at `at` of a buffer whose length the caller checked.
pub(crate) fn le_u32<const N: usize>(b: &[u8; N], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
