//! The `ophiontt` binary: everything happens in `cli`.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    ophiontt::cli::main()
}

/// See the mimalloc line in Cargo.toml: measured, not assumed.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
