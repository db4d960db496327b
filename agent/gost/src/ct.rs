//! Constant-time helpers, and the hooks of the valgrind-based constant-time test.
//!
//! The test (`tests/ctgrind.rs`) marks secret bytes as undefined for valgrind's memcheck; every
//! branch or memory index computed from them is then reported. Values that are secret-derived but
//! public by design (the signature r and s, a public key) are "declassified" through
//! [`declassify`], a no-op outside that test build.

/// All ones when a == b, else 0.
#[inline(always)]
pub(crate) fn eq_mask(a: u64, b: u64) -> u64 {
    let x = a ^ b;
    // (x | −x) has its top bit set iff x ≠ 0. The barrier keeps LLVM from rebuilding a comparison
    // (see `bigint::mask`).
    core::hint::black_box(((x | x.wrapping_neg()) >> 63).wrapping_sub(1))
}

/// Marks `data` as public: the value may now be branched on (it is output anyway).
#[inline(always)]
pub fn declassify<T: ?Sized>(data: &T) {
    #[cfg(all(feature = "ctgrind", target_arch = "x86_64"))]
    valgrind::request(valgrind::MAKE_MEM_DEFINED, data);
    #[cfg(not(all(feature = "ctgrind", target_arch = "x86_64")))]
    let _ = data;
}

/// Returns `v`, marked public. Use this rather than [`declassify`] on a local about to be branched
/// on: it forces the value back through memory, where valgrind's mark applies.
#[inline(always)]
pub fn declassified<T: Copy>(v: T) -> T {
    let slot = [v];
    declassify(&slot);
    core::hint::black_box(&slot)[0]
}

/// Marks `data` as secret for the constant-time test (valgrind: undefined). No-op otherwise.
#[inline(always)]
pub fn poison<T: ?Sized>(data: &T) {
    #[cfg(all(feature = "ctgrind", target_arch = "x86_64"))]
    valgrind::request(valgrind::MAKE_MEM_UNDEFINED, data);
    #[cfg(not(all(feature = "ctgrind", target_arch = "x86_64")))]
    let _ = data;
}

/// Valgrind's client-request mechanism: a magic instruction sequence that is a no-op on a real CPU
/// and that valgrind's JIT recognises. This is the only `unsafe` in tamga-gost, and it exists only
/// in the `ctgrind` test build.
#[cfg(all(feature = "ctgrind", target_arch = "x86_64"))]
#[allow(unsafe_code)]
mod valgrind {
    /// VG_USERREQ_TOOL_BASE('M','C') + 1 and + 2, from valgrind's memcheck.h.
    pub const MAKE_MEM_UNDEFINED: usize = 0x4D43_0001;
    pub const MAKE_MEM_DEFINED: usize = 0x4D43_0002;

    pub fn request<T: ?Sized>(code: usize, data: &T) {
        let args: [usize; 6] = [
            code,
            data as *const T as *const u8 as usize,
            core::mem::size_of_val(data),
            0,
            0,
            0,
        ];
        let mut result: usize = 0;
        // SAFETY: the rotations leave rdi unchanged (3+13+61+51 = 128) and `xchg rbx, rbx` is a
        // no-op; outside valgrind the block only reads `args`, which lives across the asm.
        unsafe {
            core::arch::asm!(
                "rol rdi, 3",
                "rol rdi, 13",
                "rol rdi, 61",
                "rol rdi, 51",
                "xchg rbx, rbx",
                inout("rdx") result,
                in("rax") args.as_ptr(),
                inout("rdi") 0usize => _,
                options(nostack),
            );
        }
        let _ = result;
    }
}

#[cfg(test)]
mod tests {
    use super::eq_mask;

    #[test]
    fn eq_mask_is_exact() {
        assert_eq!(eq_mask(5, 5), u64::MAX);
        assert_eq!(eq_mask(5, 4), 0);
        assert_eq!(eq_mask(0, 1 << 63), 0);
    }
}
