//! The timer: the one running entry a person may have, started and stopped now (a running one
//! is stopped at the same instant a new one starts, in the same transaction).

use serde_json::json;

use super::super::{Actor, Entries, Result, ServiceError};
use super::EntryInput;
use crate::domain::codes;
use crate::domain::range::capped;
use crate::domain::tracking::Entry;
use crate::domain::{EntryId, Permission};
use crate::store::conflict;
use crate::store::prelude::*;

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
        let pid = input.project_id.ok_or_else(|| {
            crate::domain::DomainError::field("project_id", "required", "project_id is required")
        })?;
        let p = self.trackable_project(actor, pid)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let now = self.now();
        let e = self.new_entry(me, &p, now, None, &input)?;
        let limits = self.settings().tracking;
        let ev = self.event(
            actor,
            "timer.started",
            Some(format!("entry:{}", e.id)),
            json!({ "entry": e }),
        );
        let started = e.clone();
        let stopped = self
            .store()
            .write_queued(move |tx| {
                let stopped = tx.stop_running(me, now, now, &limits)?;
                tx.start_running(&started)?;
                let mut ev = ev.clone();
                ev.body["stopped"] = json!(stopped.as_ref().map(|s| s.id));
                ev.body["stopped_capped"] = json!(stopped.as_ref().is_some_and(|s| capped(s, now)));
                tx.append_audit(&ev)?;
                Ok(stopped)
            })
            .await?;
        Ok((e, stopped.filter(|s| s.end_ms > Some(s.start_ms + 999))))
    }

    /// Stops the actor's running timer. Roles: admin, manager, member.
    pub async fn stop_timer(&self, actor: &Actor) -> Result<Entry> {
        actor.require(Permission::TrackTime)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let now = self.now();
        let ev = self.event(actor, "timer.stopped", None, json!({}));
        let limits = self.settings().tracking;
        self.store()
            .write_queued(move |tx| {
                let Some(e) = tx.stop_running(me, now, now, &limits)? else {
                    return Err(conflict(codes::TIMER_NOT_RUNNING));
                };
                let mut ev = ev.clone();
                ev.target = Some(format!("entry:{}", e.id));
                ev.body = json!({ "entry": e, "discarded": e.end_ms.unwrap_or(0) - e.start_ms < 1000,
                                  "capped": capped(&e, now) });
                tx.append_audit(&ev)?;
                Ok(e)
            })
            .await
            .map_err(Into::into)
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
