//! Stored layout of a user account (with its password hash).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::user::{DisplayName, Email, TimeZone, User};
use crate::domain::Role;
use crate::store::UserRecord;

/// A role as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoredRole {
    Admin,
    Manager,
    Member,
    Client,
    Auditor,
}

impl From<Role> for StoredRole {
    fn from(r: Role) -> Self {
        match r {
            Role::Admin => Self::Admin,
            Role::Manager => Self::Manager,
            Role::Member => Self::Member,
            Role::Client => Self::Client,
            Role::Auditor => Self::Auditor,
        }
    }
}

impl From<StoredRole> for Role {
    fn from(r: StoredRole) -> Self {
        match r {
            StoredRole::Admin => Self::Admin,
            StoredRole::Manager => Self::Manager,
            StoredRole::Member => Self::Member,
            StoredRole::Client => Self::Client,
            StoredRole::Auditor => Self::Auditor,
        }
    }
}

/// The account part of a `users` value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredUser {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: StoredRole,
    pub time_zone: String,
    pub disabled: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub last_login_at_ms: Option<i64>,
    #[serde(default)]
    pub disabled_at_ms: Option<i64>,
    /// For the `client` role: the client whose portal the account sees (schema 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<Uuid>,
}

/// The `users` tree's value: the account and, beside it, the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredUserRecord {
    pub user: StoredUser,
    #[serde(default)]
    pub password_hash: Option<String>,
    /// The e-mail notifications turned off (`week_decisions`, `privacy_deadlines`,
    /// `backup_failures`); absent when all are on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mail_off: Vec<String>,
}

impl From<&UserRecord> for StoredUserRecord {
    fn from(r: &UserRecord) -> Self {
        let u = &r.user;
        Self {
            user: StoredUser {
                id: u.id.into(),
                email: u.email.as_str().to_owned(),
                name: u.name.as_str().to_owned(),
                role: u.role.into(),
                time_zone: u.time_zone.as_str().to_owned(),
                disabled: u.disabled,
                created_at_ms: u.created_at_ms,
                updated_at_ms: u.updated_at_ms,
                last_login_at_ms: u.last_login_at_ms,
                disabled_at_ms: u.disabled_at_ms,
                client_id: u.client_id.map(Into::into),
            },
            password_hash: r.password_hash.clone(),
            mail_off: r.mail_prefs.off(),
        }
    }
}

impl From<StoredUserRecord> for UserRecord {
    fn from(s: StoredUserRecord) -> Self {
        let u = s.user;
        Self {
            user: User {
                id: u.id.into(),
                email: Email::trusted(u.email),
                name: DisplayName::trusted(u.name),
                role: u.role.into(),
                time_zone: TimeZone::trusted(u.time_zone),
                disabled: u.disabled,
                created_at_ms: u.created_at_ms,
                updated_at_ms: u.updated_at_ms,
                last_login_at_ms: u.last_login_at_ms,
                disabled_at_ms: u.disabled_at_ms,
                client_id: u.client_id.map(Into::into),
            },
            password_hash: s.password_hash,
            mail_prefs: crate::domain::mail::MailPrefs::from_off(&s.mail_off),
        }
    }
}
