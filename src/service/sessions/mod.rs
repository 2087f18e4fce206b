//! Logging in and out, and resolving a session token to the acting user.

mod expiry;
mod link;
pub use expiry::Purged;

use crate::store::prelude::*;
use serde_json::json;

use super::{new_secret, secret_key, Actor, Result, ServiceError, Sessions};
use crate::domain::codes;
use crate::domain::security::SecurityKind;
use crate::domain::user::{Email, User};
use crate::domain::{SessionKey, UserId};
use crate::store::conflict;
use crate::store::{Session, Tx, UserRecord};

/// A new session: the secret goes into the cookie, never into the store or a log.
pub struct SessionStart {
    pub token: String,
    pub user: User,
}

/// Only refresh `last_seen` this often, so reads stay reads.
const TOUCH_EVERY_MS: i64 = 60_000;

impl Sessions<'_> {
    /// Checks email and password and starts a new session. `old_token`, the session cookie the
    /// browser still held, if any, is revoked: a login always gets a new session id.
    pub async fn login(
        &self,
        actor: &Actor,
        email: &str,
        password: &str,
        user_agent: Option<String>,
        old_token: Option<&str>,
    ) -> Result<SessionStart> {
        self.throttle(actor, email).await?;
        let rec = match Email::parse(email) {
            Ok(e) => self.store().user_by_email(&e)?,
            Err(_) => None,
        };
        let hash = rec.as_ref().and_then(|r| r.password_hash.as_deref());
        let known = rec.as_ref().map(|r| r.user.id);
        // Always hash, also for unknown users: timing does not tell which emails exist.
        let ok = self.inner.passwords.verify(password, hash).await;
        let Some(rec) = rec.filter(|_| ok) else {
            let ev = self.event(
                actor,
                "session.login_failed",
                None,
                json!({ "email": email.trim().to_lowercase() }),
            );
            let mut se = self.security().event(
                actor,
                SecurityKind::LoginFailed,
                known,
                json!({ "reason": if known.is_some() { "wrong_password" } else { "unknown_email" } }),
            );
            if known.is_none() {
                se.email = Some(short_email(email));
            }
            self.store()
                .write(|tx| {
                    tx.append_audit(&ev)?;
                    tx.put_security_event(&se)
                })
                .await?;
            return Err(ServiceError::InvalidCredentials);
        };
        if rec.user.disabled {
            return Err(self
                .refuse_disabled(actor, rec.user.id, Method::Password)
                .await);
        }
        self.open_session(actor, rec, user_agent, old_token, Method::Password, |_| {
            Ok(())
        })
        .await
    }

    /// Revokes the session `token` belongs to.
    pub async fn logout(&self, actor: &Actor, token: &str) -> Result<()> {
        let key = secret_key(token);
        let Some(s) = self.store().session(&key)? else {
            return Ok(());
        };
        let ev = self.event(
            actor,
            "session.revoked",
            Some(format!("user:{}", s.user_id)),
            json!({ "reason": "logout" }),
        );
        let se = self
            .security()
            .event(actor, SecurityKind::Logout, Some(s.user_id), json!({}));
        self.store()
            .write(|tx| {
                tx.delete_session(s.user_id, &key)?;
                tx.append_audit(&ev)?;
                tx.put_security_event(&se)?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// Resolves a session token to its user, enforcing idle and absolute expiry and the
    /// account's state. Any failure is `Unauthenticated`.
    pub async fn authenticate(&self, token: &str, ip: Option<String>) -> Result<(Actor, User)> {
        let key = secret_key(token);
        let Some(mut s) = self.store().session(&key)? else {
            return Err(ServiceError::Unauthenticated);
        };
        let now = self.now();
        let expired = now > self.settings().session_ends_at(&s);
        let user = self.store().user(s.user_id)?.map(|r| r.user);
        let Some(user) = user.filter(|u| !u.disabled && !expired) else {
            // An expired session is removed; losing this delete in a crash is harmless, and so
            // is skipping it while a backup holds the write gate (the next request or the
            // expiry purge removes it).
            self.store()
                .try_write_unflushed(|tx| tx.delete_session(s.user_id, &key))?;
            return Err(ServiceError::Unauthenticated);
        };
        if now - s.last_seen_at_ms > TOUCH_EVERY_MS {
            s.last_seen_at_ms = now;
            // Skips the flush: a lost touch only makes a session look idle a minute earlier.
            // For the same reason a store that cannot write right now does not fail the
            // request: reads keep working while writes are refused. Nor does it wait while a
            // backup holds the write gate: the touch is skipped, and the next request makes it.
            if let Err(e) = self.store().try_write_unflushed(|tx| tx.touch_session(&s)) {
                if e.unavailable_code().is_none() {
                    return Err(e.into());
                }
            }
        }
        Ok((Actor::user(user.id, user.role, ip), user))
    }

    /// Records a sign-in refused because the account is disabled; the error to answer.
    async fn refuse_disabled(&self, actor: &Actor, user: UserId, method: Method) -> ServiceError {
        let body = match method {
            Method::Password => json!({ "reason": "account_disabled" }),
            Method::Link => json!({ "reason": "account_disabled", "method": "link" }),
        };
        let ev = self.event(
            actor,
            "session.login_refused",
            Some(format!("user:{user}")),
            body.clone(),
        );
        let se = self
            .security()
            .event(actor, SecurityKind::LoginRefused, Some(user), body);
        let written = self
            .store()
            .write(|tx| {
                tx.append_audit(&ev)?;
                tx.put_security_event(&se)
            })
            .await;
        match written {
            Ok(()) => ServiceError::AccountDisabled,
            Err(e) => e.into(),
        }
    }

    /// Refuses a sign-in attempt over the login throttle's quota, recording the lockout.
    async fn throttle(&self, actor: &Actor, email: &str) -> Result<()> {
        let Err(wait) = self.inner.login_throttle.check(actor.ip.as_deref(), email) else {
            return Ok(());
        };
        let retry_after_secs = wait.as_secs().max(1);
        // Whose sign-in was locked out, when the email is an account's (the security log
        // and its filter by person name it, #14); the typed email is kept either way.
        let locked = match Email::parse(email) {
            Ok(e) => self.store().user_by_email(&e)?.map(|r| r.user.id),
            Err(_) => None,
        };
        let mut se = self.security().event(
            actor,
            SecurityKind::LoginLockedOut,
            locked,
            json!({ "retry_after_secs": retry_after_secs }),
        );
        se.email = Some(short_email(email));
        self.store().write(|tx| tx.put_security_event(&se)).await?;
        Err(ServiceError::RateLimited { retry_after_secs })
    }

    /// Starts a session for `rec`, whose credentials were checked, revoking the one the
    /// browser still carried (`old_token`). `also` runs in the same transaction (a sign-in
    /// link is taken there, so it is used once).
    async fn open_session<F>(
        &self,
        actor: &Actor,
        mut rec: UserRecord,
        user_agent: Option<String>,
        old_token: Option<&str>,
        method: Method,
        also: F,
    ) -> Result<SessionStart>
    where
        F: Fn(&Tx<'_>) -> Result<(), crate::store::Abort>,
    {
        let now = self.now();
        let (token, key) = new_secret();
        let session = Session::new(key, rec.user.id, now, now, actor.ip.clone(), user_agent);
        rec.user.last_login_at_ms = Some(now);
        let old = old_token.map(secret_key);
        let old_session = match &old {
            Some(k) => self.store().session(k)?,
            None => None,
        };
        let as_user = Actor::user(rec.user.id, rec.user.role, actor.ip.clone())
            .with_agent(actor.user_agent.clone());
        let how = match method {
            Method::Password => json!({}),
            Method::Link => json!({ "method": "link" }),
        };
        let se = self.security().event(
            &as_user,
            SecurityKind::LoginSucceeded,
            Some(rec.user.id),
            how.clone(),
        );
        let ev = self.event(
            &as_user,
            "session.created",
            Some(format!("user:{}", rec.user.id)),
            how,
        );
        self.store()
            .write(|tx| {
                also(tx)?;
                if let Some(s) = &old_session {
                    tx.delete_session(s.user_id, &s.key())?;
                }
                // Read again here: only the login time changes, and only if the account is
                // still the one whose credentials were checked, still enabled.
                let Some(before) = tx.user(rec.user.id)? else {
                    return Err(conflict(codes::ACCOUNT_GONE));
                };
                if before.user.disabled || before.password_hash != rec.password_hash {
                    return Err(conflict(codes::ACCOUNT_GONE));
                }
                let mut after = before.clone();
                after.user.last_login_at_ms = Some(now);
                tx.put_session(&session)?;
                tx.update_user(&before, &after)?;
                tx.append_audit(&ev)?;
                tx.put_security_event(&se)?;
                Ok(())
            })
            .await?;
        Ok(SessionStart {
            token,
            user: rec.user,
        })
    }
}

/// How a session was opened.
#[derive(Clone, Copy)]
enum Method {
    Password,
    Link,
}

/// Removes every session of a user except `keep` inside a write transaction.
pub(super) fn end_sessions(
    tx: &Tx<'_>,
    user: crate::domain::UserId,
    keys: &[SessionKey],
    keep: Option<&SessionKey>,
) -> Result<usize, crate::store::Abort> {
    let mut n = 0;
    for k in keys.iter().filter(|k| Some(*k) != keep) {
        if tx.delete_session(user, k)? {
            n += 1;
        }
    }
    Ok(n)
}

/// The email typed at a sign-in, as a security event keeps it: trimmed, lower-cased, bounded.
fn short_email(email: &str) -> String {
    email.trim().to_lowercase().chars().take(254).collect()
}
