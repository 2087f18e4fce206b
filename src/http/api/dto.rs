//! Response and request shapes shared by several API areas. Domain types never derive
//! `poem_openapi::Object`; these are converted from them.

use base64::Engine;
use poem_openapi::{Enum, Object};

use crate::domain::user::User;
use crate::domain::Role;
use crate::service::{rfc3339, Link};

/// A role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum RoleDto {
    Admin,
    Manager,
    Member,
    Client,
    Auditor,
}

impl From<RoleDto> for Role {
    fn from(r: RoleDto) -> Self {
        match r {
            RoleDto::Admin => Role::Admin,
            RoleDto::Manager => Role::Manager,
            RoleDto::Member => Role::Member,
            RoleDto::Client => Role::Client,
            RoleDto::Auditor => Role::Auditor,
        }
    }
}

impl From<Role> for RoleDto {
    fn from(r: Role) -> Self {
        match r {
            Role::Admin => RoleDto::Admin,
            Role::Manager => RoleDto::Manager,
            Role::Member => RoleDto::Member,
            Role::Client => RoleDto::Client,
            Role::Auditor => RoleDto::Auditor,
        }
    }
}

/// A user account.
#[derive(Debug, Clone, Object)]
pub struct UserDto {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: RoleDto,
    /// IANA time zone name.
    pub time_zone: String,
    pub disabled: bool,
    pub created_at: String,
    pub updated_at: String,
    /// Null until the first sign-in.
    #[oai(nullable)]
    pub last_login_at: Option<String>,
    /// For the `client` role: the client whose portal the account sees.
    #[oai(nullable)]
    pub client_id: Option<String>,
}

impl From<User> for UserDto {
    fn from(u: User) -> Self {
        Self {
            id: u.id.to_string(),
            email: u.email.as_str().to_owned(),
            name: u.name.as_str().to_owned(),
            role: u.role.into(),
            time_zone: u.time_zone.as_str().to_owned(),
            disabled: u.disabled,
            created_at: rfc3339(u.created_at_ms),
            updated_at: rfc3339(u.updated_at_ms),
            last_login_at: u.last_login_at_ms.map(rfc3339),
            client_id: u.client_id.map(|c| c.to_string()),
        }
    }
}

/// A one-time link (setup or password reset). The token is after `#`, so it never reaches a
/// server log or a Referer header.
#[derive(Debug, Clone, Object)]
pub struct LinkDto {
    pub url: String,
    pub expires_at: String,
    /// Whether the link was also e-mailed to the person it is for (only when the server
    /// sends e-mail; the setup link never is).
    pub emailed: bool,
}

impl From<Link> for LinkDto {
    fn from(l: Link) -> Self {
        Self {
            url: l.url,
            expires_at: rfc3339(l.expires_at_ms),
            emailed: l.emailed,
        }
    }
}

/// A ticket a note or task title refers to, found by the instance's `tickets.patterns`.
#[derive(Debug, Clone, Object, serde::Serialize)]
pub struct TicketDto {
    /// The id as written, such as `OPS-12`.
    pub id: String,
    /// The ticket's page in its tracker.
    pub url: String,
    /// The name of the pattern that found it, such as `jira`.
    pub source: String,
}

impl From<crate::domain::tickets::Ticket> for TicketDto {
    fn from(t: crate::domain::tickets::Ticket) -> Self {
        Self {
            id: t.id,
            url: t.url,
            source: t.source,
        }
    }
}

/// Opaque page cursors: clients pass them back unchanged.
pub fn encode_cursor(raw: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

pub fn decode_cursor(c: &str) -> Option<String> {
    let b = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(c)
        .ok()?;
    String::from_utf8(b).ok()
}

/// A JSON string, strictly: poem-openapi's `String` also accepts numbers and booleans, but a
/// wrong type is a client error (`request.invalid_body`), so request DTOs use this.
#[derive(Debug, Clone, poem_openapi::NewType)]
#[oai(
    from_json = false,
    from_parameter = false,
    from_multipart = false,
    to_header = false
)]
pub struct Text(pub String);

impl poem_openapi::types::ParseFromJSON for Text {
    fn parse_from_json(value: Option<serde_json::Value>) -> poem_openapi::types::ParseResult<Self> {
        match value {
            Some(serde_json::Value::String(s)) => Ok(Text(s)),
            other => Err(poem_openapi::types::ParseError::expected_type(
                other.unwrap_or_default(),
            )),
        }
    }
}

/// A path's id, or `404` with `code` (a malformed id names nothing, like an unknown one).
pub fn id_or_not_found(
    s: &str,
    kind: &'static str,
    code: &'static str,
) -> Result<uuid::Uuid, crate::service::ServiceError> {
    s.parse()
        .map_err(|_| crate::service::ServiceError::NotFound { kind, code })
}

/// Parses an optional id query parameter; a malformed one is a field error naming `field`.
pub fn opt_id<T: std::str::FromStr>(
    field: &str,
    raw: Option<&str>,
) -> Result<Option<T>, crate::service::ServiceError> {
    raw.map(|v| {
        v.parse::<T>().map_err(|_| {
            crate::http::problem::invalid_field(field, "invalid", "not an id from this API")
        })
    })
    .transpose()
}
