//! Webhooks and the delivery log over HTTP: register, change, pause, delete and ping hooks;
//! read what was sent (webhook deliveries and e-mails) and send a message again. Roles: admin.

use poem_openapi::param::{Path, Query};
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};

use super::dto::Text;
use super::enums::{OutboxChannel, OutboxStateName};
use super::rules::{OneOf, UuidOrEmpty};
use super::{ApiTags, HttpState};
use crate::domain::codes;
use crate::domain::outbox::{Channel, OutboxItem, OutboxState};
use crate::domain::webhook::Webhook;
use crate::http::auth::SignedIn;
use crate::http::problem::{invalid_field, ApiError};
use crate::service::outbox::LogFilter;
use crate::service::webhooks::HookInput;
use crate::service::{rfc3339, ServiceError};

pub struct WebhooksApi(pub HttpState);

/// A registered webhook (its secret is shown only when it is made).
#[derive(Object)]
struct WebhookDto {
    id: String,
    url: String,
    /// What it receives: `entry.created`, `entry.updated`, `entry.deleted`, `week.submitted`,
    /// `week.approved`, `week.rejected`, `privacy.request_due`, `backup.failed`.
    events: Vec<String>,
    description: String,
    /// False while paused: its deliveries wait as failed ("paused") until it is resumed and they
    /// are sent again.
    active: bool,
    created_at: String,
    created_by: String,
}

impl From<Webhook> for WebhookDto {
    fn from(h: Webhook) -> Self {
        Self {
            id: h.id.to_string(),
            url: h.url,
            events: h.events,
            description: h.description,
            active: h.active,
            created_at: rfc3339(h.created_at_ms),
            created_by: h.created_by,
        }
    }
}

#[derive(Object)]
struct WebhooksDto {
    items: Vec<WebhookDto>,
}

/// A new hook, or what changes of one.
#[derive(Object)]
struct HookReq {
    /// An http(s) URL on a host `webhooks.allowed_hosts` names.
    #[oai(nullable)]
    url: Option<Text>,
    /// At least one event.
    #[oai(nullable)]
    events: Option<Vec<Text>>,
    /// A note for admins, at most 200 characters.
    #[oai(nullable)]
    description: Option<Text>,
    #[oai(nullable)]
    active: Option<bool>,
}

impl HookReq {
    fn input(self) -> HookInput {
        HookInput {
            url: self.url.map(|t| t.0),
            events: self.events.map(|v| v.into_iter().map(|t| t.0).collect()),
            description: self.description.map(|t| t.0),
            active: self.active,
        }
    }
}

/// A hook just made, with its signing secret, shown only this once.
#[derive(Object)]
struct CreatedHookDto {
    /// The HMAC-SHA256 key of the `OphionTT-Signature` header (docs/integrations.md).
    secret: String,
    webhook: WebhookDto,
}

/// One attempt at sending a message.
#[derive(Object)]
struct AttemptDto {
    at: String,
    ok: bool,
    #[oai(nullable)]
    status: Option<u16>,
    #[oai(nullable)]
    error: Option<String>,
    millis: u64,
}

/// A message of the outbox: a webhook delivery or an e-mail.
#[derive(Object)]
struct OutboxItemDto {
    id: String,
    /// `webhook` or `email`.
    channel: String,
    /// The URL or the address.
    to: String,
    /// For a webhook delivery, its hook.
    #[oai(nullable)]
    webhook_id: Option<String>,
    event: String,
    /// The person whose data it carries (erasing them deletes it), if any.
    #[oai(nullable)]
    subject_id: Option<String>,
    /// `pending`, `delivered` or `failed`.
    state: String,
    created_at: String,
    /// When the next attempt is due (pending only).
    #[oai(nullable)]
    next_at: Option<String>,
    /// Attempts since it was queued or sent again.
    tries: u32,
    /// The newest attempts last (at most 20).
    attempts: Vec<AttemptDto>,
}

impl From<OutboxItem> for OutboxItemDto {
    fn from(it: OutboxItem) -> Self {
        let (to, webhook_id) = match &it.channel {
            Channel::Webhook { hook, url } => (url.clone(), Some(hook.to_string())),
            Channel::Email { to } => (to.clone(), None),
        };
        Self {
            id: it.id.to_string(),
            channel: it.channel.kind().to_owned(),
            to,
            webhook_id,
            event: it.event,
            subject_id: it.subject.map(|u| u.to_string()),
            state: it.state.as_str().to_owned(),
            created_at: rfc3339(it.created_at_ms),
            next_at: (it.state == OutboxState::Pending).then(|| rfc3339(it.next_at_ms)),
            tries: it.tries,
            attempts: (it.attempts.into_iter())
                .map(|a| AttemptDto {
                    at: rfc3339(a.at_ms),
                    ok: a.ok,
                    status: a.status,
                    error: a.error,
                    millis: a.millis,
                })
                .collect(),
        }
    }
}

#[derive(Object)]
struct OutboxDto {
    items: Vec<OutboxItemDto>,
}

#[derive(ApiResponse)]
enum Created {
    #[oai(status = 201)]
    Created(Json<CreatedHookDto>),
}

#[derive(ApiResponse)]
enum Queued {
    /// The message, queued; the worker sends it within a second or two.
    #[oai(status = 202)]
    Queued(Json<OutboxItemDto>),
}

