//! Time entries and the timer. Members change only their own entries on projects they belong
//! to; a project's managers may correct entries on it (audited); admins may change any; auditors
//! read only.

mod bulk;
mod confirm;
mod on_behalf;
mod once;
mod quickadd;
mod timer;
mod views;
pub use bulk::{BulkChange, MAX_BULK};
pub use once::Once;
pub use views::EntryView;

use crate::store::prelude::*;
use crate::store::DoneOutcome;
use serde_json::json;

use super::projects::project_not_found;
use super::{Actor, Entries, Result, ServiceError};
use crate::domain::codes;
use crate::domain::error::Validator;
use crate::domain::range;
use crate::domain::time::duration_secs;
use crate::domain::tracking::{self, Entry, Project};
use crate::domain::{EntryId, Permission, ProjectId, Role, TaskId, UserId};

/// The largest page of entries one request returns: a month of a busy person's time (50 entries
/// a working day is about 1,550) fits in one.
pub const MAX_PAGE: usize = 2000;

/// Fields of an entry; `None` means unchanged (or absent when creating).
#[derive(Debug, Clone, Default)]
pub struct EntryInput {
    pub project_id: Option<ProjectId>,
    /// `Some(None)` clears the task.
    pub task_id: Option<Option<TaskId>>,
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub note: Option<String>,
    pub tags: Option<Vec<String>>,
    pub billable: Option<bool>,
}

/// Which entries a listing holds, besides whose and when; every field optional, all combined.
#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    pub project: Option<ProjectId>,
    pub client: Option<crate::domain::ClientId>,
    pub task: Option<TaskId>,
    /// Entries carrying this tag (any letter case).
    pub tag: Option<String>,
    pub billable: Option<bool>,
    /// Text the note contains (any letter case).
    pub text: Option<String>,
    /// Entries whose note or task title refers to this ticket id (any letter case).
    pub ticket: Option<String>,
}

/// A page of entries, newest first.
pub struct EntryPage {
    pub items: Vec<Entry>,
    pub next: Option<(i64, EntryId)>,
    pub total_seconds: i64,
}

fn entry_not_found() -> ServiceError {
    ServiceError::NotFound {
        kind: "entry",
        code: codes::ENTRY_NOT_FOUND,
    }
}

