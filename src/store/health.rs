//! Whether the store can write to disk, and if not since when and why.
//!
//! sled 0.34 makes an I/O error during a flush sticky: every later write on that database fails
//! with it until the folder is opened again (see `recover.rs`). The first failure starts an
//! *episode*: writes are refused at once with the cause (`store.disk_full` for ENOSPC,
//! `store.unavailable` for any other I/O error), readiness reports it, and the cause is logged
//! once. The episode ends when the store has been reopened and has proven a write and a flush.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

/// Why the store refuses writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The disk (or the file system holding the data folder) is full.
    DiskFull,
    /// Any other I/O error while writing or flushing.
    Io,
}

impl Cause {
    /// The API problem code that names this cause.
    pub fn code(self) -> &'static str {
        match self {
            Cause::DiskFull => crate::domain::codes::STORE_DISK_FULL,
            Cause::Io => crate::domain::codes::STORE_UNAVAILABLE,
        }
    }
}

/// A snapshot of the store's health, for readiness and metrics.
#[derive(Debug, Clone)]
pub struct HealthReport {
    pub healthy: bool,
    /// While unhealthy: why, the error as the OS reported it, and since when (Unix ms).
    pub cause: Option<Cause>,
    pub detail: Option<String>,
    pub since_ms: Option<i64>,
    /// Writes and flushes that failed with an I/O error since start.
    pub io_failures: u64,
    /// Episodes that ended with the store reopened and back in service.
    pub recoveries: u64,
    /// Transactions the commit queue committed since start, and the changes they held
    /// (`committer.rs`): their ratio is how many requests shared a transaction.
    pub queued_commits: u64,
    pub queued_changes: u64,
}

/// One outage: from the first failed write or flush until the reopened store proved a flush.
#[derive(Debug, Clone)]
pub(super) struct Episode {
    pub cause: Cause,
    pub detail: String,
    pub since_ms: i64,
    /// Set when the reopened store failed its checks: retrying cannot help, an operator must act.
    pub permanent: bool,
}

#[derive(Default)]
pub(super) struct Health {
    unhealthy: AtomicBool,
    episode: Mutex<Option<Episode>>,
    io_failures: AtomicU64,
    recoveries: AtomicU64,
    queued_commits: AtomicU64,
    queued_changes: AtomicU64,
    /// The audit head (raw `meta` value) read just before the newest successful flush: every
    /// record up to it is on disk, so a reopened store must still hold it.
    durable_head: Mutex<Option<sled::IVec>>,
}

impl Health {
    pub fn is_healthy(&self) -> bool {
        !self.unhealthy.load(Ordering::Acquire)
    }

