//! `entries_by_project` (project ‖ start ‖ entry → the entry's person): every entry of one
//! project without reading anyone else's, for budgets and estimates (all of a project's time)
//! and the client portal. Kept in step with the timeline in the same write transactions
//! (`entries.rs`), rebuilt with the other indexes, and built for older stores by migration 6.

use super::{entry_codec, keys, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::tracking::Entry;
use crate::domain::{EntryId, ProjectId, UserId};

/// `entries_by_project` key: project(16) ‖ start_ms(8, sign-flipped) ‖ entry(16).
pub(super) fn key(e: &Entry) -> [u8; 40] {
    let mut k = [0u8; 40];
    k[..16].copy_from_slice(e.project_id.as_bytes());
    k[16..24].copy_from_slice(&keys::instant(e.start_ms));
    k[24..].copy_from_slice(e.id.as_bytes());
    k
}

fn row(e: &Entry) -> ([u8; 40], [u8; 16]) {
    (key(e), *e.user_id.as_bytes())
}

impl Tx<'_> {
    /// Moves `old`'s index row to `new`'s (either may be absent).
    pub(super) fn reindex_project(
        &self,
        old: Option<&Entry>,
        new: Option<&Entry>,
    ) -> Result<(), Abort> {
        let t = self.t(TreeId::EntriesByProject);
        if let Some(o) = old {
            if new.is_none_or(|n| key(n) != key(o)) {
                t.remove(&key(o)[..])?;
            }
        }
        if let Some(n) = new {
            let (k, v) = row(n);
            t.insert(&k[..], &v[..])?;
        }
        Ok(())
    }
}

impl Store {
    /// Adds the index rows of freshly bulk-loaded entries (seeding, migration, rebuild).
    pub(super) fn bulk_index_projects(&self, entries: &[Entry]) -> Result<(), StoreError> {
        self.bulk_put(
            TreeId::EntriesByProject,
            entries.iter().map(|e| {
                let (k, v) = row(e);
                (k.to_vec(), v.to_vec())
            }),
        )
    }

    /// Every entry of `project` that `keep` keeps, oldest first. Outside a transaction, a
    /// row whose entry moved or went since the index was read is skipped.
    pub(super) fn scan_project(
        &self,
        project: ProjectId,
        keep: impl Fn(&Entry) -> bool,
    ) -> Result<Vec<Entry>, StoreError> {
        let timeline = self.tree(TreeId::EntriesByUserStart);
        let mut out = Vec::new();
        for item in self
            .tree(TreeId::EntriesByProject)
            .scan_prefix(project.as_bytes())
        {
            let (k, v) = item?;
            let bad = || StoreError::corrupt("entries_by_project", &k, "not an index row");
            let user = UserId::from_bytes(v.as_ref().try_into().map_err(|_| bad())?);
            let start = keys::instant_from(k.get(16..24).ok_or_else(bad)?).ok_or_else(bad)?;
            let id = EntryId::from_bytes(
                k.get(24..40)
                    .ok_or_else(bad)?
                    .try_into()
                    .map_err(|_| bad())?,
            );
            let row = keys::user_timeline(user, start, id);
            let Some(rec) = timeline.get(row)? else {
                continue;
            };
            let e = entry_codec::decode(TreeId::EntriesByUserStart, &row, &rec)?;
            if e.project_id == project && keep(&e) {
                out.push(e);
            }
        }
        Ok(out)
    }
}
