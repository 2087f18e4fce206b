//! The store: the only module that imports `sled`. It owns trees, keys, codecs, indexes,
//! migrations and durability, and knows nothing of HTTP, roles or who is asking.
//!
//! Every write goes through [`Store::write`]: one transaction over all trees (a record, its
//! index rows and its audit record commit together), then a wait for a flush that began after
//! the commit (group commit). When `write` returns `Ok`, the change is on disk.
//!
//! Read-modify-write: every `Tx` method that replaces or removes a record takes the record as
//! the caller read it and aborts with [`StoreError::Stale`] if the stored one differs (see
//! `records.rs`); there is no method that writes over a record blindly. The service layer
//! answers `Stale` by reading again and recomputing (`Services::retrying`).
//! The open sled folder (an `Engine`) sits behind a swappable slot: after an I/O error the store
//! is unhealthy and refuses writes (`health.rs`) until `recover.rs` has reopened the folder
//! in-process, which is the only way sled 0.34 clears such an error.

mod api_tokens;
mod audit;
mod clients;
mod codec;
mod committer;
mod done_requests;
mod entries;
mod entry_codec;
mod error;
mod flusher;
#[cfg(test)]
mod gate_tests;
#[cfg(test)]
pub(crate) mod golden;
mod health;
mod holds;
mod imports;
mod incidents;
mod jobs;
pub mod keys;
mod loader;
mod marker;
mod migrate;
mod migrate_rates;
mod notice;
mod outbox;
mod privacy;
mod project_entries;
mod projects;
mod records;
mod recover;
mod retention;
mod security;
mod sessions;
mod snapshot;
mod stored;
mod tags;
mod tasks;
mod tokens;
mod trees;
mod users;
mod weeks;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};

use sled::transaction::{
    ConflictableTransactionError, TransactionError, Transactional, TransactionalTree,
};

use records::{expect, get, scan, stale, still, tx_get};

pub use done_requests::{DoneRequest, Outcome as DoneOutcome};
pub use entries::TimelinePos;
pub use error::StoreError;
pub use health::{Cause, HealthReport};
pub use imports::{source_key, ImportedRecord};
pub use loader::Loader;
pub use migrate::LATEST_SCHEMA;
pub use notice::NoticeStamp;
pub use privacy::{LedgerEntry, ScanHit};
pub use retention::RuleOverrides;
pub use security::EventPos;
pub use sessions::Session;
pub use snapshot::{Dump, PRIMARY};
pub use tags::TagUse;
pub use tokens::{OneTimeToken, TokenKind};
pub use trees::TreeId;
pub use users::UserRecord;

/// The per-area traits (`prelude.rs`): what the service layer may ask of storage, one narrow trait per area
/// for reads (`…Store`, on [`Store`]) and one for writes inside a transaction (`…Tx`, on
/// [`Tx`]). A use case imports `store::prelude::*`; a second engine implements these traits
/// (docs/architecture.md, "The storage engine seam").
pub mod prelude;

/// Why a write transaction stops: the engine's own conflict (the transaction is re-run by the
/// engine) or a [`StoreError`] that aborts it. Opaque, so that no engine type reaches the
/// service layer: a use case only passes it on with `?` or makes one with [`conflict`].
#[derive(Debug)]
pub struct Abort(ConflictableTransactionError<StoreError>);

impl From<StoreError> for Abort {
    fn from(e: StoreError) -> Self {
        Abort(ConflictableTransactionError::Abort(e))
    }
}

impl From<sled::transaction::UnabortableTransactionError> for Abort {
    fn from(e: sled::transaction::UnabortableTransactionError) -> Self {
        Abort(e.into())
    }
}

/// Aborts the transaction with a business conflict (an API problem code).
pub fn conflict(code: &'static str) -> Abort {
    StoreError::Conflict(code).into()
}

/// The open store. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    /// The open sled folder. Swapped for a fresh one when the store recovers from an I/O
    /// error (`recover.rs`); reads and writes take the engine they use from here.
    slot: RwLock<Slot>,
    /// Signalled when the slot opens again after a swap.
    reopened: (Mutex<()>, Condvar),
    health: Arc<health::Health>,
    data_dir: PathBuf,
    /// Every write holds this shared; a backup's dump, an erasure and a recovery hold it
    /// exclusively, so the dump sees one point in time, an erasure finds every row it changes,
    /// and a recovery swaps the engine under no write. An async lock: a write waiting here
    /// while a backup copies gives its worker thread back to the runtime, so reads and health
    /// checks go on (docs/performance.md, "Reads during a backup"). The holders that work for
    /// long do it off the runtime: the dump and an erasure on the blocking pool, a recovery on
    /// its own thread.
    gate: Arc<tokio::sync::RwLock<()>>,
    marked_has_data: AtomicBool,
    /// Held while the marker file is written: two writers (the first write of a request and
    /// the delivery worker's, say) would share its temporary file, and one's rename would fail.
    marker_lock: Mutex<()>,
    /// The engine generation of the newest write made under [`Store::exclusive`] and not yet
    /// confirmed by [`Store::flush`] (0: none). A flush on a later engine cannot confirm it.
    unflushed_gen: AtomicU64,
    /// The newest engine generation handed out.
    generations: AtomicU64,
}

