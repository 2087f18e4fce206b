//! Handing freed memory back to the OS after a burst of temporary use. The binary (`main.rs`)
//! owns the allocator and sets the hook; the library has no `unsafe` and calls [`release`] at
//! the two moments it matters: once the server listens (start-up's work is done), and after
//! each password hash or check (argon2id takes 19 MiB for a few tens of milliseconds, and the
//! allocator would otherwise keep those pages resident until later allocations came by:
//! docs/performance.md, "Memory").

use std::sync::OnceLock;

/// Set once by the binary, before anything calls [`release`].
pub static RELEASE: OnceLock<fn()> = OnceLock::new();

/// Asks the allocator to return memory it holds free; does nothing if no hook is set (tests,
/// the system allocator).
pub fn release() {
    if let Some(hook) = RELEASE.get() {
        hook();
    }
}
