//! The dashboard, the first page after sign-in. For the caller, in their time zone: this week's
//! time and last week's (whole, and up to the same weekday and time for a fair comparison),
//! seconds per day of this week, the top projects and the running timer. For those who read
//! other people's time, the team's week: managers see the people of the projects they manage
//! (their time on those projects, as in the reports), admins and auditors everyone who tracks
//! time; with who has tracked nothing yet this week. Members get no team part.
//!
//! Every figure is a report's (`report_views::sums_of`, the one rule for durations), read
//! through the reports' visibility rule, and a team read of other people's time is recorded
//! as the reports record theirs.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};
use chrono_tz::Tz;

use super::report_views::{no_terms, sums_of};
use super::reports::SummaryQuery;
use super::{Actor, Dashboards, Result, ServiceError};
use crate::domain::report::Dim;
use crate::domain::time::{local_date, local_instant, week_of};
use crate::domain::tracking::Entry;
use crate::domain::{Permission, ProjectId, UserId};
use crate::store::prelude::*;

/// How many projects the dashboard lists.
pub const TOP_PROJECTS: usize = 5;

/// A project among the caller's most tracked this week.
#[derive(Debug, Clone)]
pub struct TopProject {
    pub id: ProjectId,
    pub name: String,
    pub color: String,
    pub seconds: i64,
}

/// One person's week at a glance.
#[derive(Debug, Clone)]
pub struct TeamMember {
    pub id: UserId,
    pub name: String,
    pub seconds: i64,
    /// Seconds on Monday … Sunday.
    pub days: Vec<i64>,
}

/// The week of the people whose time the caller reads.
#[derive(Debug, Clone, Default)]
pub struct TeamWeek {
    /// Everyone, by name, with no time as 0.
    pub people: Vec<TeamMember>,
    /// Those of `people` with no time this week.
    pub not_tracked: Vec<TeamMember>,
}

/// What the dashboard shows.
#[derive(Debug, Clone)]
pub struct DashboardView {
    pub time_zone: String,
    pub today: NaiveDate,
    /// This week's Monday and Sunday.
    pub week: (NaiveDate, NaiveDate),
    pub this_week: i64,
    pub last_week: i64,
    /// Last week up to the same weekday and time as now.
    pub last_week_to_date: i64,
    /// Seconds on Monday … Sunday of this week.
    pub days: Vec<i64>,
    pub top_projects: Vec<TopProject>,
    /// The caller's running timer (none for those who do not track time).
    pub running: Option<Entry>,
    /// For managers, admins and auditors.
    pub team: Option<TeamWeek>,
}

