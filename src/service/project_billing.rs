//! What a project's time is worth and how much of its budget it has used: its rate changes
//! (set whole, from dates in the caller's time zone) and its budget and task estimates against
//! all of its time (`entries_by_project`, so only this project's entries are read).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Actor, Projects, Result, ServiceError};
use crate::domain::billing::{self, Budget, Limit, RateChange, RateScope, Terms, Use};
use crate::domain::report::{summarize, Dim};
use crate::domain::time::{day_start, local_date};
use crate::domain::tracking::{Project, Task};
use crate::domain::{DomainError, ProjectId, TaskId, UserId};
use crate::store::prelude::*;

/// A rate change as a caller writes it: from the start of a day in the caller's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateInput {
    pub scope: RateScope,
    pub from: NaiveDate,
    pub rate_cents: Option<i64>,
}

/// A project's time against its budget, and each estimated task's against its estimate.
#[derive(Debug, Clone)]
pub struct BudgetStatus {
    pub project: Project,
    pub tracked_seconds: i64,
    pub rounded_seconds: i64,
    /// The billed amount in the project's currency, minor units.
    pub amount_cents: i64,
    /// Against the budget's limit, if it has one.
    pub usage: Option<Use>,
    pub tasks: Vec<TaskUse>,
}

#[derive(Debug, Clone)]
pub struct TaskUse {
    pub task: Task,
    pub tracked_seconds: i64,
    /// Against the estimate, if it has one.
    pub usage: Option<Use>,
}

/// A rate change as the caller reads it: its day in the caller's time zone and the name of
/// the person or task it is for.
#[derive(Debug, Clone)]
pub struct RateView {
    pub change: RateChange,
    pub from: NaiveDate,
    pub label: Option<String>,
}