struct Slot {
    engine: Option<Arc<Engine>>,
    /// Set while a recovery waits for readers to let go of the engine and reopens the folder:
    /// new readers wait for the next engine.
    closing: bool,
}

/// One open of the sled folder: the database, its trees and its flusher.
struct Engine {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    /// Declared before the flusher: dropped first, it commits what is queued before the
    /// flusher's final flush.
    committer: committer::Committer,
    flusher: flusher::Flusher,
    /// 1 for the engine opened at start, one more for each reopen.
    generation: u64,
}

impl Engine {
    fn open(
        db_dir: &Path,
        health: &Arc<health::Health>,
        generation: u64,
    ) -> Result<Engine, StoreError> {
        let db = open_sled(db_dir)?;
        let trees = TreeId::ALL
            .iter()
            .map(|t| db.open_tree(t.name()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Engine {
            committer: committer::Committer::start(trees.clone(), health.clone()),
            flusher: flusher::Flusher::start(
                db.clone(),
                trees[TreeId::Meta.index()].clone(),
                health.clone(),
            ),
            db,
            trees,
            generation,
        })
    }
}

/// A tree of the current engine; keeps that engine open while it lives (a recovery waits for
/// every one to be dropped before it reopens the folder). Hold it briefly.
struct TreeRef {
    engine: Arc<Engine>,
    id: TreeId,
}

impl TreeRef {
    /// The number of records, like `sled::Tree::len` (which this shadows), but ending at the
    /// first error: sled's counts its iterator to the end, and on an engine whose writes fail
    /// (a node split during the walk needs one) every `next` yields the same error forever, so
    /// sled's `len` spins. Short only while the store is unhealthy.
    fn len(&self) -> usize {
        self.iter().keys().take_while(Result::is_ok).count()
    }
}

impl std::ops::Deref for TreeRef {
    type Target = sled::Tree;
    fn deref(&self) -> &sled::Tree {
        &self.engine.trees[self.id.index()]
    }
}

/// The view of all trees inside one write transaction. Its methods live beside each
/// aggregate (users.rs, sessions.rs, …). The closure using it may be re-run: keep it pure.
pub struct Tx<'a> {
    trees: &'a [TransactionalTree],
}

impl Tx<'_> {
    fn t(&self, id: TreeId) -> &TransactionalTree {
        &self.trees[id.index()]
    }
}

