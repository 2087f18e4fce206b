//! Tags, scoped like the entries that carry them: list the tags on entries the caller may see
//! with their use, rename one on the entries the caller may change, or merge it into another (a
//! rename to a name in use).
//!
//! "Team-wide" means: admins and auditors see every tag on the instance; a manager sees the tags
//! on their own entries and on the entries of their projects' members on the projects they
//! manage; a member sees the tags on their own entries. A rename touches only entries its caller
//! may change (their own, those on projects they manage, any for an admin) and never a
//! restricted person's (except the person's own).

use crate::store::prelude::*;
use std::collections::{BTreeMap, HashSet};

use serde_json::json;

use super::{Actor, Result, ServiceError, Tags};
use crate::domain::codes;
use crate::domain::tracking::{self, Entry, Project};
use crate::domain::{EntryId, Permission, ProjectId, UserId};
use crate::store::TagUse;

/// Entries rewritten per transaction during a rename.
const CHUNK: usize = 1000;

impl Tags<'_> {
    /// The tags on entries `actor` may see, with how many of those entries carry each.
    /// Roles: any but client.
    pub async fn list(&self, actor: &Actor) -> Result<Vec<TagUse>> {
        actor.require(Permission::ReadProjects)?;
        let mut tags = if actor
            .role
            .is_some_and(|r| r.allows(Permission::ReadAllTime))
        {
            self.store().tags()?
        } else {
            // Walks every entry of the people the caller sees: off the worker threads.
            let a = actor.clone();
            self.off_runtime(move |s| s.tags().visible_tags(&a)).await?
        };
        tags.sort_by_key(|t| t.name.to_lowercase());
        Ok(tags)
    }

    /// Counts the tags on a member's own entries, and for a manager also on the entries of
    /// their projects' members on the projects they manage (restricted people's left out).
    fn visible_tags(&self, actor: &Actor) -> Result<Vec<TagUse>> {
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let managed: Vec<Project> = if actor.allows(Permission::ReadTeamTime) {
            self.managed_projects(me)?
        } else {
            Vec::new()
        };
        let mut people: Vec<UserId> = vec![me];
        for p in &managed {
            people.extend(p.members.iter().chain(&p.managers).copied());
        }
        let managed: Vec<ProjectId> = managed.iter().map(|p| p.id).collect();
        let mut seen = HashSet::new();
        people.retain(|u| seen.insert(*u));
        let mut counts: BTreeMap<String, TagUse> = BTreeMap::new();
        for user in people {
            if user != me && self.privacy().is_restricted(user)? {
                continue;
            }
            let mut before = None;
            loop {
                let (page, next) =
                    self.store()
                        .user_entries(user, i64::MIN, i64::MAX, before, 1000, |e| {
                            !e.tags.is_empty() && (user == me || managed.contains(&e.project_id))
                        })?;
                for t in page.iter().flat_map(|e| &e.tags) {
                    TagUse::tally(&mut counts, t);
                }
                match next {
                    Some(n) => before = Some(n),
                    None => break,
                }
            }
        }
        // Show each tag as the instance spells it (its first use), as the full list does.
        let spelled: std::collections::HashMap<String, String> = self
            .store()
            .tags()?
            .into_iter()
            .map(|t| (t.name.to_lowercase(), t.name))
            .collect();
        Ok(counts
            .into_iter()
            .map(|(lower, mut t)| {
                if let Some(name) = spelled.get(&lower) {
                    t.name.clone_from(name);
                }
                t
            })
            .collect())
    }

    /// Whether `actor` may change `e` in a sweep over many entries: as for editing it, and a
    /// restricted person's entries are skipped rather than refused.
    fn may_sweep(&self, actor: &Actor, e: &Entry) -> Result<bool> {
        match self.entries().may_change(actor, e) {
            Err(ServiceError::Conflict(codes::PRIVACY_RESTRICTED)) => Ok(false),
            other => other,
        }
    }

    /// Renames `from` to `to` on every entry `actor` may change; when `to` is in use already,
    /// the two merge. Returns how many entries changed. Roles: admin, manager.
    pub async fn rename(&self, actor: &Actor, from: &str, to: &str) -> Result<usize> {
        check_renames(actor)?;
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
        // Every entry carrying the tag, read one by one: off the worker threads.
        let (a, tag) = (actor.clone(), from.clone());
        let ids = self
            .off_runtime(move |s| {
                let mut ids = Vec::new();
                for id in s.store().entries_with_tag(&tag)? {
                    if let Some(e) = s.store().entry(id)? {
                        if s.tags().may_sweep(&a, &e)? {
                            ids.push(id);
                        }
                    }
                }
                Ok(ids)
            })
            .await?;
        if ids.is_empty() {
            return Err(ServiceError::NotFound {
                kind: "tag",
                code: codes::TAG_NOT_FOUND,
            });
        }
        let merged_into_existing = self
            .store()
            .tags()?
            .iter()
            .any(|t| t.name.eq_ignore_ascii_case(&to) && !t.name.eq_ignore_ascii_case(&from));
        let chunks: Vec<_> = ids.chunks(CHUNK).collect();
        let mut changed = 0;
        for (i, chunk) in chunks.iter().enumerate() {
            let part = Part {
                from: &from,
                to: &to,
                total: ids.len(),
                index: i + 1,
                parts: chunks.len(),
                merged: merged_into_existing,
            };
            changed += self
                .retrying(|| self.rename_chunk(actor, chunk, &part))
                .await?;
        }
        Ok(changed)
    }

    /// One transaction of a rename: re-reads the chunk's entries, keeps those that still carry
    /// the tag and that `actor` may still change, and writes them only if none changed since.
    async fn rename_chunk(
        &self,
        actor: &Actor,
        chunk: &[EntryId],
        part: &Part<'_>,
    ) -> Result<usize> {
        let now = self.now();
        let mut changes = Vec::with_capacity(chunk.len());
        for id in chunk {
            let Some(before) = self.store().entry(*id)? else {
                continue;
            };
            if !before
                .tags
                .iter()
                .any(|t| t.eq_ignore_ascii_case(part.from))
                || !self.may_sweep(actor, &before)?
            {
                continue;
            }
            let replaced: Vec<String> = before
                .tags
                .iter()
                .map(|t| {
                    if t.eq_ignore_ascii_case(part.from) {
                        part.to.to_owned()
                    } else {
                        t.clone()
                    }
                })
                .collect();
            let mut after = before.clone();
            after.tags = tracking::tags(&replaced)?;
            after.updated_at_ms = now;
            changes.push((before, after));
        }
        // Each chunk is its own transaction, so each carries its own audit record: a rename
        // cut short by a failure leaves every changed entry accounted for.
        let ev = self.event(
            actor,
            "tag.renamed",
            Some(format!("tag:{}", part.from)),
            json!({ "from": part.from, "to": part.to, "entries": changes.len(),
                    "total_entries": part.total, "part": part.index, "parts": part.parts,
                    "merged": part.merged }),
        );
        self.store()
            .write(|tx| {
                for (before, after) in &changes {
                    tx.replace_entry(before, after)?;
                }
                tx.append_audit(&ev)?;
                Ok(())
            })
            .await?;
        Ok(changes.len())
    }
}

/// Which part of a rename a chunk is, for its audit record.
struct Part<'a> {
    from: &'a str,
    to: &'a str,
    total: usize,
    index: usize,
    parts: usize,
    merged: bool,
}

/// Whether `actor` may rename tags at all: admins and managers (a rename then touches only the
/// entries they may change).
fn check_renames(actor: &Actor) -> Result<()> {
    actor.require(Permission::ManageProjects)
}

/// What the caller may do with one listed tag: the `can` of a tag in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TagPermissions {
    pub rename: bool,
}

impl Tags<'_> {
    /// What `actor` may do with a tag [`Self::list`] listed for them, by the check
    /// [`Self::rename`] makes. The list holds, for a manager, only tags on entries they may
    /// change; an admin's holds every tag, and one carried only by entries of people whose
    /// processing is restricted answers `rename` yet renames nothing (`tag.not_found`).
    pub fn permissions(&self, actor: &Actor, _tag: &TagUse) -> Result<TagPermissions> {
        Ok(TagPermissions {
            rename: super::error::granted(check_renames(actor))?,
        })
    }
}
