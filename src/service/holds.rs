//! Legal holds: placing, listing and releasing them, and asking what they cover. Retention
//! purges and erasure consult [`coverage`] and skip what a hold covers.

use crate::store::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{rfc3339, Actor, Holds, Result, ServiceError};
use crate::domain::codes;
use crate::domain::hold::{Coverage, Hold, HoldScope, MAX_REASON};
use crate::domain::user::Email;
use crate::domain::{FieldError, HoldId, Permission, UserId};
use crate::store::{Store, StoreError};

/// The holds in force at `now_ms`.
pub fn coverage(store: &Store, now_ms: i64) -> Result<Coverage, StoreError> {
    Ok(Coverage::new(store.holds()?, now_ms))
}

/// What a new hold is on, as typed: a kind and, except for the instance, an id, email or name.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HoldInput {
    /// `instance`, `user`, `project` or `client`.
    pub kind: String,
    /// A user's id or email; a project's or client's id or exact name.
    pub target: Option<String>,
    pub reason: String,
    pub ends_at_ms: Option<i64>,
}

fn invalid(field: &str, code: &str, message: &str) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(field, code, message)])
}

impl Holds<'_> {
    /// The holds in force now.
    pub fn coverage(&self) -> Result<Coverage> {
        Ok(coverage(self.store(), self.now())?)
    }

    /// Every hold, newest first. Roles: admin, auditor.
    pub fn list(&self, actor: &Actor) -> Result<Vec<Hold>> {
        actor.require(Permission::ReadAudit)?;
        let mut all = self.store().holds()?;
        all.reverse();
        Ok(all)
    }

    /// Places a hold. Roles: admin.
    pub async fn place(&self, actor: &Actor, input: HoldInput) -> Result<Hold> {
        actor.require(Permission::ManageUsers)?;
        let now = self.now();
        let reason = input.reason.trim();
        let mut errors = Vec::new();
        let scope = match self.resolve_scope(&input.kind, input.target.as_deref()) {
            Ok(s) => Some(s),
            Err(ServiceError::Invalid(mut e)) => {
                errors.append(&mut e);
                None
            }
            Err(e) => return Err(e),
        };
        if reason.is_empty() {
            errors.push(FieldError::new(
                "reason",
                "required",
                "say why the data must be kept",
            ));
        } else if reason.chars().count() > MAX_REASON {
            errors.push(FieldError::new(
                "reason",
                "too_long",
                "at most 500 characters",
            ));
        }
        if input.ends_at_ms.is_some_and(|end| end <= now) {
            errors.push(FieldError::new(
                "ends_at",
                "in_past",
                "the end must be in the future",
            ));
        }
        let scope = match scope {
            Some(s) if errors.is_empty() => s,
            _ => return Err(ServiceError::Invalid(errors)),
        };
        let hold = Hold {
            id: HoldId::new(now),
            scope,
            reason: reason.to_owned(),
            placed_by: actor.audit_name(),
            placed_at_ms: now,
            ends_at_ms: input.ends_at_ms,
            released_at_ms: None,
            released_by: None,
        };
        let ev = self.event(
            actor,
            "hold.placed",
            Some(format!("hold:{}", hold.id)),
            json!({
                "scope": scope.label(),
                "reason": hold.reason,
                "ends_at": hold.ends_at_ms.map(rfc3339),
            }),
        );
        self.commit(&ev, |tx| tx.put_hold(None, &hold)).await?;
        tracing::info!(hold = %hold.id, scope = %scope.label(), "legal hold placed");
        Ok(hold)
    }

    /// Releases a hold in force; the record stays, marked released. Roles: admin.
    pub async fn release(&self, actor: &Actor, id: HoldId, why: &str) -> Result<Hold> {
        self.retrying(|| self.release_hold_once(actor, id, why))
            .await
    }

    async fn release_hold_once(&self, actor: &Actor, id: HoldId, why: &str) -> Result<Hold> {
        actor.require(Permission::ManageUsers)?;
        let now = self.now();
        let mut hold = self.store().hold(id)?.ok_or(ServiceError::NotFound {
            kind: "hold",
            code: codes::HOLD_NOT_FOUND,
        })?;
        // A concurrent release makes this one `Stale`; the retry finds it released
        // (`hold.not_active`) instead of releasing it twice.
        let before = hold.clone();
        if !hold.is_active(now) {
            return Err(ServiceError::Conflict(codes::HOLD_NOT_ACTIVE));
        }
        if why.trim().is_empty() {
            return Err(invalid(
                "reason",
                "required",
                "say why the hold is released",
            ));
        }
        if why.trim().chars().count() > MAX_REASON {
            return Err(invalid("reason", "too_long", "at most 500 characters"));
        }
        hold.released_at_ms = Some(now);
        hold.released_by = Some(actor.audit_name());
        let ev = self.event(
            actor,
            "hold.released",
            Some(format!("hold:{id}")),
            json!({ "scope": hold.scope.label(), "why": why.trim() }),
        );
        self.commit(&ev, |tx| tx.put_hold(Some(&before), &hold))
            .await?;
        tracing::info!(hold = %id, "legal hold released");
        Ok(hold)
    }

    /// A hold id from its full text or a unique prefix of at least 8 characters.
    pub fn find(&self, actor: &Actor, text: &str) -> Result<HoldId> {
        actor.require(Permission::ReadAudit)?;
        let text = text.trim().to_lowercase();
        if let Ok(id) = text.parse() {
            return Ok(id);
        }
        let found: Vec<HoldId> = self
            .store()
            .holds()?
            .into_iter()
            .map(|h| h.id)
            .filter(|id| text.len() >= 8 && id.to_string().starts_with(&text))
            .collect();
        match found.as_slice() {
            [one] => Ok(*one),
            _ => Err(ServiceError::NotFound {
                kind: "hold",
                code: codes::HOLD_NOT_FOUND,
            }),
        }
    }

    fn resolve_scope(&self, kind: &str, target: Option<&str>) -> Result<HoldScope> {
        let target = target.map(str::trim).filter(|t| !t.is_empty());
        let need = |what: &str| {
            invalid(
                "target",
                "required",
                &format!("name the {what} the hold is on"),
            )
        };
        let unknown = |what: &str| invalid("target", "not_found", &format!("no such {what}"));
        match kind {
            "instance" => match target {
                None => Ok(HoldScope::Instance),
                Some(_) => Err(invalid(
                    "target",
                    "unexpected",
                    "a hold on the instance names no target",
                )),
            },
            "user" => {
                let t = target.ok_or_else(|| need("user"))?;
                let rec = match t.parse::<UserId>() {
                    Ok(id) => self.store().user(id)?,
                    Err(_) => match Email::parse(t) {
                        Ok(e) => self.store().user_by_email(&e)?,
                        Err(_) => None,
                    },
                };
                rec.map(|r| HoldScope::User(r.user.id))
                    .ok_or_else(|| unknown("user"))
            }
            "project" => {
                let t = target.ok_or_else(|| need("project"))?;
                let found = self
                    .store()
                    .projects()?
                    .into_iter()
                    .find(|p| p.id.to_string() == t.to_lowercase() || p.name == t);
                found
                    .map(|p| HoldScope::Project(p.id))
                    .ok_or_else(|| unknown("project"))
            }
            "client" => {
                let t = target.ok_or_else(|| need("client"))?;
                let found = self
                    .store()
                    .clients()?
                    .into_iter()
                    .find(|c| c.id.to_string() == t.to_lowercase() || c.name == t);
                found
                    .map(|c| HoldScope::Client(c.id))
                    .ok_or_else(|| unknown("client"))
            }
            _ => Err(invalid(
                "kind",
                "unknown_kind",
                "a hold is on the instance, a user, a project or a client",
            )),
        }
    }

    /// A person-readable name for what a hold covers (`Ada Lovelace <ada@…>`, `project Backups`).
    pub fn describe_scope(&self, scope: &HoldScope) -> Result<String> {
        Ok(match scope {
            HoldScope::Instance => "the whole instance".into(),
            HoldScope::User(id) => match self.store().user(*id)? {
                Some(r) => format!("{} <{}>", r.user.name.as_str(), r.user.email.as_str()),
                None => format!("user {id} (erased)"),
            },
            HoldScope::Project(id) => match self.store().project(*id)? {
                Some(p) => format!("project {}", p.name),
                None => format!("project {id}"),
            },
            HoldScope::Client(id) => match self.store().client(*id)? {
                Some(c) => format!("client {}", c.name),
                None => format!("client {id}"),
            },
        })
    }
}