    /// The current episode, if any.
    pub fn episode(&self) -> Option<Episode> {
        self.episode
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Counts an I/O failure; the first one of an episode marks the store unhealthy and is
    /// logged (the later ones are not: they are the same outage).
    pub fn fail(&self, cause: Cause, detail: String) {
        self.io_failures.fetch_add(1, Ordering::Relaxed);
        let mut ep = self.episode.lock().unwrap_or_else(|p| p.into_inner());
        if ep.is_some() {
            return;
        }
        tracing::error!(
            cause = cause.code(),
            error = %detail,
            "the store cannot write to disk; writes are refused until it can (retrying every second)"
        );
        *ep = Some(Episode {
            cause,
            detail,
            since_ms: now_ms(),
            permanent: false,
        });
        self.unhealthy.store(true, Ordering::Release);
    }

    /// Notes a sled error if it is an I/O error; returns its cause.
    pub fn note(&self, e: &sled::Error) -> Option<Cause> {
        let (cause, detail) = classify(e)?;
        self.fail(cause, detail);
        Some(cause)
    }

    /// The reopened store failed its checks: stay unhealthy, stop retrying.
    pub fn give_up(&self, why: String) {
        let mut ep = self.episode.lock().unwrap_or_else(|p| p.into_inner());
        tracing::error!(error = %why, "the reopened store failed its checks; writes stay refused. Stop the server, run `ophiontt audit verify`, and restore a backup if it fails");
        let since_ms = ep.as_ref().map_or_else(now_ms, |e| e.since_ms);
        *ep = Some(Episode {
            cause: Cause::Io,
            detail: why,
            since_ms,
            permanent: true,
        });
        self.unhealthy.store(true, Ordering::Release);
    }

    /// Ends the episode; returns it.
    pub fn recovered(&self) -> Option<Episode> {
        let mut ep = self.episode.lock().unwrap_or_else(|p| p.into_inner());
        let done = ep.take();
        self.unhealthy.store(false, Ordering::Release);
        if done.is_some() {
            self.recoveries.fetch_add(1, Ordering::Relaxed);
        }
        done
    }

    pub fn report(&self) -> HealthReport {
        let ep = self.episode();
        HealthReport {
            healthy: ep.is_none(),
            cause: ep.as_ref().map(|e| e.cause),
            detail: ep.as_ref().map(|e| e.detail.clone()),
            since_ms: ep.as_ref().map(|e| e.since_ms),
            io_failures: self.io_failures.load(Ordering::Relaxed),
            recoveries: self.recoveries.load(Ordering::Relaxed),
            queued_commits: self.queued_commits.load(Ordering::Relaxed),
            queued_changes: self.queued_changes.load(Ordering::Relaxed),
        }
    }

    /// Counts one transaction of the commit queue holding `changes` changes.
    pub fn count_commit(&self, changes: usize) {
        self.queued_commits.fetch_add(1, Ordering::Relaxed);
        self.queued_changes
            .fetch_add(changes as u64, Ordering::Relaxed);
    }

    pub fn set_durable_head(&self, head: Option<sled::IVec>) {
        *self.durable_head.lock().unwrap_or_else(|p| p.into_inner()) = head;
    }

    pub fn durable_head(&self) -> Option<sled::IVec> {
        self.durable_head
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// The cause of a sled error, if it is an I/O error.
pub(super) fn classify(e: &sled::Error) -> Option<(Cause, String)> {
    match e {
        sled::Error::Io(io) => Some((
            if is_disk_full(io) {
                Cause::DiskFull
            } else {
                Cause::Io
            },
            io.to_string(),
        )),
        _ => None,
    }
}

/// ENOSPC. sled clones its sticky error by kind and debug text, which drops the raw OS code,
/// so the kind and the text are checked as well.
fn is_disk_full(io: &std::io::Error) -> bool {
    io.kind() == std::io::ErrorKind::StorageFull
        || io.raw_os_error() == Some(28)
        || io.to_string().contains("No space left on device")
}

/// What the probe writes: enough for sled to open the folder again and start a new segment.
const PROBE_BYTES: usize = 4 * 1024 * 1024;

/// Writes, syncs and removes a probe file beside the store: can the disk take writes again?
pub(super) fn probe_disk(data_dir: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let path = data_dir.join(".store-probe");
    let result = (|| {
        let mut f = std::fs::File::create(&path)?;
        let chunk = vec![0u8; 64 * 1024];
        for _ in 0..PROBE_BYTES / chunk.len() {
            f.write_all(&chunk)?;
        }
        f.sync_all()
    })();
    let _ = std::fs::remove_file(&path);
    result
}

pub(super) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enospc_is_disk_full_even_after_sled_clones_it() {
        let raw = std::io::Error::from_raw_os_error(28);
        let e = sled::Error::Io(raw);
        assert_eq!(classify(&e).unwrap().0, Cause::DiskFull);
        // sled's sticky error is a clone: kind and debug text, no OS code.
        let cloned = e.clone();
        assert_eq!(classify(&cloned).unwrap().0, Cause::DiskFull);
        let eio = sled::Error::Io(std::io::Error::from_raw_os_error(5));
        assert_eq!(classify(&eio).unwrap().0, Cause::Io);
        assert!(classify(&sled::Error::Unsupported("x".into())).is_none());
    }

    #[test]
    fn an_episode_is_logged_once_and_ends_with_a_recovery() {
        let h = Health::default();
        assert!(h.is_healthy());
        h.fail(Cause::DiskFull, "no space".into());
        h.fail(Cause::Io, "later".into());
        let r = h.report();
        assert!(!r.healthy);
        assert_eq!(r.cause, Some(Cause::DiskFull));
        assert_eq!(r.io_failures, 2);
        assert_eq!(h.recovered().unwrap().cause, Cause::DiskFull);
        let r = h.report();
        assert!(r.healthy && r.recoveries == 1);
    }
}
