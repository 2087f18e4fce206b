//! Personal API tokens: what one is, what its scopes allow and when it stops working.
//!
//! A token acts as its owner, narrowed by its scopes: `read` lets it call reads (`GET`),
//! `write` changes, and `admin` the operations only admins and auditors may call (users, the
//! audit log, the system, privacy tooling). Whatever the scopes, a token never changes a
//! password, a role or a token, and never signs in to the web UI; the admin socket knows no
//! tokens at all. The secret is shown once; the store keeps its SHA-256 only.

use serde::{Deserialize, Serialize};

use super::{DomainError, Permission, Role, UserId};

/// Every token's text starts with this, so that secret scanners and people recognise it.
pub const PREFIX: &str = "ott_";

/// A calendar subscription's secret (in its URL) starts with this instead.
pub const FEED_PREFIX: &str = "otc_";

/// The expiry a token gets when its creator names none.
pub const DEFAULT_DAYS: u32 = 90;

/// A name's length limit, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// How many live tokens one person may hold.
pub const MAX_PER_USER: usize = 50;

/// What a token may do, beyond its owner's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Reads (`GET`): lists, reports, exports.
    Read,
    /// Changes: entries, timers, projects…, as far as the owner's role allows.
    Write,
    /// The operations of [`Scope::admin_permission`]; only for admins and auditors.
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Read, Scope::Write, Scope::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether `p` is an admin operation, which a token may use only with the `admin` scope.
    pub fn admin_permission(p: Permission) -> bool {
        matches!(
            p,
            Permission::ManageUsers
                | Permission::ManageSystem
                | Permission::ReadAudit
                | Permission::ReadPrivacy
                | Permission::ManagePrivacy
        )
    }

    /// Whether `role` may hold a token with this scope.
    pub fn grantable_to(self, role: Role) -> bool {
        match self {
            Scope::Read | Scope::Write => true,
            Scope::Admin => matches!(role, Role::Admin | Role::Auditor),
        }
    }
}

/// A set of scopes, sorted and without repeats.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Scopes(Vec<Scope>);

impl Scopes {
    /// The set of `list`; `write` and `admin` each bring `read` with them (a token that may
    /// change something may read it back).
    pub fn new(list: &[Scope]) -> Self {
        let mut v: Vec<Scope> = list.to_vec();
        if !v.is_empty() {
            v.push(Scope::Read);
        }
        v.sort();
        v.dedup();
        Self(v)
    }

    pub fn has(&self, s: Scope) -> bool {
        self.0.contains(&s)
    }

    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether an actor holding these scopes may use `p` (its role decides the rest).
    pub fn allow(&self, p: Permission) -> bool {
        !Scope::admin_permission(p) || self.has(Scope::Admin)
    }
}

/// Whether a token is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    Active,
    Expired,
    Revoked,
}

impl TokenState {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenState::Active => "active",
            TokenState::Expired => "expired",
            TokenState::Revoked => "revoked",
        }
    }
}

/// A personal API token, as stored (without its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: uuid::Uuid,
    pub user_id: UserId,
    pub name: String,
    pub scopes: Scopes,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub last_used_at_ms: Option<i64>,
    pub last_used_ip: Option<String>,
    pub revoked_at_ms: Option<i64>,
    /// Who revoked it (`user:<id>`, `cli:<name>`), when not the owner.
    pub revoked_by: Option<String>,
    /// Set for a calendar subscription: the secret then only opens the feed URL, never the API.
    pub calendar: Option<CalendarFeed>,
}

/// What a calendar subscription shows: its owner's entries, or (a manager's) one project's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarFeed {
    pub project_id: Option<super::ProjectId>,
}

impl ApiToken {
    pub fn state(&self, now_ms: i64) -> TokenState {
        if self.revoked_at_ms.is_some() {
            TokenState::Revoked
        } else if now_ms >= self.expires_at_ms {
            TokenState::Expired
        } else {
            TokenState::Active
        }
    }

    /// When the record may go: a month after it stopped working, so its owner still sees
    /// why a script fails.
    pub fn purge_after_ms(&self) -> i64 {
        const MONTH_MS: i64 = 30 * 86_400_000;
        self.revoked_at_ms.unwrap_or(self.expires_at_ms) + MONTH_MS
    }
}

/// A token's name: trimmed, one line, 1 to [`MAX_NAME_CHARS`] characters.
pub fn parse_name(s: &str) -> Result<String, DomainError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(DomainError::field(
            "name",
            "required",
            "give the token a name that says where it is used",
        ));
    }
    if t.chars().count() > MAX_NAME_CHARS || t.chars().any(char::is_control) {
        return Err(DomainError::field(
            "name",
            "invalid",
            format!("at most {MAX_NAME_CHARS} characters on one line"),
        ));
    }
    Ok(t.to_owned())
}

/// The scopes asked for, checked against the owner's role: at least one, and `admin` only for
/// admins and auditors.
pub fn parse_scopes(list: &[String], role: Role) -> Result<Scopes, DomainError> {
    let mut out = Vec::new();
    for s in list {
        let Some(scope) = Scope::parse(s.trim()) else {
            return Err(DomainError::field(
                "scopes",
                "invalid",
                format!("`{s}` is not a scope: read, write or admin"),
            ));
        };
        if !scope.grantable_to(role) {
            return Err(DomainError::field(
                "scopes",
                "not_allowed",
                "only admins and auditors may hold the admin scope",
            ));
        }
        out.push(scope);
    }
    if out.is_empty() {
        return Err(DomainError::field(
            "scopes",
            "required",
            "choose at least one scope: read, write or admin",
        ));
    }
    Ok(Scopes::new(&out))
}

