//! Week approval: a person submits their week (Monday to Sunday in their own time zone); an
//! admin, or a manager of a project the person worked on that week, approves or rejects it
//! (a rejection says why); an approved or auto-locked week is locked until a manager or an
//! admin reopens it, for a reason. Every step is audited and kept in the week's history.
//!
//! The lock itself is enforced where entries are written (`lock.rs`, called by every write
//! path of `entries/`), inside the write's transaction. The queue of submitted weeks and the
//! missing-weeks view are in `queue.rs`; the auto-lock job in `lock.rs`.

mod lock;
mod queue;

pub use lock::LockRun;
pub use queue::MissingWeek;

pub(in crate::service) use lock::{enter, owner_zone, WeekLocks};

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use serde_json::json;

use super::{Actor, Result, ServiceError, Weeks};
use crate::domain::approval::{self, By, Refused, Week, WeekState};
use crate::domain::codes;
use crate::domain::time::{days_range, local_date, split_by_day, week_of};
use crate::domain::tracking::Entry;
use crate::domain::{DomainError, Permission, ProjectId, Role, UserId};
use crate::store::prelude::*;

/// The most weeks one listing covers (a little over a year).
pub const MAX_WEEKS: i64 = 60;

/// What the caller may do with one week: the `can` of a week in the API.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WeekPermissions {
    pub submit: bool,
    /// Approve or reject.
    pub decide: bool,
    pub reopen: bool,
}

/// One person's week as people see it: its state and history, and what it holds now.
#[derive(Debug, Clone)]
pub struct WeekView {
    pub week: Week,
    pub user_name: String,
    /// Seconds of the person's time inside the week now.
    pub total_secs: i64,
    /// Seconds per project, most first.
    pub projects: Vec<(ProjectId, i64)>,
    pub can: WeekPermissions,
}

/// The step a manager or an admin takes on a week.
#[derive(Debug, Clone)]
pub enum Decision {
    Approve { comment: Option<String> },
    Reject { comment: String },
    Reopen { reason: String },
}

impl Decision {
    fn action(&self) -> &'static str {
        match self {
            Decision::Approve { .. } => "week.approved",
            Decision::Reject { .. } => "week.rejected",
            Decision::Reopen { .. } => "week.reopened",
        }
    }
}

/// A refused transition as the API answers it: into a locked week is `week.locked` with the
/// week named; every other one a conflict with its code.
fn refused(monday: NaiveDate, r: Refused) -> ServiceError {
    if r.code == codes::WEEK_LOCKED {
        ServiceError::WeekLocked {
            monday,
            state: r.state.as_str(),
        }
    } else {
        ServiceError::Conflict(r.code)
    }
}

fn user_not_found() -> ServiceError {
    ServiceError::NotFound {
        kind: "user",
        code: codes::USER_NOT_FOUND,
    }
}

