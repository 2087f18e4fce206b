//! The `ophiontt` binary: everything happens in `cli`.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    ophiontt::cli::main()
}
