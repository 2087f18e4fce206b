//! Restriction of processing (kept, but only stored: left out of exports, of other people's
//! entry lists and of edits by others, until lifted) and objections to optional processing.

use crate::service::Privacy;
use crate::store::prelude::*;
use serde_json::json;

use super::{attach, Actor, Result, ServiceError};
use crate::domain::codes;
use crate::domain::privacy::{Objection, PrivacyFlags, Restriction};
use crate::domain::privacy::{RequestAction, OBJECTABLE_PURPOSES};
use crate::domain::{DomainError, Permission, PrivacyRequestId, UserId};
use crate::store::conflict;

impl Privacy<'_> {
    /// Whether `user`'s data may only be stored (restricted), so not shown to or processed
    /// by others.
    pub fn is_restricted(&self, user: UserId) -> Result<bool> {
        Ok(self.store().privacy_flags(user)?.restricted.is_some())
    }

    /// The flags of `user`. Roles: admin, auditor; anyone for themself.
    pub fn flags_of(&self, actor: &Actor, user: UserId) -> Result<PrivacyFlags> {
        if actor.user_id() != Some(user) {
            actor.require(Permission::ReadPrivacy)?;
        }
        Ok(self.store().privacy_flags(user)?)
    }

    #[allow(clippy::too_many_arguments)]
    async fn change_flags(
        &self,
        actor: &Actor,
        user: UserId,
        request: Option<PrivacyRequestId>,
        audit: &str,
        what: &str,
        detail: String,
        f: impl Fn(&mut PrivacyFlags) -> std::result::Result<(), crate::store::Abort>,
    ) -> Result<PrivacyFlags> {
        actor.require(Permission::ManagePrivacy)?;
        self.privacy_subject(actor, user)?;
        let now = self.now();
        let ev = self.event(
            actor,
            audit,
            Some(format!("user:{user}")),
            json!({ "request": request.map(|r| r.to_string()), "detail": detail }),
        );
        let action = RequestAction {
            at_ms: now,
            by: actor.audit_name(),
            what: what.into(),
            detail: detail.clone(),
        };
        let out = self
            .store()
            .write(|tx| {
                let before = tx.privacy_flags(user)?;
                let mut flags = before.clone();
                f(&mut flags)?;
                attach(tx, request, user, &action)?;
                tx.put_privacy_flags(user, &before, &flags)?;
                tx.append_audit(&ev)?;
                Ok(flags)
            })
            .await
            .map_err(super::request_error)?;
        Ok(out)
    }

    /// Restricts processing of `user`'s data until lifted. Roles: admin.
    pub async fn restrict(
        &self,
        actor: &Actor,
        user: UserId,
        request: Option<PrivacyRequestId>,
    ) -> Result<PrivacyFlags> {
        let (now, by) = (self.now(), actor.audit_name());
        self.change_flags(
            actor,
            user,
            request,
            "privacy.restricted",
            "restricted",
            "processing restricted to storage".into(),
            |f| {
                if f.restricted.is_some() {
                    return Err(conflict(codes::PRIVACY_ALREADY_RESTRICTED));
                }
                f.restricted = Some(Restriction {
                    since_ms: now,
                    by: by.clone(),
                    request_id: request,
                });
                Ok(())
            },
        )
        .await
    }

    /// Lifts a restriction. Roles: admin.
    pub async fn lift(
        &self,
        actor: &Actor,
        user: UserId,
        request: Option<PrivacyRequestId>,
    ) -> Result<PrivacyFlags> {
        self.change_flags(
            actor,
            user,
            request,
            "privacy.restriction_lifted",
            "lifted",
            "restriction lifted".into(),
            |f| {
                if f.restricted.is_none() {
                    return Err(conflict(codes::PRIVACY_NOT_RESTRICTED));
                }
                f.restricted = None;
                Ok(())
            },
        )
        .await
    }

    /// Records an objection to (or withdrawal of consent for) an optional purpose, which then
    /// stops for that person. Roles: admin.
    pub async fn object(
        &self,
        actor: &Actor,
        user: UserId,
        purpose: &str,
        request: Option<PrivacyRequestId>,
    ) -> Result<PrivacyFlags> {
        let purpose = purpose.trim().to_owned();
        if !OBJECTABLE_PURPOSES.contains(&purpose.as_str()) {
            return Err(ServiceError::from(DomainError::field(
                "purpose",
                "unknown_purpose",
                format!("optional purposes: {}", OBJECTABLE_PURPOSES.join(", ")),
            )));
        }
        let now = self.now();
        self.change_flags(
            actor,
            user,
            request,
            "privacy.objected",
            "objected",
            format!("objects to {purpose}"),
            |f| {
                if !f.objects_to(&purpose) {
                    f.objections.push(Objection {
                        purpose: purpose.clone(),
                        at_ms: now,
                        request_id: request,
                    });
                }
                Ok(())
            },
        )
        .await
    }
}
