//! User administration: create, edit, change role, disable and enable, issue reset links.

use crate::store::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{new_secret, rfc3339, Actor, Result, ServiceError, Users};
use crate::domain::codes;
use crate::domain::error::Validator;
use crate::domain::security::SecurityKind;
use crate::domain::user::{DisplayName, Email, NewProfile, TimeZone, User};
use crate::domain::{ClientId, DomainError, Permission, Role, UserId};
use crate::store::{OneTimeToken, TokenKind, UserRecord};

/// Input for a new user, as received (validated here).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewUser {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub time_zone: String,
    /// For the `client` role: the client whose portal they see.
    #[serde(default)]
    pub client_id: Option<ClientId>,
}

/// Changes to a user; `None` means unchanged.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UserPatch {
    pub name: Option<String>,
    pub email: Option<String>,
    pub role: Option<Role>,
    pub time_zone: Option<String>,
    /// `Some(None)` unlinks a client account from its client.
    #[serde(default)]
    pub client_id: Option<Option<ClientId>>,
}

/// A one-time link and when it stops working.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Link {
    pub url: String,
    pub expires_at_ms: i64,
    /// Whether the link was also e-mailed to its person (`[email]` configured).
    #[serde(default)]
    pub emailed: bool,
}

fn target(id: UserId) -> Option<String> {
    Some(format!("user:{id}"))
}

