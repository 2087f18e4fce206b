//! The security event log: sign-ins, failures, lockouts, password and role changes, links,
//! admin commands. Roles: admin, auditor.

use poem_openapi::param::Query;
use poem_openapi::{payload::Json, Object, OpenApi};

use super::audit::date_window;
use super::enums::SecurityEventKind;
use super::rules::{DateOrEmpty, KindList, OneOf, UuidOrEmpty};
use super::{ApiTags, HttpState};
use crate::domain::security::EventFilter;
use crate::domain::security::{SecurityEvent, SecurityKind};
use crate::domain::{EventId, UserId};
use crate::http::auth::SignedIn;
use crate::http::problem::{invalid_field, ApiError};
use crate::service::rfc3339;

pub struct SecurityApi(pub HttpState);

/// One security event.
#[derive(Object)]
struct SecurityEventDto {
    id: String,
    at: String,
    /// `login_succeeded`, `login_failed`, `login_locked_out`, `login_refused`, `logout`,
    /// `password_changed`, `link_issued`, `link_used`, `role_changed`, `account_disabled`,
    /// `account_enabled`, `admin_command` or `token_used`.
    kind: OneOf<SecurityEventKind>,
    #[oai(nullable)]
    user_id: Option<String>,
    #[oai(nullable)]
    user_name: Option<String>,
    /// The email typed at a failed sign-in when no account matched it.
    #[oai(nullable)]
    email: Option<String>,
    #[oai(nullable)]
    ip: Option<String>,
    #[oai(nullable)]
    user_agent: Option<String>,
    /// Who acted, when not the person themself (`user:<id>`, `cli:<os user>`, `system`).
    #[oai(nullable)]
    by: Option<String>,
    /// The name of the user `by` names, if any.
    #[oai(nullable)]
    by_name: Option<String>,
    detail: serde_json::Value,
}

#[derive(Object)]
struct SecurityEventPageDto {
    items: Vec<SecurityEventDto>,
    /// Null on the last page.
    #[oai(nullable)]
    next_cursor: Option<String>,
}

#[derive(Object)]
struct KindsDto {
    items: Vec<OneOf<SecurityEventKind>>,
}

fn cursor_text(at: i64, id: EventId) -> String {
    format!("{at}.{id}")
}

fn parse_cursor(c: &str) -> Option<(i64, EventId)> {
    let (at, id) = c.split_once('.')?;
    Some((at.parse().ok()?, id.parse().ok()?))
}

#[OpenApi(prefix_path = "/security-events", tag = "ApiTags::Compliance")]
impl SecurityApi {
    /// Pages through security events, newest first. `kind` takes one kind or several, comma-separated;
    /// `from`/`to` are dates in the caller's time zone, both inclusive. The view is recorded in
    /// the audit log. Roles: admin, auditor.
    #[oai(path = "/", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        who: SignedIn,
        /// Page size (default 50; other values are moved into 1–500).
        #[oai(validator(minimum(value = "0"), maximum(value = "4294967295")))]
        limit: Query<Option<u32>>,
        cursor: Query<Option<String>>,
        user_id: Query<Option<UuidOrEmpty>>,
        kind: Query<Option<KindList>>,
        ip: Query<Option<String>>,
        from: Query<Option<DateOrEmpty>>,
        to: Query<Option<DateOrEmpty>>,
    ) -> Result<Json<SecurityEventPageDto>, ApiError> {
        let me = who.user.clone();
        let tz = me.time_zone.tz();
        let nonempty = |q: Option<String>| q.filter(|s| !s.trim().is_empty());
        let before =
            match nonempty(cursor.0) {
                Some(c) => Some(parse_cursor(&c).ok_or_else(|| {
                    invalid_field("cursor", "invalid", "not a cursor from this API")
                })?),
                None => None,
            };
        let user = match nonempty(user_id.0.map(|u| u.0)) {
            Some(u) => Some(
                u.trim()
                    .parse::<UserId>()
                    .map_err(|_| invalid_field("user_id", "invalid", "not a user id"))?,
            ),
            None => None,
        };
        let mut kinds = Vec::new();
        for k in nonempty(kind.0.map(|k| k.0))
            .iter()
            .flat_map(|k| k.split(','))
        {
            kinds.push(SecurityKind::parse(k.trim()).ok_or_else(|| {
                invalid_field(
                    "kind",
                    "unknown_kind",
                    "not a security event kind; see GET /security-events/kinds",
                )
            })?);
        }
        let (from_ms, to_ms) = date_window(
            nonempty(from.0.map(|d| d.0)).as_deref(),
            nonempty(to.0.map(|d| d.0)).as_deref(),
            tz,
        )?;
        let filter = EventFilter {
            user,
            kinds,
            ip: nonempty(ip.0).map(|s| s.trim().to_owned()),
            from_ms,
            to_ms,
        };
        let (items, next) = self
            .0
            .svc
            .security()
            .events(&who, &filter, before, limit.0.unwrap_or(50) as usize)
            .await?;
        Ok(Json(SecurityEventPageDto {
            items: items
                .into_iter()
                .map(|(e, name)| {
                    let by_name =
                        e.by.as_deref()
                            .and_then(|b| self.0.svc.users().actor_name(b));
                    dto(e, name, by_name)
                })
                .collect(),
            next_cursor: next.map(|(at, id)| cursor_text(at, id)),
        }))
    }

    /// The kinds of security event. Roles: admin, auditor.
    #[oai(path = "/kinds", method = "get")]
    async fn kinds(&self, who: SignedIn) -> Result<Json<KindsDto>, ApiError> {
        who.require(crate::domain::Permission::ReadAudit)?;
        Ok(Json(KindsDto {
            items: SecurityKind::ALL
                .iter()
                .map(|k| k.as_str().into())
                .collect(),
        }))
    }
}

fn dto(e: SecurityEvent, user_name: Option<String>, by_name: Option<String>) -> SecurityEventDto {
    SecurityEventDto {
        id: e.id.to_string(),
        at: rfc3339(e.at_ms),
        kind: e.kind.as_str().into(),
        user_name,
        user_id: e.user_id.map(|u| u.to_string()),
        email: e.email,
        ip: e.ip,
        user_agent: e.user_agent,
        by: e.by,
        by_name,
        detail: e.detail,
    }
}
