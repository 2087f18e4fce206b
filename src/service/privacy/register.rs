//! The register of privacy requests: record, list, show, acknowledge, extend, close; and the
//! self-service requests a person files on "My account".

use crate::service::Privacy;
use crate::store::prelude::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{not_found, Actor, Result, ServiceError};
use crate::domain::codes;
use crate::domain::error::Validator;
use crate::domain::privacy::{
    deadlines, extended_due, text, urgency, Extension, PrivacyRequest, RequestAction, RequestKind,
    RequestStatus, Urgency,
};
use crate::domain::user::Email;
use crate::domain::{DomainError, Permission, PrivacyRequestId, UserId};
use crate::store::conflict;

/// A request as received (validated here).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewRequest {
    pub kind: String,
    /// Who it is about, as they gave it; defaults to the account's email.
    pub subject: Option<String>,
    /// The account's id or email, when the person has one.
    pub user: Option<String>,
    /// `YYYY-MM-DD`; default today.
    pub received_on: Option<String>,
    pub verification: Option<String>,
    pub details: Option<String>,
}

/// A request with how urgent it is today.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestView {
    pub request: PrivacyRequest,
    pub urgency: Urgency,
}

fn target(id: PrivacyRequestId) -> Option<String> {
    Some(format!("privacy_request:{id}"))
}

fn parse_date(field: &str, s: &str) -> std::result::Result<NaiveDate, DomainError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| DomainError::field(field, "invalid_date", "use a date such as 2026-11-30"))
}

