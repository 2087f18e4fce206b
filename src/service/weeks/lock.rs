//! The lock on entries, and the auto-lock job.
//!
//! [`enter`] is called inside the transaction of every write of an entry (create, change, move,
//! delete, timer start and stop, bulk changes, quick-add, timesheet cells, and their
//! idempotent variants), for the entry as it was and as it will be: it reads each week the
//! entry touches in its owner's time zone and aborts the write if one is approved or locked
//! (`week.locked`). Erasure and retention never call it: they delete locked weeks' entries too.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use serde_json::json;

use super::{user_not_found, Weeks};
use crate::domain::approval::{self, By, Week};
use crate::domain::time::{local_date, week_of};
use crate::domain::tracking::Entry;
use crate::domain::{Permission, UserId};
use crate::service::{Actor, Result, Services};
use crate::store::prelude::*;
use crate::store::{Abort, Tx};

/// The lock, inside a write's transaction: aborts if any week `e` touches (in `tz`, its
/// owner's zone) is approved or locked, and raises the revision of those that have a record.
pub(in crate::service) fn enter(tx: &Tx<'_>, e: &Entry, tz: Tz) -> std::result::Result<(), Abort> {
    for monday in approval::weeks_of_entry(e.start_ms, e.end_ms, tz) {
        tx.enter_week(e.user_id, monday)?;
    }
    Ok(())
}

/// The time zone of `user`, in which their weeks are counted.
pub(in crate::service) fn owner_zone(svc: &Services, user: UserId) -> Result<Tz> {
    Ok(svc
        .store()
        .user(user)?
        .ok_or_else(user_not_found)?
        .user
        .time_zone
        .tz())
}

/// Weeks locked by one transaction at most: a first run on years of data writes in parts.
const CHUNK: usize = 2000;

/// What a run of the auto-lock job did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockRun {
    /// Weeks locked by this run.
    pub weeks: u64,
    /// People who had weeks locked.
    pub people: u64,
    /// Weeks left open because a timer runs in them (locked once it is stopped).
    pub running: u64,
}

impl Weeks<'_> {
    /// Locks every week whose Sunday is more than `approval.lock_after_days` days ago (in the
    /// person's time zone) and that is neither approved nor locked, for everyone who tracks
    /// time, from the week their account was made (or of their first entry, if earlier). A
    /// week holding a running timer is left for a later run. One `weeks.locked` audit record
    /// per run (per 2,000 weeks) with the counts. Nothing when the setting is 0.
    /// Roles: admin (the scheduler acts as the system).
    pub async fn lock_old(&self, actor: &Actor) -> Result<LockRun> {
        actor.require(Permission::ManageSystem)?;
        let days = self.settings().approval.lock_after_days;
        let mut run = LockRun::default();
        if days == 0 {
            return Ok(run);
        }
        let now = self.now();
        // (person, Monday) of every week to lock, found outside the transactions; each
        // transaction reads the week again and locks only what is still unlocked.
        let mut due: Vec<(UserId, NaiveDate)> = Vec::new();
        for u in self.store().all_users()? {
            if !u.role.allows(Permission::TrackTime) {
                continue;
            }
            let tz = u.time_zone.tz();
            let today = local_date(now, tz);
            let Some(last_sunday) = today.checked_sub_days(Days::new(u64::from(days) + 1)) else {
                continue;
            };
            let Some((last, _)) = week_of(last_sunday).map(|(m, s)| {
                if s <= last_sunday {
                    (m, s)
                } else {
                    (m - Days::new(7), s - Days::new(7))
                }
            }) else {
                continue;
            };
            let first = self.first_day(u.id, local_date(u.created_at_ms, tz), tz)?;
            let records: BTreeMap<NaiveDate, Week> = (self.store().weeks_of(u.id, first, last)?)
                .into_iter()
                .map(|w| (w.monday, w))
                .collect();
            for monday in approval::mondays(first, last) {
                let by = By {
                    by: "",
                    at_ms: now,
                    total_secs: 0,
                };
                if approval::lock(u.id, monday, records.get(&monday), by).is_some() {
                    due.push((u.id, monday));
                }
            }
        }
        let mut people = std::collections::BTreeSet::new();
        for part in due.chunks(CHUNK) {
            let by = actor.audit_name();
            let ev = self.event(actor, "weeks.locked", None, json!({}));
            let zones: BTreeMap<UserId, Tz> = part
                .iter()
                .map(|(u, _)| Ok((*u, super::owner_zone(self, *u)?)))
                .collect::<Result<_>>()?;
            let (locked, running) = self
                .store()
                .write(|tx| {
                    let mut locked: Vec<UserId> = Vec::new();
                    let mut running = 0u64;
                    for (user, monday) in part {
                        let busy = tx.running(*user)?.is_some_and(|r| {
                            approval::weeks_of_entry(r.start_ms, None, zones[user]).contains(monday)
                        });
                        let before = tx.week(*user, *monday)?;
                        if busy {
                            running +=
                                u64::from(before.as_ref().is_none_or(|w| !w.state.is_locked()));
                            continue;
                        }
                        let step = By {
                            by: &by,
                            at_ms: now,
                            total_secs: before
                                .as_ref()
                                .and_then(|w| w.last_step())
                                .map_or(0, |s| s.total_secs),
                        };
                        if let Some(after) = approval::lock(*user, *monday, before.as_ref(), step) {
                            tx.put_week(before.as_ref(), &after)?;
                            locked.push(*user);
                        }
                    }
                    if !locked.is_empty() {
                        let mut ev = ev.clone();
                        let mut who = locked.clone();
                        who.dedup();
                        ev.body = json!({ "weeks": locked.len(), "people": who.len(),
                                          "lock_after_days": days });
                        tx.append_audit(&ev)?;
                    }
                    Ok((locked, running))
                })
                .await?;
            run.weeks += locked.len() as u64;
            run.running += running;
            people.extend(locked);
        }
        run.people = people.len() as u64;
        Ok(run)
    }

    /// The first day to lock weeks from: the account's first day, or an earlier entry's.
    pub(super) fn first_day(&self, user: UserId, created: NaiveDate, tz: Tz) -> Result<NaiveDate> {
        let (before, _) = crate::domain::time::days_range(created, created, tz);
        let mut first = created;
        let mut at = None;
        loop {
            let (page, next) =
                self.store()
                    .user_entries(user, i64::MIN, before, at, 1000, |_| true)?;
            if let Some(e) = page.last() {
                first = first.min(local_date(e.start_ms, tz));
            }
            match next {
                Some(n) => at = Some(n),
                None => return Ok(first),
            }
        }
    }
}

