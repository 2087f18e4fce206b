//! Telling the affected people (Art. 34): a draft from the domain's template, edited by the
//! admin, sent as one e-mail per person through the outbox in the transaction that records it
//! on the incident, so each person is told exactly once unless the admin asks to send again.
//!
//! Who is told: everyone in the affected list with an account, disabled and restricted ones
//! included. A restriction of processing (Art. 18) keeps data from being used; telling the
//! person that their data was breached is a duty owed to them (Art. 34) and uses only their
//! address. Erased people cannot be told; they are reported as skipped.

use serde_json::json;

use super::{target, IncidentView};
use crate::domain::incident::{IncidentStatus, Notification, SentNotice};
use crate::domain::incident_text::{draft, personalise};
use crate::domain::outbox::OutboxItem;
use crate::domain::{codes, DomainError, IncidentId, Permission, UserId};
use crate::service::{Actor, Incidents, Result, ServiceError};
use crate::store::prelude::*;

/// The notification as drafted, and who would get it now.
#[derive(Debug, Clone)]
pub struct NoticeDraft {
    pub subject: String,
    /// With `{name}` where each person's name goes.
    pub body: String,
    /// The people a send would reach now (affected, with an account, not yet notified).
    pub recipients: Vec<UserId>,
    pub email_enabled: bool,
}

/// What a send did.
#[derive(Debug, Clone)]
pub struct Sent {
    pub incident: IncidentView,
    /// Each person told, with the outbox message queued for them.
    pub sent: Vec<(UserId, uuid::Uuid)>,
    /// People left out, and why: `notified` (told before) or `erased`.
    pub skipped: Vec<(UserId, &'static str)>,
}

const SUBJECT_MAX: usize = 200;
const BODY_MAX: usize = 20_000;

impl Incidents<'_> {
    /// The notification drafted from what the register knows. Roles: admin.
    pub fn draft(&self, actor: &Actor, id: IncidentId) -> Result<NoticeDraft> {
        actor.require(Permission::ManagePrivacy)?;
        let inc = self.read(id)?;
        let d = draft(&inc);
        let mut recipients = Vec::new();
        for a in &inc.affected {
            if !inc.notified(a.user_id) && self.person(a.user_id)?.is_some() {
                recipients.push(a.user_id);
            }
        }
        Ok(NoticeDraft {
            subject: d.subject,
            body: d.body,
            recipients,
            email_enabled: self.mail().enabled(),
        })
    }

    /// Sends `body` (each `{name}` filled in) to every affected person not told yet, or to
    /// everyone again with `resend`; one e-mail each, queued with the record of it. Refused
    /// without `[email]` (`email.not_configured`) and when no one is left to tell
    /// (`incident.nobody_to_notify`). Roles: admin.
    pub async fn notify(
        &self,
        actor: &Actor,
        id: IncidentId,
        subject: &str,
        body: &str,
        resend: bool,
    ) -> Result<Sent> {
        actor.require(Permission::ManagePrivacy)?;
        let mut v = crate::domain::error::Validator::default();
        let subject = v.check(super::text("subject", subject, SUBJECT_MAX).and_then(|s| {
            if s.is_empty() {
                Err(DomainError::field("subject", "required", "not blank"))
            } else {
                Ok(super::one_line(s))
            }
        }));
        let body = v.check(super::text("body", body, BODY_MAX).and_then(|s| {
            if s.is_empty() {
                Err(DomainError::field(
                    "body",
                    "required",
                    "write the notification",
                ))
            } else {
                Ok(s)
            }
        }));
        v.finish()?;
        let (Some(subject), Some(body)) = (subject, body) else {
            return Err(ServiceError::Invalid(vec![]));
        };
        if !self.mail().enabled() {
            return Err(ServiceError::Conflict(codes::EMAIL_NOT_CONFIGURED));
        }
        self.retrying(|| self.notify_once(actor, id, &subject, &body, resend))
            .await
    }

    /// One try of [`Self::notify`]: `Stale` when the incident changed between the read and
    /// the write (the messages are made again from a fresh read).
    async fn notify_once(
        &self,
        actor: &Actor,
        id: IncidentId,
        subject: &str,
        body: &str,
        resend: bool,
    ) -> Result<Sent> {
        let before = self.read(id)?;
        if before.status == IncidentStatus::Closed {
            return Err(ServiceError::Conflict(codes::INCIDENT_CLOSED));
        }
        let (mut items, mut sent, mut skipped): (Vec<OutboxItem>, Vec<_>, Vec<_>) =
            Default::default();
        for a in &before.affected {
            if before.notified(a.user_id) && !resend {
                skipped.push((a.user_id, "notified"));
                continue;
            }
            let Some(rec) = self.person(a.user_id)? else {
                skipped.push((a.user_id, "erased"));
                continue;
            };
            let text = personalise(body, rec.user.name.as_str());
            let item = self
                .mail()
                .breach_notice(&rec, subject, &text)
                .ok_or(ServiceError::Conflict(codes::EMAIL_NOT_CONFIGURED))?;
            sent.push((a.user_id, item.id));
            items.push(item);
        }
        if items.is_empty() {
            return Err(ServiceError::Conflict(codes::INCIDENT_NOBODY_TO_NOTIFY));
        }
        let (now, by) = (self.now(), actor.audit_name());
        let mut after = before.clone();
        after.version += 1;
        after.updated_at_ms = now;
        after.notices.push(SentNotice {
            at_ms: now,
            by: by.clone(),
            subject: subject.to_owned(),
            body: body.to_owned(),
            recipients: items.len() as u32,
        });
        for (u, m) in &sent {
            after.notifications.push(Notification {
                user_id: *u,
                outbox_id: *m,
                at_ms: now,
                by: by.clone(),
            });
        }
        let ev = self.event(
            actor,
            "incident.notified",
            target(id),
            json!({ "recipients": items.len(), "skipped": skipped.len(), "resend": resend,
                    "subject": subject }),
        );
        self.commit(&ev, |tx| {
            tx.put_incident(Some(&before), &after)?;
            items.iter().try_for_each(|it| tx.put_outbox(it))
        })
        .await?;
        Ok(Sent {
            incident: self.view(after),
            sent,
            skipped,
        })
    }
}
