//! The package's man pages (packaging/man/, one per command, as `clap_mangen` names them:
//! `ophiontt.1`, `ophiontt-backup.1`, `ophiontt-backup-create.1`…) and shell completions
//! (packaging/completions/), from the same clap tree as `--help`.

use clap_complete::Shell;

/// Every man page: (file name, roff).
pub fn pages() -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    clap_mangen::generate_to(ophiontt::cli::command(), dir.path()).expect("man pages");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .filter(|(name, _)| !name.starts_with("ophiontt-help"))
        .collect();
    out.sort();
    out
}

/// The completions the .deb installs: (file name, script).
pub fn completions() -> Vec<(String, Vec<u8>)> {
    [
        (Shell::Bash, "ophiontt.bash"),
        (Shell::Zsh, "_ophiontt"),
        (Shell::Fish, "ophiontt.fish"),
    ]
    .into_iter()
    .map(|(shell, file)| {
        let mut script = Vec::new();
        clap_complete::generate(
            shell,
            &mut ophiontt::cli::command(),
            "ophiontt",
            &mut script,
        );
        (file.to_owned(), script)
    })
    .collect()
}
