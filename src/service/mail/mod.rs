//! E-mail (`[email]`): what is e-mailed to whom, queued in the outbox in the transaction of
//! what causes it (the delivery worker sends it). Every message's `subject` is its recipient,
//! so erasing a person deletes the messages waiting for them. Without `[email]` nothing is
//! queued and everything works as before (links are handed over by the admin).
//!
//! Invitations and reset links are essential; week decisions, privacy deadlines and backup
//! failures are notifications each person may turn off ([`prefs`]).

mod prefs;

use chrono::NaiveDate;
use serde_json::json;

pub use prefs::PrefsPatch;

use super::outbox::new_item;
use super::{rfc3339, Actor, Mails, Result, ServiceError};
use crate::domain::mail::{self, DueRequest, MailPrefs, MailServer, Message};
use crate::domain::outbox::{Channel, OutboxItem};
use crate::domain::privacy::{urgency, Urgency};
use crate::domain::{codes, Permission, UserId};
use crate::store::prelude::*;
use crate::store::UserRecord;

impl Mails<'_> {
    /// The SMTP server in use, or `None` when e-mail is off.
    pub fn server(&self) -> Option<&MailServer> {
        self.settings().mail.as_ref()
    }

    /// Whether the instance sends e-mail.
    pub fn enabled(&self) -> bool {
        self.server().is_some()
    }

    /// `msg` to `rec`, due now (none when e-mail is off or the account is disabled).
    fn addressed_to(&self, rec: &UserRecord, msg: Message) -> Option<OutboxItem> {
        if !self.enabled() || rec.user.disabled {
            return None;
        }
        Some(new_item(
            self.now(),
            Channel::Email {
                to: rec.user.email.as_str().to_owned(),
            },
            msg.event,
            Some(rec.user.id),
            msg.body,
            Some(msg.subject),
        ))
    }

    /// A breach notification (Art. 34) to `rec` (none when e-mail is off). Disabled accounts
    /// get it too: telling people their data was breached is a duty owed to them, whatever
    /// the state of their account.
    pub(in crate::service) fn breach_notice(
        &self,
        rec: &UserRecord,
        subject: &str,
        text: &str,
    ) -> Option<OutboxItem> {
        if !self.enabled() {
            return None;
        }
        let msg = mail::breach_notice(subject, text, &self.settings().base_url);
        Some(new_item(
            self.now(),
            Channel::Email {
                to: rec.user.email.as_str().to_owned(),
            },
            msg.event,
            Some(rec.user.id),
            msg.body,
            Some(msg.subject),
        ))
    }

    /// The invitation with the set-password link, for a new account.
    pub(in crate::service) fn invitation(
        &self,
        rec: &UserRecord,
        link: &super::Link,
    ) -> Option<OutboxItem> {
        let base = &self.settings().base_url;
        let msg = mail::invitation(
            rec.user.name.as_str(),
            rec.user.email.as_str(),
            &link.url,
            &rfc3339(link.expires_at_ms),
            base,
        );
        self.addressed_to(rec, msg)
    }

    /// A reset link an admin issued.
    pub(in crate::service) fn reset_link(
        &self,
        rec: &UserRecord,
        link: &super::Link,
    ) -> Option<OutboxItem> {
        let base = &self.settings().base_url;
        let msg = mail::reset_link(
            rec.user.name.as_str(),
            &link.url,
            &rfc3339(link.expires_at_ms),
            base,
        );
        self.addressed_to(rec, msg)
    }

    /// A sign-in link the person asked for (essential: always sent).
    pub(in crate::service) fn sign_in_link(
        &self,
        rec: &UserRecord,
        url: &str,
        minutes: u64,
    ) -> Option<OutboxItem> {
        let msg = mail::sign_in_link(
            rec.user.name.as_str(),
            url,
            minutes,
            &self.settings().base_url,
        );
        self.addressed_to(rec, msg)
    }

    /// A week approved or rejected, to its person unless they turned these off.
    pub(in crate::service) fn week_decision(
        &self,
        user: UserId,
        approved: bool,
        monday: NaiveDate,
        by: &str,
        comment: Option<&str>,
    ) -> Result<Option<OutboxItem>> {
        if !self.enabled() {
            return Ok(None);
        }
        let Some(rec) = self.store().user(user)? else {
            return Ok(None);
        };
        if !rec.mail_prefs.week_decisions {
            return Ok(None);
        }
        let by = self
            .users()
            .actor_name(by)
            .unwrap_or_else(|| "A manager".into());
        let msg = mail::week_decision(
            rec.user.name.as_str(),
            approved,
            &monday.to_string(),
            &by,
            comment,
            &self.settings().base_url,
        );
        Ok(self.addressed_to(&rec, msg))
    }

    /// The enabled accounts allowed `perm` that want `wants`.
    fn admins_wanting(
        &self,
        perm: Permission,
        wants: impl Fn(&MailPrefs) -> bool,
    ) -> Result<Vec<UserRecord>> {
        let mut out = Vec::new();
        for u in self.store().all_users()? {
            if u.disabled || !u.role.allows(perm) {
                continue;
            }
            if let Some(rec) = self.store().user(u.id)? {
                if wants(&rec.mail_prefs) {
                    out.push(rec);
                }
            }
        }
        Ok(out)
    }

    /// E-mails the admins who want it that a scheduled backup failed; returns how many
    /// messages were queued.
    pub async fn backup_failed(&self, error: &str) -> Result<usize> {
        if !self.enabled() {
            return Ok(0);
        }
        let at = rfc3339(self.now());
        let base = self.settings().base_url.clone();
        let items: Vec<OutboxItem> = self
            .admins_wanting(Permission::ManageSystem, |p| p.backup_failures)?
            .iter()
            .filter_map(|rec| {
                let msg = mail::backup_failed(rec.user.name.as_str(), error, &at, &base);
                self.addressed_to(rec, msg)
            })
            .collect();
        self.queue(&items).await
    }

    /// E-mails the admins who want it the open privacy requests due within
    /// `privacy.due_soon_days` or overdue (the `privacy_reminders` job); returns how many
    /// messages were queued (none when no request needs it).
    pub async fn privacy_deadlines(&self) -> Result<usize> {
        if !self.enabled() {
            return Ok(0);
        }
        let today = self.privacy().today();
        let soon = self.settings().privacy.due_soon_days;
        let due: Vec<DueRequest> = (self.store().privacy_requests()?.iter())
            .filter_map(|r| {
                let u = urgency(r, today, soon);
                matches!(u, Urgency::Overdue | Urgency::DueSoon).then(|| DueRequest {
                    kind: r.kind.as_str().to_owned(),
                    received: r.received_on.to_string(),
                    due: r.due_on.to_string(),
                    overdue: u == Urgency::Overdue,
                })
            })
            .collect();
        if due.is_empty() {
            return Ok(0);
        }
        let base = self.settings().base_url.clone();
        let items: Vec<OutboxItem> = self
            .admins_wanting(Permission::ManagePrivacy, |p| p.privacy_deadlines)?
            .iter()
            .filter_map(|rec| {
                let msg = mail::privacy_deadlines(rec.user.name.as_str(), &due, soon, &base);
                self.addressed_to(rec, msg)
            })
            .collect();
        self.queue(&items).await
    }

    async fn queue(&self, items: &[OutboxItem]) -> Result<usize> {
        if items.is_empty() {
            return Ok(0);
        }
        self.store()
            .write(|tx| items.iter().try_for_each(|it| tx.put_outbox(it)))
            .await?;
        Ok(items.len())
    }

    /// Queues a test message to the admin themself. Roles: admin. Audited as `email.test_sent`.
    pub async fn send_test(&self, actor: &Actor) -> Result<OutboxItem> {
        actor.require(Permission::ManageSystem)?;
        let server = self
            .server()
            .ok_or(ServiceError::Conflict(codes::EMAIL_NOT_CONFIGURED))?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let rec = self
            .store()
            .user(me)?
            .ok_or(ServiceError::Unauthenticated)?;
        let msg = mail::test(
            rec.user.name.as_str(),
            &format!("{}:{}", server.host, server.port),
            &self.settings().base_url,
        );
        let item = self
            .addressed_to(&rec, msg)
            .ok_or(ServiceError::Conflict(codes::EMAIL_NOT_CONFIGURED))?;
        let ev = self.event(
            actor,
            "email.test_sent",
            Some(format!("outbox:{}", item.id)),
            json!({ "to": rec.user.email.as_str() }),
        );
        self.commit(&ev, |tx| tx.put_outbox(&item)).await?;
        Ok(item)
    }
}
