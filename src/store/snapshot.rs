//! Whole-store copies for backups: a consistent dump of the primary trees taken while writes
//! wait at the store's gate, and loading one into an empty store, where the index trees are
//! rebuilt from the records rather than copied (so a restore also repairs them).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sled::IVec;

use super::{codec, keys, Session, Store, StoreError, TreeId, UserRecord};
use crate::domain::security::SecurityEvent;
use crate::domain::tracking::Entry;

/// Trees holding records; everything else is derived from them.
pub const PRIMARY: [TreeId; 16] = [
    TreeId::Meta,
    TreeId::Users,
    TreeId::Sessions,
    TreeId::Tokens,
    TreeId::Audit,
    TreeId::Clients,
    TreeId::Projects,
    TreeId::Entries,
    TreeId::Running,
    TreeId::Tasks,
    TreeId::JobRuns,
    TreeId::SecurityEvents,
    TreeId::Holds,
    TreeId::PrivacyRequests,
    TreeId::ErasureLedger,
    TreeId::PrivacyFlags,
];

/// Trees rebuilt from the primary ones.
const DERIVED: [TreeId; 6] = [
    TreeId::UsersByEmail,
    TreeId::SessionsByUser,
    TreeId::EntriesByUserStart,
    TreeId::Tags,
    TreeId::EntriesByTag,
    TreeId::SecurityEventsByUser,
];

/// Every primary record at one point in time.
pub struct Dump {
    pub records: Vec<(TreeId, IVec, IVec)>,
    /// How long writes waited at the gate while the records were copied.
    pub paused: Duration,
}

impl Store {
    /// Copies every primary record while no write can run (writers wait at the gate), so the
    /// copy is one point in time. The values are shared buffers; the pause is the copy of keys.
    pub fn dump(&self) -> Result<Dump, StoreError> {
        let gate = self.inner.gate.write().unwrap_or_else(|p| p.into_inner());
        let started = Instant::now();
        let mut records = Vec::new();
        for t in PRIMARY {
            for item in self.tree(t).iter() {
                let (k, v) = item?;
                records.push((t, k, v));
            }
        }
        let paused = started.elapsed();
        drop(gate);
        Ok(Dump { records, paused })
    }

    /// Record counts of the primary trees, by tree name.
    pub fn primary_counts(&self) -> BTreeMap<&'static str, u64> {
        PRIMARY
            .iter()
            .map(|t| (t.name(), self.tree(*t).len() as u64))
            .collect()
    }

    /// Writes records into a primary tree of a store being restored (not transactional: the
    /// restore target is a new, private folder).
    pub fn load_records(
        &self,
        tree: TreeId,
        rows: &[(Vec<u8>, Vec<u8>)],
    ) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        for (k, v) in rows {
            batch.insert(k.as_slice(), v.as_slice());
        }
        self.tree(tree).apply_batch(batch)?;
        Ok(())
    }

    /// Empties a tree of a store being restored.
    pub fn clear_tree(&self, tree: TreeId) -> Result<(), StoreError> {
        self.tree(tree).clear()?;
        Ok(())
    }

    /// Completes a restore: brings an older schema up to date, rebuilds the indexes, flushes,
    /// and marks the folder as holding data.
    /// Index rows built by the [`super::Loader`] are kept unless a migration ran (an older
    /// backup), in which case every index is rebuilt from the migrated records.
    pub async fn finish_restore(&self, now_ms: i64) -> Result<(), StoreError> {
        let before = super::migrate::current_version(self)?;
        super::migrate::run(self)?;
        if super::migrate::current_version(self)? != before {
            self.rebuild_indexes().await?;
        }
        self.flush().await?;
        self.write_marker(true, now_ms)
    }

    /// Builds every index tree from the primary records, then flushes.
    pub async fn rebuild_indexes(&self) -> Result<(), StoreError> {
        for t in DERIVED {
            self.tree(t).clear()?;
        }
        let mut by_email = sled::Batch::default();
        for item in self.tree(TreeId::Users).iter() {
            let (k, v) = item?;
            let r: UserRecord = codec::decode(TreeId::Users, &k, &v)?;
            by_email.insert(keys::email(r.user.email.as_str()), &keys::user(r.user.id));
        }
        self.tree(TreeId::UsersByEmail).apply_batch(by_email)?;
        let mut by_user = sled::Batch::default();
        for item in self.tree(TreeId::Sessions).iter() {
            let (k, v) = item?;
            let s: Session = codec::decode(TreeId::Sessions, &k, &v)?;
            by_user.insert(&keys::user_session(s.user_id, &s.key())[..], &[]);
        }
        self.tree(TreeId::SessionsByUser).apply_batch(by_user)?;
        let mut events = sled::Batch::default();
        for item in self.tree(TreeId::SecurityEvents).iter() {
            let (k, v) = item?;
            let e: SecurityEvent = codec::decode(TreeId::SecurityEvents, &k, &v)?;
            if let Some(u) = e.user_id {
                events.insert(&keys::user_event(u, e.at_ms, e.id)[..], &[]);
            }
        }
        self.tree(TreeId::SecurityEventsByUser)
            .apply_batch(events)?;
        let mut chunk: Vec<Entry> = Vec::with_capacity(10_000);
        let mut timeline = sled::Batch::default();
        for item in self.tree(TreeId::Entries).iter() {
            let (k, v) = item?;
            let e: Entry = codec::decode(TreeId::Entries, &k, &v)?;
            timeline.insert(&keys::user_timeline(e.user_id, e.start_ms, e.id)[..], &[]);
            chunk.push(e);
            if chunk.len() == 10_000 {
                self.bulk_index_tags(&chunk)?;
                self.tree(TreeId::EntriesByUserStart)
                    .apply_batch(std::mem::take(&mut timeline))?;
                chunk.clear();
            }
        }
        self.bulk_index_tags(&chunk)?;
        self.tree(TreeId::EntriesByUserStart)
            .apply_batch(timeline)?;
        self.flush().await
    }
}
