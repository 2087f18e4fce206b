//! Schema migrations: an ordered list; `meta/schema_version` is bumped in the same transaction
//! as each step's writes. A store from a newer version is refused ("downgrading is not supported").

use super::{keys, trees::meta, Store, StoreError, TreeId, Tx};

/// The schema version this build writes.
pub const LATEST_SCHEMA: u32 = 6;

struct Migration {
    version: u32,
    name: &'static str,
    run: fn(&Store) -> Result<(), StoreError>,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial layout",
        run: |s| set_version(s, 1, &[]),
    },
    Migration {
        version: 2,
        name: "index sessions by user",
        run: index_sessions_by_user,
    },
    Migration {
        version: 3,
        name: "index entries by tag and count tags",
        run: index_entries_by_tag,
    },
    Migration {
        version: 4,
        name: "record scheduled job runs",
        run: |s| set_version(s, 4, &[]),
    },
    Migration {
        version: 5,
        name: "entries stored binary in their timeline rows",
        run: entries_into_timeline,
    },
    Migration {
        version: 6,
        name: "index entries by project and keep each project's rate history",
        run: super::migrate_rates::run,
    },
];

pub fn current_version(store: &Store) -> Result<u32, StoreError> {
    Ok(match store.tree(TreeId::Meta).get(meta::SCHEMA_VERSION)? {
        Some(v) => u32::from_be_bytes(v.as_ref().try_into().map_err(|_| {
            StoreError::corrupt(
                "meta",
                meta::SCHEMA_VERSION,
                "schema_version is not 4 bytes",
            )
        })?),
        None => 0,
    })
}

pub fn run(store: &Store) -> Result<(), StoreError> {
    let found = current_version(store)?;
    if found > LATEST_SCHEMA {
        return Err(StoreError::SchemaTooNew {
            found,
            supported: LATEST_SCHEMA,
        });
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > found) {
        // TODO(#5): write an automatic backup before the first step, once backups exist.
        tracing::info!(
            version = m.version,
            name = m.name,
            "running store migration"
        );
        (m.run)(store)?;
    }
    Ok(())
}

/// Sets the version and inserts `rows` (tree, key, value) in one transaction.
pub(super) fn set_version(
    store: &Store,
    v: u32,
    rows: &[(TreeId, Vec<u8>, Vec<u8>)],
) -> Result<(), StoreError> {
    store.write_unflushed(|tx: &Tx<'_>| {
        for (t, k, val) in rows {
            tx.t(*t).insert(k.as_slice(), val.as_slice())?;
        }
        tx.t(TreeId::Meta)
            .insert(meta::SCHEMA_VERSION, &v.to_be_bytes())?;
        Ok(())
    })
}

/// v2: `sessions_by_user` (user ‖ session → empty) built from `sessions`, so that every
/// session of a user can be revoked at once.
fn index_sessions_by_user(store: &Store) -> Result<(), StoreError> {
    let mut rows = Vec::new();
    for item in store.tree(TreeId::Sessions).iter() {
        let (k, v) = item?;
        let s = super::sessions::decode(&k, &v)?;
        rows.push((
            TreeId::SessionsByUser,
            keys::user_session(s.user_id, &s.key()).to_vec(),
            Vec::new(),
        ));
    }
    set_version(store, 2, &rows)
}

/// v3: `entries_by_tag` and `tags` built from `entries` (in chunks, so memory stays bounded).
fn index_entries_by_tag(store: &Store) -> Result<(), StoreError> {
    store.tree(TreeId::EntriesByTag).clear()?;
    store.tree(TreeId::Tags).clear()?;
    let mut chunk = Vec::with_capacity(10_000);
    for item in store.tree(TreeId::Entries).iter() {
        let (k, v) = item?;
        chunk.push(super::entry_codec::decode(TreeId::Entries, &k, &v)?);
        if chunk.len() == 10_000 {
            store.bulk_index_tags(&chunk)?;
            chunk.clear();
        }
    }
    store.bulk_index_tags(&chunk)?;
    set_version(store, 3, &[])
}