impl Users<'_> {
    /// Creates a user without a password and returns a one-time link to set one.
    /// Roles: admin.
    pub async fn create(&self, actor: &Actor, new: NewUser) -> Result<(User, Link)> {
        actor.require(Permission::ManageUsers)?;
        let NewProfile {
            name,
            email,
            time_zone,
        } = NewProfile::parse(&new.name, &new.email, &new.time_zone, Ok(()))?;
        let client_id = self.portal_link(new.role, new.client_id)?;
        let now = self.now();
        let user = User {
            id: UserId::new(now),
            email,
            name,
            role: new.role,
            time_zone,
            disabled: false,
            created_at_ms: now,
            updated_at_ms: now,
            last_login_at_ms: None,
            disabled_at_ms: None,
            client_id,
        };
        let rec = UserRecord {
            user: user.clone(),
            password_hash: None,
            mail_prefs: Default::default(),
        };
        let (mut link, key, token) = self.reset_token(user.id, now);
        let invitation = self.mail().invitation(&rec, &link);
        link.emailed = invitation.is_some();
        let ev = self.event(
            actor,
            "user.created",
            target(user.id),
            json!({ "email": user.email, "name": user.name, "role": user.role, "time_zone": user.time_zone, "client_id": user.client_id, "invitation_emailed": link.emailed }),
        );
        let se = self.security().event(
            actor,
            SecurityKind::LinkIssued,
            Some(user.id),
            json!({ "link": "set_password" }),
        );
        self.store()
            .write(|tx| {
                tx.insert_user(&rec)?;
                tx.put_token(&key, &token)?;
                if let Some(m) = &invitation {
                    tx.put_outbox(m)?;
                }
                tx.append_audit(&ev)?;
                tx.put_security_event(&se)?;
                Ok(())
            })
            .await?;
        tracing::info!(user_id = %user.id, role = %user.role, "user created");
        Ok((user, link))
    }

    /// One user; the read is recorded as `user.viewed`. Roles: admin.
    pub async fn get(&self, actor: &Actor, id: UserId) -> Result<User> {
        actor.require(Permission::ManageUsers)?;
        let user = self.user_record(id)?.user;
        self.record_view(actor, "user.viewed", target(id), json!({}))
            .await?;
        Ok(user)
    }

    /// The name of the person an actor label (`user:<id>`) names, if it is a user who still exists.
    /// Used to name actors in the audit log, holds and security events.
    pub fn actor_name(&self, label: &str) -> Option<String> {
        let id: UserId = label.strip_prefix("user:")?.parse().ok()?;
        let rec = self.store().user(id).ok()??;
        Some(rec.user.name.as_str().to_owned())
    }

    /// Finds a user by id or email (CLI convenience). Roles: admin.
    pub fn find(&self, actor: &Actor, id_or_email: &str) -> Result<User> {
        actor.require(Permission::ManageUsers)?;
        let found = match id_or_email.parse::<UserId>() {
            Ok(id) => self.store().user(id)?,
            Err(_) => match Email::parse(id_or_email) {
                Ok(e) => self.store().user_by_email(&e)?,
                Err(_) => None,
            },
        };
        found.map(|r| r.user).ok_or(ServiceError::NotFound {
            kind: "user",
            code: codes::USER_NOT_FOUND,
        })
    }

    /// Users ordered by email; reading the first page is recorded as `users.listed`.
    /// Roles: admin.
    pub async fn list(
        &self,
        actor: &Actor,
        after: Option<&str>,
        limit: usize,
        q: Option<&str>,
    ) -> Result<(Vec<User>, Option<String>)> {
        actor.require(Permission::ManageUsers)?;
        let page = self.store().list_users(after, limit.clamp(1, 500), q)?;
        if after.is_none() {
            let body = json!({ "q": q, "count": page.0.len() });
            self.record_view(actor, "users.listed", None, body).await?;
        }
        Ok(page)
    }

    /// Edits name, email, role or time zone. Roles: admin; a role only in a browser session
    /// (never through an API token).
    pub async fn update(&self, actor: &Actor, id: UserId, patch: UserPatch) -> Result<User> {
        actor.require(Permission::ManageUsers)?;
        if patch.role.is_some() {
            actor.require_session()?;
        }
        let mut v = Validator::default();
        let name = patch
            .name
            .as_deref()
            .and_then(|n| v.check(DisplayName::parse(n)));
        let email = patch
            .email
            .as_deref()
            .and_then(|e| v.check(Email::parse(e)));
        let tz = patch
            .time_zone
            .as_deref()
            .and_then(|z| v.check(TimeZone::parse(z)));
        v.finish()?;
        let _guard = self.inner.admin_guard.lock().await;
        let (name, email, tz, patch) = (&name, &email, &tz, &patch);
        self.retrying(|| async move {
            let mut rec = self.user_record(id)?;
            let before = rec.user.clone();
            if let Some(role) = patch.role {
                if before.role == Role::Admin && role != Role::Admin && !before.disabled {
                    self.ensure_other_admin()?;
                }
                rec.user.role = role;
            }
            // A client account keeps its client unless told otherwise; any other role has none.
            let wanted = patch.client_id.unwrap_or(rec.user.client_id);
            rec.user.client_id = match rec.user.role {
                Role::Client => self.portal_link(Role::Client, wanted)?,
                _ if patch.client_id.flatten().is_some() => {
                    self.portal_link(rec.user.role, wanted)?
                }
                _ => None,
            };
            rec.user
                .set_personal(name.as_ref(), email.as_ref(), tz.as_ref());
            self.save_change(actor, "user.updated", &before, rec).await
        })
        .await
    }

    /// The client a new or changed account is linked to: only a `client` account has one, and
    /// it must exist.
    fn portal_link(&self, role: Role, client: Option<ClientId>) -> Result<Option<ClientId>> {
        let Some(c) = client else { return Ok(None) };
        if role != Role::Client {
            return Err(DomainError::field(
                "client_id",
                "not_client_role",
                "only an account with the client role is linked to a client",
            )
            .into());
        }
        if self.store().client(c)?.is_none() {
            return Err(DomainError::field("client_id", "unknown", "no such client").into());
        }
        Ok(Some(c))
    }

    /// Disables a user and ends every session of theirs at once. Roles: admin.
    pub async fn disable(&self, actor: &Actor, id: UserId) -> Result<User> {
        actor.require(Permission::ManageUsers)?;
        if actor.user_id() == Some(id) {
            return Err(ServiceError::Conflict(codes::USER_SELF_DISABLE));
        }
        let _guard = self.inner.admin_guard.lock().await;
        self.retrying(|| self.disable_user_once(actor, id)).await
    }

    async fn disable_user_once(&self, actor: &Actor, id: UserId) -> Result<User> {
        let mut rec = self.user_record(id)?;
        if rec.user.disabled {
            return Ok(rec.user);
        }
        let before = rec.clone();
        if rec.user.role == Role::Admin {
            self.ensure_other_admin()?;
        }
        rec.user.disabled = true;
        rec.user.updated_at_ms = self.now();
        rec.user.disabled_at_ms = Some(rec.user.updated_at_ms);
        let sessions = self.store().session_keys_of(id)?;
        let se = self.security().event(
            actor,
            SecurityKind::AccountDisabled,
            Some(id),
            json!({ "sessions_ended": sessions.len() }),
        );
        let ev = self.event(
            actor,
            "user.disabled",
            target(id),
            json!({ "sessions_ended": sessions.len() }),
        );
        self.store()
            .write(|tx| {
                tx.update_user(&before, &rec)?;
                for k in &sessions {
                    tx.delete_session(id, k)?;
                }
                tx.append_audit(&ev)?;
                tx.put_security_event(&se)?;
                Ok(())
            })
            .await?;
        tracing::info!(user_id = %id, sessions = sessions.len(), "user disabled");
        Ok(rec.user)
    }

    /// Roles: admin.
    pub async fn enable(&self, actor: &Actor, id: UserId) -> Result<User> {
        actor.require(Permission::ManageUsers)?;
        self.retrying(|| async move {
            let mut rec = self.user_record(id)?;
            let before = rec.user.clone();
            rec.user.disabled = false;
            rec.user.disabled_at_ms = None;
            self.save_change(actor, "user.enabled", &before, rec).await
        })
        .await
    }

    /// Stores `rec` if it differs from `before`, audited as `action` with the changed fields'
    /// before and after values; an unchanged record is not written.
    pub(super) async fn save_change(
        &self,
        actor: &Actor,
        action: &str,
        before: &User,
        mut rec: UserRecord,
    ) -> Result<User> {
        if &rec.user == before {
            return Ok(rec.user);
        }
        rec.user.updated_at_ms = self.now();
        let target = Some(format!("user:{}", rec.user.id));
        let ev = self.event(actor, action, target, change_body(before, &rec.user));
        let mut events = Vec::new();
        if before.role != rec.user.role {
            let detail = json!({ "from": before.role, "to": rec.user.role });
            events.push(self.security().event(
                actor,
                SecurityKind::RoleChanged,
                Some(rec.user.id),
                detail,
            ));
        }
        if before.disabled && !rec.user.disabled {
            events.push(self.security().event(
                actor,
                SecurityKind::AccountEnabled,
                Some(rec.user.id),
                json!({}),
            ));
        }
        // What `rec` was read as: the same record with the user as it was.
        let read = UserRecord {
            user: before.clone(),
            password_hash: rec.password_hash.clone(),
            mail_prefs: rec.mail_prefs,
        };
        self.commit(&ev, |tx| {
            tx.update_user(&read, &rec)?;
            events.iter().try_for_each(|e| tx.put_security_event(e))
        })
        .await?;
        Ok(rec.user)
    }

    /// Issues a one-time link that sets a new password. Roles: admin, in a browser session
    /// (never through an API token).
    pub async fn issue_reset_link(&self, actor: &Actor, id: UserId) -> Result<Link> {
        actor.require(Permission::ManageUsers)?;
        actor.require_session()?;
        let rec = self.user_record(id)?;
        let (mut link, key, token) = self.reset_token(rec.user.id, self.now());
        let mail = self.mail().reset_link(&rec, &link);
        link.emailed = mail.is_some();
        let older = self.store().token_keys_of(TokenKind::Reset, id)?;
        let ev = self.event(
            actor,
            "user.reset_link_issued",
            target(id),
            json!({ "expires_at": rfc3339(link.expires_at_ms), "older_links_retired": older.len(), "emailed": link.emailed }),
        );
        let se = self.security().event(
            actor,
            SecurityKind::LinkIssued,
            Some(id),
            json!({ "link": "reset" }),
        );
        self.store()
            .write(|tx| {
                for k in &older {
                    tx.delete_token(k)?;
                }
                tx.put_token(&key, &token)?;
                if let Some(m) = &mail {
                    tx.put_outbox(m)?;
                }
                tx.append_audit(&ev)?;
                tx.put_security_event(&se)?;
                Ok(())
            })
            .await?;
        Ok(link)
    }

    fn user_record(&self, id: UserId) -> Result<UserRecord> {
        self.store().user(id)?.ok_or(ServiceError::NotFound {
            kind: "user",
            code: codes::USER_NOT_FOUND,
        })
    }

    /// Fails with `user.last_admin` unless another enabled admin exists (caller holds the guard).
    fn ensure_other_admin(&self) -> Result<()> {
        if self.setup().count_enabled_admins()? <= 1 {
            return Err(ServiceError::Conflict(codes::USER_LAST_ADMIN));
        }
        Ok(())
    }

    fn reset_token(
        &self,
        user: UserId,
        now: i64,
    ) -> (Link, crate::domain::SessionKey, OneTimeToken) {
        let (secret, key) = new_secret();
        let expires = now + self.settings().reset_link_ttl.as_millis() as i64;
        let link = Link {
            url: format!("{}/reset#token={secret}", self.settings().base_url),
            expires_at_ms: expires,
            emailed: false,
        };
        let token = OneTimeToken {
            kind: TokenKind::Reset,
            user_id: Some(user),
            created_at_ms: now,
            expires_at_ms: expires,
            binding: None,
        };
        (link, key, token)
    }
}

/// `{field: {before, after}}` for the fields that changed.
pub(super) fn change_body(a: &User, b: &User) -> serde_json::Value {
    let (ja, jb) = (json!(a), json!(b));
    let mut out = serde_json::Map::new();
    for k in ["email", "name", "role", "time_zone", "disabled"] {
        if ja[k] != jb[k] {
            out.insert(k.into(), json!({ "before": ja[k], "after": jb[k] }));
        }
    }
    serde_json::Value::Object(out)
}
