//! Signing in with a one-time link e-mailed to the person (`auth.sign_in_links`, which needs
//! `[email]`). The browser that asks gets a binding secret it keeps; the e-mailed link works
//! only together with it, once, for `auth.sign_in_link_ttl`. Asking counts against the login
//! throttle, and the answer is the same whether the email belongs to an account or not.

use serde_json::json;
use sha2::{Digest, Sha256};

use super::{short_email, Method, SessionStart};
use crate::domain::codes;
use crate::domain::security::SecurityKind;
use crate::domain::user::Email;
use crate::service::{new_secret, rfc3339, secret_key, Actor, Result, ServiceError, Sessions};
use crate::store::prelude::*;
use crate::store::{conflict, OneTimeToken, TokenKind, UserRecord};

/// The answer to "e-mail me a sign-in link": the same whether or not an account matched.
pub struct LinkRequested {
    /// The secret the asking browser keeps and sends back with the link's token.
    pub binding: String,
    pub expires_at_ms: i64,
}

/// The throttle's key for redeeming links: one quota per client address.
const REDEEM_KEY: &str = "\u{0}sign-in-link";

impl Sessions<'_> {
    /// E-mails a one-time sign-in link to the account `email` names, if it is enabled; retires
    /// that person's earlier links. Roles: public.
    pub async fn request_link(&self, actor: &Actor, email: &str) -> Result<LinkRequested> {
        let ttl = self
            .settings()
            .sign_in_link_ttl
            .ok_or(ServiceError::Conflict(codes::AUTH_SIGN_IN_LINKS_OFF))?;
        self.throttle(actor, email).await?;
        let now = self.now();
        let expires_at_ms = now + ttl.as_millis() as i64;
        let (binding, _) = new_secret();
        let answer = LinkRequested {
            binding: binding.clone(),
            expires_at_ms,
        };
        let rec = match Email::parse(email) {
            Ok(e) => self.store().user_by_email(&e)?,
            Err(_) => None,
        };
        let Some(rec) = rec else {
            let mut se = self.security().event(
                actor,
                SecurityKind::LoginFailed,
                None,
                json!({ "reason": "unknown_email", "method": "link" }),
            );
            se.email = Some(short_email(email));
            self.store().write(|tx| tx.put_security_event(&se)).await?;
            return Ok(answer);
        };
        if rec.user.disabled {
            // Recorded, and answered as any other request: the page says "if it has an account".
            // Only a failure to record it (the store cannot write) is an error.
            return match self.refuse_disabled(actor, rec.user.id, Method::Link).await {
                ServiceError::AccountDisabled => Ok(answer),
                e => Err(e),
            };
        }
        let (secret, key) = new_secret();
        let token = OneTimeToken {
            kind: TokenKind::SignIn,
            user_id: Some(rec.user.id),
            created_at_ms: now,
            expires_at_ms,
            binding: Some(binding_hash(&binding)),
        };
        let url = format!("{}/signin#token={secret}", self.settings().base_url);
        let minutes = ttl.as_secs().div_ceil(60);
        let mail = self
            .mail()
            .sign_in_link(&rec, &url, minutes)
            .ok_or(ServiceError::Conflict(codes::EMAIL_NOT_CONFIGURED))?;
        let older = self.store().token_keys_of(TokenKind::SignIn, rec.user.id)?;
        let target = Some(format!("user:{}", rec.user.id));
        let ev = self.event(
            actor,
            "session.link_sent",
            target,
            json!({ "expires_at": rfc3339(expires_at_ms), "earlier_links_retired": older.len() }),
        );
        let se = self.security().event(
            actor,
            SecurityKind::LinkIssued,
            Some(rec.user.id),
            json!({ "link": "sign_in" }),
        );
        self.store()
            .write(|tx| {
                for k in &older {
                    tx.delete_token(k)?;
                }
                tx.put_token(&key, &token)?;
                tx.put_outbox(&mail)?;
                tx.append_audit(&ev)?;
                tx.put_security_event(&se)?;
                Ok(())
            })
            .await?;
        Ok(answer)
    }

    /// Signs in with a sign-in link's token, from the browser holding its `binding`. The link
    /// is used up by the session it starts; `old_token` (the browser's earlier session) is
    /// revoked. Roles: public (the link and the binding are the authorization).
    pub async fn redeem_link(
        &self,
        actor: &Actor,
        token: &str,
        binding: &str,
        user_agent: Option<String>,
        old_token: Option<&str>,
    ) -> Result<SessionStart> {
        if self.settings().sign_in_link_ttl.is_none() {
            return Err(ServiceError::Conflict(codes::AUTH_SIGN_IN_LINKS_OFF));
        }
        if let Err(wait) = (self.inner.login_throttle).check(actor.ip.as_deref(), REDEEM_KEY) {
            return Err(ServiceError::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            });
        }
        let key = secret_key(token);
        let now = self.now();
        let found = self.store().token(&key)?;
        let link = found.filter(|t| t.kind == TokenKind::SignIn);
        let bound = binding_hash(binding);
        let refusal = match &link {
            None => Some("link_invalid"),
            Some(t) if t.expires_at_ms <= now => Some("link_expired"),
            Some(t) if !same(t.binding.as_deref(), &bound) => Some("other_browser"),
            Some(_) => None,
        };
        let rec: Option<UserRecord> = match link.as_ref().and_then(|t| t.user_id) {
            Some(u) => self.store().user(u)?,
            None => None,
        };
        if let Some(reason) = refusal {
            let se = self.security().event(
                actor,
                SecurityKind::LoginFailed,
                rec.as_ref().map(|r| r.user.id),
                json!({ "reason": reason, "method": "link" }),
            );
            self.store().write(|tx| tx.put_security_event(&se)).await?;
            return Err(match reason {
                "other_browser" => ServiceError::Denied(codes::AUTH_LINK_OTHER_BROWSER),
                _ => ServiceError::InvalidToken,
            });
        }
        let Some(rec) = rec else {
            return Err(ServiceError::InvalidToken);
        };
        if rec.user.disabled {
            return Err(self.refuse_disabled(actor, rec.user.id, Method::Link).await);
        }
        let used = self.security().event(
            actor,
            SecurityKind::LinkUsed,
            Some(rec.user.id),
            json!({ "link": "sign_in" }),
        );
        let take = |tx: &crate::store::Tx<'_>| {
            // Taken here, in the transaction that starts the session: a link starts one.
            let t = tx.take_token(&key)?;
            let fresh = t.is_some_and(|t| {
                t.kind == TokenKind::SignIn
                    && t.expires_at_ms > now
                    && same(t.binding.as_deref(), &bound)
            });
            if !fresh {
                return Err(conflict(codes::TOKEN_INVALID));
            }
            tx.put_security_event(&used)?;
            Ok(())
        };
        self.open_session(actor, rec, user_agent, old_token, Method::Link, take)
            .await
    }
}

/// How a binding is kept: the SHA-256 of the secret, in hex.
fn binding_hash(binding: &str) -> String {
    hex::encode(Sha256::digest(binding.as_bytes()))
}

/// Whether a stored binding is `hash`. Both are digests of secrets, so comparing them in
/// variable time tells an observer nothing about the secret.
fn same(stored: Option<&str>, hash: &str) -> bool {
    stored == Some(hash)
}
