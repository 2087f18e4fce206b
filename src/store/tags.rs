//! Tags in use: `tags` (lower-cased name → display name and count) and `entries_by_tag`
//! (tag ‖ entry), kept in step with entries inside the same write transactions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{codec, keys, tx_get, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::tracking::Entry;
use crate::domain::EntryId;

/// A tag and how many entries carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagUse {
    pub name: String,
    pub count: u64,
}

impl TagUse {
    /// Counts one more use of `tag` in `counts` (keyed by the lower-cased name; the first
    /// spelling seen is the one shown).
    pub fn tally(counts: &mut BTreeMap<String, TagUse>, tag: &str) {
        counts
            .entry(tag.to_lowercase())
            .or_insert_with(|| TagUse {
                name: tag.to_owned(),
                count: 0,
            })
            .count += 1;
    }
}

impl Store {
    /// Adds the tag rows and counts of freshly bulk-loaded entries (seeding, migration).
    pub(super) fn bulk_index_tags(&self, entries: &[Entry]) -> Result<(), StoreError> {
        let mut counts: BTreeMap<String, TagUse> = BTreeMap::new();
        let mut rows = Vec::new();
        for e in entries {
            for t in &e.tags {
                rows.push((keys::tag_entry(t, e.id), Vec::new()));
                TagUse::tally(&mut counts, t);
            }
        }
        self.bulk_put(TreeId::EntriesByTag, rows)?;
        let tags = self.tree(TreeId::Tags);
        for (lower, add) in counts {
            let current: Option<TagUse> = super::get(&*tags, TreeId::Tags, lower.as_bytes())?;
            let merged = match current {
                Some(c) => TagUse {
                    name: c.name,
                    count: c.count + add.count,
                },
                None => add,
            };
            tags.insert(lower.as_bytes(), codec::encode(&merged))?;
        }
        Ok(())
    }
}

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait TagsStore {
    /// Every tag in use, by name.
    fn tags(&self) -> Result<Vec<TagUse>, StoreError>;

    /// Ids of the entries carrying `tag`.
    fn entries_with_tag(&self, tag: &str) -> Result<Vec<EntryId>, StoreError>;
}

impl TagsStore for Store {
    fn tags(&self) -> Result<Vec<TagUse>, StoreError> {
        self.tree(TreeId::Tags)
            .iter()
            .map(|item| {
                let (k, v) = item?;
                codec::decode(TreeId::Tags, &k, &v)
            })
            .collect()
    }

    fn entries_with_tag(&self, tag: &str) -> Result<Vec<EntryId>, StoreError> {
        self.tree(TreeId::EntriesByTag)
            .scan_prefix(keys::tag_prefix(tag))
            .map(|item| {
                let (k, _) = item?;
                let tail: [u8; 16] = k[k.len().saturating_sub(16)..]
                    .try_into()
                    .map_err(|_| StoreError::corrupt("entries_by_tag", &k, "key too short"))?;
                Ok(EntryId::from_bytes(tail))
            })
            .collect()
    }
}

impl Tx<'_> {
    /// Moves `old`'s tags to `new`'s in the index and the counts (either may be absent).
    pub(super) fn retag(&self, old: Option<&Entry>, new: Option<&Entry>) -> Result<(), Abort> {
        let has = |e: Option<&Entry>, t: &str| {
            e.is_some_and(|e| e.tags.iter().any(|x| x.eq_ignore_ascii_case(t)))
        };
        if let Some(o) = old {
            for t in o.tags.iter().filter(|t| !has(new, t)) {
                self.t(TreeId::EntriesByTag)
                    .remove(keys::tag_entry(t, o.id))?;
                self.count_tag(t, -1)?;
            }
        }
        if let Some(n) = new {
            for t in n.tags.iter().filter(|t| !has(old, t)) {
                self.t(TreeId::EntriesByTag)
                    .insert(keys::tag_entry(t, n.id), &[])?;
                self.count_tag(t, 1)?;
            }
        }
        Ok(())
    }

    fn count_tag(&self, name: &str, delta: i64) -> Result<(), Abort> {
        let key = keys::tag(name);
        let current: Option<TagUse> = tx_get(self.t(TreeId::Tags), TreeId::Tags, &key)?;
        let mut t = current.unwrap_or(TagUse {
            name: name.to_owned(),
            count: 0,
        });
        t.count = (t.count as i64 + delta).max(0) as u64;
        if t.count == 0 {
            self.t(TreeId::Tags).remove(key)?;
        } else {
            self.t(TreeId::Tags).insert(key, codec::encode(&t))?;
        }
        Ok(())
    }
}
