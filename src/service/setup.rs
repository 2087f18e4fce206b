//! First run: while no enabled admin exists, a one-time setup link creates the first one.

use crate::store::prelude::*;
use std::sync::atomic::Ordering;

use serde_json::json;

use super::{
    new_secret, secret_key, Actor, Link, NewUser, Result, ServiceError, SessionStart, Setup,
};
use crate::domain::codes;
use crate::domain::security::SecurityKind;
use crate::domain::user::{check_new_password, NewProfile, User};
use crate::domain::{Role, UserId};
use crate::store::{conflict, OneTimeToken, Session, TokenKind, UserRecord};

impl Setup<'_> {
    /// Whether the instance still needs its first admin. Once an enabled admin exists one always
    /// will (the last one cannot be disabled or demoted), so that answer is kept.
    pub fn needed(&self) -> Result<bool> {
        if self.inner.setup_done.load(Ordering::Relaxed) {
            return Ok(false);
        }
        let needed = self.count_enabled_admins()? == 0;
        self.inner.setup_done.store(!needed, Ordering::Relaxed);
        Ok(needed)
    }

    /// Enabled users with the admin role.
    pub(super) fn count_enabled_admins(&self) -> Result<usize> {
        Ok(self
            .store()
            .count_users_where(|u| u.role == Role::Admin && !u.disabled)?)
    }

    /// When no admin exists, retires any older setup token and issues a new one (1 hour).
    /// Returns `None` when setup is done.
    pub async fn issue_link(&self) -> Result<Option<Link>> {
        if !self.needed()? {
            return Ok(None);
        }
        let now = self.now();
        let old = self.store().token_keys(TokenKind::Setup)?;
        let (secret, key) = new_secret();
        let expires = now + self.settings().setup_link_ttl.as_millis() as i64;
        let token = OneTimeToken {
            kind: TokenKind::Setup,
            user_id: None,
            created_at_ms: now,
            expires_at_ms: expires,
            binding: None,
        };
        let ev = self.event(
            &Actor::system(),
            "instance.setup_link_issued",
            None,
            json!({ "expires_at": super::rfc3339(expires), "earlier_links_retired": old.len() }),
        );
        let se = self.security().event(
            &Actor::system(),
            SecurityKind::LinkIssued,
            None,
            json!({ "link": "setup" }),
        );
        self.store()
            .write(|tx| {
                for k in &old {
                    tx.delete_token(k)?;
                }
                tx.put_token(&key, &token)?;
                tx.append_audit(&ev)?;
                tx.put_security_event(&se)?;
                Ok(())
            })
            .await?;
        Ok(Some(Link {
            url: format!("{}/setup#token={secret}", self.settings().base_url),
            expires_at_ms: expires,
            emailed: false,
        }))
    }

    /// Creates the first admin with the setup token and signs them in. Roles: public.
    pub async fn complete(
        &self,
        actor: &Actor,
        token: &str,
        new: NewUser,
        password: &str,
        user_agent: Option<String>,
    ) -> Result<SessionStart> {
        let key = secret_key(token);
        let now = self.now();
        let valid = self
            .store()
            .token(&key)?
            .is_some_and(|t| t.kind == TokenKind::Setup && t.expires_at_ms > now);
        if !valid {
            return Err(if self.needed()? {
                ServiceError::InvalidToken
            } else {
                ServiceError::Conflict(codes::SETUP_ALREADY_DONE)
            });
        }
        let min = self.settings().min_password_length;
        let profile = NewProfile::parse(
            &new.name,
            &new.email,
            &new.time_zone,
            check_new_password("password", password, min),
        )?;
        let _guard = self.inner.admin_guard.lock().await;
        if !self.needed()? {
            return Err(ServiceError::Conflict(codes::SETUP_ALREADY_DONE));
        }
        let hash = self.inner.passwords.hash(password).await?;
        let user = User {
            id: UserId::new(now),
            email: profile.email,
            name: profile.name,
            role: Role::Admin,
            time_zone: profile.time_zone,
            disabled: false,
            created_at_ms: now,
            updated_at_ms: now,
            last_login_at_ms: Some(now),
            disabled_at_ms: None,
            client_id: None,
        };
        let rec = UserRecord {
            user: user.clone(),
            password_hash: Some(hash),
            mail_prefs: Default::default(),
        };
        let (session_token, session_key) = new_secret();
        let session = Session::new(session_key, user.id, now, now, actor.ip.clone(), user_agent);
        let as_admin = Actor::user(user.id, Role::Admin, actor.ip.clone());
        let target = Some(format!("user:{}", user.id));
        let created = self.event(&as_admin, "user.created", target.clone(), json!({ "email": user.email, "name": user.name, "role": user.role, "time_zone": user.time_zone }));
        let done = self.event(&as_admin, "instance.setup_completed", target, json!({}));
        let as_admin = as_admin.with_agent(actor.user_agent.clone());
        let used = self.security().event(
            &as_admin,
            SecurityKind::LinkUsed,
            Some(user.id),
            json!({ "link": "setup" }),
        );
        let login = self.security().event(
            &as_admin,
            SecurityKind::LoginSucceeded,
            Some(user.id),
            json!({ "how": "setup" }),
        );
        self.store()
            .write(|tx| {
                let t = tx.take_token(&key)?;
                if !t.is_some_and(|t| t.kind == TokenKind::Setup && t.expires_at_ms > now) {
                    return Err(conflict(codes::TOKEN_INVALID));
                }
                tx.insert_user(&rec)?;
                tx.put_session(&session)?;
                tx.append_audit(&created)?;
                tx.append_audit(&done)?;
                tx.put_security_event(&used)?;
                tx.put_security_event(&login)?;
                Ok(())
            })
            .await?;
        tracing::info!(user_id = %user.id, "first admin created through the setup link");
        Ok(SessionStart {
            token: session_token,
            user,
        })
    }
}
