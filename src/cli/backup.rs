//! `ophiontt backup create|list|verify` and `ophiontt restore`. `create` goes through the
//! running server when there is one (it holds the store); the others read files only.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use crate::config::Config;
use crate::service::admin::{Op, Outcome};
use crate::service::backups::files::{self as backup, BackupError, Decrypt, Progress};

/// How a backup is opened, from the flags.
pub fn decrypt_from(identity: Option<PathBuf>, passphrase_file: Option<PathBuf>) -> Decrypt {
    match (identity, passphrase_file) {
        (Some(i), _) => Decrypt::Identity(i),
        (None, Some(p)) => Decrypt::PassphraseFile(p),
        (None, None) => Decrypt::None,
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_owned())
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

pub async fn create(
    config: Config,
    out: Option<PathBuf>,
    encrypt_to: Option<String>,
    passphrase_file: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    // Flags win; otherwise the configured encryption of scheduled backups applies.
    let (encrypt_to, passphrase_file) = match (encrypt_to, passphrase_file) {
        (None, None) => (
            config.backup.encrypt_to.clone(),
            config.backup.passphrase_file.clone(),
        ),
        given => given,
    };
    let encrypted = encrypt_to.is_some() || passphrase_file.is_some();
    // The server (which may be sandboxed to its data folder) writes into the backup folder;
    // a file asked for elsewhere is then moved there by this process, with its own rights.
    let staged = config.backup.dir.join(backup::file_name(
        chrono::Utc::now().timestamp_millis(),
        encrypted,
        true,
    ));
    let out = out.unwrap_or_else(|| staged.clone());
    if out.exists() {
        eprintln!(
            "error: {} exists already; choose another --out",
            out.display()
        );
        return Ok(ExitCode::from(2));
    }
    let op = Op::BackupCreate {
        out: absolute(&staged),
        encrypt_to,
        passphrase_file: passphrase_file.as_deref().map(absolute),
    };
    let spinner = Spinner::start(&format!("backing up into {}", out.display()));
    let result = super::admin::run_op(&config, op).await;
    spinner.finish();
    let (outcome, via) = result?;
    let Outcome::Backup {
        path,
        bytes,
        counts,
        paused_ms,
        elapsed_ms,
    } = outcome
    else {
        anyhow::bail!("unexpected reply from the server");
    };
    let path = if absolute(&path) == absolute(&out) {
        path
    } else {
        match move_file(&path, &out) {
            Ok(()) => out.clone(),
            Err(e) => {
                eprintln!(
                    "error: the backup was written to {} but cannot be moved to {}: {e}",
                    path.display(),
                    out.display()
                );
                return Ok(ExitCode::from(1));
            }
        }
    };
    let records: u64 = counts.values().sum();
    println!(
        "backup written: {} ({}, {records} records, {} entries) in {elapsed_ms} ms; writes paused {paused_ms} ms{}",
        path.display(),
        mib(bytes),
        counts.get("entries").copied().unwrap_or(0),
        match via {
            super::admin::Via::Server => " (taken by the running server)",
            super::admin::Via::Store => "",
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Moves `from` to `to`: a rename on one file system, else a synced copy and a removal.
pub(super) fn move_file(from: &Path, to: &Path) -> std::io::Result<()> {
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    use std::os::unix::fs::OpenOptionsExt;
    let mut src = std::fs::File::open(from)?;
    let mut dst = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(to)?;
    std::io::copy(&mut src, &mut dst)?;
    dst.sync_all()?;
    std::fs::remove_file(from)
}

pub fn list(config: Config) -> anyhow::Result<ExitCode> {
    let files = backup::list(&config.backup.dir)?;
    if files.is_empty() {
        println!("no backups in {}", config.backup.dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<24} {:>10}  {:<9}  {:<9}  file",
        "created (UTC)", "size", "encrypted", "taken"
    );
    for f in files {
        println!(
            "{:<24} {:>10}  {:<9}  {:<9}  {}",
            f.created.format("%Y-%m-%d %H:%M:%S"),
            mib(f.bytes),
            if f.encrypted { "yes" } else { "no" },
            if f.manual { "by hand" } else { "scheduled" },
            f.path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn verify(file: PathBuf, decrypt: Decrypt) -> anyhow::Result<ExitCode> {
    let progress = Progress::default();
    let bar = Bar::start(&file, &progress, "verifying");
    let result = backup::verify(&file, &decrypt, &progress);
    bar.finish();
    match result {
        Ok(h) => {
            let records: u64 = h.counts.values().sum();
            println!(
                "{} verifies: format {}, schema {}, written by ophiontt {} at {}, {records} records ({} entries, {} audit records)",
                file.display(),
                h.version,
                h.schema,
                h.app,
                h.created,
                h.counts.get("entries").copied().unwrap_or(0),
                h.counts.get("audit").copied().unwrap_or(0),
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => fail(e),
    }
}

pub async fn restore(
    config: Config,
    file: PathBuf,
    decrypt: Decrypt,
    ledgers: Vec<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let progress = Progress::default();
    let bar = Bar::start(&file, &progress, "restoring");
    let now = chrono::Utc::now().timestamp_millis();
    let result = backup::restore(&file, &config.data_dir, &decrypt, &progress, now).await;
    bar.finish();
    match result {
        Ok(h) => {
            let records: u64 = h.counts.values().sum();
            println!(
                "restored {records} records from {} (taken {}) into {}; indexes rebuilt. Start it with: ophiontt serve --data {}",
                file.display(),
                h.created,
                config.data_dir.display(),
                config.data_dir.display()
            );
            reapply_ledger(&config, &file, ledgers).await
        }
        Err(e) => fail(e),
    }
}

/// Re-applies the erasure ledger to the restored store: the one it holds, the file beside the
/// backup, `privacy.ledger_file` and any `--ledger` files.
async fn reapply_ledger(
    config: &Config,
    file: &Path,
    mut ledgers: Vec<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let beside = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("erasure-ledger.jsonl");
    ledgers.push(beside);
    ledgers.push(config.privacy.ledger_file.clone());
    let mut extra = Vec::new();
    for l in &ledgers {
        match crate::service::privacy::read_ledger_file(l) {
            Ok(v) => extra.extend(v),
            Err(e) => {
                eprintln!("ophiontt: {e}");
                return Ok(ExitCode::from(2));
            }
        }
    }
    let app = crate::app::App::open(
        config.clone(),
        std::sync::Arc::new(crate::clock::SystemClock),
    )?;
    let svc = app.services(config.base_url(config.listen));
    let actor = crate::service::Actor::cli(&crate::service::admin::os_user_name(
        crate::service::admin::own_uid(),
    ));
    let result = svc.privacy().reapply_ledger(&actor, extra).await;
    app.store.flush().await?;
    match result {
        Ok(r) => {
            println!(
                "erasure ledger: {} erasures known, {} people erased again",
                r.known, r.erased_again
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!(
                "ophiontt: re-applying the erasure ledger failed: {}",
                e.explain()
            );
            Ok(ExitCode::from(2))
        }
    }
}

fn fail(e: BackupError) -> anyhow::Result<ExitCode> {
    eprintln!("error: {e}");
    Ok(ExitCode::from(1))
}

/// A progress bar over the file's bytes on a terminal; plain start and end lines otherwise.
struct Bar {
    stop: Option<(std::sync::mpsc::Sender<()>, std::thread::JoinHandle<()>)>,
}

impl Bar {
    fn start(file: &Path, progress: &Progress, verb: &str) -> Bar {
        let total = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        if !std::io::stderr().is_terminal() {
            eprintln!("{verb} {} ({})", file.display(), mib(total));
            return Bar { stop: None };
        }
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(verb.to_owned());
        let (tx, rx) = std::sync::mpsc::channel();
        let progress = progress.clone();
        let handle = std::thread::spawn(move || loop {
            bar.set_position(progress.load(Ordering::Relaxed));
            if rx
                .recv_timeout(std::time::Duration::from_millis(100))
                .is_ok()
            {
                bar.finish_and_clear();
                return;
            }
        });
        Bar {
            stop: Some((tx, handle)),
        }
    }

    fn finish(self) {
        if let Some((tx, handle)) = self.stop {
            let _ = tx.send(());
            let _ = handle.join();
        }
    }
}

/// A spinner on a terminal while the server works; a plain line otherwise.
pub(super) struct Spinner(Option<indicatif::ProgressBar>);

impl Spinner {
    pub(super) fn start(what: &str) -> Spinner {
        if !std::io::stderr().is_terminal() {
            eprintln!("{what}");
            return Spinner(None);
        }
        let s = indicatif::ProgressBar::new_spinner();
        s.set_message(what.to_owned());
        s.enable_steady_tick(std::time::Duration::from_millis(100));
        Spinner(Some(s))
    }

    pub(super) fn finish(self) {
        if let Some(s) = self.0 {
            s.finish_and_clear();
        }
    }
}
