//! Time entries: `entries`, the per-user timeline index `entries_by_user_start`, and `running`
//! (user → the entry whose timer runs), which makes "one running timer per user" a rule the
//! transaction enforces rather than a hope.

use super::stored::StoredEntry;
use super::{codec, conflict, expect, get, keys, tx_get, Abort, Store, StoreError, TreeId, Tx};
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
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait EntriesTx {
    fn entry(&self, id: EntryId) -> Result<Option<Entry>, Abort>;

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

impl EntriesStore for Store {
    fn entry(&self, id: EntryId) -> Result<Option<Entry>, StoreError> {
        Ok(get::<StoredEntry>(
            self.tree(TreeId::Entries),
            TreeId::Entries,
            &keys::entry(id),
        )?
        .map(Entry::from))
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
        let mut out: Vec<Entry> = Vec::new();
        // One handle on the entries tree for the whole walk (a month reads ~1,500 rows).
        let entries = self.tree(TreeId::Entries);
        for item in self.tree(TreeId::EntriesByUserStart).range(lo..hi).rev() {
            let (k, _) = item?;
            let id = keys::entry_of_timeline(&k).ok_or_else(|| {
                StoreError::corrupt("entries_by_user_start", &k, "key is not 40 bytes")
            })?;
            let Some(e) =
                get::<StoredEntry>(&*entries, TreeId::Entries, &keys::entry(id))?.map(Entry::from)
            else {
                return Err(StoreError::corrupt(
                    "entries_by_user_start",
                    &k,
                    "points to no entry",
                ));
            };
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
            TreeId::Entries,
            entries
                .iter()
                .map(|e| (keys::entry(e.id), codec::encode(&StoredEntry::from(e)))),
        )?;
        self.bulk_put(
            TreeId::EntriesByUserStart,
            entries
                .iter()
                .map(|e| (keys::user_timeline(e.user_id, e.start_ms, e.id), Vec::new())),
        )?;
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
            let (k, v) = item?;
            let e = Entry::from(codec::decode::<StoredEntry>(TreeId::Entries, &k, &v)?);
            if Some(e.id) == after {
                continue;
            }
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
}

impl Tx<'_> {
    /// Writes an entry and its timeline row over `old` (what is stored now, read in this
    /// transaction), moving the row if the start changed.
    fn write_entry(&self, old: Option<&Entry>, e: &Entry) -> Result<(), Abort> {
        if let Some(old) = old {
            if old.start_ms != e.start_ms || old.user_id != e.user_id {
                self.t(TreeId::EntriesByUserStart)
                    .remove(&keys::user_timeline(old.user_id, old.start_ms, old.id)[..])?;
            }
        }
        self.retag(old, Some(e))?;
        self.t(TreeId::Entries)
            .insert(&keys::entry(e.id), codec::encode(&StoredEntry::from(e)))?;
        self.t(TreeId::EntriesByUserStart)
            .insert(&keys::user_timeline(e.user_id, e.start_ms, e.id)[..], &[])?;
        Ok(())
    }

    /// Removes the stored entry `e` (read in this transaction), its timeline row, and its
    /// running mark.
    fn erase_entry(&self, e: &Entry) -> Result<(), Abort> {
        self.retag(Some(e), None)?;
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
    fn entry(&self, id: EntryId) -> Result<Option<Entry>, Abort> {
        Ok(
            tx_get::<StoredEntry>(self.t(TreeId::Entries), TreeId::Entries, &keys::entry(id))?
                .map(Entry::from),
        )
    }

    fn insert_entry(&self, e: &Entry) -> Result<(), Abort> {
        expect::<StoredEntry>(
            self.t(TreeId::Entries),
            TreeId::Entries,
            &keys::entry(e.id),
            None,
        )?;
        self.write_entry(None, e)
    }

    fn replace_entry(&self, before: &Entry, after: &Entry) -> Result<(), Abort> {
        debug_assert_eq!(before.id, after.id);
        let old = expect(
            self.t(TreeId::Entries),
            TreeId::Entries,
            &keys::entry(before.id),
            Some(&StoredEntry::from(before)),
        )?
        .map(Entry::from);
        self.write_entry(old.as_ref(), after)
    }

    fn remove_entry(&self, before: &Entry) -> Result<(), Abort> {
        expect(
            self.t(TreeId::Entries),
            TreeId::Entries,
            &keys::entry(before.id),
            Some(&StoredEntry::from(before)),
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
