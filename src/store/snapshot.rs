//! Whole-store copies for backups: a consistent dump of the primary trees taken while writes
//! wait at the store's gate, and loading one into an empty store, where the index trees are
//! rebuilt from the records rather than copied (so a restore also repairs them).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sled::IVec;

use super::{entry_codec, keys, Store, StoreError, TreeId};
use crate::domain::tracking::Entry;

/// The trees a backup holds, each record once; everything else is derived from them. A
/// backup's `entries` are id → record, as schema 4 stored them: the dump takes each record from
/// its timeline row (`entry_codec`), and the loader writes it back there.
pub const PRIMARY: [TreeId; 21] = [
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
    TreeId::Weeks,
    TreeId::Imported,
    TreeId::ApiTokens,
    TreeId::Webhooks,
    TreeId::Incidents,
];

/// Trees rebuilt from the records: the indexes, and `entries`' pointers to the timeline rows.
const DERIVED: [TreeId; 7] = [
    TreeId::UsersByEmail,
    TreeId::SessionsByUser,
    TreeId::Entries,
    TreeId::Tags,
    TreeId::EntriesByTag,
    TreeId::SecurityEventsByUser,
    TreeId::EntriesByProject,
];

/// Where a backup tree's records are read from: entries from the timeline rows.
fn source(t: TreeId) -> TreeId {
    match t {
        TreeId::Entries => TreeId::EntriesByUserStart,
        t => t,
    }
}

/// A tree, or the part of it from a key (inclusive) to a key (exclusive).
type Part = (TreeId, Option<Vec<u8>>, Option<Vec<u8>>);

/// The records of one part, copied.
type Copied = Vec<(TreeId, IVec, IVec)>;

/// Every primary record at one point in time.
pub struct Dump {
    pub records: Vec<(TreeId, IVec, IVec)>,
    /// How long writes waited at the gate while the records were copied.
    pub paused: Duration,
}

impl Store {
    /// Copies every primary record while no write can run (writers wait at the gate), so the
    /// copy is one point in time. The values are shared buffers; the pause is the walk over the
    /// keys, so the two largest trees (entries, audit) are each walked in two halves on
    /// threads of their own beside the rest.
    ///
    /// The gate is awaited, and the walk runs on the blocking pool: a backup never occupies a
    /// runtime worker thread, and the writers it holds up wait without occupying one either.
    pub async fn dump(&self) -> Result<Dump, StoreError> {
        let gate = self.inner.gate.clone().write_owned().await;
        // The pause counts from here: writers wait from the moment the gate is taken.
        let started = Instant::now();
        let store = self.clone();
        tokio::task::spawn_blocking(move || {
            let parts = store.copy_primary();
            let paused = started.elapsed();
            drop(gate);
            // Joined into one list after the gate opens: it is a copy of every record.
            Ok(Dump {
                records: parts?.into_iter().flatten().collect(),
                paused,
            })
        })
        .await
        .map_err(|e| StoreError::Refused(format!("the backup's copy failed: {e}")))?
    }

    /// Every primary record, walked while the caller holds the write gate, in parts.
    fn copy_primary(&self) -> Result<Vec<Copied>, StoreError> {
        let mut parts: Vec<Part> = Vec::new();
        for t in PRIMARY {
            match (
                matches!(t, TreeId::Entries | TreeId::Audit),
                self.midpoint(source(t))?,
            ) {
                (true, Some(mid)) => {
                    parts.push((t, None, Some(mid.clone())));
                    parts.push((t, Some(mid), None));
                }
                _ => parts.push((t, None, None)),
            }
        }
        let walk = |(t, from, to): &Part| {
            let tree = self.tree(source(*t));
            let range = match (from, to) {
                (None, None) => tree.iter(),
                (None, Some(to)) => tree.range(..to.as_slice()),
                (Some(from), None) => tree.range(from.as_slice()..),
                (Some(from), Some(to)) => tree.range(from.as_slice()..to.as_slice()),
            };
            range
                .map(|item| {
                    let (k, v) = item?;
                    if *t != TreeId::Entries {
                        return Ok((*t, k, v));
                    }
                    // A timeline key ends with the entry's id: the backup's key.
                    let id = keys::entry_of_timeline(&k).ok_or_else(|| {
                        StoreError::corrupt("entries_by_user_start", &k, "key is not 40 bytes")
                    })?;
                    Ok((*t, IVec::from(&keys::entry(id)[..]), v))
                })
                .collect::<Result<Vec<_>, StoreError>>()
        };
        // The big parts on threads of their own, the small trees together on this one.
        let chunks = std::thread::scope(|s| {
            let handles: Vec<_> = parts
                .iter()
                .map(|p| {
                    matches!(p.0, TreeId::Entries | TreeId::Audit).then(|| s.spawn(|| walk(p)))
                })
                .collect();
            parts
                .iter()
                .zip(handles)
                .map(|(p, h)| match h {
                    Some(h) => h.join().unwrap_or_else(|_| {
                        Err(StoreError::Refused("a dump thread panicked".into()))
                    }),
                    None => walk(p),
                })
                .collect::<Result<Vec<_>, _>>()
        })?;
        Ok(chunks)
    }

    /// A key between a tree's first and last (their big-endian midpoint), if it has two keys.
    fn midpoint(&self, t: TreeId) -> Result<Option<Vec<u8>>, StoreError> {
        let tree = self.tree(t);
        let (Some((first, _)), Some((last, _))) = (tree.first()?, tree.last()?) else {
            return Ok(None);
        };
        let as_int = |k: &[u8]| {
            let mut b = [0u8; 16];
            for (i, x) in k.iter().take(16).enumerate() {
                b[i] = *x;
            }
            u128::from_be_bytes(b)
        };
        let (a, z) = (as_int(&first), as_int(&last));
        if z - a <= 1 {
            return Ok(None);
        }
        let mid = a + (z - a) / 2;
        Ok(Some(mid.to_be_bytes().to_vec()))
    }

