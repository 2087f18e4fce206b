//! Security events: built beside the audit record of the same change and written in the same
//! transaction, so both are durable together; read by admins and auditors.

use crate::store::prelude::*;
use serde_json::json;

use super::{Actor, Result, Security};
use crate::domain::security::EventFilter;
use crate::domain::security::{SecurityEvent, SecurityKind};
use crate::domain::user::Email;
use crate::domain::{EventId, Permission, UserId};
use crate::store::EventPos;

/// Longest page of events.
pub const MAX_EVENTS_PAGE: usize = 500;

impl Security<'_> {
    /// A security event of `kind` about `user`, seen from `actor`'s connection.
    pub(super) fn event(
        &self,
        actor: &Actor,
        kind: SecurityKind,
        user: Option<UserId>,
        detail: serde_json::Value,
    ) -> SecurityEvent {
        let at_ms = self.now();
        let by = match (actor.user_id(), user) {
            (Some(a), Some(u)) if a == u => None,
            _ => Some(actor.audit_name()),
        };
        SecurityEvent {
            id: EventId::new(at_ms),
            at_ms,
            kind,
            user_id: user,
            email: None,
            ip: actor.ip.clone(),
            user_agent: actor.user_agent.clone(),
            by,
            detail,
        }
    }

    /// Records one command received on the admin socket (the CLI while the server runs).
    pub async fn record_admin_command(&self, actor: &Actor, command: &str) -> Result<()> {
        let ev = self.event(
            actor,
            SecurityKind::AdminCommand,
            None,
            json!({ "command": command }),
        );
        self.store().write(|tx| tx.put_security_event(&ev)).await?;
        Ok(())
    }

    /// Records a bearer token presented at `/metrics`, accepted or not.
    pub async fn record_token_use(&self, actor: &Actor, what: &str, accepted: bool) -> Result<()> {
        let ev = self.event(
            actor,
            SecurityKind::TokenUsed,
            None,
            json!({ "token": what, "accepted": accepted }),
        );
        self.store().write(|tx| tx.put_security_event(&ev)).await?;
        Ok(())
    }

    /// A page of security events, newest first, each with the name of the account concerned.
    /// Reading the first page is recorded as `security_events.viewed`. Roles: admin, auditor.
    pub async fn events(
        &self,
        actor: &Actor,
        filter: &EventFilter,
        before: Option<EventPos>,
        limit: usize,
    ) -> Result<(Vec<(SecurityEvent, Option<String>)>, Option<EventPos>)> {
        actor.require(Permission::ReadAudit)?;
        // A filtered page may walk every event to fill itself: off the worker threads.
        let f = filter.clone();
        let (events, next) = self
            .off_runtime(move |s| {
                Ok(s.store()
                    .security_events(&f, before, limit.clamp(1, MAX_EVENTS_PAGE))?)
            })
            .await?;
        if before.is_none() {
            let kinds: Vec<&str> = filter.kinds.iter().map(|k| k.as_str()).collect();
            let body = json!({
                "kinds": kinds,
                "ip": filter.ip,
                "from": filter.from_ms.map(super::rfc3339),
                "to": filter.to_ms.map(super::rfc3339),
            });
            let target = filter.user.map(|u| format!("user:{u}"));
            self.record_view(actor, "security_events.viewed", target, body)
                .await?;
        }
        let mut names = std::collections::HashMap::new();
        let mut items = Vec::with_capacity(events.len());
        for mut e in events {
            if e.user_id.is_none() {
                e.user_id = self.locked_out_account(&e)?;
            }
            let name = match e.user_id {
                Some(u) => match names.get(&u) {
                    Some(n) => n,
                    None => {
                        let n = self
                            .store()
                            .user(u)?
                            .map(|r| r.user.name.as_str().to_owned());
                        names.entry(u).or_insert(n)
                    }
                }
                .clone(),
                None => None,
            };
            items.push((e, name));
        }
        Ok((items, next))
    }

    /// The account a lockout concerned. A lockout is refused before the account is looked up,
    /// so it records only the email typed; when an account with that email existed at the
    /// time, that is whose sign-in was locked out, and the page names it rather than saying
    /// "no account" (#14). An erased account's email is gone, so it is never re-identified.
    fn locked_out_account(&self, e: &SecurityEvent) -> Result<Option<UserId>> {
        if e.kind != SecurityKind::LoginLockedOut {
            return Ok(None);
        }
        let Some(email) = e.email.as_deref().and_then(|m| Email::parse(m).ok()) else {
            return Ok(None);
        };
        Ok(self
            .store()
            .user_by_email(&email)?
            .filter(|r| r.user.created_at_ms <= e.at_ms)
            .map(|r| r.user.id))
    }
}
