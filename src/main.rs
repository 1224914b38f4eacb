//! Thin binary: parse arguments, run, map the outcome to an exit code
//! (0 clean, 1 findings or gaps, 2 errors).

use std::process::ExitCode;

fn main() -> ExitCode {
    greenlight::cli::main()
}

/// mimalloc: the linter and the scanner allocate many small short-lived values on every core,
/// where it is about a fifth cheaper in CPU than the system allocator.
#[global_allocator]
static GLOBAL: alloc::Mimalloc = alloc::Mimalloc;

/// mimalloc as the global allocator, through its plain `malloc` entry points where the layout
/// allows (as the standard library's `System` does with the C allocator): the `mimalloc`
/// crate calls the aligned entry points for every request, about a tenth more work per
/// allocation on the linter's million small values.
#[allow(unsafe_code)]
mod alloc {
    use libmimalloc_sys as mi;
    use std::alloc::{GlobalAlloc, Layout};
    use std::ffi::c_void;

    /// The alignment `mi_malloc` guarantees for blocks of at least that size (mimalloc's
    /// `MI_MAX_ALIGN_SIZE`, the C `max_align_t` of 64-bit targets); smaller blocks are
    /// aligned to their size rounded to a word, enough for any layout whose size is at least
    /// its alignment (every Rust layout a collection asks for).
    const MIN_ALIGN: usize = 16;

    fn plain(align: usize, size: usize) -> bool {
        align <= MIN_ALIGN && align <= size
    }

    pub struct Mimalloc;

    // SAFETY: each function forwards to mimalloc with the layout's size and, unless `plain`
    // says the plain entry point aligns it, its alignment; blocks are freed with `mi_free`,
    // which takes any block mimalloc returned.
    unsafe impl GlobalAlloc for Mimalloc {
        #[inline]
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: see the impl
            unsafe {
                if plain(layout.align(), layout.size()) {
                    mi::mi_malloc(layout.size()).cast()
                } else {
                    mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
                }
            }
        }

        #[inline]
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            // SAFETY: see the impl
            unsafe {
                if plain(layout.align(), layout.size()) {
                    mi::mi_zalloc(layout.size()).cast()
                } else {
                    mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
                }
            }
        }

        #[inline]
        unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
            // SAFETY: see the impl
            unsafe { mi::mi_free(ptr.cast::<c_void>()) }
        }

        #[inline]
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: see the impl
            unsafe {
                if plain(layout.align(), new_size) {
                    mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
                } else {
                    mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
                }
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::Mimalloc;
        use std::alloc::{GlobalAlloc, Layout};

        /// Every block is aligned as its layout asks, through allocation, zeroed allocation
        /// and growth or shrinking, on both sides of `MIN_ALIGN` and of the sizes where
        /// mimalloc's size classes change.
        #[test]
        fn blocks_are_aligned_as_their_layout_asks() {
            let a = Mimalloc;
            for align in [1usize, 2, 4, 8, 16, 32, 64, 128, 4096] {
                // (layouts smaller than their alignment too: `Layout` allows them)
                let small = [1usize, 8, 24].map(|s| (s, 1));
                let multiples =
                    [1usize, 2, 3, 5, 7, 9, 13, 24, 100, 1000, 70_000].map(|k| (align, k));
                for (unit, k) in small.into_iter().chain(multiples) {
                    let size = unit * k;
                    let Ok(layout) = Layout::from_size_align(size, align) else {
                        panic!("layout {size}/{align}");
                    };
                    // SAFETY: non-zero sizes; each block is used within its size and freed
                    // once, with the layout it has
                    unsafe {
                        for zeroed in [false, true] {
                            let mut p = if zeroed {
                                a.alloc_zeroed(layout)
                            } else {
                                a.alloc(layout)
                            };
                            assert!(!p.is_null());
                            assert_eq!(p as usize % align, 0, "{size}/{align} zeroed {zeroed}");
                            if zeroed {
                                assert!(
                                    std::slice::from_raw_parts(p, size).iter().all(|&b| b == 0)
                                );
                            }
                            p.write_bytes(0xa5, size);
                            let mut current = layout;
                            for new in [(size / 2).max(1), size * 3, size] {
                                p = a.realloc(p, current, new);
                                assert!(!p.is_null());
                                assert_eq!(p as usize % align, 0, "{size} -> {new}/{align}");
                                assert_eq!(*p, 0xa5);
                                let Ok(l) = Layout::from_size_align(new, align) else {
                                    panic!("layout {new}/{align}");
                                };
                                current = l;
                            }
                            a.dealloc(p, current);
                        }
                    }
                }
            }
        }
    }
}
