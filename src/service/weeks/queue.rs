//! What managers and admins work through: the queue of submitted weeks they may decide on,
//! and the weeks their people have not submitted.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};

use super::{listed_weeks, monday_of, WeekView, Weeks};
use crate::domain::approval::{self, Week, WeekState};
use crate::domain::time::{local_date, week_of};
use crate::domain::{Permission, Role, UserId};
use crate::service::{Actor, Result};
use crate::store::prelude::*;

/// Someone whose weeks a caller answers for.
struct Person {
    id: UserId,
    name: String,
    tz: chrono_tz::Tz,
    /// The day their account was made: no week before it is missing.
    since: NaiveDate,
}

/// A past week a person has not submitted (open, or rejected and not sent again).
#[derive(Debug, Clone)]
pub struct MissingWeek {
    pub user_id: UserId,
    pub user_name: String,
    pub monday: NaiveDate,
    pub state: WeekState,
    /// Seconds tracked in it.
    pub total_secs: i64,
}

impl Weeks<'_> {
    /// The people whose weeks `actor` answers for: everyone who tracks time (admins and
    /// auditors), or the members of the projects a manager manages; the caller themself never
    /// (but for an admin), and people restricted from processing never.
    fn people_of(&self, actor: &Actor) -> Result<Vec<Person>> {
        let me = actor.user_id();
        let all = actor.allows(Permission::ReadAllTime);
        let team: BTreeSet<UserId> = match me {
            Some(me) if !all => (self.team_of(me)?.into_iter())
                .filter(|u| *u != me)
                .collect(),
            _ => BTreeSet::new(),
        };
        let mut out = Vec::new();
        for u in self.store().all_users()? {
            let mine = Some(u.id) == me;
            let shown = (all && (!mine || actor.role == Some(Role::Admin))) || team.contains(&u.id);
            if !shown || u.disabled || !u.role.allows(Permission::TrackTime) {
                continue;
            }
            if self.privacy().is_restricted(u.id)? {
                continue;
            }
            let tz = u.time_zone.tz();
            out.push(Person {
                id: u.id,
                name: u.name.as_str().to_owned(),
                tz,
                since: local_date(u.created_at_ms, tz),
            });
        }
        out.sort_by_key(|p| (p.name.to_lowercase(), p.id));
        Ok(out)
    }

    /// Submitted weeks waiting for a decision that `actor` may take (an auditor sees every
    /// one, and may take none), oldest first. Roles: admin, manager, auditor.
    pub async fn queue(&self, actor: &Actor) -> Result<Vec<WeekView>> {
        actor.require(Permission::ReadTeamTime)?;
        self.require_enabled()?;
        let a = actor.clone();
        self.off_runtime(move |s| s.weeks().queue_now(&a)).await
    }

    fn queue_now(&self, actor: &Actor) -> Result<Vec<WeekView>> {
        let people: BTreeMap<UserId, (String, chrono_tz::Tz)> = (self.people_of(actor)?)
            .into_iter()
            .map(|p| (p.id, (p.name, p.tz)))
            .collect();
        let submitted = self
            .store()
            .weeks_where(|w| w.state == WeekState::Submitted && people.contains_key(&w.user_id))?;
        let mut out = Vec::new();
        for w in submitted {
            let (name, tz) = &people[&w.user_id];
            let v = self.view(actor, w, name, *tz)?;
            // A manager's queue holds the weeks they may decide on; an auditor reads them all.
            if v.can.decide || !actor.allows(Permission::ManageProjects) {
                out.push(v);
            }
        }
        out.sort_by_key(|v| {
            (
                v.week.last_step().map_or(0, |s| s.at_ms),
                v.week.monday,
                v.user_name.to_lowercase(),
            )
        });
        Ok(out)
    }

    /// For the people `actor` answers for, every week from the week of `from` to the week of
    /// `to` that has ended and is not submitted, approved or locked, by person then date.
    /// Roles: admin, manager, auditor.
    pub async fn missing(
        &self,
        actor: &Actor,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<MissingWeek>> {
        actor.require(Permission::ReadTeamTime)?;
        self.require_enabled()?;
        let (first, last) = listed_weeks(from, to)?;
        let a = actor.clone();
        self.off_runtime(move |s| s.weeks().missing_now(&a, first, last))
            .await
    }

    fn missing_now(
        &self,
        actor: &Actor,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<MissingWeek>> {
        let mut out = Vec::new();
        for Person {
            id: user,
            name,
            tz,
            since,
        } in self.people_of(actor)?
        {
            // Weeks that have ended in the person's zone (this week is not missing yet), from
            // the week their account was made (or their first entry's, if earlier).
            let today = local_date(self.now(), tz);
            let Some((this_monday, _)) = week_of(today) else {
                continue;
            };
            let until = last.min(this_monday.checked_sub_days(Days::new(7)).unwrap_or(first));
            let start = monday_of(self.first_day(user, since, tz)?)?.max(first);
            if until < start {
                continue;
            }
            let first = start;
            let records: BTreeMap<NaiveDate, Week> = (self.store().weeks_of(user, first, until)?)
                .into_iter()
                .map(|w| (w.monday, w))
                .collect();
            for monday in approval::mondays(first, until) {
                let state = records.get(&monday).map_or(WeekState::Open, |w| w.state);
                if !matches!(state, WeekState::Open | WeekState::Rejected) {
                    continue;
                }
                let entries = self.entries_of_week(user, monday, tz)?;
                let (total_secs, _) = super::sums(&entries, monday, tz, self.now());
                out.push(MissingWeek {
                    user_id: user,
                    user_name: name.clone(),
                    monday,
                    state,
                    total_secs,
                });
            }
        }
        Ok(out)
    }
}