#[derive(ApiResponse)]
enum Deleted {
    #[oai(status = 204)]
    Deleted,
}

fn hook_id(s: &str) -> Result<uuid::Uuid, ServiceError> {
    s.parse().map_err(|_| ServiceError::NotFound {
        kind: "webhook",
        code: codes::WEBHOOK_NOT_FOUND,
    })
}

#[OpenApi(tag = "ApiTags::System")]
impl WebhooksApi {
    /// Every webhook, oldest first. Roles: admin.
    #[oai(path = "/webhooks", method = "get")]
    async fn list(&self, actor: SignedIn) -> Result<Json<WebhooksDto>, ApiError> {
        let items = self.0.svc.webhooks().list(&actor)?;
        Ok(Json(WebhooksDto {
            items: items.into_iter().map(Into::into).collect(),
        }))
    }

    /// Registers a webhook; the answer holds its signing secret, shown only this once. Field
    /// codes: `url` → `invalid`, `host_not_allowed`; `events` → `required`, `invalid`.
    /// `409 webhook.limit` beyond 50. Roles: admin.
    #[oai(path = "/webhooks", method = "post")]
    async fn create(&self, actor: SignedIn, body: Json<HookReq>) -> Result<Created, ApiError> {
        let hook = self.0.svc.webhooks().create(&actor, body.0.input()).await?;
        Ok(Created::Created(Json(CreatedHookDto {
            secret: hook.secret.clone(),
            webhook: hook.into(),
        })))
    }

    /// Changes a webhook's URL, events, description, or pauses it (`active: false`). Roles:
    /// admin.
    #[oai(path = "/webhooks/:id", method = "patch")]
    async fn update(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<HookReq>,
    ) -> Result<Json<WebhookDto>, ApiError> {
        let id = hook_id(&id.0)?;
        let h = self
            .0
            .svc
            .webhooks()
            .update(&actor, id, body.0.input())
            .await?;
        Ok(Json(h.into()))
    }

    /// Deletes a webhook; what was queued for it fails as "deleted". Roles: admin.
    #[oai(path = "/webhooks/:id", method = "delete")]
    async fn delete(&self, actor: SignedIn, id: Path<String>) -> Result<Deleted, ApiError> {
        self.0
            .svc
            .webhooks()
            .delete(&actor, hook_id(&id.0)?)
            .await?;
        Ok(Deleted::Deleted)
    }

    /// Queues a `webhook.ping` delivery to the hook, to check its receiver. Roles: admin.
    #[oai(path = "/webhooks/:id/ping", method = "post")]
    async fn ping(&self, actor: SignedIn, id: Path<String>) -> Result<Queued, ApiError> {
        let it = self.0.svc.webhooks().ping(&actor, hook_id(&id.0)?).await?;
        Ok(Queued::Queued(Json(it.into())))
    }

    /// The delivery log: webhook deliveries and e-mails, newest first, each with its attempts.
    /// `channel` is `webhook` or `email`, `state` `pending`, `delivered` or `failed`; `limit` at
    /// most 200 (default 50). Roles: admin.
    #[oai(path = "/outbox", method = "get")]
    async fn log(
        &self,
        actor: SignedIn,
        channel: Query<Option<OneOf<OutboxChannel>>>,
        state: Query<Option<OneOf<OutboxStateName>>>,
        webhook_id: Query<Option<UuidOrEmpty>>,
        limit: Query<Option<u32>>,
    ) -> Result<Json<OutboxDto>, ApiError> {
        let channel = match channel
            .0
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(c @ ("webhook" | "email")) => Some(c.to_owned()),
            Some(_) => return Err(invalid_field("channel", "invalid", "webhook or email").into()),
        };
        let state = match state.0.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some("pending") => Some(OutboxState::Pending),
            Some("delivered") => Some(OutboxState::Delivered),
            Some("failed") => Some(OutboxState::Failed),
            Some(_) => {
                return Err(
                    invalid_field("state", "invalid", "pending, delivered or failed").into(),
                )
            }
        };
        let hook = match webhook_id.0.map(|t| t.0).filter(|t| !t.trim().is_empty()) {
            Some(t) => Some(
                t.trim()
                    .parse()
                    .map_err(|_| invalid_field("webhook_id", "invalid", "not a webhook id"))?,
            ),
            None => None,
        };
        let f = LogFilter {
            channel,
            state,
            hook,
        };
        let limit = limit.0.map_or(50, |n| n.clamp(1, 200) as usize);
        let items = self.0.svc.outbox().log(&actor, &f, limit)?;
        Ok(Json(OutboxDto {
            items: items.into_iter().map(Into::into).collect(),
        }))
    }

    /// Sends a message again: a failed one, or a delivered one its receiver lost. A pending one
    /// is left as it is. Roles: admin.
    #[oai(path = "/outbox/:id/resend", method = "post")]
    async fn resend(&self, actor: SignedIn, id: Path<String>) -> Result<Queued, ApiError> {
        let id = id.0.parse().map_err(|_| ServiceError::NotFound {
            kind: "message",
            code: codes::OUTBOX_NOT_FOUND,
        })?;
        let it = self.0.svc.outbox().resend(&actor, id).await?;
        Ok(Queued::Queued(Json(it.into())))
    }
}
