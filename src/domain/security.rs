//! Security events: sign-ins and their failures, sign-outs, password, role and account changes,
//! one-time links issued and used, API tokens created, used and revoked, admin socket commands.
//! Kept apart from the audit chain in their own tree with their own retention: they are
//! evidence for an investigation, bulky, and hold personal data (IP address, user agent) that
//! should not outlive their purpose.

use serde::{Deserialize, Serialize};

use super::{EventId, UserId};

/// What happened. Stored and sent as the snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecurityKind {
    LoginSucceeded,
    LoginFailed,
    /// Too many attempts: refused without checking the password (a temporary lockout).
    LoginLockedOut,
    /// Right password, disabled account.
    LoginRefused,
    Logout,
    PasswordChanged,
    /// A setup or reset link was issued (the link itself is never recorded).
    LinkIssued,
    /// A setup or reset link was used.
    LinkUsed,
    RoleChanged,
    AccountDisabled,
    AccountEnabled,
    /// A command over the admin socket (the CLI while the server runs).
    AdminCommand,
    /// A bearer token (an API token or the metrics token) was presented and accepted or
    /// refused. An accepted API token is recorded at its first use from each address.
    TokenUsed,
    /// A personal API token or calendar subscription was created (never its secret).
    TokenCreated,
    /// A personal API token or calendar subscription was revoked.
    TokenRevoked,
}

impl SecurityKind {
    pub const ALL: [SecurityKind; 15] = [
        SecurityKind::LoginSucceeded,
        SecurityKind::LoginFailed,
        SecurityKind::LoginLockedOut,
        SecurityKind::LoginRefused,
        SecurityKind::Logout,
        SecurityKind::PasswordChanged,
        SecurityKind::LinkIssued,
        SecurityKind::LinkUsed,
        SecurityKind::RoleChanged,
        SecurityKind::AccountDisabled,
        SecurityKind::AccountEnabled,
        SecurityKind::AdminCommand,
        SecurityKind::TokenUsed,
        SecurityKind::TokenCreated,
        SecurityKind::TokenRevoked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SecurityKind::LoginSucceeded => "login_succeeded",
            SecurityKind::LoginFailed => "login_failed",
            SecurityKind::LoginLockedOut => "login_locked_out",
            SecurityKind::LoginRefused => "login_refused",
            SecurityKind::Logout => "logout",
            SecurityKind::PasswordChanged => "password_changed",
            SecurityKind::LinkIssued => "link_issued",
            SecurityKind::LinkUsed => "link_used",
            SecurityKind::RoleChanged => "role_changed",
            SecurityKind::AccountDisabled => "account_disabled",
            SecurityKind::AccountEnabled => "account_enabled",
            SecurityKind::AdminCommand => "admin_command",
            SecurityKind::TokenUsed => "token_used",
            SecurityKind::TokenCreated => "token_created",
            SecurityKind::TokenRevoked => "token_revoked",
        }
    }

    /// What an event of this kind records, for people (docs/reference/security-events.md).
    pub fn describe(self) -> &'static str {
        match self {
            SecurityKind::LoginSucceeded => {
                "a sign-in succeeded, with a password or (`method: link`) an e-mailed sign-in link"
            }
            SecurityKind::LoginFailed => {
                "a sign-in failed: wrong password, unknown email, or a sign-in link refused \
                 (`method: link` and the reason)"
            }
            SecurityKind::LoginLockedOut => {
                "too many sign-in attempts: refused before any password was checked"
            }
            SecurityKind::LoginRefused => "the right credentials for a disabled account",
            SecurityKind::Logout => "a person signed out",
            SecurityKind::PasswordChanged => "a password was changed or set through a link",
            SecurityKind::LinkIssued => {
                "a setup, password or sign-in link was issued (never the link itself)"
            }
            SecurityKind::LinkUsed => "a setup, password or sign-in link was used",
            SecurityKind::RoleChanged => "an account's role changed",
            SecurityKind::AccountDisabled => "an account was disabled",
            SecurityKind::AccountEnabled => "an account was enabled again",
            SecurityKind::AdminCommand => "a command ran over the admin socket (the CLI)",
            SecurityKind::TokenUsed => {
                "a bearer token was refused, or an API token was used from a new address"
            }
            SecurityKind::TokenCreated => "a personal API token or calendar subscription was made",
            SecurityKind::TokenRevoked => {
                "a personal API token or calendar subscription was revoked"
            }
        }
    }

    pub fn parse(s: &str) -> Option<SecurityKind> {
        SecurityKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One security event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecurityEvent {
    pub id: EventId,
    pub at_ms: i64,
    pub kind: SecurityKind,
    /// The account concerned, when known.
    pub user_id: Option<UserId>,
    /// The email typed at a failed sign-in (lower-cased), when no account matched.
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub ip: Option<String>,
    #[serde(default)]
    pub user_agent: Option<String>,
    /// Who acted when not the user themself (`user:<id>`, `cli:<name>`, `system`).
    #[serde(default)]
    pub by: Option<String>,
    /// Small, non-secret details (the new role, which link kind, the admin command's name).
    #[serde(default)]
    pub detail: serde_json::Value,
}

/// Which events a page holds; the fields combine with AND.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub user: Option<UserId>,
    pub kinds: Vec<SecurityKind>,
    pub ip: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

impl EventFilter {
    pub fn matches(&self, e: &SecurityEvent) -> bool {
        self.user.is_none_or(|u| e.user_id == Some(u))
            && (self.kinds.is_empty() || self.kinds.contains(&e.kind))
            && self.ip.as_ref().is_none_or(|ip| e.ip.as_ref() == Some(ip))
            && self.from_ms.is_none_or(|f| e.at_ms >= f)
            && self.to_ms.is_none_or(|t| e.at_ms < t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in SecurityKind::ALL {
            assert_eq!(SecurityKind::parse(k.as_str()), Some(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        assert_eq!(SecurityKind::parse("login"), None);
    }
}
