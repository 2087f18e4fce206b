//! Entry and week events, read off the audit chain: the dispatcher keeps a cursor (the last
//! record it handled) and turns each new record that a hook wants into a delivery, queued in
//! the transaction that moves the cursor, so each event is queued once. The server places the
//! cursor at the chain's head at start when it has none: history is not replayed.
//!
//! Personal data follows the person: nothing is queued about someone whose processing is
//! restricted, a record the erasure redacted carries nothing, and erasing a person deletes
//! their queued deliveries (`privacy::erase`).

use serde_json::json;

use super::payload;
use crate::domain::audit::AuditRecord;
use crate::domain::tracking::Entry;
use crate::domain::webhook::Webhook;
use crate::domain::UserId;
use crate::service::{rfc3339, Result, Webhooks};
use crate::store::prelude::*;

/// How many audit records one round reads at most.
const ROUND: usize = 500;

/// The webhook event an audit action is, if any.
fn event_of(action: &str) -> Option<&'static str> {
    Some(match action {
        "entry.created" | "timer.started" => "entry.created",
        "entry.updated" | "timer.stopped" => "entry.updated",
        "entry.deleted" => "entry.deleted",
        "week.submitted" => "week.submitted",
        "week.approved" => "week.approved",
        "week.rejected" => "week.rejected",
        _ => return None,
    })
}

impl Webhooks<'_> {
    /// Places the cursor at the chain's head if it has none (a store made before webhooks, or
    /// a new one): called at start, before any request, so history is never replayed and
    /// nothing recorded after the start is missed.
    pub async fn start_cursor(&self) -> Result<()> {
        if self.store().webhook_cursor()?.is_none() {
            let head = self.store().audit_head()?.map_or(0, |h| h.seq);
            self.store()
                .write(|tx| tx.move_webhook_cursor(None, head))
                .await?;
        }
        Ok(())
    }

    /// Turns the audit records after the cursor into deliveries; returns how many were queued.
    pub async fn dispatch(&self) -> Result<usize> {
        let Some(from) = self.store().webhook_cursor()? else {
            return self.start_cursor().await.map(|()| 0);
        };
        let Some(head) = self.store().audit_head()?.map(|h| h.seq) else {
            return Ok(0);
        };
        if from >= head {
            return Ok(0);
        }
        let hooks: Vec<Webhook> = (self.store().webhooks()?.into_iter())
            .filter(|h| h.active)
            .collect();
        let records = self.store().audit_from(from + 1, ROUND)?;
        let last = records.last().map_or(from, |r| r.seq);
        let mut items = Vec::new();
        if !hooks.is_empty() {
            for r in &records {
                let Some(event) = event_of(&r.action) else {
                    continue;
                };
                let wanting: Vec<&Webhook> = hooks.iter().filter(|h| h.wants(event)).collect();
                if wanting.is_empty() {
                    continue;
                }
                let Some((subject, data)) = self.data_of(r, event)? else {
                    continue;
                };
                for h in wanting {
                    items.push(payload::item(
                        h,
                        event,
                        r.at_ms,
                        Some(subject),
                        data.clone(),
                    ));
                }
            }
        }
        let n = items.len();
        let r = self
            .store()
            .write(|tx| {
                tx.move_webhook_cursor(Some(from), last)?;
                for it in &items {
                    tx.put_outbox(it)?;
                }
                Ok(())
            })
            .await;
        match r {
            // Another round moved the cursor first; it queued these.
            Err(crate::store::StoreError::Stale(_)) => Ok(0),
            Err(e) => Err(e.into()),
            Ok(()) => Ok(n),
        }
    }

    /// The person a record is about and what a delivery says of it; `None` when nothing may
    /// be sent (a redacted record, a restricted person, a record not about an entry or week).
    fn data_of(&self, r: &AuditRecord, event: &str) -> Result<Option<(UserId, serde_json::Value)>> {
        let Some(body) = &r.body else {
            return Ok(None);
        };
        let (subject, data) = if event.starts_with("entry.") {
            let e = body.get("after").or_else(|| body.get("entry"));
            let Some(e) = e.and_then(|e| serde_json::from_value::<Entry>(e.clone()).ok()) else {
                return Ok(None);
            };
            (e.user_id, json!({ "entry": self.entry_json(&e)? }))
        } else {
            let Some(user) = r
                .target
                .as_deref()
                .and_then(|t| t.strip_prefix("user:"))
                .and_then(|u| u.parse::<UserId>().ok())
            else {
                return Ok(None);
            };
            let mut data = json!({
                "user": self.person_json(user)?,
                "week": body.get("week").cloned().unwrap_or_default(),
                "by": r.actor,
            });
            for k in ["comment", "total_secs"] {
                if let Some(v) = body.get(k) {
                    data[k] = v.clone();
                }
            }
            (user, data)
        };
        if self.store().privacy_flags(subject)?.restricted.is_some() {
            return Ok(None);
        }
        Ok(Some((subject, data)))
    }

    fn person_json(&self, user: UserId) -> Result<serde_json::Value> {
        let rec = self.store().user(user)?;
        Ok(json!({
            "id": user.to_string(),
            "name": rec.as_ref().map(|r| r.user.name.as_str().to_owned()),
            "email": rec.as_ref().map(|r| r.user.email.as_str().to_owned()),
        }))
    }

    fn entry_json(&self, e: &Entry) -> Result<serde_json::Value> {
        let project = self.store().project(e.project_id)?;
        Ok(json!({
            "id": e.id.to_string(),
            "user": self.person_json(e.user_id)?,
            "project": {
                "id": e.project_id.to_string(),
                "name": project.as_ref().map(|p| p.name.clone()),
            },
            "task_id": e.task_id.map(|t| t.to_string()),
            "start": rfc3339(e.start_ms),
            "end": e.end_ms.map(rfc3339),
            "duration_secs": e.end_ms.map(|end| (end - e.start_ms) / 1000),
            "note": e.note,
            "tags": e.tags,
            "billable": e.billable,
        }))
    }
}
