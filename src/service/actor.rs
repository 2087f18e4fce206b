//! Who is acting: a signed-in user, the admin CLI, or the server itself. Authorization asks here.

use crate::domain::token::Scopes;
use crate::domain::{Permission, Role, UserId};

use super::ServiceError;
use crate::domain::codes;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    User(UserId),
    /// The admin CLI; file permissions on the socket or the store are its authentication.
    Cli(String),
    System,
    Anonymous,
}

/// The caller of a service function.
#[derive(Debug, Clone)]
pub struct Actor {
    pub who: Who,
    pub role: Option<Role>,
    pub ip: Option<String>,
    /// The client's user agent, for security events (never in the audit chain).
    pub user_agent: Option<String>,
    /// Set when a user acts through a personal API token: its id and scopes narrow the role.
    pub token: Option<Grant>,
}

/// The personal API token a user acts through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: uuid::Uuid,
    pub scopes: Scopes,
}

impl Actor {
    pub fn user(id: UserId, role: Role, ip: Option<String>) -> Self {
        Self {
            who: Who::User(id),
            role: Some(role),
            ip,
            user_agent: None,
            token: None,
        }
    }
    /// The admin CLI acting as local OS user `name`; it holds admin rights.
    pub fn cli(name: &str) -> Self {
        Self {
            who: Who::Cli(name.to_owned()),
            role: Some(Role::Admin),
            ip: None,
            user_agent: None,
            token: None,
        }
    }
    pub fn system() -> Self {
        Self {
            who: Who::System,
            role: Some(Role::Admin),
            ip: None,
            user_agent: None,
            token: None,
        }
    }
    pub fn anonymous(ip: Option<String>) -> Self {
        Self {
            who: Who::Anonymous,
            role: None,
            ip,
            user_agent: None,
            token: None,
        }
    }

    /// The same actor, seen through `user_agent`.
    pub fn with_agent(mut self, user_agent: Option<String>) -> Self {
        self.user_agent = user_agent;
        self
    }

    /// The same actor, acting through a personal API token.
    pub fn through(mut self, grant: Grant) -> Self {
        self.token = Some(grant);
        self
    }

    /// Fails with `Forbidden` (or `Unauthenticated` for nobody) unless the actor holds `p`. A
    /// token without the `admin` scope that the role would allow gets `auth.token_scope`.
    pub fn require(&self, p: Permission) -> Result<(), ServiceError> {
        match self.role {
            None => Err(ServiceError::Unauthenticated),
            Some(_) if self.allows(p) => Ok(()),
            Some(r) if r.allows(p) => Err(ServiceError::Denied(codes::AUTH_TOKEN_SCOPE)),
            Some(_) => Err(ServiceError::Forbidden),
        }
    }

    /// Refuses what a personal API token may never do, whatever its scopes: change a password,
    /// a role or a token (`auth.session_only`).
    pub fn require_session(&self) -> Result<(), ServiceError> {
        match self.token {
            Some(_) => Err(ServiceError::Denied(codes::AUTH_SESSION_ONLY)),
            None => Ok(()),
        }
    }

    /// Whether the actor holds `p`: the one answer [`Self::require`] and
    /// [`Self::capabilities`] both give. Through a token, admin operations also need its
    /// `admin` scope.
    pub fn allows(&self, p: Permission) -> bool {
        self.role.is_some_and(|r| r.allows(p))
            && self.token.as_ref().is_none_or(|g| g.scopes.allow(p))
    }

    /// Everything the actor's role allows, as `/api/v1/me` lists it for the web UI's
    /// navigation (`track_time`, `manage_users`, …; see [`Permission::as_str`]).
    pub fn capabilities(&self) -> Vec<&'static str> {
        Permission::ALL
            .into_iter()
            .filter(|p| self.allows(*p))
            .map(Permission::as_str)
            .collect()
    }

    pub fn user_id(&self) -> Option<UserId> {
        match self.who {
            Who::User(id) => Some(id),
            _ => None,
        }
    }

    /// The actor as the audit log names it.
    pub fn audit_name(&self) -> String {
        match &self.who {
            Who::User(id) => format!("user:{id}"),
            Who::Cli(n) => format!("cli:{n}"),
            Who::System => "system".into(),
            Who::Anonymous => "anonymous".into(),
        }
    }
}