impl Projects<'_> {
    /// The project's rate changes, for those who may change them and for admins and auditors
    /// (a member's rate is not for the other members to read); `None` for anyone else.
    pub fn rate_views(&self, actor: &Actor, p: &Project) -> Result<Option<Vec<RateView>>> {
        let may = actor.allows(crate::domain::Permission::ReadAllProjects)
            || super::error::granted(super::projects::check_manages(actor, p))?;
        if !may {
            return Ok(None);
        }
        let tz = self.zone_of(actor)?;
        let mut names = self.labels().cache();
        let views = (p.rates.iter())
            .map(|c| {
                let label = match c.scope {
                    RateScope::Project => None,
                    RateScope::Member(u) => names.user_name(u)?,
                    RateScope::Task(t) => names.task_title(t)?,
                };
                Ok(RateView {
                    change: *c,
                    from: local_date(c.from_ms, tz),
                    label,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(views))
    }

    /// Replaces the project's rate changes. Roles: admin, the project's managers.
    pub async fn set_rates(
        &self,
        actor: &Actor,
        id: ProjectId,
        rates: Vec<RateInput>,
    ) -> Result<Project> {
        let tz = self.zone_of(actor)?;
        self.retrying(|| async {
            let mut p = self.visible(actor, id)?;
            super::projects::check_manages(actor, &p)?;
            let before = p.clone();
            let tasks = self.store().tasks_of(id)?;
            for r in &rates {
                match r.scope {
                    RateScope::Member(u) if !p.has_member(u) => {
                        return Err(DomainError::field(
                            "rates",
                            "not_member",
                            "a member's rate is for someone on the project",
                        )
                        .into())
                    }
                    RateScope::Task(t) if !tasks.iter().any(|x| x.id == t) => {
                        return Err(DomainError::field(
                            "rates",
                            "not_a_task",
                            "a task's rate is for one of the project's tasks",
                        )
                        .into())
                    }
                    _ => {}
                }
            }
            let changes = rates
                .iter()
                .map(|r| RateChange {
                    scope: r.scope,
                    from_ms: day_start(r.from, tz),
                    rate_cents: r.rate_cents,
                })
                .collect();
            p.rates = billing::rate_changes(changes)?;
            self.save_change(actor, &before, p).await
        })
        .await
    }

    /// The project's time, all of it, against its budget and its tasks' estimates, priced and
    /// rounded as reports do. Time of people restricted from processing counts only for
    /// themselves. Roles: anyone who may see the project.
    pub async fn budget_status(&self, actor: &Actor, id: ProjectId) -> Result<BudgetStatus> {
        let project = self.visible(actor, id)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let p = project.clone();
        let (entries, tasks) = self
            .off_runtime(move |s| {
                let mut restricted: HashMap<UserId, bool> = HashMap::new();
                let all = s.store().project_entries(id, |_| true)?;
                let mut kept = Vec::with_capacity(all.len());
                for e in all {
                    let r = match restricted.get(&e.user_id) {
                        Some(r) => *r,
                        None => {
                            let r = e.user_id != me && s.privacy().is_restricted(e.user_id)?;
                            restricted.insert(e.user_id, r);
                            r
                        }
                    };
                    if !r {
                        kept.push(e);
                    }
                }
                Ok((kept, s.store().tasks_of(p.id)?))
            })
            .await?;
        self.status_of(&project, &entries, tasks, actor)
    }

    /// `project`'s `entries` (all of its time) against its budget, and `tasks` against their
    /// estimates, in `actor`'s time zone.
    pub(super) fn status_of(
        &self,
        project: &Project,
        entries: &[crate::domain::tracking::Entry],
        tasks: Vec<Task>,
        actor: &Actor,
    ) -> Result<BudgetStatus> {
        let tz = self.zone_of(actor)?;
        let now = self.now();
        let defaults = self.settings().billing;
        let terms = HashMap::from([(project.id, Terms::of(project, &defaults))]);
        let (from, to) = span(entries, tz, now);
        let report = summarize(entries, from, to, tz, now, &[Dim::Task], &terms);
        let total = &report.total;
        let amount_cents = total.amounts.get(&project.currency).copied().unwrap_or(0);
        let usage = project.budget.map(|b: Budget| match b.limit {
            Limit::Seconds(s) => billing::usage(total.seconds, s, b.alert_percent),
            Limit::Cents(c) => billing::usage(amount_cents, c, b.alert_percent),
        });
        let by_task: HashMap<TaskId, i64> = (report.rows.iter())
            .filter_map(|r| Some((r.key.id.as_deref()?.parse().ok()?, r.sums.seconds)))
            .collect();
        let mut tasks: Vec<TaskUse> = (tasks.into_iter())
            .filter(|t| t.estimate_secs.is_some() || by_task.contains_key(&t.id))
            .map(|t| {
                let tracked = by_task.get(&t.id).copied().unwrap_or(0);
                TaskUse {
                    usage: (t.estimate_secs)
                        .map(|est| billing::usage(tracked, est, defaults.alert_percent)),
                    tracked_seconds: tracked,
                    task: t,
                }
            })
            .collect();
        tasks.sort_by_key(|t| (t.task.archived, std::cmp::Reverse(t.tracked_seconds)));
        Ok(BudgetStatus {
            tracked_seconds: total.seconds,
            rounded_seconds: total.rounded_seconds,
            amount_cents,
            usage,
            tasks,
            project: project.clone(),
        })
    }
}

/// The local days from the first entry's start to the last one's end (or now, while one runs).
fn span(
    entries: &[crate::domain::tracking::Entry],
    tz: chrono_tz::Tz,
    now: i64,
) -> (NaiveDate, NaiveDate) {
    let first = entries.iter().map(|e| e.start_ms).min().unwrap_or(now);
    let last = (entries.iter())
        .map(|e| e.end_ms.unwrap_or(now))
        .max()
        .unwrap_or(now);
    (local_date(first, tz), local_date(last.max(first), tz))
}
