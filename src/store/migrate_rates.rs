//! Migration 6: `entries_by_project`, and each project's rate history kept.
//!
//! Until schema 5 an entry carried the project's rate as it was when the entry was recorded,
//! and money came from that copy. From schema 6 money comes from the project's rate and its
//! dated rate changes (`domain::billing`). So that no entry changes its worth on upgrade, each
//! project's rate history is read off its entries, oldest first: the first entry's rate becomes
//! the project's rate, and each later change of rate becomes a rate change from the start of the
//! first entry that carried it. A project whose rate was changed after its last entry gets one
//! more change, from the moment of the migration, to the rate it has now.

use super::prelude::*;
use super::{migrate::set_version, Store, StoreError, TreeId};
use crate::domain::billing::{RateChange, RateScope};
use crate::domain::tracking::Project;

pub(super) fn run(store: &Store) -> Result<(), StoreError> {
    store.tree(TreeId::EntriesByProject).clear()?;
    let mut chunk = Vec::with_capacity(10_000);
    for item in store.tree(TreeId::EntriesByUserStart).iter() {
        let (k, v) = item?;
        chunk.push(super::entry_codec::decode(
            TreeId::EntriesByUserStart,
            &k,
            &v,
        )?);
        if chunk.len() == 10_000 {
            store.bulk_index_projects(&chunk)?;
            chunk.clear();
        }
    }
    store.bulk_index_projects(&chunk)?;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    for before in store.projects()? {
        let Some(after) = with_history(store, &before, now_ms)? else {
            continue;
        };
        store.write_unflushed(|tx| tx.put_project(Some(&before), &after))?;
    }
    set_version(store, 6, &[])
}

/// `p` with its rate history read off its entries, or `None` if nothing changes.
fn with_history(store: &Store, p: &Project, now_ms: i64) -> Result<Option<Project>, StoreError> {
    if !p.rates.is_empty() {
        return Ok(None); // written by schema 6 already (a run cut short)
    }
    let entries = store.scan_project(p.id, |_| true)?;
    let Some(first) = entries.first() else {
        return Ok(None);
    };
    let mut out = p.clone();
    out.rate_cents = first.rate_cents;
    let mut last = first.rate_cents;
    let change =
        |from_ms: i64, rate: Option<i64>, rates: &mut Vec<RateChange>| match rates.last_mut() {
            Some(c) if c.from_ms == from_ms => c.rate_cents = rate,
            _ => rates.push(RateChange {
                scope: RateScope::Project,
                from_ms,
                rate_cents: rate,
            }),
        };
    for e in &entries[1..] {
        if e.rate_cents != last {
            change(e.start_ms, e.rate_cents, &mut out.rates);
            last = e.rate_cents;
        }
    }
    if p.rate_cents != last {
        change(
            now_ms.max(entries[entries.len() - 1].start_ms + 1),
            p.rate_cents,
            &mut out.rates,
        );
    }
    if out.rates.len() > crate::domain::billing::MAX_RATE_CHANGES {
        tracing::warn!(
            project = %p.id,
            changes = out.rates.len(),
            "store migration 6: this project's entries carry more rate changes than a project may \
             have; they are all kept, and the next change of its rates must remove some"
        );
    }
    Ok((out != *p).then_some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tracking::Entry;
    use crate::domain::{EntryId, ProjectId, UserId};
    use crate::store::migrate::{current_version, LATEST_SCHEMA};

    fn project(rate: Option<i64>) -> Project {
        Project {
            id: ProjectId::from_bytes([7; 16]),
            name: "P".into(),
            client_id: None,
            color: "#2f6fde".into(),
            billable: true,
            rate_cents: rate,
            currency: "EUR".into(),
            members: vec![],
            managers: vec![],
            archived: false,
            created_at_ms: 0,
            rates: vec![],
            rounding: None,
            budget: None,
        }
    }

    fn entry(i: i64, rate: Option<i64>) -> Entry {
        Entry {
            id: EntryId::new(i),
            user_id: UserId::new(i % 2),
            project_id: ProjectId::from_bytes([7; 16]),
            task_id: None,
            tags: vec![],
            note: String::new(),
            start_ms: 1_000_000 + i * 1000,
            end_ms: Some(1_000_000 + i * 1000 + 500),
            billable: true,
            rate_cents: rate,
            currency: "EUR".into(),
            created_at_ms: 0,
            updated_at_ms: 0,
        }
    }

    /// A store left by schema 5 whose project's rate went 100 → 120 → 150 (after the last
    /// entry): every entry keeps its worth, and the index lists the project's entries.
    #[test]
    fn version_six_keeps_what_each_entry_was_worth_and_indexes_projects() {
        let dir = tempfile::tempdir().unwrap();
        let rates = [Some(100), Some(100), Some(120), Some(120)];
        let entries: Vec<Entry> = (0..4).map(|i| entry(i, rates[i as usize])).collect();
        {
            let store = Store::open(dir.path(), 0).unwrap();
            store.bulk_insert_entries(&entries).unwrap();
            store
                .write_unflushed(|tx| tx.put_project(None, &project(Some(150))))
                .unwrap();
            store.tree(TreeId::EntriesByProject).clear().unwrap();
            store
                .tree(TreeId::Meta)
                .insert(
                    super::super::trees::meta::SCHEMA_VERSION,
                    &5u32.to_be_bytes(),
                )
                .unwrap();
            store.engine().db.flush().unwrap();
        }
        let store = Store::open(dir.path(), 0).unwrap();
        assert_eq!(current_version(&store).unwrap(), LATEST_SCHEMA);
        let p = store
            .project(ProjectId::from_bytes([7; 16]))
            .unwrap()
            .unwrap();
        assert_eq!(p.rate_cents, Some(100));
        for e in &entries {
            assert_eq!(
                crate::domain::billing::rate_of(e, p.rate_cents, &p.rates),
                e.rate_cents
            );
        }
        assert_eq!(p.rates.len(), 2, "{:?}", p.rates);
        assert_eq!(
            p.rates[1].rate_cents,
            Some(150),
            "the rate it has now, from now on"
        );
        let listed = store
            .project_entries(ProjectId::from_bytes([7; 16]), |_| true)
            .unwrap();
        assert_eq!(listed, entries);
    }
}