impl Privacy<'_> {
    fn view(&self, r: PrivacyRequest) -> RequestView {
        let u = urgency(&r, self.today(), self.settings().privacy.due_soon_days);
        RequestView {
            request: r,
            urgency: u,
        }
    }

    fn resolve_user(&self, s: &str) -> Result<Option<UserId>> {
        let found = match s.trim().parse::<UserId>() {
            Ok(id) => self.store().user(id)?,
            Err(_) => match Email::parse(s) {
                Ok(e) => self.store().user_by_email(&e)?,
                Err(_) => None,
            },
        };
        match found {
            Some(r) => Ok(Some(r.user.id)),
            None => Err(ServiceError::Invalid(vec![crate::domain::FieldError::new(
                "user",
                "unknown_user",
                "no account has this id or email",
            )])),
        }
    }

    /// Records a request received by the organisation. Roles: admin.
    pub async fn add(&self, actor: &Actor, new: NewRequest) -> Result<RequestView> {
        actor.require(Permission::ManagePrivacy)?;
        let mut v = Validator::default();
        let kind = v.check(RequestKind::parse(&new.kind));
        let received = match new.received_on.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => v.check(parse_date("received_on", s)),
            None => Some(self.today()),
        };
        let verification = v.check(text(
            "verification",
            new.verification.as_deref().unwrap_or(""),
            2000,
        ));
        let details = v.check(text("details", new.details.as_deref().unwrap_or(""), 4000));
        let subject = v.check(text("subject", new.subject.as_deref().unwrap_or(""), 200));
        v.finish()?;
        let user = match new.user.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(u) => self.resolve_user(u)?,
            None => None,
        };
        let mut subject = subject.unwrap_or_default();
        if subject.is_empty() {
            match user.and_then(|u| self.store().user(u).ok().flatten()) {
                Some(r) => subject = r.user.email.as_str().to_owned(),
                None => {
                    return Err(DomainError::field(
                        "subject",
                        "required",
                        "name the person, or give their account",
                    )
                    .into())
                }
            }
        }
        let (Some(kind), Some(received)) = (kind, received) else {
            return Err(ServiceError::Invalid(vec![]));
        };
        self.insert_request(
            actor,
            kind,
            subject,
            user,
            received,
            verification.unwrap_or_default(),
            details.unwrap_or_default(),
            false,
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_request(
        &self,
        actor: &Actor,
        kind: RequestKind,
        subject: String,
        user: Option<UserId>,
        received: NaiveDate,
        verification: String,
        details: String,
        self_service: bool,
    ) -> Result<RequestView> {
        let law = self.settings().privacy.law;
        let dl = deadlines(law, received);
        let now = self.now();
        let r = PrivacyRequest {
            id: PrivacyRequestId::new(now),
            kind,
            subject,
            user_id: user,
            law,
            received_on: received,
            due_on: dl.due_on,
            ack_due_on: dl.ack_due_on,
            acknowledged_on: None,
            extension: None,
            status: RequestStatus::Open,
            closed_on: None,
            verification,
            details,
            self_service,
            actions: Vec::new(),
            created_at_ms: now,
            updated_at_ms: now,
        };
        let ev = self.event(
            actor,
            "privacy.request_created",
            target(r.id),
            json!({ "kind": kind.as_str(), "user": user.map(|u| u.to_string()), "law": law.as_str(),
                    "received_on": received.to_string(), "due_on": r.due_on.to_string(),
                    "self_service": self_service }),
        );
        self.commit(&ev, |tx| tx.put_privacy_request(None, &r))
            .await?;
        Ok(self.view(r))
    }

    /// Every request, newest first; `open_only` hides closed ones. Roles: admin, auditor.
    pub async fn list(&self, actor: &Actor, open_only: bool) -> Result<Vec<RequestView>> {
        actor.require(Permission::ReadPrivacy)?;
        let mut all = self.store().privacy_requests()?;
        all.reverse();
        self.record_view(
            actor,
            "privacy.register_viewed",
            None,
            json!({ "open_only": open_only }),
        )
        .await?;
        Ok(all
            .into_iter()
            .filter(|r| !open_only || r.status == RequestStatus::Open)
            .map(|r| self.view(r))
            .collect())
    }

    /// One request. Roles: admin, auditor; the person it concerns for their own.
    pub async fn show(&self, actor: &Actor, id: PrivacyRequestId) -> Result<RequestView> {
        let r = self.store().privacy_request(id)?.ok_or_else(not_found)?;
        let own = r.user_id.is_some() && r.user_id == actor.user_id();
        if !own {
            actor.require(Permission::ReadPrivacy)?;
            self.record_view(actor, "privacy.register_viewed", target(id), json!({}))
                .await?;
        }
        Ok(self.view(r))
    }

    /// Changes an open request in one audited write. `f` edits it or refuses.
    async fn change_request(
        &self,
        actor: &Actor,
        id: PrivacyRequestId,
        action: &str,
        body: serde_json::Value,
        f: impl Fn(&mut PrivacyRequest) -> std::result::Result<(), crate::store::Abort>,
    ) -> Result<RequestView> {
        actor.require(Permission::ManagePrivacy)?;
        let ev = self.event(actor, action, target(id), body);
        let now = self.now();
        let out = self
            .store()
            .write(|tx| {
                let Some(before) = tx.privacy_request(id)? else {
                    return Err(conflict(codes::PRIVACY_REQUEST_NOT_FOUND));
                };
                if before.status != RequestStatus::Open {
                    return Err(conflict(codes::PRIVACY_REQUEST_CLOSED));
                }
                let mut r = before.clone();
                f(&mut r)?;
                r.updated_at_ms = now;
                tx.put_privacy_request(Some(&before), &r)?;
                tx.append_audit(&ev)?;
                Ok(r)
            })
            .await
            .map_err(|e| match e {
                crate::store::StoreError::Conflict(codes::PRIVACY_REQUEST_NOT_FOUND) => not_found(),
                e => e.into(),
            })?;
        Ok(self.view(out))
    }

    /// Extends an open request once, with a reason, within its first period. Roles: admin.
    pub async fn extend(
        &self,
        actor: &Actor,
        id: PrivacyRequestId,
        reason: &str,
    ) -> Result<RequestView> {
        actor.require(Permission::ManagePrivacy)?;
        let reason = text("reason", reason, 2000)?;
        let today = self.today();
        let r = self.store().privacy_request(id)?.ok_or_else(not_found)?;
        let new_due = extended_due(&r, today, &reason)?;
        let (by, at) = (actor.audit_name(), self.now());
        self.change_request(
            actor,
            id,
            "privacy.request_extended",
            json!({ "due_on": new_due.to_string(), "previous_due_on": r.due_on.to_string(), "reason": reason }),
            |r| {
                if r.extension.is_some() {
                    return Err(conflict(codes::PRIVACY_ALREADY_EXTENDED));
                }
                r.extension = Some(Extension { on: today, reason: reason.clone(), previous_due_on: r.due_on });
                r.actions.push(RequestAction { at_ms: at, by: by.clone(), what: "extended".into(), detail: reason.clone() });
                r.due_on = new_due;
                Ok(())
            },
        )
        .await
    }

    /// Records that receipt was acknowledged to the person (CCPA). Roles: admin.
    pub async fn acknowledge(&self, actor: &Actor, id: PrivacyRequestId) -> Result<RequestView> {
        let (today, by, at) = (self.today(), actor.audit_name(), self.now());
        self.change_request(
            actor,
            id,
            "privacy.request_acknowledged",
            json!({ "on": today.to_string() }),
            |r| {
                r.acknowledged_on = Some(today);
                r.actions.push(RequestAction {
                    at_ms: at,
                    by: by.clone(),
                    what: "acknowledged".into(),
                    detail: String::new(),
                });
                Ok(())
            },
        )
        .await
    }

    /// Closes a request as done, refused or withdrawn, with a note. Roles: admin.
    pub async fn close(
        &self,
        actor: &Actor,
        id: PrivacyRequestId,
        status: &str,
        note: &str,
    ) -> Result<RequestView> {
        actor.require(Permission::ManagePrivacy)?;
        let mut v = Validator::default();
        let status = v.check(RequestStatus::parse_closing(status));
        let note = v.check(text("note", note, 2000));
        v.finish()?;
        let (Some(status), Some(note)) = (status, note) else {
            return Err(ServiceError::Invalid(vec![]));
        };
        if status == RequestStatus::Refused && note.is_empty() {
            return Err(
                DomainError::field("note", "required", "give the reason for a refusal").into(),
            );
        }
        let (today, by, at) = (self.today(), actor.audit_name(), self.now());
        self.change_request(
            actor,
            id,
            "privacy.request_closed",
            json!({ "status": status.as_str(), "note": note }),
            |r| {
                r.status = status;
                r.closed_on = Some(today);
                r.actions.push(RequestAction {
                    at_ms: at,
                    by: by.clone(),
                    what: "closed".into(),
                    detail: format!("{}: {}", status.as_str(), note),
                });
                Ok(())
            },
        )
        .await
    }

    /// A person's own request for correction or erasure, filed on "My account". Roles: any
    /// signed-in user, for themself.
    pub async fn my_request(
        &self,
        actor: &Actor,
        kind: &str,
        details: &str,
    ) -> Result<RequestView> {
        actor.require(Permission::ManageOwnAccount)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let mut v = Validator::default();
        let kind = v.check(RequestKind::parse(kind).and_then(|k| match k {
            RequestKind::Correction | RequestKind::Erasure | RequestKind::Restriction | RequestKind::Objection => Ok(k),
            _ => Err(DomainError::field("kind", "not_self_service", "download your data instead; ask for correction, erasure, restriction or objection here")),
        }));
        let details = v.check(text("details", details, 4000));
        v.finish()?;
        let (Some(kind), Some(details)) = (kind, details) else {
            return Err(ServiceError::Invalid(vec![]));
        };
        let rec = self
            .store()
            .user(me)?
            .ok_or(ServiceError::Unauthenticated)?;
        let open =
            self.store().privacy_requests()?.into_iter().any(|r| {
                r.user_id == Some(me) && r.kind == kind && r.status == RequestStatus::Open
            });
        if open {
            return Err(ServiceError::Conflict(codes::PRIVACY_REQUEST_PENDING));
        }
        self.insert_request(
            actor,
            kind,
            rec.user.email.as_str().to_owned(),
            Some(me),
            self.today(),
            "signed in to their own account".into(),
            details,
            true,
        )
        .await
    }

    /// The requests that concern the signed-in person. Roles: any signed-in user.
    pub fn my_requests(&self, actor: &Actor) -> Result<Vec<RequestView>> {
        actor.require(Permission::ManageOwnAccount)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let mut all: Vec<_> = self
            .store()
            .privacy_requests()?
            .into_iter()
            .filter(|r| r.user_id == Some(me))
            .map(|r| self.view(r))
            .collect();
        all.reverse();
        Ok(all)
    }
}
