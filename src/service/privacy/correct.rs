//! Correction: an admin edits a person's personal fields (name, email, time zone), audited
//! with the values before and after.

use crate::service::Privacy;
use crate::store::prelude::*;
use serde_json::json;

use super::{attach, Actor, Result, ServiceError};
use crate::domain::error::Validator;
use crate::domain::privacy::RequestAction;
use crate::domain::user::{DisplayName, Email, TimeZone, User};
use crate::domain::{Permission, PrivacyRequestId, UserId};

/// The fields a correction may change; `None` leaves one as it is.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Correction {
    pub name: Option<String>,
    pub email: Option<String>,
    pub time_zone: Option<String>,
}

fn personal(u: &User) -> serde_json::Value {
    json!({ "name": u.name.as_str(), "email": u.email.as_str(), "time_zone": u.time_zone.as_str() })
}

impl Privacy<'_> {
    /// Corrects `user`'s personal fields. Roles: admin. Audited as `privacy.corrected` with
    /// before and after; with `request`, recorded on that request.
    pub async fn correct(
        &self,
        actor: &Actor,
        user: UserId,
        c: Correction,
        request: Option<PrivacyRequestId>,
    ) -> Result<User> {
        actor.require(Permission::ManagePrivacy)?;
        let mut v = Validator::default();
        let name = c
            .name
            .as_deref()
            .and_then(|n| v.check(DisplayName::parse(n)));
        let email = c.email.as_deref().and_then(|e| v.check(Email::parse(e)));
        let tz = c
            .time_zone
            .as_deref()
            .and_then(|z| v.check(TimeZone::parse(z)));
        v.finish()?;
        let fields = (name, email, tz);
        self.retrying(|| self.correct_once(actor, user, &fields, request))
            .await
    }

    /// One attempt of [`Self::correct`], from a fresh read of the person.
    async fn correct_once(
        &self,
        actor: &Actor,
        user: UserId,
        (name, email, tz): &(Option<DisplayName>, Option<Email>, Option<TimeZone>),
        request: Option<PrivacyRequestId>,
    ) -> Result<User> {
        let mut rec = self.privacy_subject(actor, user)?;
        let read = rec.clone();
        let before = rec.user.clone();
        rec.user
            .set_personal(name.as_ref(), email.as_ref(), tz.as_ref());
        if rec.user == before {
            return Err(ServiceError::Invalid(vec![crate::domain::FieldError::new(
                "name",
                "no_change",
                "give at least one field with a new value",
            )]));
        }
        let now = self.now();
        rec.user.updated_at_ms = now;
        let ev = self.event(
            actor,
            "privacy.corrected",
            Some(format!("user:{user}")),
            json!({ "request": request.map(|r| r.to_string()), "before": personal(&before), "after": personal(&rec.user) }),
        );
        let changed: Vec<&str> = [
            (before.name != rec.user.name, "name"),
            (before.email != rec.user.email, "email"),
            (before.time_zone != rec.user.time_zone, "time zone"),
        ]
        .into_iter()
        .filter_map(|(c, f)| c.then_some(f))
        .collect();
        let action = RequestAction {
            at_ms: now,
            by: actor.audit_name(),
            what: "corrected".into(),
            detail: format!("changed: {}", changed.join(", ")),
        };
        self.store()
            .write(|tx| {
                attach(tx, request, user, &action)?;
                tx.update_user(&read, &rec)?;
                tx.append_audit(&ev)?;
                Ok(())
            })
            .await
            .map_err(super::request_error)?;
        Ok(rec.user)
    }
}