/// Which entries sit in an approved or locked week, for views: each person's locked weeks over
/// the span of their entries in the view are read once (one range read of their records), and
/// an entry is placed in its weeks only when that person has a locked week at all, so a view of
/// someone with none costs one read.
pub(in crate::service) struct WeekLocks {
    /// Person → their zone and locked Mondays over the view's span (`None`: none locked).
    people: std::collections::HashMap<UserId, Option<(Tz, std::collections::HashSet<NaiveDate>)>>,
}

impl WeekLocks {
    /// Reads the locked weeks of the owners of `entries` over the span each one's entries cover.
    pub(in crate::service) fn of(svc: &Services, entries: &[Entry]) -> Result<Self> {
        let mut spans: BTreeMap<UserId, (i64, i64)> = BTreeMap::new();
        for e in entries {
            let end = e.end_ms.unwrap_or(e.start_ms).max(e.start_ms);
            let span = spans.entry(e.user_id).or_insert((e.start_ms, end));
            *span = (span.0.min(e.start_ms), span.1.max(end));
        }
        let mut people = std::collections::HashMap::new();
        for (user, (from, to)) in spans {
            // An owner gone since (erased) has no weeks either.
            let Ok(tz) = owner_zone(svc, user) else {
                people.insert(user, None);
                continue;
            };
            let locked: std::collections::HashSet<NaiveDate> = (svc.store().weeks_of(
                user,
                local_date(from, tz) - Days::new(7),
                local_date(to, tz) + Days::new(7),
            )?)
            .into_iter()
            .filter(|w| w.state.is_locked())
            .map(|w| w.monday)
            .collect();
            people.insert(user, (!locked.is_empty()).then_some((tz, locked)));
        }
        Ok(Self { people })
    }

    /// Whether `e` touches an approved or locked week of its owner (read by [`WeekLocks::of`]).
    pub(in crate::service) fn holds(&self, e: &Entry) -> bool {
        match self.people.get(&e.user_id) {
            Some(Some((tz, locked))) => approval::weeks_of_entry(e.start_ms, e.end_ms, *tz)
                .iter()
                .any(|m| locked.contains(m)),
            _ => false,
        }
    }
}
