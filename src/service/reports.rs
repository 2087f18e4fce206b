//! Reports: the time the caller may see, summed over local dates and grouped
//! (`domain::report`), with the names of what each row stands for.
//!
//! Who sees what, as in the entries list: members their own time; managers their own and
//! everyone's on the projects they manage; admins and auditors everyone's. A person whose
//! processing is restricted is left out of others' reports. A report that shows other people's
//! time is recorded as a read of their data (`data.accessed`, the people it showed).

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use super::{Actor, Reports, Result, ServiceError};
use crate::domain::billing::Terms;
use crate::domain::report::{summarize_with, Dim, Report, Row, Tickets};
use crate::domain::tickets::Patterns;
use crate::domain::time::days_range;
use crate::domain::tracking::Entry;
use crate::domain::{ClientId, DomainError, Permission, ProjectId, TaskId, UserId};
use crate::store::prelude::*;

/// Each project's client, rates and rounding.
type TermsOf = HashMap<ProjectId, Terms>;

/// The longest range one report covers: a year and a day.
pub const MAX_DAYS: i64 = 366;

/// What a summary covers and how it is grouped; empty lists filter nothing.
#[derive(Debug, Clone, Default)]
pub struct SummaryQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub group: Vec<Dim>,
    pub users: Vec<UserId>,
    pub projects: Vec<ProjectId>,
    pub clients: Vec<ClientId>,
    /// Tag names, any letter case: an entry carrying one of them.
    pub tags: Vec<String>,
    pub billable: Option<bool>,
    /// Text the note contains, any letter case.
    pub text: Option<String>,
    /// Ticket ids, any letter case: an entry whose note or task title refers to one of them.
    pub tickets: Vec<String>,
}

/// What a row's key stands for, by name.
#[derive(Debug, Clone, Default)]
pub struct RowLabel {
    pub label: String,
    pub color: Option<String>,
}

/// A summary with its dates, zone and the names of its rows' keys.
pub struct Summary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub time_zone: String,
    pub group: Vec<Dim>,
    pub report: Report,
    /// Names by `(dim, id)` of every key in `report`.
    pub labels: HashMap<(Dim, Option<String>), RowLabel>,
    /// The projects in the report that have a budget, against it (at most [`MAX_BUDGETS`]).
    pub budgets: Vec<crate::service::BudgetStatus>,
    /// Entries with time in the range that overlap another of the same person's entries.
    pub overlapping_entries: usize,
}

/// The most budgets one report shows (each reads all of its project's time).
pub const MAX_BUDGETS: usize = 20;

