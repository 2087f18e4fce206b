//! Time entries: each person's timeline `entries_by_user_start` (user ‖ start ‖ id → the
//! record, `entry_codec`), `entries` (id → where the record is), and `running` (user → the
//! entry whose timer runs), which makes "one running timer per user" a rule the transaction
//! enforces rather than a hope.

use super::{conflict, entry_codec, keys, stale, still, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::codes;
use crate::domain::tracking::Entry;
use crate::domain::{EntryId, UserId};

/// A position in a user's timeline (an entry's start and id): where the next page begins.
pub type TimelinePos = (i64, EntryId);

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait EntriesStore {
    fn entry(&self, id: EntryId) -> Result<Option<Entry>, StoreError>;

    /// `user`'s entries starting in `[from_ms, to_ms)`, newest first, strictly before the
    /// `before` timeline position when paging; stops after `limit` matches of `keep`.
    /// Returns the page and the position to continue from.
    fn user_entries(
        &self,
        user: UserId,
        from_ms: i64,
        to_ms: i64,
        before: Option<TimelinePos>,
        limit: usize,
        keep: impl Fn(&Entry) -> bool,
    ) -> Result<(Vec<Entry>, Option<TimelinePos>), StoreError>;

    /// `user`'s entries starting in `[from_ms, to_ms)`, oldest first, strictly after the
    /// `after` timeline position when paging; stops after `limit` matches of `keep` (the
    /// forward walk of exports). Returns the page and the position to continue from.
    fn user_entries_forward(
        &self,
        user: UserId,
        from_ms: i64,
        to_ms: i64,
        after: Option<TimelinePos>,
        limit: usize,
        keep: impl Fn(&Entry) -> bool,
    ) -> Result<(Vec<Entry>, Option<TimelinePos>), StoreError>;

    /// The entry whose timer runs for `user`, if any.
    fn running_entry(&self, user: UserId) -> Result<Option<Entry>, StoreError>;

    /// Loads many finished entries at once row by row ([`Store::bulk_put`]) and one flush at the end: for the
    /// benchmark seeding tool on a stopped server only. Not transactional and not audited one by
    /// one (the caller audits the load as a whole).
    fn bulk_insert_entries(&self, entries: &[Entry]) -> Result<(), StoreError>;

    /// Up to `limit` entries in id order after `after`: for walks over every entry in chunks.
    fn entries_after(&self, after: Option<EntryId>, limit: usize)
        -> Result<Vec<Entry>, StoreError>;

    fn count_entries(&self) -> usize;

    /// Every entry of `project` that `keep` keeps, oldest first (`entries_by_project`).
    fn project_entries(
        &self,
        project: crate::domain::ProjectId,
        keep: impl Fn(&Entry) -> bool,
    ) -> Result<Vec<Entry>, StoreError>;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait EntriesTx {
    fn entry(&self, id: EntryId) -> Result<Option<Entry>, Abort>;

    /// The entry whose timer runs for `user`, if any.
    fn running(&self, user: UserId) -> Result<Option<Entry>, Abort>;

    /// Writes a new entry; aborts with `Stale` if its id is taken.
    fn insert_entry(&self, e: &Entry) -> Result<(), Abort>;

    /// Replaces `before` by `after` (the same entry, changed); aborts with `Stale` if the stored
    /// entry is no longer `before` (changed or deleted since it was read).
    fn replace_entry(&self, before: &Entry, after: &Entry) -> Result<(), Abort>;

    /// Removes `before` with its index rows and running mark; aborts with `Stale` if the stored
    /// entry is no longer `before`.
    fn remove_entry(&self, before: &Entry) -> Result<(), Abort>;

    /// Stops `user`'s running timer at `at` (never before its start, never past the longest entry
    /// `limits` allow: `domain::range::stop_end`); returns the stopped entry,
    /// or `None` if nothing ran. A timer stopped at its own start instant is discarded instead
    /// (a double click), reported as an entry with `end == start`.
    fn stop_running(
        &self,
        user: UserId,
        at: i64,
        now_ms: i64,
        limits: &crate::domain::range::Limits,
    ) -> Result<Option<Entry>, Abort>;

    /// Starts `e` (which has no end) as `user`'s running timer; aborts if one still runs.
    fn start_running(&self, e: &Entry) -> Result<(), Abort>;
}

impl Store {
    /// Entry `id`, found through its pointer `p` (as just read from `entries`, if the caller
    /// has it). Outside a transaction the two reads are not one point in time, and a
    /// transaction's writes to the two trees do not become visible to plain reads at one
    /// instant: a write that moves or deletes the entry can leave the pointer read here
    /// pointing at a row that is gone, or not there yet. So a missing row is read again, with
    /// the pointer, until [`DANGLING_AFTER`] has passed with the pointer still naming no row:
    /// only then is it corrupt. The ordinary read is one pass.
    fn entry_via(
        &self,
        id: EntryId,
        mut p: Option<sled::IVec>,
    ) -> Result<Option<Entry>, StoreError> {
        let (entries, timeline) = (
            self.tree(TreeId::Entries),
            self.tree(TreeId::EntriesByUserStart),
        );
        let key = keys::entry(id);
        let mut missing_since: Option<([u8; 40], std::time::Instant)> = None;
        loop {
            let pointer = match p.take() {
                Some(p) => p,
                None => match entries.get(key)? {
                    Some(p) => p,
                    None => return Ok(None),
                },
            };
            let row = entry_codec::pointed(id, &pointer).ok_or_else(|| not_a_pointer(id))?;
            if let Some(v) = timeline.get(row)? {
                return entry_codec::decode(TreeId::EntriesByUserStart, &row, &v).map(Some);
            }
            match missing_since {
                Some((r, since)) if r == row => {
                    if since.elapsed() > DANGLING_AFTER {
                        return Err(dangling(&key));
                    }
                }
                _ => missing_since = Some((row, std::time::Instant::now())),
            }
            std::thread::yield_now();
        }
    }
}

/// How long a pointer may name a timeline row that is not there before it counts as corrupt:
/// far longer than a transaction takes to become visible, even on a loaded machine.
const DANGLING_AFTER: std::time::Duration = std::time::Duration::from_millis(250);

fn not_a_pointer(id: EntryId) -> StoreError {
    StoreError::corrupt(
        "entries",
        &keys::entry(id),
        "value is not a timeline pointer",
    )
}

/// Up to `limit` entries of timeline rows that `keep` keeps, in the rows' order, and the
/// position of the last one when more follow.
fn page(
    rows: impl Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
    limit: usize,
    keep: impl Fn(&Entry) -> bool,
) -> Result<(Vec<Entry>, Option<TimelinePos>), StoreError> {
    let mut out: Vec<Entry> = Vec::new();
    for item in rows {
        let (k, v) = item?;
        let e = entry_codec::decode(TreeId::EntriesByUserStart, &k, &v)?;
        if !keep(&e) {
            continue;
        }
        if out.len() == limit {
            let last = out.last().map(|e| (e.start_ms, e.id));
            return Ok((out, last));
        }
        out.push(e);
    }
    Ok((out, None))
}

fn dangling(k: &[u8]) -> StoreError {
    StoreError::corrupt("entries", k, "points to no timeline row")
}

impl EntriesStore for Store {
    fn entry(&self, id: EntryId) -> Result<Option<Entry>, StoreError> {
        self.entry_via(id, None)
    }

    fn user_entries(
        &self,
        user: UserId,
        from_ms: i64,
        to_ms: i64,
        before: Option<TimelinePos>,
        limit: usize,
        keep: impl Fn(&Entry) -> bool,
    ) -> Result<(Vec<Entry>, Option<TimelinePos>), StoreError> {
        let lo = keys::user_timeline(user, from_ms, EntryId::from_bytes([0; 16]));
        let hi = match before {
            Some((start, id)) => keys::user_timeline(user, start, id),
            None => keys::user_timeline(user, to_ms, EntryId::from_bytes([0; 16])),
        };
        // The timeline rows hold the records: one range scan, no lookup per entry.
        page(
            self.tree(TreeId::EntriesByUserStart).range(lo..hi).rev(),
            limit,
            keep,
        )
    }

    fn user_entries_forward(
        &self,
        user: UserId,
        from_ms: i64,
        to_ms: i64,
        after: Option<TimelinePos>,
        limit: usize,
        keep: impl Fn(&Entry) -> bool,
    ) -> Result<(Vec<Entry>, Option<TimelinePos>), StoreError> {
        use std::ops::Bound;
        let lo = match after {
            Some((start, id)) => Bound::Excluded(keys::user_timeline(user, start, id)),
            None => Bound::Included(keys::user_timeline(
                user,
                from_ms,
                EntryId::from_bytes([0; 16]),
            )),
        };
        let hi = Bound::Excluded(keys::user_timeline(
            user,
            to_ms,
            EntryId::from_bytes([0; 16]),
        ));
        page(
            self.tree(TreeId::EntriesByUserStart).range((lo, hi)),
            limit,
            keep,
        )
    }

    fn running_entry(&self, user: UserId) -> Result<Option<Entry>, StoreError> {
        match self.tree(TreeId::Running).get(keys::user(user))? {
            Some(v) => {
                let b: [u8; 16] = v.as_ref().try_into().map_err(|_| {
                    StoreError::corrupt("running", user.as_bytes(), "id is not 16 bytes")
                })?;
                self.entry(EntryId::from_bytes(b))
            }
            None => Ok(None),
        }
    }

    fn bulk_insert_entries(&self, entries: &[Entry]) -> Result<(), StoreError> {
        self.bulk_put(
            TreeId::EntriesByUserStart,
            entries.iter().map(|e| {
                (
                    keys::user_timeline(e.user_id, e.start_ms, e.id),
                    entry_codec::encode(e),
                )
            }),
        )?;
        self.bulk_put(
            TreeId::Entries,
            entries.iter().map(|e| {
                (
                    keys::entry(e.id),
                    entry_codec::pointer(e.user_id, e.start_ms).to_vec(),
                )
            }),
        )?;
        self.bulk_index_projects(entries)?;
        self.bulk_index_tags(entries)
    }

    fn entries_after(
        &self,
        after: Option<EntryId>,
        limit: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        let tree = self.tree(TreeId::Entries);
        let iter = match after {
            Some(id) => tree.range(keys::entry(id).to_vec()..),
            None => tree.range(Vec::<u8>::new()..),
        };
        let mut out = Vec::with_capacity(limit);
        for item in iter {
            let (k, p) = item?;
            let id = EntryId::from_bytes(
                k.as_ref()
                    .try_into()
                    .map_err(|_| StoreError::corrupt("entries", &k, "key is not 16 bytes"))?,
            );
            if Some(id) == after {
                continue;
            }
            // Deleted since the walk read its pointer: not an entry any more.
            let Some(e) = self.entry_via(id, Some(p))? else {
                continue;
            };
            out.push(e);
            if out.len() == limit {
                break;
            }
        }
        Ok(out)
    }

    fn count_entries(&self) -> usize {
        self.tree(TreeId::Entries).len()
    }

    fn project_entries(
        &self,
        project: crate::domain::ProjectId,
        keep: impl Fn(&Entry) -> bool,
    ) -> Result<Vec<Entry>, StoreError> {
        self.scan_project(project, keep)
    }
}

impl Tx<'_> {
    /// Writes an entry's record into its timeline row over `old` (what is stored now, read in
    /// this transaction), moving the row and its pointer if the start or the person changed.
    fn write_entry(&self, old: Option<&Entry>, e: &Entry) -> Result<(), Abort> {
        let moved = old.is_none_or(|o| o.start_ms != e.start_ms || o.user_id != e.user_id);
        if let Some(old) = old.filter(|_| moved) {
            self.t(TreeId::EntriesByUserStart)
                .remove(&keys::user_timeline(old.user_id, old.start_ms, old.id)[..])?;
        }
        self.retag(old, Some(e))?;
        self.reindex_project(old, Some(e))?;
        if moved {
            self.t(TreeId::Entries).insert(
                &keys::entry(e.id),
                &entry_codec::pointer(e.user_id, e.start_ms)[..],
            )?;
        }
        self.t(TreeId::EntriesByUserStart).insert(
            &keys::user_timeline(e.user_id, e.start_ms, e.id)[..],
            entry_codec::encode(e),
        )?;
        Ok(())
    }

    /// Removes the stored entry `e` (read in this transaction), its pointer, and its
    /// running mark.
    fn erase_entry(&self, e: &Entry) -> Result<(), Abort> {
        self.retag(Some(e), None)?;
        self.reindex_project(Some(e), None)?;
        self.t(TreeId::Entries).remove(&keys::entry(e.id))?;
        self.t(TreeId::EntriesByUserStart)
            .remove(&keys::user_timeline(e.user_id, e.start_ms, e.id)[..])?;
        if self.running_id(e.user_id)? == Some(e.id) {
            self.t(TreeId::Running).remove(&keys::user(e.user_id))?;
        }
        Ok(())
    }

    fn running_id(&self, user: UserId) -> Result<Option<EntryId>, Abort> {
        Ok(self
            .t(TreeId::Running)
            .get(keys::user(user))?
            .and_then(|v| <[u8; 16]>::try_from(v.as_ref()).ok())
            .map(EntryId::from_bytes))
    }
}

impl EntriesTx for Tx<'_> {
    fn running(&self, user: UserId) -> Result<Option<Entry>, Abort> {
        match self.running_id(user)? {
            Some(id) => self.entry(id),
            None => Ok(None),
        }
    }

    fn entry(&self, id: EntryId) -> Result<Option<Entry>, Abort> {
        let Some(p) = self.t(TreeId::Entries).get(keys::entry(id))? else {
            return Ok(None);
        };
        let k = entry_codec::pointed(id, &p).ok_or_else(|| not_a_pointer(id))?;
        match self.t(TreeId::EntriesByUserStart).get(k)? {
            Some(v) => Ok(Some(entry_codec::decode(
                TreeId::EntriesByUserStart,
                &k,
                &v,
            )?)),
            None => Err(dangling(&keys::entry(id)).into()),
        }
    }

    fn insert_entry(&self, e: &Entry) -> Result<(), Abort> {
        if self.t(TreeId::Entries).get(keys::entry(e.id))?.is_some() {
            return Err(stale(TreeId::Entries));
        }
        self.write_entry(None, e)
    }

    fn replace_entry(&self, before: &Entry, after: &Entry) -> Result<(), Abort> {
        debug_assert_eq!(before.id, after.id);
        let old = still(
            TreeId::Entries,
            EntriesTx::entry(self, before.id)?,
            Some(before),
        )?;
        self.write_entry(old.as_ref(), after)
    }

    fn remove_entry(&self, before: &Entry) -> Result<(), Abort> {
        still(
            TreeId::Entries,
            EntriesTx::entry(self, before.id)?,
            Some(before),
        )?;
        self.erase_entry(before)
    }

    fn stop_running(
        &self,
        user: UserId,
        at: i64,
        now_ms: i64,
        limits: &crate::domain::range::Limits,
    ) -> Result<Option<Entry>, Abort> {
        let Some(id) = self.running_id(user)? else {
            return Ok(None);
        };
        let Some(old) = self.entry(id)? else {
            self.t(TreeId::Running).remove(&keys::user(user))?;
            return Ok(None);
        };
        let mut e = old.clone();
        let end = crate::domain::range::stop_end(e.start_ms, at, limits);
        e.end_ms = Some(end);
        e.updated_at_ms = now_ms;
        self.t(TreeId::Running).remove(&keys::user(user))?;
        if end - e.start_ms < 1000 {
            self.erase_entry(&old)?;
        } else {
            self.write_entry(Some(&old), &e)?;
        }
        Ok(Some(e))
    }

    fn start_running(&self, e: &Entry) -> Result<(), Abort> {
        if self.running_id(e.user_id)?.is_some() {
            return Err(conflict(codes::TIMER_ALREADY_RUNNING));
        }
        self.insert_entry(e)?;
        self.t(TreeId::Running)
            .insert(&keys::user(e.user_id), &keys::entry(e.id))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ProjectId;
    use crate::store::test_support::temp_store;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    /// A read outside a transaction takes the pointer, then the row: an entry moved or deleted
    /// between the two reads is read again or reported gone, never as corrupt.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn reads_racing_moves_and_deletes_see_the_entry_or_nothing() {
        let (store, _dir) = temp_store();
        let e = Entry {
            id: EntryId::new(1),
            user_id: UserId::new(2),
            project_id: ProjectId::new(3),
            task_id: None,
            tags: vec!["t".into()],
            note: String::new(),
            start_ms: 1_000,
            end_ms: Some(2_000),
            billable: false,
            rate_cents: None,
            currency: "EUR".into(),
            created_at_ms: 0,
            updated_at_ms: 0,
        };
        let stop = Arc::new(AtomicBool::new(false));
        let reader = {
            let (store, stop, id) = (store.clone(), stop.clone(), e.id);
            std::thread::spawn(move || {
                let (mut seen, mut gone) = (0u32, 0u32);
                while !stop.load(Ordering::Relaxed) {
                    match store.entry(id).expect("never corrupt") {
                        Some(_) => seen += 1,
                        None => gone += 1,
                    }
                    store.entries_after(None, 10).expect("never corrupt");
                }
                (seen, gone)
            })
        };
        for i in 0..400i64 {
            let mut now = e.clone();
            store.write(|tx| tx.insert_entry(&now)).await.unwrap();
            for step in 1..4 {
                let mut moved = now.clone();
                moved.start_ms = 1_000 + i * 10 + step;
                let before = now.clone();
                store
                    .write(|tx| tx.replace_entry(&before, &moved))
                    .await
                    .unwrap();
                now = moved;
            }
            store.write(|tx| tx.remove_entry(&now)).await.unwrap();
        }
        stop.store(true, Ordering::Relaxed);
        let (seen, gone) = reader.join().unwrap();
        assert!(seen > 0 && gone > 0, "seen {seen}, gone {gone}");
    }

    /// A pointer that names no row, however long one waits, is reported as corrupt.
    #[tokio::test]
    async fn a_pointer_to_no_row_is_corrupt() {
        let (store, _dir) = temp_store();
        let id = EntryId::new(1);
        let pointer = entry_codec::pointer(UserId::new(2), 1_000);
        (store.tree(TreeId::Entries))
            .insert(keys::entry(id), &pointer[..])
            .unwrap();
        let err = store.entry(id).unwrap_err();
        assert!(
            err.to_string().contains("points to no timeline row"),
            "{err}"
        );
    }
}
