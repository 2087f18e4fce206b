//! The `ophiontt` binary: everything happens in `cli`. This file owns the process-wide choices
//! a library should not make: the global allocator and when it gives memory back.
#![deny(unsafe_code)]

fn main() -> std::process::ExitCode {
    let _ = ophiontt::memory::RELEASE.set(release_free_memory);
    ophiontt::cli::main()
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
