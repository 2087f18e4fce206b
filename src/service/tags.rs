//! Team-wide tags: list them with their use, rename one, or merge it into another (a rename to
//! a name in use).

use serde_json::json;

use super::{Actor, Result, ServiceError, Services};
use crate::domain::tracking;
use crate::domain::Permission;
use crate::store::TagUse;

/// Entries rewritten per transaction during a rename.
const CHUNK: usize = 1000;

impl Services {
    /// Every tag in use with how many entries carry it. Roles: any but client.
    pub fn list_tags(&self, actor: &Actor) -> Result<Vec<TagUse>> {
        actor.require(Permission::ReadProjects)?;
        let mut tags = self.store().tags()?;
        tags.sort_by_key(|t| t.name.to_lowercase());
        Ok(tags)
    }

    /// Renames `from` to `to` on every entry; when `to` is in use already, the two merge.
    /// Returns how many entries changed. Roles: admin, manager.
    pub async fn rename_tag(&self, actor: &Actor, from: &str, to: &str) -> Result<usize> {
        actor.require(Permission::ManageProjects)?;
        let from = from.trim().trim_start_matches('#').to_owned();
        let to = tracking::tags(&[to.to_owned()])
            .map_err(|mut e| {
                // The one name checked here is the request's `to`.
                for f in &mut e.0 {
                    f.field = "to".into();
                }
                e
            })?
            .pop()
            .ok_or_else(|| {
                ServiceError::Invalid(vec![crate::domain::FieldError::new(
                    "to",
                    "required",
                    "the new name is required",
                )])
            })?;
        let ids = self.store().entries_with_tag(&from)?;
        if ids.is_empty() {
            return Err(ServiceError::NotFound {
                kind: "tag",
                code: "tag.not_found",
            });
        }
        let now = self.now();
        let mut changed = 0;
        let chunks: Vec<_> = ids.chunks(CHUNK).collect();
        let merged_into_existing = self
            .store()
            .tags()?
            .iter()
            .any(|t| t.name.eq_ignore_ascii_case(&to) && !t.name.eq_ignore_ascii_case(&from));
        for (i, chunk) in chunks.iter().enumerate() {
            let mut entries = Vec::with_capacity(chunk.len());
            for id in chunk.iter() {
                let Some(mut e) = self.store().entry(*id)? else {
                    continue;
                };
                let replaced: Vec<String> = e
                    .tags
                    .iter()
                    .map(|t| {
                        if t.eq_ignore_ascii_case(&from) {
                            to.clone()
                        } else {
                            t.clone()
                        }
                    })
                    .collect();
                e.tags = tracking::tags(&replaced)?;
                e.updated_at_ms = now;
                entries.push(e);
            }
            changed += entries.len();
            // Each chunk is its own transaction, so each carries its own audit record: a rename
            // cut short by a failure leaves every changed entry accounted for.
            let ev = self.event(
                actor,
                "tag.renamed",
                Some(format!("tag:{from}")),
                json!({ "from": from, "to": to, "entries": entries.len(), "total_entries": ids.len(),
                        "part": i + 1, "parts": chunks.len(), "merged": merged_into_existing }),
            );
            self.store()
                .write(|tx| {
                    for e in &entries {
                        tx.put_entry(e)?;
                    }
                    tx.append_audit(&ev)?;
                    Ok(())
                })
                .await?;
        }
        Ok(changed)
    }
}
