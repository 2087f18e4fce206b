//! The week timesheet: projects (and tasks) × days in the user's week (Monday first), built from entries
//! split at local midnights by `domain::time::split_by_day`, so grid totals equal every other
//! total. Setting a cell creates or adjusts that day's entry.
//!
//! A manager sees the week of a person on their projects (the entries on those projects; an
//! admin or auditor all of them), in that person's time zone, and may correct it: cells of the
//! projects they manage (an admin: any) change that person's entries, audited with the manager
//! as actor. Reading someone else's week is recorded as `data.accessed`.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};

use super::audit::Read;
use super::{Actor, EntryFilter, EntryInput, Result, ServiceError, Timesheets};
use crate::domain::codes;
use crate::domain::time::{days_range, local_instant, split_by_day, week_of};
use crate::domain::tracking::Entry;
use crate::domain::{DomainError, FieldError, Permission, ProjectId, TaskId, UserId};

/// One row: a project, or a task of it, with seconds per day of the week. Time on a project
/// without a task is its own row.
pub struct TimesheetRow {
    pub project: ProjectId,
    pub task: Option<TaskId>,
    pub seconds: [i64; 7],
}

pub struct Timesheet {
    /// Whose week it is.
    pub user: UserId,
    /// The entries with time in it.
    pub entries: usize,
    pub week_start: NaiveDate,
    pub rows: Vec<TimesheetRow>,
}