impl Store {
    /// Opens (or creates) the store under `<data_dir>/db`, refuses one from a newer version or
    /// one that came up empty although its marker says it held data, then runs migrations.
    pub fn open(data_dir: &Path, now_ms: i64) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Io {
            path: data_dir.display().to_string(),
            source: e,
        })?;
        let db_dir = data_dir.join("db");
        let health = Arc::new(health::Health::default());
        let engine = Engine::open(&db_dir, &health, 1)?;
        let mark = marker::read(data_dir)?;
        let empty = engine.trees[TreeId::Users.index()].is_empty()
            && engine.trees[TreeId::Audit.index()].is_empty();
        if let Some(m) = &mark {
            if m.has_data && empty {
                return Err(StoreError::Refused(format!(
                    "the store at {} opened empty, but {} says it held data (schema {}, written by \
                     ophiontt {}). The storage engine may have failed to read it. Nothing was \
                     written. Restore a backup into a new data folder, or, if you really mean to \
                     start from nothing, move the marker file aside",
                    db_dir.display(),
                    marker::path(data_dir).display(),
                    m.schema_version,
                    m.app_version
                )));
            }
        }
        let store = Store {
            inner: Arc::new(Inner {
                slot: RwLock::new(Slot {
                    engine: Some(Arc::new(engine)),
                    closing: false,
                }),
                reopened: (Mutex::new(()), Condvar::new()),
                health,
                data_dir: data_dir.to_path_buf(),
                gate: Arc::new(tokio::sync::RwLock::new(())),
                marked_has_data: AtomicBool::new(mark.as_ref().is_some_and(|m| m.has_data)),
                marker_lock: Mutex::new(()),
                unflushed_gen: AtomicU64::new(0),
                generations: AtomicU64::new(1),
            }),
        };
        migrate::run(&store)?;
        store.engine().db.flush()?;
        store.write_marker(!empty, now_ms)?;
        recover::supervise(&store.inner);
        Ok(store)
    }

    /// Runs `f` as one transaction over every tree, then waits until it is on disk.
    ///
    /// While the store is unhealthy (an I/O error, see `health.rs`) this answers
    /// [`StoreError::Unavailable`] at once, without trying.
    pub async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: Fn(&Tx<'_>) -> Result<T, Abort>,
    {
        // Refused at once while unhealthy, without waiting at the gate for a recovery.
        self.writable()?;
        let (out, engine) = {
            let _gate = self.inner.gate.read().await;
            self.writable()?;
            let engine = self.engine();
            (self.transact(&engine, f)?, engine)
        };
        self.durable(engine).await?;
        Ok(out)
    }

    /// Waits until a write committed to `engine` is on disk: on the flusher of that engine, so
    /// a write on an engine that failed is never confirmed by a flush of the one that replaced
    /// it. Then marks the folder as holding data if it is the first.
    async fn durable(&self, engine: Arc<Engine>) -> Result<(), StoreError> {
        if let Err(e) = engine.flusher.durable().await {
            return Err(self.unavailable().unwrap_or(e));
        }
        drop(engine);
        if !self.inner.marked_has_data.load(Ordering::Relaxed) && self.holds_data() {
            self.write_marker(true, health::now_ms())?;
        }
        Ok(())
    }

    /// Like [`Store::write`] without waiting for the disk, and without waiting at the gate
    /// either: only for data whose loss in a crash is harmless (a session's last-seen time, an
    /// expired session's removal). While the gate is held or awaited (a backup copying, an
    /// erasure, a recovery) nothing is written and the answer is `Ok(None)`, so that no request
    /// waits for a backup for the sake of such a write.
    pub fn try_write_unflushed<T, F>(&self, f: F) -> Result<Option<T>, StoreError>
    where
        F: Fn(&Tx<'_>) -> Result<T, Abort>,
    {
        let Ok(_gate) = self.inner.gate.try_read() else {
            return Ok(None);
        };
        self.writable()?;
        self.transact(&self.engine(), f).map(Some)
    }

    /// A write on a store no one else uses yet (migrations while it opens, a restore's staging
    /// store, tests), not yet on disk. Never waits at the gate, which is free there.
    fn write_unflushed<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: Fn(&Tx<'_>) -> Result<T, Abort>,
    {
        self.try_write_unflushed(f)?.ok_or_else(|| {
            StoreError::Refused("the store's write gate is held by another task".into())
        })
    }

    /// Holds the write gate until the returned guard is dropped: no other write runs, so what
    /// the holder reads stays true until its own write. For a change that must find every
    /// record it changes by scanning (an erasure), which a sled transaction cannot do. Waits
    /// for the gate without holding up a worker thread; the guard is owned, so the scan and
    /// the write can move to the blocking pool with it (`tokio::task::spawn_blocking`). Flush
    /// after dropping it.
    pub async fn exclusive(&self) -> Exclusive {
        Exclusive {
            store: self.clone(),
            _gate: self.inner.gate.clone().write_owned().await,
        }
    }

    fn transact<T, F>(&self, engine: &Engine, f: F) -> Result<T, StoreError>
    where
        F: Fn(&Tx<'_>) -> Result<T, Abort>,
    {
        let r = engine
            .trees
            .as_slice()
            .transaction(|v: &Vec<TransactionalTree>| f(&Tx { trees: v }).map_err(|a| a.0));
        match r {
            Ok(v) => Ok(v),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => {
                Err(storage_failure(self.inner.health.note(&e), &e))
            }
        }
    }

    /// Flushes everything to disk (shutdown, CLI, after writes made under [`Store::exclusive`]).
    pub async fn flush(&self) -> Result<(), StoreError> {
        let engine = self.engine();
        let pending = self.inner.unflushed_gen.load(Ordering::Acquire);
        if let Err(e) = engine.flusher.durable().await {
            return Err(self.unavailable().unwrap_or(e));
        }
        if pending != 0 {
            let _ = self.inner.unflushed_gen.compare_exchange(
                pending,
                0,
                Ordering::AcqRel,
                Ordering::Relaxed,
            );
            if pending != engine.generation {
                // Written on an engine that failed and was replaced: unconfirmed, maybe lost.
                return Err(StoreError::Unavailable {
                    cause: Cause::Io,
                    detail: "writes made before the store was reopened were not confirmed".into(),
                });
            }
        }
        Ok(())
    }

    /// Whether the store can write, and if not why (readiness, metrics).
    pub fn health(&self) -> HealthReport {
        self.inner.health.report()
    }

    /// Bytes the store occupies on disk.
    pub fn size_on_disk(&self) -> u64 {
        self.engine().db.size_on_disk().unwrap_or(0)
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.data_dir
    }

    /// `Err(Unavailable)` while the store is unhealthy.
    fn writable(&self) -> Result<(), StoreError> {
        match self.unavailable() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn unavailable(&self) -> Option<StoreError> {
        if self.inner.health.is_healthy() {
            return None;
        }
        let ep = self.inner.health.episode()?;
        Some(StoreError::Unavailable {
            cause: ep.cause,
            detail: ep.detail,
        })
    }

    /// The current engine; waits while a recovery swaps it.
    fn engine(&self) -> Arc<Engine> {
        loop {
            {
                let slot = self.inner.slot.read().unwrap_or_else(|p| p.into_inner());
                if let (false, Some(e)) = (slot.closing, &slot.engine) {
                    return e.clone();
                }
            }
            let (lock, cv) = &self.inner.reopened;
            let g = lock.lock().unwrap_or_else(|p| p.into_inner());
            // Timed: a wake-up between the check above and this wait is not missed for long.
            let _ = cv.wait_timeout(g, std::time::Duration::from_millis(20));
        }
    }

    fn holds_data(&self) -> bool {
        !self.tree(TreeId::Users).is_empty() || !self.tree(TreeId::Audit).is_empty()
    }

    fn tree(&self, id: TreeId) -> TreeRef {
        TreeRef {
            engine: self.engine(),
            id,
        }
    }

    fn write_marker(&self, has_data: bool, now_ms: i64) -> Result<(), StoreError> {
        let _one_writer = self
            .inner
            .marker_lock
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let has_data = has_data || self.inner.marked_has_data.load(Ordering::Relaxed);
        marker::write(
            &self.inner.data_dir,
            &marker::Marker {
                schema_version: migrate::current_version(self)?,
                has_data,
                app_version: env!("CARGO_PKG_VERSION").to_owned(),
                updated_at_ms: now_ms,
            },
        )?;
        self.inner
            .marked_has_data
            .store(has_data, Ordering::Relaxed);
        Ok(())
    }
}

/// Sole writer to the store while it lives; see [`Store::exclusive`].
pub struct Exclusive {
    store: Store,
    _gate: tokio::sync::OwnedRwLockWriteGuard<()>,
}

impl Exclusive {
    /// Runs `f` as one transaction, not yet on disk: call [`Store::flush`] once the guard is
    /// dropped, before answering.
    pub fn write_unflushed<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: Fn(&Tx<'_>) -> Result<T, Abort>,
    {
        self.store.writable()?;
        // No recovery runs while the gate is held, so this engine stays until the guard drops.
        let engine = self.store.engine();
        let out = self.store.transact(&engine, f)?;
        self.store
            .inner
            .unflushed_gen
            .store(engine.generation, Ordering::Release);
        Ok(out)
    }
}

/// Opens sled, waiting up to two seconds for a lock held by a process that is just exiting (sled
/// releases its file lock only when its own background threads let go of the database).
fn open_sled(db_dir: &Path) -> Result<sled::Db, StoreError> {
    let is_lock = |e: &sled::Error| matches!(e, sled::Error::Io(io) if io.kind() == std::io::ErrorKind::WouldBlock || io.to_string().contains("lock"));
    let config = sled::Config::new()
        .path(db_dir)
        .cache_capacity(128 * 1024 * 1024);
    let mut tries = 0;
    loop {
        match config.open() {
            Ok(db) => return Ok(db),
            Err(e) if is_lock(&e) && tries < 20 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Err(e) if is_lock(&e) => {
                return Err(StoreError::Refused(format!(
                "the store at {} is in use by another process (is `ophiontt serve` running with \
                     this data folder?)",
                db_dir.display()
            )))
            }
            Err(e) => return Err(StoreError::Sled(e)),
        }
    }
}

/// What a transaction that failed in the engine answers: `cause` is what `Health::note` made of
/// `e` (the store is now unhealthy), or `None` for an error that is not the disk's.
fn storage_failure(cause: Option<Cause>, e: &sled::Error) -> StoreError {
    match cause {
        Some(cause) => StoreError::Unavailable {
            cause,
            detail: e.to_string(),
        },
        None => StoreError::Sled(e.clone()),
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// An audit event at instant `n` with body `{"n": n}`.
    pub fn event(n: i64, action: &str) -> crate::domain::audit::AuditEvent {
        crate::domain::audit::AuditEvent {
            at_ms: n,
            actor: "system".into(),
            ip: None,
            action: action.into(),
            target: None,
            body: serde_json::json!({ "n": n }),
        }
    }

    /// A store in a fresh temporary folder (kept alive by the returned guard).
    pub fn temp_store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), 1_700_000_000_000).unwrap();
        (store, dir)
    }
}
