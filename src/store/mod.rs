//! The store: the only module that imports `sled`. It owns trees, keys, codecs, indexes,
//! migrations and durability, and knows nothing of HTTP, roles or who is asking.
//!
//! Every write goes through [`Store::write`]: one transaction over all trees (a record, its
//! index rows and its audit record commit together), then a wait for a flush that began after
//! the commit (group commit). When `write` returns `Ok`, the change is on disk.
//!
//! Read-modify-write: every `Tx` method that replaces or removes a record takes the record as
//! the caller read it and aborts with [`StoreError::Stale`] if the stored one differs (see
//! [`expect`]); there is no method that writes over a record blindly. The service layer answers
//! `Stale` by reading again and recomputing (`Services::retrying`).

mod audit;
mod codec;
mod entries;
mod error;
mod flusher;
mod holds;
mod jobs;
pub mod keys;
mod loader;
mod marker;
mod migrate;
mod notice;
mod privacy;
mod projects;
mod security;
mod sessions;
mod snapshot;
mod tags;
mod tokens;
mod trees;
mod users;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use sled::transaction::{
    ConflictableTransactionError, TransactionError, Transactional, TransactionalTree,
};

pub use audit::AuditFilter;
pub use entries::TimelinePos;
pub use error::StoreError;
pub use holds::RuleOverrides;
pub use loader::Loader;
pub use migrate::LATEST_SCHEMA;
pub use notice::NoticeStamp;
pub use privacy::{LedgerEntry, Objection, PrivacyFlags, Restriction, ScanHit};
pub use security::{EventFilter, EventPos};
pub use sessions::Session;
pub use snapshot::{Dump, PRIMARY};
pub use tags::TagUse;
pub use tokens::{OneTimeToken, TokenKind};
pub use trees::TreeId;
pub use users::UserRecord;

/// An abort inside a write transaction.
pub type Abort = ConflictableTransactionError<StoreError>;

/// Aborts the transaction with a business conflict (an API problem code).
pub fn conflict(code: &'static str) -> Abort {
    ConflictableTransactionError::Abort(StoreError::Conflict(code))
}

/// The open store. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    flusher: flusher::Flusher,
    data_dir: PathBuf,
    /// Every write holds this shared; a backup's dump holds it exclusively, so the dump sees
    /// one point in time.
    gate: std::sync::RwLock<()>,
    marked_has_data: AtomicBool,
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
        let db = open_sled(&db_dir)?;
        let trees = TreeId::ALL
            .iter()
            .map(|t| db.open_tree(t.name()))
            .collect::<Result<Vec<_>, _>>()?;
        let mark = marker::read(data_dir)?;
        let empty =
            trees[TreeId::Users.index()].is_empty() && trees[TreeId::Audit.index()].is_empty();
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
                flusher: flusher::Flusher::start(db.clone()),
                db,
                trees,
                data_dir: data_dir.to_path_buf(),
                gate: std::sync::RwLock::new(()),
                marked_has_data: AtomicBool::new(mark.as_ref().is_some_and(|m| m.has_data)),
            }),
        };
        migrate::run(&store)?;
        store.inner.db.flush()?;
        store.write_marker(!empty, now_ms)?;
        Ok(store)
    }

    /// Runs `f` as one transaction over every tree, then waits until it is on disk.
    pub async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: Fn(&Tx<'_>) -> Result<T, Abort>,
    {
        let out = self.write_unflushed(f)?;
        self.inner.flusher.durable().await?;
        if !self.inner.marked_has_data.load(Ordering::Relaxed) && self.holds_data() {
            let now_ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64);
            self.write_marker(true, now_ms)?;
        }
        Ok(out)
    }

    /// Like [`Store::write`] without waiting for the disk: only for data whose loss in a crash
    /// is harmless (a session's last-seen time).
    pub fn write_unflushed<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: Fn(&Tx<'_>) -> Result<T, Abort>,
    {
        let _gate = self.inner.gate.read().unwrap_or_else(|p| p.into_inner());
        self.transact(f)
    }

    /// Holds the write gate until the returned guard is dropped: no other write runs, so what
    /// the holder reads stays true until its own write. For a change that must find every
    /// record it changes by scanning (an erasure), which a sled transaction cannot do. The
    /// guard cannot be held across an `.await`; flush after dropping it.
    pub fn exclusive(&self) -> Exclusive<'_> {
        Exclusive {
            store: self,
            _gate: self.inner.gate.write().unwrap_or_else(|p| p.into_inner()),
        }
    }

    fn transact<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: Fn(&Tx<'_>) -> Result<T, Abort>,
    {
        let r = self
            .inner
            .trees
            .as_slice()
            .transaction(|v: &Vec<TransactionalTree>| f(&Tx { trees: v }));
        match r {
            Ok(v) => Ok(v),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(StoreError::Sled(e)),
        }
    }

    /// Flushes everything to disk (shutdown, CLI).
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.inner.flusher.durable().await
    }

    /// Bytes the store occupies on disk.
    pub fn size_on_disk(&self) -> u64 {
        self.inner.db.size_on_disk().unwrap_or(0)
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.data_dir
    }

    fn holds_data(&self) -> bool {
        !self.tree(TreeId::Users).is_empty() || !self.tree(TreeId::Audit).is_empty()
    }

    fn tree(&self, id: TreeId) -> &sled::Tree {
        &self.inner.trees[id.index()]
    }

    fn write_marker(&self, has_data: bool, now_ms: i64) -> Result<(), StoreError> {
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
pub struct Exclusive<'a> {
    store: &'a Store,
    _gate: std::sync::RwLockWriteGuard<'a, ()>,
}

