//! The timer: the one running entry a person may have, started and stopped now or at the
//! instant a device says (a running one is stopped at the same instant a new one starts, in the
//! same transaction).

use serde_json::json;

use super::super::{Actor, Entries, Result, ServiceError};
use super::once::{self, Attempt, Once};
use super::EntryInput;
use crate::domain::codes;
use crate::domain::range::{self, capped};
use crate::domain::tracking::Entry;
use crate::domain::{EntryId, Permission};
use crate::store::conflict;
use crate::store::prelude::*;
use crate::store::DoneOutcome;

impl Entries<'_> {
    /// The actor's running timer. Roles: admin, manager, member.
    pub fn running_timer(&self, actor: &Actor) -> Result<Option<Entry>> {
        actor.require(Permission::TrackTime)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        Ok(self.store().running_entry(me)?)
    }

    /// Starts a timer; a running one is stopped at the same instant, in the same transaction.
    /// Returns the started entry and the stopped one. Roles: admin, manager, member.
    pub async fn start_timer(
        &self,
        actor: &Actor,
        input: EntryInput,
    ) -> Result<(Entry, Option<Entry>)> {
        self.start_timer_at(actor, input, None, None).await
    }

    /// [`Self::start_timer`] at `at` (when the person pressed Start on a device that sends it
    /// later: `range::acted_at`), done once per `once` key. A running timer that started after
    /// `at` (on another device) is left running: `timer.started_later`.
    pub async fn start_timer_at(
        &self,
        actor: &Actor,
        input: EntryInput,
        at: Option<i64>,
        once: Option<&Once>,
    ) -> Result<(Entry, Option<Entry>)> {
        let pid = input.project_id.ok_or_else(|| {
            crate::domain::DomainError::field(
                "project_id",
                "required",
                "give project_id, or the timer as one line in text",
            )
        })?;
        let p = self.trackable_project(actor, pid)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let now = self.now();
        let start = range::acted_at(at, now)?;
        // Only an instant the device sent is checked against the running timer: two starts
        // "now" racing each other stop one another as they always have.
        let sent = at.is_some();
        let request = format!("timer.start|{input:?}|{at:?}");
        let replay = |o| self.replay_started(actor, o);
        let claim = match self.attempt(actor, once, &request, replay)? {
            Attempt::Done(done) => return Ok(done),
            Attempt::Do(claim) => claim,
        };
        let e = self.new_entry(me, &p, start, None, &input)?;
        let limits = self.settings().tracking;
        let ev = self.event(
            actor,
            "timer.started",
            Some(format!("entry:{}", e.id)),
            json!({ "entry": e }),
        );
        let started = e.clone();
        let claimed = claim.clone();
        let tz = self.zone_of(actor)?;
        let stopped = self
            .store()
            .write_queued(move |tx| {
                if sent && tx.running(me)?.is_some_and(|r| r.start_ms > start) {
                    return Err(conflict(codes::TIMER_STARTED_LATER));
                }
                let stopped = tx.stop_running(me, start, now, &limits)?;
                if let Some(s) = &stopped {
                    crate::service::weeks::enter(tx, s, tz)?;
                }
                crate::service::weeks::enter(tx, &started, tz)?;
                tx.start_running(&started)?;
                let outcome = DoneOutcome::Started {
                    entry: started.id,
                    stopped: stopped.as_ref().map(|s| s.id),
                };
                once::record(&claimed, tx, outcome)?;
                let mut ev = ev.clone();
                ev.body["stopped"] = json!(stopped.as_ref().map(|s| s.id));
                ev.body["stopped_capped"] =
                    json!(stopped.as_ref().is_some_and(|s| capped(s, start)));
                tx.append_audit(&ev)?;
                Ok(stopped)
            })
            .await;
        match stopped {
            Ok(stopped) => Ok((e, stopped.filter(|s| s.end_ms > Some(s.start_ms + 999)))),
            Err(err) => self.lost_claim(&claim, err.into(), replay),
        }
    }

    /// What an earlier start under the same key made, as it is now.
    fn replay_started(&self, actor: &Actor, o: DoneOutcome) -> Result<(Entry, Option<Entry>)> {
        let DoneOutcome::Started { entry, stopped } = o else {
            return Err(ServiceError::Unprocessable(codes::REQUEST_KEY_REUSED));
        };
        let stopped = stopped.and_then(|id| self.made(actor, id).ok());
        Ok((self.made(actor, entry)?, stopped))
    }

    /// Stops the actor's running timer. Roles: admin, manager, member.
    pub async fn stop_timer(&self, actor: &Actor) -> Result<Entry> {
        self.stop_timer_at(actor, None, None).await
    }

    /// [`Self::stop_timer`] at `at` (when the person pressed Stop, sent later:
    /// `range::acted_at`), done once per `once` key. A timer that started after `at` (on
    /// another device) is left running: `timer.started_later`.
    pub async fn stop_timer_at(
        &self,
        actor: &Actor,
        at: Option<i64>,
        once: Option<&Once>,
    ) -> Result<Entry> {
        actor.require(Permission::TrackTime)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let now = self.now();
        let end = range::acted_at(at, now)?;
        let sent = at.is_some();
        let replay = |o| match o {
            DoneOutcome::Stopped { entry } => self.made(actor, entry),
            _ => Err(ServiceError::Unprocessable(codes::REQUEST_KEY_REUSED)),
        };
        let claim = match self.attempt(actor, once, &format!("timer.stop|{at:?}"), replay)? {
            Attempt::Done(done) => return Ok(done),
            Attempt::Do(claim) => claim,
        };
        let ev = self.event(actor, "timer.stopped", None, json!({}));
        let limits = self.settings().tracking;
        let claimed = claim.clone();
        let tz = self.zone_of(actor)?;
        let stopped = self
            .store()
            .write_queued(move |tx| {
                if sent && tx.running(me)?.is_some_and(|r| r.start_ms > end) {
                    return Err(conflict(codes::TIMER_STARTED_LATER));
                }
                let Some(e) = tx.stop_running(me, end, now, &limits)? else {
                    return Err(conflict(codes::TIMER_NOT_RUNNING));
                };
                crate::service::weeks::enter(tx, &e, tz)?;
                once::record(&claimed, tx, DoneOutcome::Stopped { entry: e.id })?;
                let mut ev = ev.clone();
                ev.target = Some(format!("entry:{}", e.id));
                ev.body = json!({ "entry": e, "discarded": e.end_ms.unwrap_or(0) - e.start_ms < 1000,
                                  "capped": capped(&e, end) });
                tx.append_audit(&ev)?;
                Ok(e)
            })
            .await;
        match stopped {
            Ok(e) => Ok(e),
            Err(err) => self.lost_claim(&claim, err.into(), replay),
        }
    }

    /// Starts a timer from an earlier entry's project, note, tags and billable flag.
    pub async fn continue_entry(
        &self,
        actor: &Actor,
        id: EntryId,
    ) -> Result<(Entry, Option<Entry>)> {
        let e = self.get(actor, id)?;
        if Some(e.user_id) != actor.user_id() {
            return Err(ServiceError::Forbidden);
        }
        let input = EntryInput {
            project_id: Some(e.project_id),
            task_id: Some(e.task_id),
            note: Some(e.note),
            tags: Some(e.tags),
            billable: Some(e.billable),
            ..Default::default()
        };
        self.start_timer(actor, input).await
    }
}
