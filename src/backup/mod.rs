//! Backups: creating one from a running or stopped store (a consistent dump, then compressed
//! and optionally encrypted off the write path), verifying one without restoring it, restoring
//! into an empty folder, listing, and rotating scheduled ones. Never sled's export/import: they
//! exist for sled upgrades and panic on I/O errors.

mod crypt;
mod format;
#[cfg(test)]
mod golden;
pub mod rotate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use crypt::{Decrypt, Encrypt};
pub use format::{Header, Progress, FORMAT, VERSION};
pub use rotate::{list, prune, BackupFile};

use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{} is not an OphionTT backup (neither an age-encrypted nor a zstd-compressed backup file)", file.display())]
    NotABackup { file: PathBuf },
    #[error("{} is truncated: it ends after {records} records, before its trailer", file.display())]
    Truncated { file: PathBuf, records: u64 },
    #[error("{} is damaged: {why}", file.display())]
    Damaged { file: PathBuf, why: String },
    #[error("{} is too new: {what}", file.display())]
    TooNew { file: PathBuf, what: String },
    #[error("{} cannot be opened: {what}", file.display())]
    WrongKey { file: PathBuf, what: String },
    #[error("{what}")]
    Input { what: String },
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl BackupError {
    fn io(what: &'static str) -> impl Fn(std::io::Error) -> BackupError {
        move |source| BackupError::Io {
            what: what.to_owned(),
            source,
        }
    }
}

/// What `create` wrote.
#[derive(Debug, Clone)]
pub struct Created {
    pub path: PathBuf,
    pub bytes: u64,
    pub counts: BTreeMap<String, u64>,
    /// How long writes waited while the records were copied.
    pub paused: Duration,
    pub elapsed: Duration,
}

/// The default name of a backup taken at `now_ms`. Scheduled backups rotate; manual ones
/// (`ophiontt-manual-…`) are listed but never deleted by rotation.
pub fn file_name(now_ms: i64, encrypted: bool, manual: bool) -> String {
    let t = chrono::DateTime::from_timestamp_millis(now_ms).unwrap_or_default();
    format!(
        "ophiontt-{}{}.backup.zst{}",
        if manual { "manual-" } else { "" },
        t.format("%Y%m%dT%H%M%S%.3fZ"),
        if encrypted { ".age" } else { "" }
    )
}

/// Takes a backup of `store` into `out` (a file path; its folder is created). Writes wait only
/// while the records are copied; compression and encryption run after.
pub async fn create(
    store: &Store,
    out: &Path,
    encrypt: &Encrypt,
    now_ms: i64,
) -> Result<Created, BackupError> {
    let started = Instant::now();
    let dump = store.dump().await?;
    let paused = dump.paused;
    let out = out.to_owned();
    let encrypt = encrypt.clone();
    let created = crate::domain::time::rfc3339(now_ms);
    let (path, header) =
        tokio::task::spawn_blocking(move || write_file(&out, &dump, created, &encrypt))
            .await
            .map_err(|e| BackupError::Input {
                what: format!("the backup task failed: {e}"),
            })??;
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Ok(Created {
        path,
        bytes,
        counts: header.counts,
        paused,
        elapsed: started.elapsed(),
    })
}

fn write_file(
    out: &Path,
    dump: &crate::store::Dump,
    created: String,
    encrypt: &Encrypt,
) -> Result<(PathBuf, Header), BackupError> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| BackupError::Io {
        what: format!("creating {}", dir.display()),
        source: e,
    })?;
    let part = out.with_extension("part");
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&part)
        .map_err(|e| BackupError::Io {
            what: format!("creating {}", part.display()),
            source: e,
        })?;
    let result = (|| {
        let header = format::write(
            dump,
            created,
            encrypt,
            std::io::BufWriter::with_capacity(
                1 << 20,
                file.try_clone()
                    .map_err(BackupError::io("opening the backup"))?,
            ),
        )?;
        file.sync_all()
            .map_err(BackupError::io("syncing the backup"))?;
        Ok(header)
    })();
    match result {
        Ok(header) => {
            std::fs::rename(&part, out).map_err(|e| BackupError::Io {
                what: format!("renaming to {}", out.display()),
                source: e,
            })?;
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
            Ok((out.to_owned(), header))
        }
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            Err(e)
        }
    }
}

/// Reads a backup end to end and checks it; returns its header.
pub fn verify(file: &Path, decrypt: &Decrypt, progress: &Progress) -> Result<Header, BackupError> {
    format::read(file, decrypt, progress, |_, _, _| Ok(()))
}

/// Restores `file` into `target`, which must not exist or be empty. The store is built in a
/// sibling folder and moved into place only when the whole file has been read and checked, so
/// a bad file leaves nothing behind.
pub async fn restore(
    file: &Path,
    target: &Path,
    decrypt: &Decrypt,
    progress: &Progress,
    now_ms: i64,
) -> Result<Header, BackupError> {
    if target.exists() {
        let empty = std::fs::read_dir(target)
            .map_err(|e| BackupError::Io {
                what: format!("reading {}", target.display()),
                source: e,
            })?
            .next()
            .is_none();
        if !empty {
            return Err(BackupError::Input {
                what: format!(
                    "{} is not empty: restore goes into a new or empty folder only, so that nothing is overwritten",
                    target.display()
                ),
            });
        }
    }
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| BackupError::Io {
        what: format!("creating {}", parent.display()),
        source: e,
    })?;
    let staging = Staging::new(parent.join(format!(".ophiontt-restore-{}", uuid::Uuid::now_v7())))?;
    let header = {
        let store = Store::open(&staging.0, now_ms)?;
        for t in crate::store::PRIMARY {
            store.clear_tree(t)?;
        }
        let (file, s) = (file.to_owned(), store.clone());
        let (decrypt, progress) = (decrypt.clone(), progress.clone());
        let header = tokio::task::spawn_blocking(move || load(&file, &decrypt, &progress, &s))
            .await
            .map_err(|e| BackupError::Input {
                what: format!("the restore task failed: {e}"),
            })??;
        store.finish_restore(now_ms).await?;
        header
    };
    let staged = staging.keep();
    // sled has let go of the folder once `store` is dropped above.
    if target.exists() {
        std::fs::remove_dir(target).map_err(|e| BackupError::Io {
            what: format!("replacing {}", target.display()),
            source: e,
        })?;
    }
    std::fs::rename(&staged, target).map_err(|e| BackupError::Io {
        what: format!("moving the restored store to {}", target.display()),
        source: e,
    })?;
    Ok(header)
}

fn load(
    file: &Path,
    decrypt: &Decrypt,
    progress: &Progress,
    store: &Store,
) -> Result<Header, BackupError> {
    let mut loader = store.loader();
    let header = format::read(file, decrypt, progress, |t, k, v| Ok(loader.add(t, k, v)?))?;
    tokio::runtime::Handle::current().block_on(loader.finish())?;
    Ok(header)
}

/// A folder removed on drop unless kept.
struct Staging(PathBuf);

impl Staging {
    fn new(path: PathBuf) -> Result<Staging, BackupError> {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&path)
            .map_err(|e| BackupError::Io {
                what: format!("creating {}", path.display()),
                source: e,
            })?;
        Ok(Staging(path))
    }

    fn keep(mut self) -> PathBuf {
        std::mem::take(&mut self.0)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.0.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