/// The Mondays of the first and last weeks a listing from `from` to `to` covers: 1 to
/// [`MAX_WEEKS`] weeks, `from` on or before `to`.
pub(in crate::service) fn listed_weeks(
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(NaiveDate, NaiveDate)> {
    let (first, last) = (monday_of(from)?, monday_of(to)?);
    if last < first || (last - first).num_days() / 7 >= MAX_WEEKS {
        return Err(DomainError::field(
            "to",
            "out_of_range",
            format!("a listing covers 1 to {MAX_WEEKS} weeks, from on or before to"),
        )
        .into());
    }
    Ok((first, last))
}

/// The Monday of the week containing `date`.
pub fn monday_of(date: NaiveDate) -> Result<NaiveDate> {
    week_of(date).map(|(m, _)| m).ok_or_else(|| {
        DomainError::field("date", "invalid_date", "that week is outside the calendar").into()
    })
}

/// Seconds inside the week of `monday` (in `tz`), in total and per project.
fn sums(entries: &[Entry], monday: NaiveDate, tz: Tz, now: i64) -> (i64, Vec<(ProjectId, i64)>) {
    let sunday = monday.checked_add_days(Days::new(6)).unwrap_or(monday);
    let mut per: BTreeMap<ProjectId, i64> = BTreeMap::new();
    for e in entries {
        for (d, secs) in split_by_day(e.start_ms, e.end_ms.unwrap_or(now), tz) {
            if (monday..=sunday).contains(&d) {
                *per.entry(e.project_id).or_default() += secs;
            }
        }
    }
    let total = per.values().sum();
    let mut projects: Vec<(ProjectId, i64)> = per.into_iter().filter(|(_, s)| *s > 0).collect();
    projects.sort_by_key(|(p, s)| (-s, *p));
    (total, projects)
}

impl Weeks<'_> {
    /// Whether people submit weeks here (`approval.enabled`).
    pub fn enabled(&self) -> bool {
        self.settings().approval.enabled
    }

    /// `approval.disabled` unless approval is on.
    fn require_enabled(&self) -> Result<()> {
        if self.enabled() {
            Ok(())
        } else {
            Err(ServiceError::Conflict(codes::APPROVAL_DISABLED))
        }
    }

    /// Locked weeks exist (approval, or the auto-lock job): reading weeks and reopening them
    /// make sense. `approval.disabled` otherwise.
    fn require_locking(&self) -> Result<()> {
        if self.enabled() || self.settings().approval.lock_after_days > 0 {
            Ok(())
        } else {
            Err(ServiceError::Conflict(codes::APPROVAL_DISABLED))
        }
    }

    /// What `/api/v1/me` adds to a caller's capabilities: `submit_weeks` (approval on, the
    /// caller tracks time) and `approve_weeks` (admins and managers, where weeks are approved or
    /// locked: the Approvals page).
    pub fn capabilities(&self, actor: &Actor) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.enabled() && actor.allows(Permission::TrackTime) {
            out.push("submit_weeks");
        }
        if self.require_locking().is_ok() && actor.allows(Permission::ManageProjects) {
            out.push("approve_weeks");
        }
        out
    }

    /// `user`'s entries that may have time in the week of `monday` (those starting from the
    /// day before, for one crossing midnight into it).
    fn entries_of_week(&self, user: UserId, monday: NaiveDate, tz: Tz) -> Result<Vec<Entry>> {
        let sunday = monday.checked_add_days(Days::new(6)).unwrap_or(monday);
        let (from, to) = days_range(monday.pred_opt().unwrap_or(monday), sunday, tz);
        let (items, _) = self
            .store()
            .user_entries(user, from, to, None, usize::MAX, |_| true)?;
        Ok(items)
    }

    /// The view of `w` for `actor`, from the entries of that week.
    fn view(&self, actor: &Actor, w: Week, name: &str, tz: Tz) -> Result<WeekView> {
        let entries = self.entries_of_week(w.user_id, w.monday, tz)?;
        let (total_secs, projects) = sums(&entries, w.monday, tz, self.now());
        let can = self.permissions(actor, &w, &entries)?;
        Ok(WeekView {
            week: w,
            user_name: name.to_owned(),
            total_secs,
            projects,
            can,
        })
    }

    fn permissions(&self, actor: &Actor, w: &Week, entries: &[Entry]) -> Result<WeekPermissions> {
        let own = actor.user_id() == Some(w.user_id);
        let may_decide = self.check_decider(actor, w.user_id, entries).is_ok();
        Ok(WeekPermissions {
            submit: own
                && self.enabled()
                && actor.allows(Permission::TrackTime)
                && matches!(w.state, WeekState::Open | WeekState::Rejected),
            decide: may_decide && self.enabled() && w.state == WeekState::Submitted,
            reopen: may_decide && w.state.is_locked(),
        })
    }

    /// Whether `actor` may approve, reject or reopen `user`'s week holding `entries`: an admin
    /// (their own week too), or a manager of a project with the person's time in it, but not
    /// for their own week.
    fn check_decider(&self, actor: &Actor, user: UserId, entries: &[Entry]) -> Result<()> {
        actor.require(Permission::ManageProjects)?;
        let me = actor.user_id();
        if actor.role == Some(Role::Admin) {
            return Ok(());
        }
        let me = me.ok_or(ServiceError::Forbidden)?;
        if me == user {
            return Err(ServiceError::Denied(codes::WEEK_OWN));
        }
        let managed: Vec<ProjectId> = (self.managed_projects(me)?.into_iter())
            .map(|p| p.id)
            .collect();
        if entries.iter().any(|e| managed.contains(&e.project_id)) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }

    /// Whether `actor` may read `user`'s weeks: themselves; admins and auditors anyone's;
    /// managers those of the people on the projects they manage.
    fn check_reader(&self, actor: &Actor, user: UserId) -> Result<()> {
        actor.require(Permission::ReadProjects)?;
        let me = actor.user_id();
        if me == Some(user) || actor.allows(Permission::ReadAllTime) {
            return Ok(());
        }
        actor.require(Permission::ReadTeamTime)?;
        let me = me.ok_or(ServiceError::Forbidden)?;
        let team =
            (self.store().projects()?.iter()).any(|p| p.is_managed_by(me) && p.has_member(user));
        if !team {
            return Err(ServiceError::Forbidden);
        }
        if self.privacy().is_restricted(user)? {
            return Err(ServiceError::Conflict(codes::PRIVACY_RESTRICTED));
        }
        Ok(())
    }

    /// The person's record, name and time zone.
    fn person(&self, user: UserId) -> Result<(String, Tz)> {
        let rec = self.store().user(user)?.ok_or_else(user_not_found)?;
        Ok((rec.user.name.as_str().to_owned(), rec.user.time_zone.tz()))
    }

    /// The caller's own week containing `date`, for the timesheet: its state whether or not
    /// approval is on (a week the auto-lock job locked is locked either way). Roles: admin,
    /// manager, member.
    pub fn own_week(&self, actor: &Actor, date: NaiveDate) -> Result<WeekView> {
        actor.require(Permission::TrackTime)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let (name, tz) = self.person(me)?;
        let monday = monday_of(date)?;
        let w = self
            .store()
            .week(me, monday)?
            .unwrap_or_else(|| Week::open(me, monday));
        self.view(actor, w, &name, tz)
    }

    /// `user`'s week containing `date`, for the timesheet of someone the caller may read (see
    /// [`Self::list`] for who). Roles: admin, manager, member (their own), auditor.
    pub fn person_week(&self, actor: &Actor, user: UserId, date: NaiveDate) -> Result<WeekView> {
        self.check_reader(actor, user)?;
        let (name, tz) = self.person(user)?;
        let monday = monday_of(date)?;
        let w = (self.store().week(user, monday)?).unwrap_or_else(|| Week::open(user, monday));
        self.view(actor, w, &name, tz)
    }

    /// `user`'s weeks (default: the caller's) from the week of `from` to the week of `to`,
    /// newest first, each with its state, history and total; a week never submitted is open.
    /// Reading someone else's is recorded as `data.accessed`. Roles: admin, manager (the people
    /// on their projects), member (their own), auditor.
    pub async fn list(
        &self,
        actor: &Actor,
        user: Option<UserId>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<WeekView>> {
        let me = actor.user_id();
        let user = user.or(me).ok_or(ServiceError::Unauthenticated)?;
        self.check_reader(actor, user)?;
        self.require_locking()?;
        let (first, last) = listed_weeks(from, to)?;
        let (name, tz) = self.person(user)?;
        let mut records: BTreeMap<NaiveDate, Week> = (self.store().weeks_of(user, first, last)?)
            .into_iter()
            .map(|w| (w.monday, w))
            .collect();
        let mut out = Vec::new();
        for monday in approval::mondays(first, last).into_iter().rev() {
            let w = records
                .remove(&monday)
                .unwrap_or_else(|| Week::open(user, monday));
            out.push(self.view(actor, w, &name, tz)?);
        }
        if Some(user) != me {
            let (from_ms, _) = days_range(first, first, tz);
            let (_, to_ms) = days_range(
                last,
                last.checked_add_days(Days::new(6)).unwrap_or(last),
                tz,
            );
            let what = super::audit::Read {
                what: "week approvals",
                subjects: vec![user],
                count: out.len(),
                from_ms: Some(from_ms),
                to_ms: Some(to_ms),
            };
            self.audit().record_access(actor, what).await?;
        }
        Ok(out)
    }

    /// Submits the caller's week containing `date`, with an optional note. Refused for a week
    /// that has not started, one with a running timer, and one submitted, approved or locked
    /// already. Roles: admin, manager, member.
    pub async fn submit(
        &self,
        actor: &Actor,
        date: NaiveDate,
        comment: Option<&str>,
    ) -> Result<WeekView> {
        actor.require(Permission::TrackTime)?;
        self.require_enabled()?;
        let comment = approval::comment("comment", comment, false)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let (name, tz) = self.person(me)?;
        let monday = monday_of(date)?;
        if monday > local_date(self.now(), tz) {
            return Err(ServiceError::Conflict(codes::WEEK_NOT_STARTED));
        }
        let w = self
            .retrying(|| async {
                let before = self.store().week(me, monday)?;
                let entries = self.entries_of_week(me, monday, tz)?;
                if entries.iter().any(|e| e.end_ms.is_none()) {
                    return Err(ServiceError::Conflict(codes::WEEK_TIMER_RUNNING));
                }
                let (total, _) = sums(&entries, monday, tz, self.now());
                let by = actor.audit_name();
                let step = By {
                    by: &by,
                    at_ms: self.now(),
                    total_secs: total,
                };
                let after = approval::submit(me, monday, before.as_ref(), step, comment.clone())
                    .map_err(|r| refused(monday, r))?;
                let ev = self.event(
                    actor,
                    "week.submitted",
                    Some(format!("user:{me}")),
                    json!({ "week": monday, "total_secs": total, "comment": comment }),
                );
                self.commit(&ev, |tx| tx.put_week(before.as_ref(), &after))
                    .await?;
                Ok(after)
            })
            .await?;
        self.view(actor, w, &name, tz)
    }

    /// Approves, rejects (with a comment) or reopens (with a reason) `user`'s week containing
    /// `date`. The decision and the week's total are written only if no entry of that week
    /// changed since they were read (the week's revision); a second manager deciding at the same
    /// time finds the week decided: `week.not_submitted`. Roles: admin, manager (of a project
    /// with the person's time that week; never their own week).
    pub async fn decide(
        &self,
        actor: &Actor,
        user: UserId,
        date: NaiveDate,
        decision: Decision,
    ) -> Result<WeekView> {
        actor.require(Permission::ManageProjects)?;
        match &decision {
            Decision::Reopen { .. } => self.require_locking()?,
            _ => self.require_enabled()?,
        }
        let decision = match decision {
            Decision::Approve { comment } => Decision::Approve {
                comment: approval::comment("comment", comment.as_deref(), false)?,
            },
            Decision::Reject { comment } => Decision::Reject {
                comment: approval::comment("comment", Some(&comment), true)?.unwrap_or_default(),
            },
            Decision::Reopen { reason } => Decision::Reopen {
                reason: approval::comment("reason", Some(&reason), true)?.unwrap_or_default(),
            },
        };
        let (name, tz) = self.person(user)?;
        let monday = monday_of(date)?;
        let w = self
            .retrying(|| self.decide_once(actor, user, monday, tz, &decision))
            .await?;
        self.view(actor, w, &name, tz)
    }

    async fn decide_once(
        &self,
        actor: &Actor,
        user: UserId,
        monday: NaiveDate,
        tz: Tz,
        decision: &Decision,
    ) -> Result<Week> {
        // The record first: an entry written after this read raises its revision, and the
        // write below then finds it changed (`Stale`) and starts over.
        let before = self.store().week(user, monday)?;
        let entries = self.entries_of_week(user, monday, tz)?;
        self.check_decider(actor, user, &entries)?;
        if actor.user_id() != Some(user) && self.privacy().is_restricted(user)? {
            return Err(ServiceError::Conflict(codes::PRIVACY_RESTRICTED));
        }
        let (total, _) = sums(&entries, monday, tz, self.now());
        let by = actor.audit_name();
        let step = By {
            by: &by,
            at_ms: self.now(),
            total_secs: total,
        };
        let after = match decision {
            Decision::Approve { comment } => {
                if entries.iter().any(|e| e.end_ms.is_none()) {
                    return Err(ServiceError::Conflict(codes::WEEK_TIMER_RUNNING));
                }
                approval::approve(before.as_ref(), step, comment.clone())
            }
            Decision::Reject { comment } => {
                approval::reject(before.as_ref(), step, comment.clone())
            }
            Decision::Reopen { reason } => approval::reopen(before.as_ref(), step, reason.clone()),
        }
        .map_err(|r| refused(monday, r))?;
        let comment = after.last_step().and_then(|s| s.comment.clone());
        let ev = self.event(
            actor,
            decision.action(),
            Some(format!("user:{user}")),
            json!({ "week": monday, "total_secs": total, "comment": comment }),
        );
        // The person hears of it by e-mail (unless they decided their own week).
        let mail = match decision {
            Decision::Approve { .. } | Decision::Reject { .. } if actor.user_id() != Some(user) => {
                self.mail().week_decision(
                    user,
                    matches!(decision, Decision::Approve { .. }),
                    monday,
                    &by,
                    comment.as_deref(),
                )?
            }
            _ => None,
        };
        self.commit(&ev, |tx| {
            tx.put_week(before.as_ref(), &after)?;
            mail.as_ref().map_or(Ok(()), |m| tx.put_outbox(m))
        })
        .await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::EntryId;

    #[test]
    fn a_week_sums_only_its_own_days_per_project() {
        let tz = chrono_tz::UTC;
        let monday: NaiveDate = "2026-11-30".parse().unwrap();
        let at = |d: &str, h: u32| {
            crate::domain::time::local_instant(
                d.parse().unwrap(),
                chrono::NaiveTime::from_hms_opt(h, 0, 0).unwrap(),
                tz,
            )
        };
        let entry = |p: u8, start: i64, end: i64| Entry {
            id: EntryId::new(start),
            user_id: UserId::from_bytes([1; 16]),
            project_id: ProjectId::from_bytes([p; 16]),
            task_id: None,
            tags: vec![],
            note: String::new(),
            start_ms: start,
            end_ms: Some(end),
            billable: false,
            rate_cents: None,
            currency: "EUR".into(),
            created_at_ms: 0,
            updated_at_ms: 0,
        };
        let entries = [
            // Sunday 23:00 of the week before to Monday 01:00: one hour counts.
            entry(1, at("2026-11-29", 23), at("2026-11-30", 1)),
            entry(2, at("2026-12-01", 9), at("2026-12-01", 12)),
            // Sunday 23:00 to Monday 01:00 of the next week: one hour counts.
            entry(1, at("2026-12-06", 23), at("2026-12-07", 1)),
        ];
        let (total, projects) = sums(&entries, monday, tz, 0);
        assert_eq!(total, 5 * 3600);
        assert_eq!(
            projects,
            [
                (ProjectId::from_bytes([2; 16]), 3 * 3600),
                (ProjectId::from_bytes([1; 16]), 2 * 3600)
            ]
        );
    }
}