impl Reports<'_> {
    /// The summary of the time `actor` may see. Roles: admin, manager, member, auditor.
    pub async fn summary(&self, actor: &Actor, q: SummaryQuery) -> Result<Summary> {
        actor.require(Permission::ReadProjects)?;
        let tz = self.zone_of(actor)?;
        let today = crate::domain::time::local_date(self.now(), tz);
        let (from, to) = range(q.from, q.to, today)?;
        let group = check_group(&q.group)?;
        let (entries, terms) = self
            .fetch(actor, &q, (from, to), tz, "time entries (report)")
            .await?;
        let tickets = if group.contains(&Dim::Ticket) {
            let (patterns, titles) = (&self.settings().tickets, self.task_titles()?);
            (entries.iter())
                .map(|e| (e.id, ticket_ids(patterns, e, &titles)))
                .collect()
        } else {
            Tickets::new()
        };
        let report = summarize_with(&entries, from, to, tz, self.now(), &group, &terms, &tickets);
        let labels = self.labels_of(&report.rows)?;
        // Entries that started before the range but end before it are read (one may reach in)
        // but are not in the report: their projects' budgets are not either.
        let (from_ms, to_ms) = days_range(from, to, tz);
        let in_report: BTreeSet<ProjectId> = (entries.iter())
            .filter(|e| e.start_ms < to_ms && e.end_ms.is_none_or(|end| end > from_ms))
            .map(|e| e.project_id)
            .collect();
        let mut budgets = Vec::new();
        for p in in_report {
            // A project the caller no longer sees (one they left) shows no budget.
            let seen = self.projects().visible(actor, p).ok();
            if seen.is_some_and(|p| p.budget.is_some()) && budgets.len() < MAX_BUDGETS {
                budgets.push(self.projects().budget_status(actor, p).await?);
            }
        }
        let overlapping_entries =
            (self.overlapping_in_range(actor, &q, &entries, (from, to), tz)).await?;
        Ok(Summary {
            budgets,
            from,
            to,
            time_zone: tz.name().to_owned(),
            group,
            report,
            labels,
            overlapping_entries,
        })
    }

    /// The entries with time in `from..=to` that `actor` may see and the query keeps, and every
    /// project's client (for grouping by client).
    pub(super) fn visible_entries(
        &self,
        actor: &Actor,
        me: UserId,
        (from, to): (NaiveDate, NaiveDate),
        tz: chrono_tz::Tz,
        q: &SummaryQuery,
    ) -> Result<(Vec<Entry>, TermsOf)> {
        let reads_all = actor
            .role
            .is_some_and(|r| r.allows(Permission::ReadAllTime));
        let team = actor
            .role
            .is_some_and(|r| r.allows(Permission::ReadTeamTime));
        // The whole list serves the terms below too.
        let projects = self.store().projects()?;
        let managed: BTreeSet<ProjectId> = (projects.iter())
            .filter(|p| p.is_managed_by(me))
            .map(|p| p.id)
            .collect();
        let people: Vec<UserId> = if reads_all || (team && !managed.is_empty()) {
            self.store()
                .all_users()?
                .into_iter()
                .map(|u| u.id)
                .collect()
        } else {
            vec![me]
        };
        let defaults = self.settings().billing;
        let terms: TermsOf = (projects.iter())
            .map(|p| (p.id, Terms::of(p, &defaults)))
            .collect();
        let tags: Vec<String> = q.tags.iter().map(|t| t.to_lowercase()).collect();
        let text = q.text.as_ref().map(|t| t.to_lowercase());
        let wanted: Vec<String> = q.tickets.iter().map(|t| t.to_lowercase()).collect();
        let titles = match wanted.is_empty() {
            true => HashMap::new(),
            false => self.task_titles()?,
        };
        let patterns = &self.settings().tickets;
        let keep = |e: &Entry| {
            (e.user_id == me || reads_all || managed.contains(&e.project_id))
                && (q.projects.is_empty() || q.projects.contains(&e.project_id))
                && (q.clients.is_empty()
                    || (terms.get(&e.project_id))
                        .and_then(|t| t.client)
                        .is_some_and(|c| q.clients.contains(&c)))
                && (tags.is_empty() || e.tags.iter().any(|t| tags.contains(&t.to_lowercase())))
                && q.billable.is_none_or(|b| e.billable == b)
                && text
                    .as_ref()
                    .is_none_or(|t| e.note.to_lowercase().contains(t.as_str()))
                && (wanted.is_empty()
                    || (ticket_ids(patterns, e, &titles).iter())
                        .any(|t| wanted.contains(&t.to_lowercase())))
        };
        // Entries that started up to the longest entry allowed before the range reach into it.
        let (from_ms, to_ms) = days_range(from, to, tz);
        let reach = self.settings().tracking.max_entry_ms;
        // Pages are kept apart and joined once at the end, at their total size: growing one
        // vector of a year's entries page by page copied it over and over.
        let mut pages: Vec<Vec<Entry>> = Vec::new();
        for user in people {
            if !q.users.is_empty() && !q.users.contains(&user) {
                continue;
            }
            if user != me && self.privacy().is_restricted(user)? {
                continue;
            }
            let mut before = None;
            loop {
                let (page, next) = self.store().user_entries(
                    user,
                    from_ms.saturating_sub(reach),
                    to_ms,
                    before,
                    2000,
                    keep,
                )?;
                pages.push(page);
                match next {
                    Some(n) => before = Some(n),
                    None => break,
                }
            }
        }
        let mut out = Vec::with_capacity(pages.iter().map(Vec::len).sum());
        for page in pages {
            out.extend(page);
        }
        Ok((out, terms))
    }

    /// The names of every key in `rows` (and their inner rows); the client portal's too.
    pub(super) fn labels_of(
        &self,
        rows: &[Row],
    ) -> Result<HashMap<(Dim, Option<String>), RowLabel>> {
        let mut cache = self.labels().cache();
        let mut out = HashMap::new();
        let mut stack: Vec<&Row> = rows.iter().collect();
        while let Some(row) = stack.pop() {
            stack.extend(row.rows.iter());
            let k = (row.key.dim, row.key.id.clone());
            if out.contains_key(&k) {
                continue;
            }
            let id = row.key.id.as_deref();
            let none = |what: &str| RowLabel {
                label: format!("(no {what})"),
                color: None,
            };
            let plain = |s: &str| RowLabel {
                label: s.to_owned(),
                color: None,
            };
            let label = match (row.key.dim, id) {
                (Dim::Client, None) => none("client"),
                (Dim::Task, None) => none("task"),
                (Dim::Tag, None) => none("tag"),
                (Dim::Ticket, None) => none("ticket"),
                (Dim::Project, Some(id)) => match cache.project(parse(id)?)? {
                    Some(p) => RowLabel {
                        label: p.name.clone(),
                        color: Some(p.color.clone()),
                    },
                    None => plain("(deleted project)"),
                },
                (Dim::Client, Some(id)) => {
                    plain(&cache.client_name(parse(id)?)?.unwrap_or_default())
                }
                (Dim::Task, Some(id)) => plain(&cache.task_title(parse(id)?)?.unwrap_or_default()),
                (Dim::User, Some(id)) => plain(
                    &cache
                        .user_name(parse(id)?)?
                        .unwrap_or_else(|| "(erased)".into()),
                ),
                (_, Some(id)) => plain(id),
                (_, None) => plain(""),
            };
            out.insert(k, label);
        }
        Ok(out)
    }
}

