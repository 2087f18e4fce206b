//! Bulk changes to entries: add or remove tags, or move them to another project, all in one
//! transaction (all or nothing), each entry audited on its own.

use crate::store::prelude::*;
use serde_json::json;

use crate::domain::tracking::{self, Entry};
use crate::domain::{EntryId, FieldError, ProjectId};
use crate::service::{Actor, Entries, Result, ServiceError};

/// What to change on every listed entry.
#[derive(Debug, Clone, Default)]
pub struct BulkChange {
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    pub project_id: Option<ProjectId>,
}

/// Most entries one bulk request may change.
pub const MAX_BULK: usize = 500;

impl Entries<'_> {
    /// Applies `change` to every entry in `ids`, or to none if any may not be changed.
    /// Roles: per entry, as for editing it (owner, the project's managers, admin).
    pub async fn bulk_update(
        &self,
        actor: &Actor,
        ids: &[EntryId],
        change: BulkChange,
    ) -> Result<Vec<Entry>> {
        if ids.is_empty() || ids.len() > MAX_BULK {
            return Err(ServiceError::Invalid(vec![FieldError::new(
                "ids",
                "out_of_range",
                format!("send 1 to {MAX_BULK} entry ids"),
            )]));
        }
        // The same id twice would be changed twice from one read.
        let mut seen = std::collections::HashSet::new();
        let ids: Vec<EntryId> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
        let ids = ids.as_slice();
        let add = tracking::tags(&change.add_tags)?;
        let remove = tracking::tags(&change.remove_tags)?;
        self.retrying(|| self.bulk_update_once(actor, ids, &change, &add, &remove))
            .await
    }

    /// One attempt of [`Self::bulk_update`]: reads every entry, computes, and writes them back
    /// only if none changed since it read them.
    async fn bulk_update_once(
        &self,
        actor: &Actor,
        ids: &[EntryId],
        change: &BulkChange,
        add: &[String],
        remove: &[String],
    ) -> Result<Vec<Entry>> {
        let project = match change.project_id {
            Some(p) => Some(self.trackable_project(actor, p)?),
            None => None,
        };
        let now = self.now();
        let mut befores = Vec::with_capacity(ids.len());
        let mut updated = Vec::with_capacity(ids.len());
        let mut events = Vec::with_capacity(ids.len());
        for id in ids {
            let before = self.get(actor, *id)?;
            if !self.may_change(actor, &before)? {
                return Err(ServiceError::Forbidden);
            }
            let mut e = before.clone();
            e.tags
                .retain(|t| !remove.iter().any(|r| r.eq_ignore_ascii_case(t)));
            for t in add {
                if !e.tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                    e.tags.push(t.clone());
                }
            }
            e.tags = tracking::tags(&e.tags)?;
            if let Some(p) = &project {
                if e.project_id != p.id {
                    e.project_id = p.id;
                    e.task_id = None;
                    e.rate_cents = p.rate_cents;
                    e.currency = p.currency.clone();
                }
            }
            if e == before {
                continue;
            }
            e.updated_at_ms = now;
            events.push(self.event(
                actor,
                "entry.updated",
                Some(format!("entry:{id}")),
                json!({ "before": before, "after": e, "bulk": true }),
            ));
            updated.push(e);
            befores.push(before);
        }
        let mut zones = std::collections::BTreeMap::new();
        for b in &befores {
            if let std::collections::btree_map::Entry::Vacant(slot) = zones.entry(b.user_id) {
                slot.insert(crate::service::weeks::owner_zone(self, b.user_id)?);
            }
        }
        self.store()
            .write(|tx| {
                for ((before, e), ev) in befores.iter().zip(&updated).zip(&events) {
                    let tz = zones[&before.user_id];
                    crate::service::weeks::enter(tx, before, tz)?;
                    crate::service::weeks::enter(tx, e, tz)?;
                    tx.replace_entry(before, e)?;
                    tx.append_audit(ev)?;
                }
                Ok(())
            })
            .await?;
        Ok(updated)
    }
}
