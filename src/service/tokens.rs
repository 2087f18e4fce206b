//! Personal API tokens: created by their owner in a browser session (the secret shown once),
//! listed, revoked by the owner or an admin, and resolved to the acting user for a request that
//! carries `Authorization: Bearer ott_…`. Every creation, revocation, refusal, and each first
//! use from a new address, is in the security log.

use base64::Engine;
use rand::RngCore;
use serde_json::json;

use super::actor::Grant;
use super::{secret_key, Actor, Result, ServiceError, Tokens};
use crate::domain::codes;
use crate::domain::security::SecurityKind;
use crate::domain::token::{self, ApiToken, TokenState};
use crate::domain::user::User;
use crate::domain::{Permission, SessionKey};
use crate::store::prelude::*;

/// What creating a token asks for.
#[derive(Debug, Clone, Default)]
pub struct NewToken {
    pub name: String,
    pub scopes: Vec<String>,
    /// Days until it expires; with neither this nor `expires_at_ms`: [`token::DEFAULT_DAYS`].
    pub expires_in_days: Option<u32>,
    /// When it expires, instead of a number of days.
    pub expires_at_ms: Option<i64>,
}

/// A token as its owner or an admin sees it, with the owner's name for an admin's list.
#[derive(Debug, Clone)]
pub struct TokenView {
    pub token: ApiToken,
    pub state: TokenState,
    pub owner: Option<(String, String)>,
}

impl TokenView {
    /// A token as its owner sees it at `now_ms` (no owner named).
    pub fn of(token: ApiToken, now_ms: i64) -> Self {
        Self {
            state: token.state(now_ms),
            token,
            owner: None,
        }
    }
}

/// Only record a token's last use this often, so reads stay reads.
const TOUCH_EVERY_MS: i64 = 60_000;

/// A new secret: `prefix` and 32 random bytes, base64url.
pub(super) fn new_token_secret(prefix: &str) -> (String, SessionKey) {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    let text = format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
    );
    let key = secret_key(&text);
    (text, key)
}