impl Timesheets<'_> {
    /// `user`'s entries the caller may see starting within `[from, to]` local days (and the
    /// day before, for entries that cross into the range).
    fn entries_around(
        &self,
        actor: &Actor,
        user: UserId,
        from: NaiveDate,
        to: NaiveDate,
        tz: chrono_tz::Tz,
    ) -> Result<Vec<Entry>> {
        let (from_ms, to_ms) = days_range(from.pred_opt().unwrap_or(from), to, tz);
        let mut out = Vec::new();
        let mut before = None;
        loop {
            let page = self.entries().page(
                actor,
                Some(user),
                from_ms,
                to_ms,
                &EntryFilter::default(),
                before,
                500,
            )?;
            out.extend(page.items);
            match page.next {
                Some(n) => before = Some(n),
                None => return Ok(out),
            }
        }
    }

    /// Whose week: the caller's (`None`), or someone they may read, with their time zone.
    fn whose(&self, actor: &Actor, user: Option<UserId>) -> Result<(UserId, chrono_tz::Tz)> {
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        match user.filter(|u| *u != me) {
            None => {
                actor.require(Permission::TrackTime)?;
                Ok((me, self.zone_of(actor)?))
            }
            Some(u) => {
                actor.require(Permission::ReadTeamTime)?;
                Ok((u, super::weeks::owner_zone(self, u)?))
            }
        }
    }

    /// The week containing `day` of the caller, or of `user` (someone on the projects the caller
    /// manages; for admins and auditors anyone), in that person's time zone. Roles: admin,
    /// manager, member (their own), auditor (others').
    pub async fn week(
        &self,
        actor: &Actor,
        day: NaiveDate,
        user: Option<UserId>,
    ) -> Result<Timesheet> {
        let (user, tz) = self.whose(actor, user)?;
        let sheet = self.week_of(actor, user, tz, day)?;
        if Some(user) != actor.user_id() && !sheet.rows.is_empty() {
            let (from_ms, to_ms) = days_range(
                sheet.week_start,
                sheet.week_start + chrono::Days::new(6),
                tz,
            );
            let read = Read {
                what: "time entries (timesheet)",
                subjects: vec![user],
                count: sheet.entries,
                from_ms: Some(from_ms),
                to_ms: Some(to_ms),
            };
            self.audit().record_access(actor, read).await?;
        }
        Ok(sheet)
    }

    fn week_of(
        &self,
        actor: &Actor,
        user: UserId,
        tz: chrono_tz::Tz,
        day: NaiveDate,
    ) -> Result<Timesheet> {
        // The HTTP layer keeps dates in the range rule's window; this only keeps the arithmetic
        // total for any caller.
        let (start, end) = week_of(day).ok_or_else(|| {
            DomainError::field("week", "invalid_date", "that week is outside the calendar")
        })?;
        let now = self.now();
        let mut rows: BTreeMap<(ProjectId, Option<TaskId>), [i64; 7]> = BTreeMap::new();
        let mut entries = 0;
        for e in self.entries_around(actor, user, start, end, tz)? {
            let mut counted = false;
            for (date, secs) in split_by_day(e.start_ms, e.end_ms.unwrap_or(now), tz) {
                if (start..=end).contains(&date) {
                    let i = (date - start).num_days() as usize;
                    rows.entry((e.project_id, e.task_id)).or_insert([0; 7])[i] += secs;
                    counted = true;
                }
            }
            entries += usize::from(counted);
        }
        Ok(Timesheet {
            user,
            entries,
            week_start: start,
            rows: rows
                .into_iter()
                .map(|((project, task), seconds)| TimesheetRow {
                    project,
                    task,
                    seconds,
                })
                .collect(),
        })
    }

    /// Makes the time of the caller (or of `user`, corrected by a manager of `project` or an
    /// admin) on `project` (with `task`, or without a task) on `date` add up to `seconds`:
    /// creates an entry at 09:00 when there is none, otherwise lengthens or shortens the day's
    /// latest entry (or deletes it when the cell becomes 0 and it is the only one). Roles:
    /// admin, manager, member (their own).
    pub async fn set_cell(
        &self,
        actor: &Actor,
        user: Option<UserId>,
        project: ProjectId,
        task: Option<TaskId>,
        date: NaiveDate,
        seconds: i64,
    ) -> Result<()> {
        actor.require(Permission::TrackTime)?;
        if !(0..=24 * 3600).contains(&seconds) {
            return Err(ServiceError::Invalid(vec![FieldError::new(
                "seconds",
                "out_of_range",
                "a day holds 0 to 24 hours",
            )]));
        }
        let (user, tz) = self.whose(actor, user)?;
        self.retrying(|| self.set_cell_once(actor, (user, tz), project, task, date, seconds))
            .await
    }

    /// One attempt of [`Self::set_cell`]: the entries it changes are written only if
    /// they are still as this attempt read them.
    async fn set_cell_once(
        &self,
        actor: &Actor,
        (user, tz): (UserId, chrono_tz::Tz),
        project: ProjectId,
        task: Option<TaskId>,
        date: NaiveDate,
        seconds: i64,
    ) -> Result<()> {
        let now = self.now();
        let day_entries: Vec<Entry> = self
            .entries_around(actor, user, date, date, tz)?
            .into_iter()
            .filter(|e| e.project_id == project && e.task_id == task)
            .filter(|e| {
                split_by_day(e.start_ms, e.end_ms.unwrap_or(now), tz)
                    .iter()
                    .any(|(d, _)| *d == date)
            })
            .collect();
        let current: i64 = day_entries
            .iter()
            .flat_map(|e| split_by_day(e.start_ms, e.end_ms.unwrap_or(now), tz))
            .filter(|(d, _)| *d == date)
            .map(|(_, s)| s)
            .sum();
        let delta = seconds - current;
        if delta == 0 {
            return Ok(());
        }
        if day_entries.iter().any(|e| e.end_ms.is_none()) {
            // Its time grows by the second; an entry added beside it would overlap it.
            return Err(ServiceError::Conflict(codes::TIMESHEET_TIMER_RUNNING));
        }
        let (day_start, day_end) = days_range(date, date, tz);
        let latest = day_entries
            .iter()
            .filter(|e| e.end_ms.is_some() && e.start_ms >= day_start && e.start_ms < day_end)
            .max_by_key(|e| e.start_ms);
        match latest {
            None if delta > 0 => {
                let start = local_instant(
                    date,
                    NaiveTime::from_hms_opt(9, 0, 0).expect("09:00 exists"),
                    tz,
                );
                let input = EntryInput {
                    project_id: Some(project),
                    task_id: Some(task),
                    start_ms: Some(start),
                    end_ms: Some(start + delta * 1000),
                    ..Default::default()
                };
                // The week is on the person's screen with its dates: the day is what they chose.
                self.entries()
                    .create_for(actor, user, input)
                    .await
                    .map(|_| ())
            }
            Some(e) if seconds == 0 && day_entries.len() == 1 => {
                self.entries().remove(actor, e.clone()).await
            }
            Some(e) if (e.end_ms.unwrap_or(e.start_ms) - e.start_ms) / 1000 + delta > 0 => {
                let end = e.end_ms.unwrap_or(e.start_ms) + delta * 1000;
                let input = EntryInput {
                    end_ms: Some(end),
                    ..Default::default()
                };
                self.entries()
                    .change(actor, e.clone(), &input)
                    .await
                    .map(|_| ())
            }
            _ => Err(ServiceError::Conflict(codes::TIMESHEET_CELL_AMBIGUOUS)),
        }
    }
}