/// v5: each entry's record moves from `entries` (JSON) into its timeline row (binary,
/// `entry_codec`), and `entries` keeps a pointer to the row. In chunks, so memory stays
/// bounded; a run cut short is finished by the next start (a value that is already a pointer
/// is skipped), and the version is set only at the end.
fn entries_into_timeline(store: &Store) -> Result<(), StoreError> {
    use super::entry_codec;
    let (entries, timeline) = (
        store.tree(TreeId::Entries),
        store.tree(TreeId::EntriesByUserStart),
    );
    let mut moved = 0u64;
    for item in entries.iter() {
        let (k, v) = item?;
        if v.first() == Some(&entry_codec::TAG_POINTER) {
            continue;
        }
        let e = entry_codec::decode(TreeId::Entries, &k, &v)?;
        timeline.insert(
            keys::user_timeline(e.user_id, e.start_ms, e.id),
            entry_codec::encode(&e),
        )?;
        entries.insert(&k, &entry_codec::pointer(e.user_id, e.start_ms)[..])?;
        moved += 1;
        if moved % 100_000 == 0 {
            tracing::info!(moved, "store migration 5: entries moved so far");
        }
    }
    // A timeline row of schema 4 was only an index: one that no entry matched (it would now
    // read as an empty record) is dropped, and said so.
    let mut dangling = 0u64;
    for item in timeline.iter() {
        let (k, v) = item?;
        if v.is_empty() {
            timeline.remove(&k)?;
            dangling += 1;
        }
    }
    if dangling > 0 {
        tracing::warn!(
            dangling,
            "store migration 5: dropped timeline index rows that pointed to no entry"
        );
    }
    drop((entries, timeline));
    store.engine().db.flush()?;
    set_version(store, 5, &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{SessionKey, UserId};
    use crate::store::prelude::*;

    /// Writes `e` as schema 4 and older stored it: JSON in `entries`.
    fn put_json_entry(store: &Store, e: &crate::domain::tracking::Entry) {
        store
            .tree(TreeId::Entries)
            .insert(
                keys::entry(e.id),
                super::super::codec::encode(&super::super::stored::StoredEntry::from(e)),
            )
            .unwrap();
    }

    /// Marks the store as written by schema `v` and flushes it, ready to be reopened.
    fn leave_at_schema(store: &Store, v: u32) {
        store
            .tree(TreeId::Meta)
            .insert(meta::SCHEMA_VERSION, &v.to_be_bytes())
            .unwrap();
        store.engine().db.flush().unwrap();
    }

    #[test]
    fn version_two_indexes_sessions_written_by_version_one() {
        // Arrange: a store as version 1 left it: sessions, no index.
        let dir = tempfile::tempdir().unwrap();
        let user = UserId::new(1);
        let key = SessionKey([7; 32]);
        {
            let store = Store::open(dir.path(), 0).unwrap();
            let s = crate::store::Session::new(key, user, 10, 10, None, None);
            store
                .write_unflushed(|tx| {
                    tx.t(TreeId::Sessions)
                        .insert(&keys::secret(&key), super::super::sessions::encode(&s))?;
                    tx.t(TreeId::SessionsByUser)
                        .remove(&keys::user_session(user, &key)[..])?;
                    tx.t(TreeId::Meta)
                        .insert(meta::SCHEMA_VERSION, &1u32.to_be_bytes())?;
                    Ok(())
                })
                .unwrap();
            store.engine().db.flush().unwrap();
        }
        // Act: opening runs migration 2.
        let store = Store::open(dir.path(), 0).unwrap();
        // Assert
        assert_eq!(current_version(&store).unwrap(), LATEST_SCHEMA);
        assert_eq!(store.session_keys_of(user).unwrap(), vec![key]);
    }

    #[test]
    fn version_three_indexes_tags_of_entries_written_by_version_two() {
        use crate::domain::tracking::Entry;
        use crate::domain::{EntryId, ProjectId};
        let dir = tempfile::tempdir().unwrap();
        let user = UserId::new(1);
        {
            let store = Store::open(dir.path(), 0).unwrap();
            for (i, tags) in [vec!["Ops", "db"], vec!["ops"]].into_iter().enumerate() {
                let e = Entry {
                    id: EntryId::new(i as i64),
                    user_id: user,
                    project_id: ProjectId::new(0),
                    task_id: None,
                    tags: tags.into_iter().map(String::from).collect(),
                    note: String::new(),
                    start_ms: i as i64 * 1000,
                    end_ms: Some(i as i64 * 1000 + 500),
                    billable: true,
                    rate_cents: None,
                    currency: "EUR".into(),
                    created_at_ms: 0,
                    updated_at_ms: 0,
                };
                put_json_entry(&store, &e);
            }
            leave_at_schema(&store, 2);
        }
        let store = Store::open(dir.path(), 0).unwrap();
        assert_eq!(current_version(&store).unwrap(), LATEST_SCHEMA);
        let mut tags: Vec<(String, u64)> = store
            .tags()
            .unwrap()
            .into_iter()
            .map(|t| (t.name, t.count))
            .collect();
        tags.sort();
        assert_eq!(tags, vec![("Ops".to_string(), 2), ("db".to_string(), 1)]);
        assert_eq!(store.entries_with_tag("OPS").unwrap().len(), 2);
    }

    /// An upgrade from schema 4, including one cut short after moving some entries: every
    /// entry reads back the same, the month listing finds them, and every `entries` value is a
    /// pointer.
    #[test]
    fn version_five_moves_entries_into_the_timeline_even_after_a_cut_short_run() {
        use crate::domain::tracking::Entry;
        use crate::domain::{EntryId, ProjectId};
        use crate::store::entry_codec;
        let dir = tempfile::tempdir().unwrap();
        let user = UserId::new(1);
        let entries: Vec<Entry> = (0..5)
            .map(|i| Entry {
                id: EntryId::new(i),
                user_id: user,
                project_id: ProjectId::new(0),
                task_id: None,
                tags: vec!["ops".into()],
                note: format!("note {i}"),
                start_ms: 1_000_000 + i * 1000,
                end_ms: Some(1_000_000 + i * 1000 + 500),
                billable: true,
                rate_cents: Some(100),
                currency: "EUR".into(),
                created_at_ms: 5,
                updated_at_ms: 6,
            })
            .collect();
        {
            let store = Store::open(dir.path(), 0).unwrap();
            for (i, e) in entries.iter().enumerate() {
                let row = keys::user_timeline(e.user_id, e.start_ms, e.id);
                if i == 0 {
                    // Moved by a first run that stopped before the version was set.
                    store
                        .tree(TreeId::EntriesByUserStart)
                        .insert(row, entry_codec::encode(e))
                        .unwrap();
                    store
                        .tree(TreeId::Entries)
                        .insert(
                            keys::entry(e.id),
                            &entry_codec::pointer(e.user_id, e.start_ms)[..],
                        )
                        .unwrap();
                } else {
                    store
                        .tree(TreeId::EntriesByUserStart)
                        .insert(row, &[])
                        .unwrap();
                    put_json_entry(&store, e);
                }
            }
            leave_at_schema(&store, 4);
        }
        let store = Store::open(dir.path(), 0).unwrap();
        assert_eq!(current_version(&store).unwrap(), LATEST_SCHEMA);
        for e in &entries {
            assert_eq!(store.entry(e.id).unwrap().as_ref(), Some(e));
        }
        let (page, _) = store
            .user_entries(user, 0, i64::MAX, None, 10, |_| true)
            .unwrap();
        assert_eq!(page, entries.iter().rev().cloned().collect::<Vec<_>>());
        for item in store.tree(TreeId::Entries).iter() {
            let (_, v) = item.unwrap();
            assert_eq!(v.first(), Some(&entry_codec::TAG_POINTER));
        }
    }

    #[test]
    fn a_timeline_row_of_schema_four_pointing_nowhere_is_dropped_by_the_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let user = UserId::new(1);
        {
            let store = Store::open(dir.path(), 0).unwrap();
            let id = crate::domain::EntryId::new(1);
            store
                .tree(TreeId::EntriesByUserStart)
                .insert(keys::user_timeline(user, 5, id), &[])
                .unwrap();
            leave_at_schema(&store, 4);
        }
        let store = Store::open(dir.path(), 0).unwrap();
        assert_eq!(current_version(&store).unwrap(), LATEST_SCHEMA);
        assert!(store.tree(TreeId::EntriesByUserStart).is_empty());
        let (page, _) = store
            .user_entries(user, 0, i64::MAX, None, 10, |_| true)
            .unwrap();
        assert!(page.is_empty());
    }

    #[test]
    fn a_store_from_a_newer_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path(), 0).unwrap();
            leave_at_schema(&store, 99);
        }
        match Store::open(dir.path(), 0) {
            Err(StoreError::SchemaTooNew { found: 99, .. }) => {}
            Err(e) => panic!("wrong error {e}"),
            Ok(_) => panic!("a newer store was opened"),
        }
    }
}
