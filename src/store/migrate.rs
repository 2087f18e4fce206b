//! Schema migrations: an ordered list; `meta/schema_version` is bumped in the same transaction
//! as each step's writes. A store from a newer version is refused ("downgrading is not supported").

use super::{keys, trees::meta, Store, StoreError, TreeId, Tx};

/// The schema version this build writes.
pub const LATEST_SCHEMA: u32 = 2;

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
fn set_version(
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
        let s: super::Session = super::codec::decode(TreeId::Sessions, &k, &v)?;
        rows.push((
            TreeId::SessionsByUser,
            keys::user_session(s.user_id, &s.key()).to_vec(),
            Vec::new(),
        ));
    }
    set_version(store, 2, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{SessionKey, UserId};

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
                        .insert(&keys::secret(&key), super::super::codec::encode(&s))?;
                    tx.t(TreeId::SessionsByUser)
                        .remove(&keys::user_session(user, &key)[..])?;
                    tx.t(TreeId::Meta)
                        .insert(meta::SCHEMA_VERSION, &1u32.to_be_bytes())?;
                    Ok(())
                })
                .unwrap();
            store.inner.db.flush().unwrap();
        }
        // Act: opening runs migration 2.
        let store = Store::open(dir.path(), 0).unwrap();
        // Assert
        assert_eq!(current_version(&store).unwrap(), LATEST_SCHEMA);
        assert_eq!(store.session_keys_of(user).unwrap(), vec![key]);
    }

    #[test]
    fn a_store_from_a_newer_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path(), 0).unwrap();
            store
                .tree(TreeId::Meta)
                .insert(meta::SCHEMA_VERSION, &99u32.to_be_bytes())
                .unwrap();
            store.inner.db.flush().unwrap();
        }
        match Store::open(dir.path(), 0) {
            Err(StoreError::SchemaTooNew { found: 99, .. }) => {}
            Err(e) => panic!("wrong error {e}"),
            Ok(_) => panic!("a newer store was opened"),
        }
    }
}