impl Reports<'_> {
    /// Every task's title, for the tickets they refer to.
    pub(super) fn task_titles(&self) -> Result<HashMap<TaskId, String>> {
        Ok((self.store().all_tasks()?.into_iter())
            .map(|t| (t.id, t.title))
            .collect())
    }
}

/// The ids of the tickets `e`'s note and its task's title refer to, each once.
pub(super) fn ticket_ids(
    patterns: &Patterns,
    e: &Entry,
    titles: &HashMap<TaskId, String>,
) -> Vec<String> {
    let title = e.task_id.and_then(|t| titles.get(&t)).map(String::as_str);
    patterns.ids([e.note.as_str()].into_iter().chain(title))
}

fn parse<T: std::str::FromStr>(id: &str) -> Result<T> {
    id.parse()
        .map_err(|_| ServiceError::Internal(anyhow::anyhow!("a report key is not an id: {id}")))
}

/// The range: `from..=to` (neither: this week, Monday first; one: that day), at most
/// [`MAX_DAYS`] long.
pub(super) fn range(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate)> {
    let (from, to) = match (from, to) {
        (None, None) => crate::domain::time::week_of(today).unwrap_or((today, today)),
        (Some(day), None) | (None, Some(day)) => (day, day),
        (Some(from), Some(to)) => (from, to),
    };
    if to < from {
        return Err(DomainError::field("to", "before_from", "to is before from").into());
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(DomainError::field(
            "to",
            "too_long",
            format!("a report covers at most {MAX_DAYS} days"),
        )
        .into());
    }
    Ok((from, to))
}

/// At most two groupings, none twice.
pub(super) fn check_group(group: &[Dim]) -> Result<Vec<Dim>> {
    let mut seen = BTreeSet::new();
    if group.len() > 2 || !group.iter().all(|d| seen.insert(*d)) {
        return Err(DomainError::field(
            "group",
            "invalid",
            "group by at most two of client, project, task, user, tag, ticket, day, week, month, each once",
        )
        .into());
    }
    Ok(group.to_vec())
}