    /// Record counts of the primary trees, by tree name.
    pub fn primary_counts(&self) -> BTreeMap<&'static str, u64> {
        PRIMARY
            .iter()
            .map(|t| (t.name(), self.tree(*t).len() as u64))
            .collect()
    }

    /// Writes rows into a tree of a store no one else uses yet (a restore, the seeding tool,
    /// an index rebuild): not transactional, durable at the next flush.
    ///
    /// Row by row rather than with `apply_batch`: sled 0.34 pins one epoch for a whole batch,
    /// so every tree node replaced during it stays allocated until the batch ends. At 1 M
    /// entries a restore in batches of 20,000 peaked at 5.2 GB and took 24 s; row by row it
    /// stays under 0.4 GB and takes 8 s (docs/performance.md).
    pub fn bulk_put<K, V>(
        &self,
        tree: TreeId,
        rows: impl IntoIterator<Item = (K, V)>,
    ) -> Result<(), StoreError>
    where
        K: AsRef<[u8]>,
        V: Into<IVec>,
    {
        let t = self.tree(tree);
        for (k, v) in rows {
            t.insert(k, v)?;
        }
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
        for item in self.tree(TreeId::Users).iter() {
            let (k, v) = item?;
            let r = super::users::decode(&k, &v)?;
            let row = (
                keys::email(r.user.email.as_str()),
                keys::user(r.user.id).to_vec(),
            );
            self.bulk_put(TreeId::UsersByEmail, [row])?;
        }
        for item in self.tree(TreeId::Sessions).iter() {
            let (k, v) = item?;
            let s = super::sessions::decode(&k, &v)?;
            let row = (keys::user_session(s.user_id, &s.key()), Vec::new());
            self.bulk_put(TreeId::SessionsByUser, [row])?;
        }
        for item in self.tree(TreeId::SecurityEvents).iter() {
            let (k, v) = item?;
            let e = super::security::decode(&k, &v)?;
            if let Some(u) = e.user_id {
                let row = (keys::user_event(u, e.at_ms, e.id), Vec::new());
                self.bulk_put(TreeId::SecurityEventsByUser, [row])?;
            }
        }
        let mut chunk: Vec<Entry> = Vec::with_capacity(10_000);
        for item in self.tree(TreeId::EntriesByUserStart).iter() {
            let (k, v) = item?;
            let e = entry_codec::decode(TreeId::EntriesByUserStart, &k, &v)?;
            let row = (
                keys::entry(e.id),
                &entry_codec::pointer(e.user_id, e.start_ms)[..],
            );
            self.bulk_put(TreeId::Entries, [row])?;
            chunk.push(e);
            if chunk.len() == 10_000 {
                self.bulk_index_tags(&chunk)?;
                self.bulk_index_projects(&chunk)?;
                chunk.clear();
            }
        }
        self.bulk_index_tags(&chunk)?;
        self.bulk_index_projects(&chunk)?;
        self.flush().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tracking::Entry;
    use crate::domain::{EntryId, ProjectId, SessionKey, UserId};
    use crate::store::prelude::*;

    fn contents(store: &Store) -> Vec<(TreeId, Vec<(IVec, IVec)>)> {
        DERIVED
            .iter()
            .map(|t| (*t, store.tree(*t).iter().map(|r| r.unwrap()).collect()))
            .collect()
    }

    #[tokio::test]
    async fn rebuilt_indexes_equal_the_ones_written_with_the_records() {
        // Arrange: entries with tags for two people, and a session; then the indexes lost.
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), 0).unwrap();
        let entries: Vec<Entry> = (0..2_500)
            .map(|i| Entry {
                id: EntryId::new(i),
                user_id: UserId::new(i % 2),
                project_id: ProjectId::new(0),
                task_id: None,
                tags: [["ops"].as_slice(), &["Ops", "db"]][i as usize % 2]
                    .iter()
                    .map(|t| t.to_string())
                    .collect(),
                note: String::new(),
                start_ms: 1_000_000 - i * 1000,
                end_ms: Some(1_000_000 - i * 1000 + 500),
                billable: true,
                rate_cents: None,
                currency: "EUR".into(),
                created_at_ms: 0,
                updated_at_ms: 0,
            })
            .collect();
        store.bulk_insert_entries(&entries).unwrap();
        let (key, user) = (SessionKey([7; 32]), UserId::new(1));
        let session = crate::store::Session::new(key, user, 10, 10, None, None);
        store
            .write_unflushed(|tx| {
                tx.t(TreeId::Sessions).insert(
                    &keys::secret(&key),
                    crate::store::sessions::encode(&session),
                )?;
                tx.t(TreeId::SessionsByUser)
                    .insert(&keys::user_session(user, &key)[..], &[])?;
                Ok(())
            })
            .unwrap();
        let before = contents(&store);
        assert!(before.iter().all(|(t, rows)| rows.is_empty()
            == matches!(t, TreeId::UsersByEmail | TreeId::SecurityEventsByUser)));
        for t in DERIVED {
            store.tree(t).clear().unwrap();
        }
        // Act
        store.rebuild_indexes().await.unwrap();
        // Assert: the same rows, tag counts included.
        assert_eq!(contents(&store), before);
    }
}