/// When a new token expires: `at` (an instant, in the future) or `days` from `now` (default
/// [`DEFAULT_DAYS`]), never more than `max_days` ahead.
pub fn expiry(
    days: Option<u32>,
    at_ms: Option<i64>,
    now_ms: i64,
    max_days: u32,
) -> Result<i64, DomainError> {
    const DAY_MS: i64 = 86_400_000;
    let limit = now_ms + i64::from(max_days) * DAY_MS;
    let out_of_range = |field: &str| {
        DomainError::field(
            field,
            "out_of_range",
            format!("at most {max_days} days ahead (`auth.token_max_days` sets the limit)"),
        )
    };
    match (days, at_ms) {
        (Some(_), Some(_)) => Err(DomainError::field(
            "expires_at",
            "conflict",
            "give expires_in_days or expires_at, not both",
        )),
        (None, Some(at)) if at <= now_ms => Err(DomainError::field(
            "expires_at",
            "in_the_past",
            "an expiry in the future",
        )),
        (None, Some(at)) if at > limit => Err(out_of_range("expires_at")),
        (None, Some(at)) => Ok(at),
        (Some(0), None) => Err(out_of_range("expires_in_days")),
        (Some(d), None) if d > max_days => Err(out_of_range("expires_in_days")),
        (d, None) => Ok(now_ms + i64::from(d.unwrap_or(DEFAULT_DAYS).min(max_days)) * DAY_MS),
    }
}

/// Whether `text` looks like a token (the prefix and 43 base64url characters), so that a
/// mistyped header is refused without a store read.
pub fn well_formed(text: &str) -> bool {
    well_formed_with(PREFIX, text)
}

/// [`well_formed`] for secrets that start with `prefix`.
pub fn well_formed_with(prefix: &str, text: &str) -> bool {
    text.strip_prefix(prefix).is_some_and(|rest| {
        rest.len() == 43
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_and_admin_bring_read_and_repeats_collapse() {
        let s = Scopes::new(&[Scope::Write, Scope::Write]);
        assert_eq!(s.iter().collect::<Vec<_>>(), [Scope::Read, Scope::Write]);
        assert!(Scopes::new(&[]).is_empty());
    }

    #[test]
    fn admin_operations_need_the_admin_scope() {
        let rw = Scopes::new(&[Scope::Write]);
        assert!(rw.allow(Permission::TrackTime));
        assert!(rw.allow(Permission::ReadAllTime));
        assert!(!rw.allow(Permission::ManageUsers));
        assert!(!rw.allow(Permission::ReadAudit));
        assert!(Scopes::new(&[Scope::Admin]).allow(Permission::ManagePrivacy));
    }

    #[test]
    fn scopes_are_checked_against_the_role() {
        let ask =
            |v: &[&str], r| parse_scopes(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>(), r);
        assert!(ask(&["admin"], Role::Member).is_err());
        assert!(ask(&["admin"], Role::Auditor).is_ok());
        assert!(ask(&["root"], Role::Admin).is_err());
        assert!(ask(&[], Role::Admin).is_err());
        assert_eq!(
            ask(&[" write "], Role::Member).unwrap(),
            Scopes::new(&[Scope::Write])
        );
    }

    #[test]
    fn expiry_defaults_to_ninety_days_and_has_a_limit() {
        const D: i64 = 86_400_000;
        assert_eq!(expiry(None, None, 0, 365).unwrap(), 90 * D);
        assert_eq!(expiry(None, None, 0, 30).unwrap(), 30 * D);
        assert_eq!(expiry(Some(7), None, 0, 365).unwrap(), 7 * D);
        assert!(expiry(Some(366), None, 0, 365).is_err());
        assert!(expiry(Some(0), None, 0, 365).is_err());
        assert_eq!(expiry(None, Some(5_000), 1_000, 365).unwrap(), 5_000);
        assert!(expiry(None, Some(1_000), 1_000, 365).is_err());
        assert!(expiry(None, Some(366 * D), 0, 365).is_err());
        assert!(expiry(Some(1), Some(5_000), 0, 365).is_err());
    }

    #[test]
    fn a_token_is_revoked_expired_or_active() {
        let mut t = ApiToken {
            id: uuid::Uuid::nil(),
            user_id: UserId::new(0),
            name: "ci".into(),
            scopes: Scopes::new(&[Scope::Read]),
            created_at_ms: 0,
            expires_at_ms: 100,
            last_used_at_ms: None,
            last_used_ip: None,
            revoked_at_ms: None,
            revoked_by: None,
            calendar: None,
        };
        assert_eq!(t.state(99), TokenState::Active);
        assert_eq!(t.state(100), TokenState::Expired);
        t.revoked_at_ms = Some(50);
        assert_eq!(t.state(10), TokenState::Revoked);
    }

    #[test]
    fn only_the_token_shape_is_well_formed() {
        assert!(well_formed(&format!("ott_{}", "a".repeat(43))));
        assert!(!well_formed(&format!("ott_{}", "a".repeat(42))));
        assert!(!well_formed(&format!("xyz_{}", "a".repeat(43))));
        assert!(!well_formed(&format!("ott_{}", "+".repeat(43))));
    }
}