impl Dashboards<'_> {
    /// The caller's dashboard. Roles: admin, manager, member, auditor.
    pub async fn view(&self, actor: &Actor) -> Result<DashboardView> {
        actor.require(Permission::ReadProjects)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let tz = self.zone_of(actor)?;
        let now = self.now();
        let today = local_date(now, tz);
        let week = week_of(today).ok_or_else(|| no_week(today))?;
        let last = (week.0 - Days::new(7), week.0 - Days::new(1));
        let mine = SummaryQuery {
            users: vec![me],
            ..SummaryQuery::default()
        };
        let a2 = actor.clone();
        let (entries, _) = self
            .off_runtime(move |s| {
                s.reports()
                    .visible_entries(&a2, me, (last.0, week.1), tz, &mine)
            })
            .await?;
        let this = sums_of(&entries, week, tz, now, &[Dim::Project], &no_terms());
        let whole_last = sums_of(&entries, last, tz, now, &[], &no_terms())
            .total
            .seconds;
        let cut = same_time_a_week_ago(now, today, tz);
        let clipped: Vec<Entry> = (entries.iter())
            .filter(|e| e.start_ms < cut)
            .map(|e| Entry {
                end_ms: Some(e.end_ms.unwrap_or(now).min(cut)),
                ..e.clone()
            })
            .collect();
        let last_to_date = sums_of(&clipped, last, tz, now, &[], &no_terms())
            .total
            .seconds;
        let mut names = self.labels().cache();
        let mut top_projects = Vec::new();
        for row in this.rows.iter().take(TOP_PROJECTS) {
            let Some(id) = row.key.id.as_deref().and_then(|id| id.parse().ok()) else {
                continue;
            };
            let (name, color) = match names.project(id)? {
                Some(p) => (p.name.clone(), p.color.clone()),
                None => ("(deleted project)".into(), "#888888".into()),
            };
            top_projects.push(TopProject {
                id,
                name,
                color,
                seconds: row.sums.seconds,
            });
        }
        let running = match actor.role.is_some_and(|r| r.allows(Permission::TrackTime)) {
            true => self.store().running_entry(me)?,
            false => None,
        };
        Ok(DashboardView {
            time_zone: tz.name().to_owned(),
            today,
            week,
            this_week: this.total.seconds,
            last_week: whole_last,
            last_week_to_date: last_to_date,
            days: this.days.iter().map(|(_, s)| *s).collect(),
            top_projects,
            running,
            team: self.team(actor, me, week, tz).await?,
        })
    }

    /// The team's week, for those who read other people's time.
    async fn team(
        &self,
        actor: &Actor,
        me: UserId,
        week: (NaiveDate, NaiveDate),
        tz: Tz,
    ) -> Result<Option<TeamWeek>> {
        let role = actor.role;
        if !role.is_some_and(|r| r.allows(Permission::ReadTeamTime)) {
            return Ok(None);
        }
        let reads_all = role.is_some_and(|r| r.allows(Permission::ReadAllTime));
        let managed = self.managed_projects(me)?;
        let users = self.store().all_users()?;
        let mut people: BTreeSet<UserId> = if reads_all {
            (users.iter())
                .filter(|u| !u.disabled && u.role.allows(Permission::TrackTime))
                .map(|u| u.id)
                .collect()
        } else {
            (managed.iter())
                .flat_map(|p| p.members.iter().chain(&p.managers).copied())
                .filter(|id| users.iter().any(|u| u.id == *id && !u.disabled))
                .collect()
        };
        let mut restricted = BTreeSet::new();
        for id in &people {
            if *id != me && self.privacy().is_restricted(*id)? {
                restricted.insert(*id);
            }
        }
        people.retain(|id| !restricted.contains(id));
        if people.is_empty() && !reads_all && managed.is_empty() {
            return Ok(Some(TeamWeek::default()));
        }
        let (entries, _) = self
            .reports()
            .fetch(
                actor,
                &SummaryQuery::default(),
                week,
                tz,
                "time entries (dashboard)",
            )
            .await?;
        let report = sums_of(
            &entries,
            week,
            tz,
            self.now(),
            &[Dim::User, Dim::Day],
            &no_terms(),
        );
        // Someone no longer in the team (a disabled account) whose time shows is listed too.
        people.extend(
            (report.rows.iter()).filter_map(|r| r.key.id.as_deref()?.parse::<UserId>().ok()),
        );
        let dates: Vec<String> = week.0.iter_days().take(7).map(|d| d.to_string()).collect();
        let mut names = self.labels().cache();
        let mut out = TeamWeek::default();
        for id in people {
            let key = Some(id.to_string());
            let row = report.rows.iter().find(|r| r.key.id == key);
            let days = (dates.iter())
                .map(|d| {
                    (row.into_iter().flat_map(|r| &r.rows))
                        .find(|r| r.key.id.as_deref() == Some(d.as_str()))
                        .map_or(0, |r| r.sums.seconds)
                })
                .collect();
            out.people.push(TeamMember {
                id,
                name: names.user_name(id)?.unwrap_or_else(|| "(erased)".into()),
                seconds: row.map_or(0, |r| r.sums.seconds),
                days,
            });
        }
        out.people.sort_by_key(|p| (p.name.to_lowercase(), p.id));
        out.not_tracked = (out.people.iter())
            .filter(|p| p.seconds == 0)
            .cloned()
            .collect();
        Ok(Some(out))
    }
}

fn no_week(day: NaiveDate) -> ServiceError {
    ServiceError::Internal(anyhow::anyhow!("no calendar week holds {day}"))
}

/// The instant a week before `now` on the local wall clock (the same weekday and time, also
/// across a change of daylight saving time).
fn same_time_a_week_ago(now: i64, today: NaiveDate, tz: Tz) -> i64 {
    let time = chrono::DateTime::from_timestamp_millis(now)
        .unwrap_or_default()
        .with_timezone(&tz)
        .time();
    local_instant(today - Days::new(7), time, tz)
}
