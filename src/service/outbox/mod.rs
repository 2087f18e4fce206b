//! The outbox: messages queued in the transaction that caused them, delivered afterwards by
//! [`Outboxes::deliver_due`] (the delivery worker calls it every second), retried with backoff,
//! each attempt kept for the delivery log on the System page, and sent again on an admin's
//! word. A message whose person was erased is deleted with them.

use serde_json::json;

use super::{Actor, Outboxes, Result, ServiceError};
use crate::domain::codes;
use crate::domain::outbox::{Attempt, Channel, OutboxItem, OutboxState, RetryPolicy};
use crate::domain::{Permission, UserId};
use crate::outbound::webhook::Delivery;
use crate::outbound::{Mail, Senders, Sent};
use crate::store::prelude::*;

/// How many messages one round of the worker sends at most.
const ROUND: usize = 20;

/// The longest page of the delivery log.
pub const MAX_LOG_PAGE: usize = 200;

/// A new message, due now.
pub fn new_item(
    now_ms: i64,
    channel: Channel,
    event: &str,
    subject: Option<UserId>,
    payload: String,
    title: Option<String>,
) -> OutboxItem {
    OutboxItem {
        id: uuid::Uuid::now_v7(),
        channel,
        event: event.to_owned(),
        subject,
        payload,
        title,
        created_at_ms: now_ms,
        next_at_ms: now_ms,
        state: OutboxState::Pending,
        attempts: Vec::new(),
        tries: 0,
    }
}

/// Which messages a page of the log shows.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// `webhook` or `email`.
    pub channel: Option<String>,
    pub state: Option<OutboxState>,
    /// One webhook's deliveries.
    pub hook: Option<uuid::Uuid>,
}

impl Outboxes<'_> {
    /// The retry policy of this instance (`webhooks.retry_base`, `webhooks.max_attempts`).
    fn policy(&self) -> RetryPolicy {
        self.settings().outbox_retry
    }

    /// Sends what is due, one message after another; returns how many were tried. A message
    /// changed meanwhile (sent again, erased) keeps its new state: this attempt is dropped.
    pub async fn deliver_due(&self, senders: &Senders) -> Result<usize> {
        let due = self.store().outbox_due(self.now(), ROUND)?;
        let n = due.len();
        for before in due {
            let (sent, millis) = self.attempt(&before, senders).await?;
            let mut after = before.clone();
            after.record(
                Attempt {
                    at_ms: self.now(),
                    ok: sent.ok,
                    status: sent.status,
                    error: sent.error.clone(),
                    millis,
                },
                &self.policy(),
                sent.permanent,
            );
            if after.state == OutboxState::Failed {
                tracing::warn!(message = %after.id, event = %after.event, channel = after.channel.kind(),
                    error = sent.error.as_deref().unwrap_or(""), "a message could not be delivered; giving up");
            }
            let r = self
                .store()
                .write(|tx| tx.update_outbox(&before, &after))
                .await;
            match r {
                Ok(()) => {}
                Err(crate::store::StoreError::Stale(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(n)
    }

    async fn attempt(&self, it: &OutboxItem, senders: &Senders) -> Result<(Sent, u64)> {
        let refused = |why: &str| {
            (
                Sent {
                    ok: false,
                    status: None,
                    error: Some(why.to_owned()),
                    permanent: false,
                },
                0,
            )
        };
        match &it.channel {
            Channel::Webhook { hook, url } => {
                let Some(h) = self.store().webhook(*hook)? else {
                    return Ok(refused("the webhook was deleted"));
                };
                if !h.active {
                    return Ok(refused("the webhook is paused"));
                }
                let d = Delivery {
                    url,
                    secret: &h.secret,
                    event: &it.event,
                    id: it.id,
                    body: &it.payload,
                };
                Ok(senders.webhook.post(&d, self.now() / 1000).await)
            }
            Channel::Email { to } => {
                let Some(mail) = &senders.mail else {
                    return Ok(refused("no SMTP server is configured ([email])"));
                };
                let m = Mail {
                    id: it.id,
                    to: to.clone(),
                    subject: it.title.clone().unwrap_or_default(),
                    body: it.payload.clone(),
                };
                let started = std::time::Instant::now();
                let sent = mail.send(&m).await;
                Ok((sent, started.elapsed().as_millis() as u64))
            }
        }
    }

    /// The delivery log, newest first. Roles: admin.
    pub fn log(&self, actor: &Actor, f: &LogFilter, limit: usize) -> Result<Vec<OutboxItem>> {
        actor.require(Permission::ManageSystem)?;
        let keep = |it: &OutboxItem| {
            f.channel.as_deref().is_none_or(|c| it.channel.kind() == c)
                && f.state.is_none_or(|s| it.state == s)
                && f.hook.is_none_or(
                    |h| matches!(it.channel, Channel::Webhook { hook, .. } if hook == h),
                )
        };
        Ok(self
            .store()
            .outbox_newest(keep, limit.clamp(1, MAX_LOG_PAGE))?)
    }

    /// Queues a message again for a fresh round of attempts (a failed one, or one delivered
    /// that its receiver lost). Roles: admin. Audited as `outbox.resent`.
    pub async fn resend(&self, actor: &Actor, id: uuid::Uuid) -> Result<OutboxItem> {
        actor.require(Permission::ManageSystem)?;
        self.retrying(|| async {
            let before = self
                .store()
                .outbox_item(id)?
                .ok_or(ServiceError::NotFound {
                    kind: "message",
                    code: codes::OUTBOX_NOT_FOUND,
                })?;
            if before.state == OutboxState::Pending {
                return Ok(before);
            }
            let mut after = before.clone();
            after.resend(self.now());
            let ev = self.event(
                actor,
                "outbox.resent",
                Some(format!("outbox:{id}")),
                json!({ "channel": after.channel.kind(), "event": after.event }),
            );
            self.commit(&ev, |tx| tx.update_outbox(&before, &after))
                .await?;
            Ok(after)
        })
        .await
    }

    /// Deletes delivered and failed messages older than `days` (the `outbox` retention);
    /// returns how many.
    pub async fn purge_older_than(&self, days: i64) -> Result<usize> {
        let cutoff = self.now() - days * 86_400_000;
        let old = self.store().outbox_newest(
            |it| it.state != OutboxState::Pending && it.created_at_ms < cutoff,
            100_000,
        )?;
        if old.is_empty() {
            return Ok(0);
        }
        self.store()
            .write(|tx| {
                for it in &old {
                    tx.delete_outbox(it.id)?;
                }
                Ok(())
            })
            .await?;
        Ok(old.len())
    }
}
