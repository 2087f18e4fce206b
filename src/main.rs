//! The `ophiontt` binary: everything happens in `cli`. This file owns the process-wide choices
//! a library should not make: the global allocator and when it gives memory back.
#![deny(unsafe_code)]

fn main() -> std::process::ExitCode {
    purge_freed_memory_soon();
    let _ = ophiontt::memory::RELEASE.set(release_free_memory);
    ophiontt::cli::main()
}

/// mimalloc's `purge_delay` option (`mi_option_purge_delay`, the 16th in mimalloc.h of the v3
/// mimalloc that libmimalloc-sys 0.1.49 builds). The crate does not name it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed pages go back to the OS after 1 ms instead of mimalloc v3's 1,000: after a burst of
/// writes the server holds ~10 MiB less (docs/performance.md, "Memory").
/// `MIMALLOC_PURGE_DELAY` in the environment still decides, as mimalloc documents.
#[allow(unsafe_code)]
fn purge_freed_memory_soon() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: `mi_option_set` only stores the option's value; mimalloc reads it when it next
    // schedules a purge. 15 is `mi_option_purge_delay` in the mimalloc the crate builds (its
    // default, 1000, is checked by the test below).
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1) };
}

/// See the mimalloc line in Cargo.toml: measured, not assumed.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Hands memory that was used and freed back to the OS at once (called by `ophiontt::memory`
/// once the server listens and after each argon2 hash): mimalloc returns freed pages only when
/// later allocations come by, so an idle server kept them resident (docs/performance.md).
#[allow(unsafe_code)]
fn release_free_memory() {
    // SAFETY: `mi_collect` walks mimalloc's own free lists and returns unused pages to the OS;
    // mimalloc documents it as callable from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) };
}

#[cfg(test)]
mod tests {
    /// Option 15 is the purge delay: it has the default mimalloc v3's options.c gives it (1000
    /// ms), and setting it reads back (the test binary does not run `main`). A mimalloc whose
    /// option 15 is something else fails here rather than being set blindly.
    #[test]
    #[allow(unsafe_code)]
    fn option_fifteen_is_mimallocs_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reading and setting an option of the allocator this test binary uses.
        unsafe {
            assert_eq!(
                libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY),
                1000
            );
            super::purge_freed_memory_soon();
            assert_eq!(
                libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY),
                1
            );
        }
    }
}
