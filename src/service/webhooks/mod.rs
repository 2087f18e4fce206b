//! Webhooks: admins register URLs (on hosts `webhooks.allowed_hosts` names) for events; each
//! event becomes one outbox message per hook, signed when it is sent (`outbound::webhook`).
//! Entry and week events are read off the audit chain by [`Webhooks::dispatch`], so every
//! door that changes an entry (the API, the CLI, imports, the timesheet) is covered by the
//! one record it already writes; `backup.failed` and `privacy.request_due` are raised where
//! they happen.

mod dispatch;
mod payload;

use base64::Engine;
use rand::RngCore;
use serde_json::json;

use super::outbox::new_item;
use super::{Actor, Result, ServiceError, Webhooks};
use crate::domain::codes;
use crate::domain::outbox::Channel;
use crate::domain::webhook::{self, Webhook};
use crate::domain::Permission;
use crate::store::prelude::*;

/// What registering or changing a hook asks for.
#[derive(Debug, Clone, Default)]
pub struct HookInput {
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    pub description: Option<String>,
    pub active: Option<bool>,
}

fn not_found() -> ServiceError {
    ServiceError::NotFound {
        kind: "webhook",
        code: codes::WEBHOOK_NOT_FOUND,
    }
}

impl Webhooks<'_> {
    /// Every webhook. Roles: admin.
    pub fn list(&self, actor: &Actor) -> Result<Vec<Webhook>> {
        actor.require(Permission::ManageSystem)?;
        Ok(self.store().webhooks()?)
    }

    /// Registers a hook; returns it with its signing secret (`whsec_…`), which the API shows
    /// only in this answer. Roles: admin. Audited as `webhook.created` (never the secret).
    pub async fn create(&self, actor: &Actor, input: HookInput) -> Result<Webhook> {
        actor.require(Permission::ManageSystem)?;
        let mut v = crate::domain::error::Validator::default();
        let url = v.check(webhook::parse_url(
            input.url.as_deref().unwrap_or(""),
            &self.settings().webhook_hosts,
        ));
        let events = v.check(webhook::parse_events(&input.events.unwrap_or_default()));
        let description = v.check(description(input.description.as_deref()));
        v.finish().map_err(|e| ServiceError::Invalid(e.0))?;
        let (Some(url), Some(events), Some(description)) = (url, events, description) else {
            unreachable!("the validator finished without errors");
        };
        if self.store().webhooks()?.len() >= webhook::MAX_HOOKS {
            return Err(ServiceError::Conflict(codes::WEBHOOK_LIMIT));
        }
        let mut b = [0u8; 24];
        rand::rng().fill_bytes(&mut b);
        let hook = Webhook {
            id: uuid::Uuid::now_v7(),
            url,
            events,
            secret: format!(
                "whsec_{}",
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
            ),
            description,
            active: input.active.unwrap_or(true),
            created_at_ms: self.now(),
            created_by: actor.audit_name(),
        };
        let ev = self.event(actor, "webhook.created", target(&hook), describe(&hook));
        self.commit(&ev, |tx| tx.put_webhook(None, &hook)).await?;
        Ok(hook)
    }

    /// Changes a hook's URL, events, description or pause. Roles: admin. Audited as
    /// `webhook.updated`.
    pub async fn update(&self, actor: &Actor, id: uuid::Uuid, input: HookInput) -> Result<Webhook> {
        actor.require(Permission::ManageSystem)?;
        self.retrying(|| async {
            let before = self.store().webhook(id)?.ok_or_else(not_found)?;
            let mut after = before.clone();
            let mut v = crate::domain::error::Validator::default();
            if let Some(u) = &input.url {
                if let Some(u) = v.check(webhook::parse_url(u, &self.settings().webhook_hosts)) {
                    after.url = u;
                }
            }
            if let Some(e) = &input.events {
                if let Some(e) = v.check(webhook::parse_events(e)) {
                    after.events = e;
                }
            }
            if let Some(d) = v.check(description(input.description.as_deref())) {
                if input.description.is_some() {
                    after.description = d;
                }
            }
            v.finish().map_err(|e| ServiceError::Invalid(e.0))?;
            if let Some(a) = input.active {
                after.active = a;
            }
            let ev = self.event(actor, "webhook.updated", target(&after), describe(&after));
            self.commit(&ev, |tx| tx.put_webhook(Some(&before), &after))
                .await?;
            Ok(after.clone())
        })
        .await
    }

    /// Deletes a hook; its queued deliveries then fail as "deleted". Roles: admin. Audited as
    /// `webhook.deleted`.
    pub async fn delete(&self, actor: &Actor, id: uuid::Uuid) -> Result<()> {
        actor.require(Permission::ManageSystem)?;
        let hook = self.store().webhook(id)?.ok_or_else(not_found)?;
        let ev = self.event(actor, "webhook.deleted", target(&hook), describe(&hook));
        self.commit(&ev, |tx| tx.delete_webhook(id)).await
    }

    /// Queues a `webhook.ping` delivery to one hook now, to check the receiver. Roles: admin.
    pub async fn ping(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
    ) -> Result<crate::domain::outbox::OutboxItem> {
        actor.require(Permission::ManageSystem)?;
        let hook = self.store().webhook(id)?.ok_or_else(not_found)?;
        let now = self.now();
        let mut item = new_item(
            now,
            Channel::Webhook {
                hook: hook.id,
                url: hook.url.clone(),
            },
            "webhook.ping",
            None,
            String::new(),
            None,
        );
        item.payload = payload::envelope(
            item.id,
            "webhook.ping",
            now,
            json!({ "webhook": hook.id.to_string() }),
        );
        self.store().write(|tx| tx.put_outbox(&item)).await?;
        Ok(item)
    }

    /// Queues `event` with `data` for every active hook that wants it (events raised outside
    /// the audit chain: `backup.failed`, `privacy.request_due`). Returns how many were queued.
    pub async fn emit(&self, event: &str, data: serde_json::Value) -> Result<usize> {
        let hooks: Vec<Webhook> = (self.store().webhooks()?.into_iter())
            .filter(|h| h.wants(event))
            .collect();
        if hooks.is_empty() {
            return Ok(0);
        }
        let now = self.now();
        let items: Vec<_> = hooks
            .iter()
            .map(|h| payload::item(h, event, now, None, data.clone()))
            .collect();
        self.store()
            .write(|tx| {
                for it in &items {
                    tx.put_outbox(it)?;
                }
                Ok(())
            })
            .await?;
        Ok(items.len())
    }
}