impl Entries<'_> {
    /// A project `actor` may record time on now: visible, open, and (but for admins) joined.
    pub(super) fn trackable_project(&self, actor: &Actor, id: ProjectId) -> Result<Project> {
        actor.require(Permission::TrackTime)?;
        let p = self.store().project(id)?.ok_or_else(project_not_found)?;
        self.check_trackable(actor, &p)?;
        Ok(p)
    }

    /// Whether `actor` may record time on `p` now (the rule of [`Self::trackable_project`],
    /// also the project's `can.track`).
    pub(super) fn check_trackable(&self, actor: &Actor, p: &Project) -> Result<()> {
        actor.require(Permission::TrackTime)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        if actor.role != Some(Role::Admin) && !p.has_member(me) {
            return Err(ServiceError::Denied(codes::PROJECT_NOT_MEMBER));
        }
        self.check_open(p)
    }

    /// `project.archived` if `p` or its client is archived: it takes no new time.
    fn check_open(&self, p: &Project) -> Result<()> {
        let client_archived = p
            .client_id
            .and_then(|c| self.store().client(c).ok().flatten())
            .is_some_and(|c| c.archived);
        if p.archived || client_archived {
            return Err(ServiceError::Conflict(codes::PROJECT_ARCHIVED));
        }
        Ok(())
    }

    /// `task` if it belongs to `project` and is not archived, else `task.not_found`.
    fn task_on(&self, project: ProjectId, task: Option<TaskId>) -> Result<Option<TaskId>> {
        let Some(id) = task else { return Ok(None) };
        match self.store().task(id)? {
            Some(t) if t.project_id == project && !t.archived => Ok(Some(id)),
            _ => Err(ServiceError::NotFound {
                kind: "task",
                code: codes::TASK_NOT_FOUND,
            }),
        }
    }

    /// Whether `actor` may change `e`: its owner, the project's managers, or an admin.
    pub(super) fn may_change(&self, actor: &Actor, e: &Entry) -> Result<bool> {
        change_rule(
            actor,
            e,
            |u| self.privacy().is_restricted(u),
            |p, me| {
                Ok(self
                    .store()
                    .project(p)?
                    .is_some_and(|p| p.is_managed_by(me)))
            },
        )
    }

    /// Whether `actor` may read `e`.
    fn may_read(&self, actor: &Actor, e: &Entry) -> Result<bool> {
        if actor
            .role
            .is_some_and(|r| r.allows(Permission::ReadAllTime))
        {
            return Ok(true);
        }
        self.may_change(actor, e)
    }

    fn new_entry(
        &self,
        user: UserId,
        p: &Project,
        start_ms: i64,
        end_ms: Option<i64>,
        input: &EntryInput,
    ) -> Result<Entry> {
        let mut v = Validator::default();
        let note = v.check(tracking::text(
            "note",
            input.note.as_deref().unwrap_or(""),
            2000,
        ));
        let tags = v.check(tracking::tags(input.tags.as_deref().unwrap_or(&[])));
        let now = self.now();
        if let Some(end) = end_ms {
            v.check(range::finished(
                start_ms,
                end,
                now,
                &self.settings().tracking,
            ));
        }
        v.finish()?;
        Ok(Entry {
            id: EntryId::new(now),
            user_id: user,
            project_id: p.id,
            task_id: self.task_on(p.id, input.task_id.flatten())?,
            tags: tags.unwrap_or_default(),
            note: note.unwrap_or_default(),
            start_ms,
            end_ms,
            billable: input.billable.unwrap_or(p.billable),
            rate_cents: p.rate_cents,
            currency: p.currency.clone(),
            created_at_ms: now,
            updated_at_ms: now,
        })
    }

    /// Records a finished entry for `actor`; an unusual start must be confirmed
    /// ([`Self::create_confirmed`]). Roles: admin, manager, member (on their projects).
    pub async fn create(&self, actor: &Actor, input: EntryInput) -> Result<Entry> {
        self.create_confirmed(actor, input, false).await
    }

    /// [`Self::create`], with `confirmed` saying whether the person confirmed a start over a
    /// year ago or after tomorrow (`entry.needs_confirmation` otherwise).
    pub async fn create_confirmed(
        &self,
        actor: &Actor,
        input: EntryInput,
        confirmed: bool,
    ) -> Result<Entry> {
        self.create_claimed(actor, input, confirmed, None).await
    }

    /// [`Self::create_confirmed`], recording `claim` (an idempotency key) in its transaction.
    async fn create_claimed(
        &self,
        actor: &Actor,
        input: EntryInput,
        confirmed: bool,
        claim: Option<once::Claim>,
    ) -> Result<Entry> {
        let mut v = Validator::default();
        let missing =
            |f: &str| crate::domain::DomainError::field(f, "required", format!("{f} is required"));
        let project = v.check(input.project_id.ok_or_else(|| missing("project_id")));
        let start = v.check(input.start_ms.ok_or_else(|| missing("start")));
        let end = v.check(input.end_ms.ok_or_else(|| missing("end")));
        v.finish()?;
        let (Some(project), Some(start), Some(end)) = (project, start, end) else {
            return Err(entry_not_found());
        };
        let p = self.trackable_project(actor, project)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let e = self.new_entry(me, &p, start, Some(end), &input)?;
        if !confirmed {
            self.check_usual_start(actor, e.start_ms)?;
        }
        let ev = self.event(
            actor,
            "entry.created",
            Some(format!("entry:{}", e.id)),
            json!({ "entry": e }),
        );
        let new = e.clone();
        let tz = self.zone_of(actor)?;
        self.commit_queued(ev, move |tx| {
            super::weeks::enter(tx, &new, tz)?;
            tx.insert_entry(&new)?;
            once::record(&claim, tx, DoneOutcome::Created { entry: new.id })
        })
        .await?;
        Ok(e)
    }

    /// One entry `actor` may read.
    pub fn get(&self, actor: &Actor, id: EntryId) -> Result<Entry> {
        actor.require(Permission::ReadProjects)?;
        let e = self.store().entry(id)?.ok_or_else(entry_not_found)?;
        if !self.may_read(actor, &e)? {
            return Err(entry_not_found());
        }
        Ok(e)
    }

    /// Changes an entry; a start moved over a year back or after tomorrow must be confirmed
    /// ([`Self::update_confirmed`]). Roles: its owner, the project's managers, admin.
    pub async fn update(&self, actor: &Actor, id: EntryId, input: EntryInput) -> Result<Entry> {
        self.update_confirmed(actor, id, input, false).await
    }

    /// [`Self::update`], with `confirmed` as for [`Self::create_confirmed`].
    pub async fn update_confirmed(
        &self,
        actor: &Actor,
        id: EntryId,
        input: EntryInput,
        confirmed: bool,
    ) -> Result<Entry> {
        self.retrying(|| self.update_entry_once(actor, id, &input, confirmed))
            .await
    }

    async fn update_entry_once(
        &self,
        actor: &Actor,
        id: EntryId,
        input: &EntryInput,
        confirmed: bool,
    ) -> Result<Entry> {
        let e = self.get(actor, id)?;
        // Asked only of a start the range rule accepts (its own error comes first).
        let end = input.end_ms.or(e.end_ms);
        if let Some(start) = input.start_ms.filter(|s| !confirmed && *s != e.start_ms) {
            if range::entry(start, end, self.now(), &self.settings().tracking).is_ok() {
                self.check_usual_start(actor, start)?;
            }
        }
        self.change(actor, e, input).await
    }

    /// Applies `input` to `e`, as read by the caller; `Stale` if it changed since.
    pub(super) async fn change(
        &self,
        actor: &Actor,
        mut e: Entry,
        input: &EntryInput,
    ) -> Result<Entry> {
        let id = e.id;
        if !self.may_change(actor, &e)? {
            return Err(ServiceError::Forbidden);
        }
        let before = e.clone();
        if let Some(pid) = input.project_id.filter(|p| *p != e.project_id) {
            let p = self.trackable_project(actor, pid)?;
            e.project_id = p.id;
            e.rate_cents = p.rate_cents;
            e.currency = p.currency.clone();
        }
        if let Some(task) = input.task_id {
            e.task_id = self.task_on(e.project_id, task)?;
        } else if e.project_id != before.project_id {
            e.task_id = None;
        }
        let mut v = Validator::default();
        if let Some(n) = input
            .note
            .as_deref()
            .and_then(|n| v.check(tracking::text("note", n, 2000)))
        {
            e.note = n;
        }
        if let Some(t) = input
            .tags
            .as_deref()
            .and_then(|t| v.check(tracking::tags(t)))
        {
            e.tags = t;
        }
        e.start_ms = input.start_ms.unwrap_or(e.start_ms);
        if let Some(end) = input.end_ms {
            if e.end_ms.is_none() {
                return Err(crate::domain::DomainError::field(
                    "end",
                    "timer_running",
                    "stop the timer to set an end",
                )
                .into());
            }
            e.end_ms = Some(end);
        }
        if (e.start_ms, e.end_ms) != (before.start_ms, before.end_ms) {
            v.check(range::entry(
                e.start_ms,
                e.end_ms,
                self.now(),
                &self.settings().tracking,
            ));
        }
        v.finish()?;
        if let Some(b) = input.billable {
            e.billable = b;
        }
        if e == before {
            return Ok(e);
        }
        e.updated_at_ms = self.now();
        let ev = self.event(
            actor,
            "entry.updated",
            Some(format!("entry:{id}")),
            json!({ "before": before, "after": e }),
        );
        let after = e.clone();
        let tz = super::weeks::owner_zone(self, before.user_id)?;
        self.commit_queued(ev, move |tx| {
            // Out of the week it was in, and into the one it moves to: both must be open.
            super::weeks::enter(tx, &before, tz)?;
            super::weeks::enter(tx, &after, tz)?;
            tx.replace_entry(&before, &after)
        })
        .await?;
        Ok(e)
    }

    /// Roles: its owner, the project's managers, admin.
    pub async fn delete(&self, actor: &Actor, id: EntryId) -> Result<()> {
        self.retrying(|| self.delete_entry_once(actor, id)).await
    }

    async fn delete_entry_once(&self, actor: &Actor, id: EntryId) -> Result<()> {
        let e = self.get(actor, id)?;
        self.remove(actor, e).await
    }

    /// Deletes `e`, as read by the caller; `Stale` if it changed since.
    pub(super) async fn remove(&self, actor: &Actor, e: Entry) -> Result<()> {
        let id = e.id;
        if !self.may_change(actor, &e)? {
            return Err(ServiceError::Forbidden);
        }
        let ev = self.event(
            actor,
            "entry.deleted",
            Some(format!("entry:{id}")),
            json!({ "entry": e }),
        );
        let tz = super::weeks::owner_zone(self, e.user_id)?;
        self.commit_queued(ev, move |tx| {
            super::weeks::enter(tx, &e, tz)?;
            tx.remove_entry(&e)
        })
        .await?;
        Ok(())
    }

    /// `user`'s entries (default: the actor's) starting in `[from_ms, to_ms)`, newest first.
    /// Members read their own; managers also those on projects they manage; admins and
    /// auditors anyone's. Reading someone else's is recorded as `data.accessed` (once per ten
    /// minutes for the same range). Roles: any but client.
    #[allow(clippy::too_many_arguments)]
    pub async fn list(
        &self,
        actor: &Actor,
        user: Option<UserId>,
        from_ms: i64,
        to_ms: i64,
        filter: &EntryFilter,
        before: Option<(i64, EntryId)>,
        limit: usize,
    ) -> Result<EntryPage> {
        // A page of one's own entries is a short range scan; with a filter, or over someone
        // else's (a manager sees only their projects' rows), the walk may cover a person's
        // whole history to fill a page, so it leaves the worker threads (`offload.rs`).
        let own_page = user.is_none_or(|u| Some(u) == actor.user_id())
            && filter.project.is_none()
            && filter.client.is_none()
            && filter.task.is_none()
            && filter.tag.is_none()
            && filter.billable.is_none()
            && filter.text.is_none()
            && filter.ticket.is_none();
        let page = if own_page {
            self.page(actor, user, from_ms, to_ms, filter, before, limit)?
        } else {
            let (a, f) = (actor.clone(), filter.clone());
            self.off_runtime(move |s| {
                s.entries()
                    .page(&a, user, from_ms, to_ms, &f, before, limit)
            })
            .await?
        };
        // Someone else's entries are recorded as read when some were shown: a manager asking
        // for a person on none of their projects sees nothing, and reads nothing.
        let shown = !page.items.is_empty();
        if let Some(u) = user.filter(|u| shown && Some(*u) != actor.user_id()) {
            let what = super::audit::Read {
                what: "time entries",
                subjects: vec![u],
                count: page.items.len(),
                from_ms: Some(from_ms),
                to_ms: Some(to_ms),
            };
            self.audit().record_access(actor, what).await?;
        }
        Ok(page)
    }

    /// [`Self::list`] without recording the read (the caller's own entries).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn page(
        &self,
        actor: &Actor,
        user: Option<UserId>,
        from_ms: i64,
        to_ms: i64,
        filter: &EntryFilter,
        before: Option<(i64, EntryId)>,
        limit: usize,
    ) -> Result<EntryPage> {
        actor.require(Permission::ReadProjects)?;
        let me = actor.user_id();
        let user = user.or(me).ok_or(ServiceError::Unauthenticated)?;
        let reads_all = actor
            .role
            .is_some_and(|r| r.allows(Permission::ReadAllTime));
        let managed: Vec<ProjectId> = match (reads_all, me) {
            (false, Some(m)) if user != m => {
                // A manager: only the entries on the projects they manage.
                actor.require(Permission::ReadTeamTime)?;
                (self.managed_projects(m)?.into_iter())
                    .map(|p| p.id)
                    .collect()
            }
            _ => Vec::new(),
        };
        let others = !reads_all && Some(user) != me;
        // A restricted person's data is only stored: others do not see it in lists.
        if Some(user) != me && self.privacy().is_restricted(user)? {
            return Ok(EntryPage {
                items: Vec::new(),
                next: None,
                total_seconds: 0,
            });
        }
        let client_projects: Option<Vec<ProjectId>> = match filter.client {
            Some(c) => Some(
                self.store()
                    .projects()?
                    .into_iter()
                    .filter(|p| p.client_id == Some(c))
                    .map(|p| p.id)
                    .collect(),
            ),
            None => None,
        };
        let text = filter.text.as_ref().map(|t| t.to_lowercase());
        let titles = match filter.ticket {
            Some(_) => self.reports().task_titles()?,
            None => Default::default(),
        };
        let patterns = &self.settings().tickets;
        let (items, next) = self.store().user_entries(
            user,
            from_ms,
            to_ms,
            before,
            limit.clamp(1, MAX_PAGE),
            |e| {
                filter.project.is_none_or(|p| e.project_id == p)
                    && filter.task.is_none_or(|t| e.task_id == Some(t))
                    && client_projects
                        .as_ref()
                        .is_none_or(|ps| ps.contains(&e.project_id))
                    && filter
                        .tag
                        .as_ref()
                        .is_none_or(|t| e.tags.iter().any(|x| x.eq_ignore_ascii_case(t)))
                    && filter.billable.is_none_or(|b| e.billable == b)
                    && text
                        .as_ref()
                        .is_none_or(|t| e.note.to_lowercase().contains(t.as_str()))
                    && filter.ticket.as_ref().is_none_or(|t| {
                        (super::reports::ticket_ids(patterns, e, &titles).iter())
                            .any(|x| x.eq_ignore_ascii_case(t))
                    })
                    && (!others || managed.contains(&e.project_id))
            },
        )?;
        let now = self.now();
        let total_seconds = items
            .iter()
            .map(|e| duration_secs(e.start_ms, e.end_ms.unwrap_or(now)))
            .sum();
        Ok(EntryPage {
            items,
            next,
            total_seconds,
        })
    }
}

/// Whether `actor` may change `e`: the rule every change of an entry checks. `restricted`
/// and `manages` are asked only when the answer depends on them (so a person's own entries
/// cost no read).
fn change_rule(
    actor: &Actor,
    e: &Entry,
    restricted: impl FnOnce(UserId) -> Result<bool>,
    manages: impl FnOnce(ProjectId, UserId) -> Result<bool>,
) -> Result<bool> {
    // Restriction: a person's entries are only stored; others may not process them.
    if actor.user_id() != Some(e.user_id) && restricted(e.user_id)? {
        return Err(ServiceError::Conflict(codes::PRIVACY_RESTRICTED));
    }
    let Some(me) = actor.user_id() else {
        return Ok(actor.role == Some(Role::Admin));
    };
    Ok(match actor.role {
        Some(Role::Admin) => true,
        Some(Role::Manager | Role::Member) if e.user_id == me => true,
        Some(Role::Manager) => manages(e.project_id, me)?,
        _ => false,
    })
}

/// What the caller may do with one entry: the `can` of an entry in the API, so the web UI
/// never re-derives the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EntryPermissions {
    pub edit: bool,
    pub delete: bool,
}