impl Exclusive<'_> {
    /// Runs `f` as one transaction, not yet on disk: call [`Store::flush`] once the guard is
    /// dropped, before answering.
    pub fn write_unflushed<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: Fn(&Tx<'_>) -> Result<T, Abort>,
    {
        self.store.transact(f)
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

/// Reads and decodes one value from a tree.
fn get<T: serde::de::DeserializeOwned>(
    tree: &sled::Tree,
    id: TreeId,
    key: &[u8],
) -> Result<Option<T>, StoreError> {
    match tree.get(key)? {
        Some(v) => codec::decode(id, key, &v).map(Some),
        None => Ok(None),
    }
}

/// The read-modify-write rule, in one place: checks inside the transaction that the record at
/// `key` is still `expected` (`None`: absent), the state the caller computed its change from,
/// and returns it. Aborts with [`StoreError::Stale`] otherwise; the service layer answers that
/// by re-reading and computing the change again (`Services::retrying`). Every public `Tx`
/// method that replaces or removes a record takes the `before` it was derived from and calls
/// this, so a change computed from a stale read can never be written.
fn expect<T>(
    tree: &TransactionalTree,
    id: TreeId,
    key: &[u8],
    expected: Option<&T>,
) -> Result<Option<T>, Abort>
where
    T: serde::de::DeserializeOwned + PartialEq,
{
    let stored: Option<T> = tx_get(tree, id, key)?;
    if stored.as_ref() == expected {
        Ok(stored)
    } else {
        Err(stale(id))
    }
}

/// The abort of a change computed from a stale read of a record in `tree`.
fn stale(tree: TreeId) -> Abort {
    ConflictableTransactionError::Abort(StoreError::Stale(tree.name()))
}

/// Reads and decodes one value inside a transaction.
fn tx_get<T: serde::de::DeserializeOwned>(
    tree: &TransactionalTree,
    id: TreeId,
    key: &[u8],
) -> Result<Option<T>, Abort> {
    match tree.get(key)? {
        Some(v) => codec::decode(id, key, &v)
            .map(Some)
            .map_err(ConflictableTransactionError::Abort),
        None => Ok(None),
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
