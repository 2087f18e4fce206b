//! Reference documentation that cannot drift: docs/reference/*.md, the man pages and the shell
//! completions are generated from the code (the clap tree, the configuration key table, the
//! audit, security-event and problem-code registries, the served OpenAPI spec), and this check
//! fails when a committed file differs from what the code generates now. It also checks the
//! sample ophiontt.toml against the key table, and that every `ophiontt …` command line the
//! guides show still parses (and any `--help` they quote is still what it prints).
//!
//!     cargo test --test reference               # check
//!     cargo test --test reference -- --write    # regenerate what differs, then commit it

mod api;
mod cli;
mod config;
mod examples;
mod man;
mod registries;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The line under every generated page's title.
pub const GENERATED: &str =
    "_Generated from the code by `cargo test --test reference -- --write`; \
     a test fails when this file and the code disagree. Do not edit by hand._\n";

/// Text for a Markdown table cell: one line, pipes escaped.
pub fn table_cell(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn main() -> ExitCode {
    let write = std::env::args().any(|a| a == "--write");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample = std::fs::read_to_string(root.join("ophiontt.toml")).expect("ophiontt.toml");
    let (config_md, mut problems) = config::markdown(&sample);
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        ("docs/reference/cli.md".into(), cli::markdown().into_bytes()),
        ("docs/reference/config.md".into(), config_md.into_bytes()),
        (
            "docs/reference/audit.md".into(),
            registries::audit().into_bytes(),
        ),
        (
            "docs/reference/problem-codes.md".into(),
            registries::problem_codes().into_bytes(),
        ),
        (
            "docs/reference/api.md".into(),
            api::markdown(&api::spec()).into_bytes(),
        ),
    ];
    let pages = man::pages();
    let page_names: Vec<String> = pages.iter().map(|(n, _)| n.clone()).collect();
    files.extend(
        pages
            .into_iter()
            .map(|(n, b)| (PathBuf::from("packaging/man").join(n), b)),
    );
    files.extend(
        man::completions()
            .into_iter()
            .map(|(n, b)| (PathBuf::from("packaging/completions").join(n), b)),
    );

    let (examples, bad_examples) = examples::check(root);
    problems.extend(bad_examples);
    let mut checked = examples;
    for (rel, want) in &files {
        checked += 1;
        let path = root.join(rel);
        if std::fs::read(&path).ok().as_deref() == Some(want.as_slice()) {
            continue;
        }
        if write {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, want).unwrap();
            println!("wrote {}", rel.display());
        } else {
            problems.push(format!(
                "{} differs from what the code generates",
                rel.display()
            ));
        }
    }
    // Pages of commands that no longer exist.
    for entry in std::fs::read_dir(root.join("packaging/man"))
        .into_iter()
        .flatten()
    {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".1") && !page_names.contains(&name) {
            if write {
                std::fs::remove_file(root.join("packaging/man").join(&name)).unwrap();
                println!("removed packaging/man/{name}");
            } else {
                problems.push(format!(
                    "packaging/man/{name} names a command that does not exist"
                ));
            }
        }
    }
    for p in &problems {
        println!("reference: {p}");
    }
    let failed = problems.len();
    if failed > 0 {
        println!(
            "reference: regenerate with `cargo test --test reference -- --write` (the sample \
             ophiontt.toml is fixed by hand) and commit the result"
        );
    }
    println!(
        "test result: {}. {} passed; {failed} failed; 0 ignored; 0 measured; 0 filtered out",
        if failed == 0 { "ok" } else { "FAILED" },
        checked + 1 - failed.min(checked + 1)
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
