//! A user's own account: profile, password change, password reset through a one-time link.

use crate::store::prelude::*;
use serde_json::json;

use super::sessions::end_sessions;
use super::{secret_key, Account, Actor, Result, ServiceError};
use crate::domain::codes;
use crate::domain::error::Validator;
use crate::domain::security::SecurityKind;
use crate::domain::user::{check_new_password, DisplayName, TimeZone, User};
use crate::domain::{FieldError, Permission};
use crate::store::{conflict, TokenKind};

impl Account<'_> {
    /// The signed-in user. Roles: any.
    pub fn me(&self, actor: &Actor) -> Result<User> {
        actor.require(Permission::ManageOwnAccount)?;
        let id = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        self.store()
            .user(id)?
            .map(|r| r.user)
            .ok_or(ServiceError::Unauthenticated)
    }

    /// Changes one's own name and time zone. Roles: any.
    pub async fn update_profile(
        &self,
        actor: &Actor,
        name: Option<String>,
        time_zone: Option<String>,
    ) -> Result<User> {
        actor.require(Permission::ManageOwnAccount)?;
        let id = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let mut v = Validator::default();
        let name = name.as_deref().and_then(|n| v.check(DisplayName::parse(n)));
        let tz = time_zone
            .as_deref()
            .and_then(|z| v.check(TimeZone::parse(z)));
        v.finish()?;
        let (name, tz) = (&name, &tz);
        self.retrying(|| async move {
            let mut rec = self
                .store()
                .user(id)?
                .ok_or(ServiceError::Unauthenticated)?;
            let before = rec.user.clone();
            rec.user.set_personal(name.as_ref(), None, tz.as_ref());
            self.users()
                .save_change(actor, "profile.updated", &before, rec)
                .await
        })
        .await
    }

    /// Changes one's own password (the current one is needed) and ends every other session.
    /// Roles: any, in a browser session (never through an API token).
    pub async fn change_password(
        &self,
        actor: &Actor,
        current_token: &str,
        current: &str,
        new: &str,
    ) -> Result<()> {
        actor.require_session()?;
        actor.require(Permission::ManageOwnAccount)?;
        let id = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        check_new_password("new_password", new, self.settings().min_password_length)?;
        let mut rec = self
            .store()
            .user(id)?
            .ok_or(ServiceError::Unauthenticated)?;
        let before = rec.clone();
        if !self
            .inner
            .passwords
            .verify(current, rec.password_hash.as_deref())
            .await
        {
            return Err(ServiceError::Invalid(vec![FieldError::new(
                "current_password",
                "wrong_password",
                "the current password is wrong",
            )]));
        }
        rec.password_hash = Some(self.inner.passwords.hash(new).await?);
        rec.user.updated_at_ms = self.now();
        let keep = secret_key(current_token);
        let sessions = self.store().session_keys_of(id)?;
        let ev = self.event(
            actor,
            "password.changed",
            Some(format!("user:{id}")),
            json!({ "other_sessions_ended": sessions.iter().filter(|k| **k != keep).count() }),
        );
        let se = self.security().event(
            actor,
            SecurityKind::PasswordChanged,
            Some(id),
            json!({ "how": "account" }),
        );
        self.store()
            .write(|tx| {
                // A concurrent change to the account (Stale) fails this one: the password
                // was checked against what was read, so the person sends it again.
                tx.update_user(&before, &rec)?;
                end_sessions(tx, id, &sessions, Some(&keep))?;
                tx.append_audit(&ev)?;
                tx.put_security_event(&se)?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// Sets a password through a one-time reset link and ends every session of that user.
    /// Roles: public (the token is the authorization).
    pub async fn reset_password(&self, actor: &Actor, token: &str, new: &str) -> Result<()> {
        check_new_password("new_password", new, self.settings().min_password_length)?;
        let key = secret_key(token);
        let now = self.now();
        let t = self
            .store()
            .token(&key)?
            .filter(|t| t.kind == TokenKind::Reset && t.expires_at_ms > now)
            .ok_or(ServiceError::InvalidToken)?;
        let id = t.user_id.ok_or(ServiceError::InvalidToken)?;
        let hash = self.inner.passwords.hash(new).await?;
        let sessions = self.store().session_keys_of(id)?;
        let other_links = self.store().token_keys_of(TokenKind::Reset, id)?;
        let ev = self.event(
            actor,
            "password.reset",
            Some(format!("user:{id}")),
            json!({ "sessions_ended": sessions.len() }),
        );
        let used = self.security().event(
            actor,
            SecurityKind::LinkUsed,
            Some(id),
            json!({ "link": "reset" }),
        );
        let changed = self.security().event(
            actor,
            SecurityKind::PasswordChanged,
            Some(id),
            json!({ "how": "reset_link" }),
        );
        self.store()
            .write(|tx| {
                let t = tx.take_token(&key)?;
                let Some(t) = t.filter(|t| t.kind == TokenKind::Reset && t.expires_at_ms > now)
                else {
                    return Err(conflict(codes::TOKEN_INVALID));
                };
                let Some(before) = t.user_id.map(|u| tx.user(u)).transpose()?.flatten() else {
                    return Err(conflict(codes::TOKEN_INVALID));
                };
                let mut rec = before.clone();
                rec.password_hash = Some(hash.clone());
                rec.user.updated_at_ms = now;
                tx.update_user(&before, &rec)?;
                end_sessions(tx, rec.user.id, &sessions, None)?;
                for k in other_links.iter().filter(|k| **k != key) {
                    tx.delete_token(k)?;
                }
                tx.append_audit(&ev)?;
                tx.put_security_event(&used)?;
                tx.put_security_event(&changed)?;
                Ok(())
            })
            .await?;
        Ok(())
    }
}