impl Webhooks<'_> {
    /// Queues `privacy.request_due` for every open privacy request coming due (within
    /// `privacy.due_soon_days`) or overdue; returns how many requests. The payload names the
    /// request, never its subject: the receiver follows the link to the register.
    pub async fn privacy_due(&self) -> Result<usize> {
        use crate::domain::privacy::{urgency, RequestStatus, Urgency};
        let today = crate::domain::time::local_date(self.now(), chrono_tz::Tz::UTC);
        let soon = self.settings().privacy.due_soon_days;
        let mut n = 0;
        for r in self.store().privacy_requests()? {
            if r.status != RequestStatus::Open {
                continue;
            }
            let u = urgency(&r, today, soon);
            if !matches!(u, Urgency::Overdue | Urgency::DueSoon) {
                continue;
            }
            let data = json!({
                "request": {
                    "id": r.id.to_string(),
                    "kind": r.kind,
                    "received_on": r.received_on,
                    "due_on": r.due_on,
                    "urgency": if u == Urgency::Overdue { "overdue" } else { "due_soon" },
                    "url": format!("{}/admin/privacy/{}", self.settings().base_url, r.id),
                }
            });
            self.emit("privacy.request_due", data).await?;
            n += 1;
        }
        Ok(n)
    }
}

fn target(h: &Webhook) -> Option<String> {
    Some(format!("webhook:{}", h.id))
}

/// What the audit record of a hook says: never its secret.
fn describe(h: &Webhook) -> serde_json::Value {
    json!({ "url": h.url, "events": h.events, "active": h.active, "description": h.description })
}

fn description(d: Option<&str>) -> std::result::Result<String, crate::domain::DomainError> {
    let d = d.unwrap_or("").trim();
    if d.chars().count() > 200 || d.chars().any(char::is_control) {
        return Err(crate::domain::DomainError::field(
            "description",
            "invalid",
            "at most 200 characters on one line",
        ));
    }
    Ok(d.to_owned())
}