impl Tokens<'_> {
    /// Creates a personal API token for the signed-in caller; returns its secret (shown once)
    /// and the record. Roles: anyone signed in, in a browser session (never through a token);
    /// the `admin` scope only for admins and auditors. Audited as `api_token.created`.
    pub async fn create(&self, actor: &Actor, input: NewToken) -> Result<(String, ApiToken)> {
        actor.require_session()?;
        actor.require(Permission::ManageOwnAccount)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let role = actor.role.ok_or(ServiceError::Unauthenticated)?;
        let mut v = crate::domain::error::Validator::default();
        let name = v.check(token::parse_name(&input.name));
        let scopes = v.check(token::parse_scopes(&input.scopes, role));
        let now = self.now();
        let expires_at_ms = v.check(token::expiry(
            input.expires_in_days,
            input.expires_at_ms,
            now,
            self.settings().token_max_days,
        ));
        v.finish().map_err(|e| ServiceError::Invalid(e.0))?;
        let (Some(name), Some(scopes), Some(expires_at_ms)) = (name, scopes, expires_at_ms) else {
            unreachable!("the validator finished without errors");
        };
        let live = self
            .store()
            .api_tokens_where(|t| t.user_id == me && t.state(now) == TokenState::Active)?;
        if live.len() >= token::MAX_PER_USER {
            return Err(ServiceError::Conflict(codes::API_TOKEN_LIMIT));
        }
        let t = ApiToken {
            id: uuid::Uuid::now_v7(),
            user_id: me,
            name,
            scopes,
            created_at_ms: now,
            expires_at_ms,
            last_used_at_ms: None,
            last_used_ip: None,
            revoked_at_ms: None,
            revoked_by: None,
            calendar: None,
        };
        let (secret, key) = new_token_secret(token::PREFIX);
        self.write_new(actor, &key, &t).await?;
        Ok((secret, t))
    }

    /// Stores a new token or calendar subscription with its audit record and security event.
    pub(super) async fn write_new(
        &self,
        actor: &Actor,
        key: &SessionKey,
        t: &ApiToken,
    ) -> Result<()> {
        let body = describe(t);
        let action = if t.calendar.is_some() {
            "calendar_feed.created"
        } else {
            "api_token.created"
        };
        let ev = self.event(
            actor,
            action,
            Some(format!("user:{}", t.user_id)),
            body.clone(),
        );
        let se = self
            .security()
            .event(actor, SecurityKind::TokenCreated, Some(t.user_id), body);
        self.store()
            .write(|tx| {
                if tx.user(t.user_id)?.is_none_or(|u| u.user.disabled) {
                    return Err(crate::store::conflict(codes::ACCOUNT_GONE));
                }
                tx.put_api_token(key, t)?;
                tx.append_audit(&ev)?;
                tx.put_security_event(&se)?;
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// The caller's own API tokens (not calendar subscriptions), newest first, revoked and
    /// expired ones included until they are purged. Roles: anyone signed in.
    pub fn list_own(&self, actor: &Actor) -> Result<Vec<TokenView>> {
        actor.require(Permission::ManageOwnAccount)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        self.views(|t| t.user_id == me && t.calendar.is_none(), false)
    }

    /// Every API token of the instance with its owner, newest first. Roles: admin.
    pub fn list_all(&self, actor: &Actor) -> Result<Vec<TokenView>> {
        actor.require(Permission::ManageUsers)?;
        self.views(|t| t.calendar.is_none(), true)
    }

    pub(super) fn views(
        &self,
        keep: impl Fn(&ApiToken) -> bool,
        owners: bool,
    ) -> Result<Vec<TokenView>> {
        let now = self.now();
        let mut out: Vec<TokenView> = Vec::new();
        for (_, t) in self.store().api_tokens_where(keep)? {
            let owner = if owners {
                self.store().user(t.user_id)?.map(|r| {
                    (
                        r.user.name.as_str().to_owned(),
                        r.user.email.as_str().to_owned(),
                    )
                })
            } else {
                None
            };
            out.push(TokenView {
                state: t.state(now),
                token: t,
                owner,
            });
        }
        out.sort_by_key(|v| std::cmp::Reverse(v.token.created_at_ms));
        Ok(out)
    }

    /// Revokes a token or calendar subscription: its owner may, and an admin may revoke
    /// anyone's. Revoking one already revoked changes nothing. In a browser session only.
    /// Audited as `api_token.revoked` (or `calendar_feed.revoked`).
    pub async fn revoke(&self, actor: &Actor, id: uuid::Uuid) -> Result<TokenView> {
        actor.require_session()?;
        let me = actor.user_id();
        let admin = actor.allows(Permission::ManageUsers);
        self.retrying(|| async {
            let found = self.store().api_tokens_where(|t| t.id == id)?;
            let Some((key, before)) = found.into_iter().next() else {
                return Err(not_found_err());
            };
            if Some(before.user_id) != me && !admin {
                return Err(not_found_err());
            }
            let now = self.now();
            if before.revoked_at_ms.is_some() {
                return Ok(TokenView {
                    state: before.state(now),
                    token: before,
                    owner: None,
                });
            }
            let mut after = before.clone();
            after.revoked_at_ms = Some(now);
            if Some(before.user_id) != me {
                after.revoked_by = Some(actor.audit_name());
            }
            let body = describe(&after);
            let action = if after.calendar.is_some() {
                "calendar_feed.revoked"
            } else {
                "api_token.revoked"
            };
            let ev = self.event(
                actor,
                action,
                Some(format!("user:{}", after.user_id)),
                body.clone(),
            );
            let se =
                self.security()
                    .event(actor, SecurityKind::TokenRevoked, Some(after.user_id), body);
            self.store()
                .write(|tx| {
                    tx.update_api_token(&key, &before, &after)?;
                    tx.append_audit(&ev)?;
                    tx.put_security_event(&se)?;
                    Ok(())
                })
                .await?;
            Ok(TokenView {
                state: after.state(now),
                token: after,
                owner: None,
            })
        })
        .await
    }

    /// Resolves `Authorization: Bearer <secret>` to its user, acting through the token. Any
    /// failure is in the security log and answers `401` with why (`auth.token_invalid`,
    /// `…_expired`, `…_revoked`) or `403 auth.account_disabled`; the refusals of a client that
    /// keeps failing stop being logged once it is over the sign-in throttle's quota.
    pub async fn authenticate(&self, actor: &Actor, secret: &str) -> Result<(Actor, User)> {
        let now = self.now();
        let key = token::well_formed(secret).then(|| secret_key(secret));
        let found = match &key {
            Some(k) => self.store().api_token(k)?,
            None => None,
        };
        let Some((key, t)) = key.zip(found).filter(|(_, t)| t.calendar.is_none()) else {
            return Err(self.refuse(actor, None, codes::AUTH_TOKEN_INVALID).await);
        };
        match t.state(now) {
            TokenState::Active => {}
            TokenState::Expired => {
                return Err(self
                    .refuse(actor, Some(&t), codes::AUTH_TOKEN_EXPIRED)
                    .await)
            }
            TokenState::Revoked => {
                return Err(self
                    .refuse(actor, Some(&t), codes::AUTH_TOKEN_REVOKED)
                    .await)
            }
        }
        let user = self.store().user(t.user_id)?.map(|r| r.user);
        let Some(user) = user.filter(|u| !u.disabled) else {
            self.refuse(actor, Some(&t), codes::AUTH_ACCOUNT_DISABLED)
                .await;
            return Err(ServiceError::AccountDisabled);
        };
        let new_address = t.last_used_ip != actor.ip || t.last_used_at_ms.is_none();
        if new_address || now - t.last_used_at_ms.unwrap_or(0) > TOUCH_EVERY_MS {
            self.touch(actor, &key, &t, &user, new_address)?;
        }
        let as_user = Actor::user(user.id, user.role, actor.ip.clone())
            .with_agent(actor.user_agent.clone())
            .through(Grant {
                id: t.id,
                scopes: t.scopes.clone(),
            });
        Ok((as_user, user))
    }

    /// Records a token's last use; its first use from an address also goes to the security
    /// log. Unflushed, like a session's touch: a lost touch only makes a token look unused a
    /// minute longer. Skipped while the store cannot write (reads keep working).
    pub(super) fn touch(
        &self,
        actor: &Actor,
        key: &SessionKey,
        t: &ApiToken,
        user: &User,
        new_address: bool,
    ) -> Result<()> {
        let mut after = t.clone();
        after.last_used_at_ms = Some(self.now());
        after.last_used_ip = actor.ip.clone();
        let as_user =
            Actor::user(user.id, user.role, actor.ip.clone()).with_agent(actor.user_agent.clone());
        let se = new_address.then(|| {
            self.security().event(
                &as_user,
                SecurityKind::TokenUsed,
                Some(user.id),
                json!({ "token": t.id.to_string(), "name": t.name, "accepted": true }),
            )
        });
        let r = self.store().try_write_unflushed(|tx| {
            tx.touch_api_token(key, &after)?;
            if let Some(se) = &se {
                tx.put_security_event(se)?;
            }
            Ok(())
        });
        match r {
            Err(e) if e.unavailable_code().is_none() => Err(e.into()),
            _ => Ok(()),
        }
    }

    /// Records a refused token and returns the error. A client over its quota (the sign-in
    /// throttle's, per address) still gets its `401`, but no more events: a token cannot be
    /// guessed (256 bits), so the quota only keeps a failing script from flooding the log.
    async fn refuse(
        &self,
        actor: &Actor,
        t: Option<&ApiToken>,
        code: &'static str,
    ) -> ServiceError {
        let err = match code {
            codes::AUTH_ACCOUNT_DISABLED => ServiceError::AccountDisabled,
            c => ServiceError::TokenRefused(c),
        };
        let over_quota = self
            .inner
            .login_throttle
            .check(actor.ip.as_deref(), "\u{0}api-token")
            .is_err();
        if over_quota {
            return err;
        }
        let mut detail = json!({ "accepted": false, "reason": code });
        if let Some(t) = t {
            detail["token"] = json!(t.id.to_string());
            detail["name"] = json!(t.name);
        }
        let se =
            self.security()
                .event(actor, SecurityKind::TokenUsed, t.map(|t| t.user_id), detail);
        if let Err(e) = self.store().write(|tx| tx.put_security_event(&se)).await {
            return e.into();
        }
        err
    }

    /// Removes tokens a month after they stopped working; returns how many.
    pub async fn purge_stale(&self) -> Result<usize> {
        let now = self.now();
        let cov = self.holds().coverage()?;
        let stale = self
            .store()
            .api_tokens_where(|t| t.purge_after_ms() < now && cov.user(t.user_id).is_none())?;
        if stale.is_empty() {
            return Ok(0);
        }
        let ev = self.event(
            &Actor::system(),
            "maintenance.api_tokens_purged",
            None,
            json!({ "tokens": stale.len() }),
        );
        self.store()
            .write(|tx| {
                for (k, _) in &stale {
                    tx.delete_api_token(k)?;
                }
                tx.append_audit(&ev)?;
                Ok(())
            })
            .await?;
        Ok(stale.len())
    }
}

fn not_found_err() -> ServiceError {
    ServiceError::NotFound {
        kind: "API token",
        code: codes::API_TOKEN_NOT_FOUND,
    }
}

/// What the audit record and security event of a token say: never its secret.
fn describe(t: &ApiToken) -> serde_json::Value {
    let mut b = json!({
        "token": t.id.to_string(),
        "name": t.name,
        "scopes": t.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    });
    if t.expires_at_ms != i64::MAX {
        b["expires_at"] = json!(super::rfc3339(t.expires_at_ms));
    }
    if let Some(f) = &t.calendar {
        b["project"] = json!(f.project_id.map(|p| p.to_string()));
    }
    b
}
