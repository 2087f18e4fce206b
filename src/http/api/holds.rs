//! Legal holds over HTTP: list, place, release. Reading: admin, auditor. Changing: admin.

use poem_openapi::param::Path;
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};

use super::enums::{HoldKind, HoldStatus};
use super::rules::{NonBlank, OneOf, OptDateOrInstant};
use super::{ApiTags, HttpState};
use crate::domain::hold::{Hold, HoldScope};
use crate::http::auth::SignedIn;
use crate::http::problem::{invalid_field, ApiError};
use crate::service::{rfc3339, HoldInput, ServiceError, Services};

pub struct HoldsApi(pub HttpState);

/// A legal hold.
#[derive(Object)]
struct HoldDto {
    id: String,
    /// `instance`, `user`, `project` or `client`.
    kind: OneOf<HoldKind>,
    /// The id of the user, project or client (none for the instance).
    #[oai(nullable)]
    target_id: Option<String>,
    /// What the hold covers, in words (`Ada Lovelace <ada@example.com>`, `project Backups`).
    covers: String,
    reason: String,
    placed_by: String,
    /// The name of the user who placed it (none for the CLI or a removed user).
    #[oai(nullable)]
    placed_by_name: Option<String>,
    placed_at: String,
    #[oai(nullable)]
    ends_at: Option<String>,
    /// `active`, `ended` or `released`.
    status: OneOf<HoldStatus>,
    #[oai(nullable)]
    released_at: Option<String>,
    #[oai(nullable)]
    released_by: Option<String>,
    #[oai(nullable)]
    released_by_name: Option<String>,
}

#[derive(Object)]
struct HoldsDto {
    items: Vec<HoldDto>,
}

/// A new hold.
#[derive(Object)]
struct NewHoldDto {
    /// `instance`, `user`, `project` or `client`.
    kind: OneOf<HoldKind>,
    /// A user's id or email, a project's or client's id or exact name; empty for the instance.
    #[oai(nullable)]
    target: Option<String>,
    /// Why the data must be kept: not blank, at most 500 characters.
    reason: NonBlank<500>,
    /// The day the hold lapses (YYYY-MM-DD: the start of that day in the caller's time zone) or an
    /// RFC 3339 instant, in the future; none or empty: until released.
    #[oai(nullable)]
    ends_at: Option<OptDateOrInstant>,
}

#[derive(Object)]
struct ReleaseDto {
    /// Why the hold is released (recorded in the audit log): not blank, at most 500 characters.
    reason: super::rules::Required<NonBlank<500>>,
}

#[derive(ApiResponse)]
enum Placed {
    /// The hold is in force.
    #[oai(status = 201)]
    Created(Json<HoldDto>),
}

fn hold_dto(svc: &Services, h: Hold) -> Result<HoldDto, ServiceError> {
    let (kind, target_id) = match h.scope {
        HoldScope::Instance => ("instance", None),
        HoldScope::User(id) => ("user", Some(id.to_string())),
        HoldScope::Project(id) => ("project", Some(id.to_string())),
        HoldScope::Client(id) => ("client", Some(id.to_string())),
    };
    Ok(HoldDto {
        id: h.id.to_string(),
        kind: kind.into(),
        target_id,
        covers: svc.holds().describe_scope(&h.scope)?,
        status: h.status(svc.now_ms()).into(),
        reason: h.reason,
        placed_by_name: svc.users().actor_name(&h.placed_by),
        released_by_name: h
            .released_by
            .as_deref()
            .and_then(|b| svc.users().actor_name(b)),
        placed_by: h.placed_by,
        placed_at: rfc3339(h.placed_at_ms),
        ends_at: h.ends_at_ms.map(rfc3339),
        released_at: h.released_at_ms.map(rfc3339),
        released_by: h.released_by,
    })
}

/// A day (its start in `tz`) or an RFC 3339 instant, as field `field` gives it.
pub(super) fn day_or_instant(
    field: &str,
    text: &str,
    tz: chrono_tz::Tz,
) -> Result<i64, ServiceError> {
    let t = text.trim();
    if chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok() {
        return super::audit::day_start(field, t, tz, 0);
    }
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| d.timestamp_millis())
        .map_err(|_| {
            invalid_field(
                field,
                "invalid_date",
                "use a date like 2027-06-30 or an RFC 3339 instant",
            )
        })
}

#[OpenApi(tag = "ApiTags::Compliance")]
impl HoldsApi {
    /// Every legal hold, newest first. Roles: admin, auditor.
    #[oai(path = "/holds", method = "get")]
    async fn holds(&self, who: SignedIn) -> Result<Json<HoldsDto>, ApiError> {
        let svc = &self.0.svc;
        let items = svc
            .holds()
            .list(&who)?
            .into_iter()
            .map(|h| hold_dto(svc, h))
            .collect::<Result<_, _>>()?;
        Ok(Json(HoldsDto { items }))
    }

    /// Places a legal hold: retention and erasure skip what it covers. Roles: admin.
    #[oai(path = "/holds", method = "post")]
    async fn place(&self, who: SignedIn, body: Json<NewHoldDto>) -> Result<Placed, ApiError> {
        let me = who.user.clone();
        let b = body.0;
        let ends_at_ms = match b.ends_at.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(t) => Some(day_or_instant("ends_at", t, me.time_zone.tz())?),
            None => None,
        };
        let hold = self
            .0
            .svc
            .holds()
            .place(
                &who,
                HoldInput {
                    kind: b.kind.0.trim().to_owned(),
                    target: b.target,
                    reason: b.reason.0,
                    ends_at_ms,
                },
            )
            .await?;
        Ok(Placed::Created(Json(hold_dto(&self.0.svc, hold)?)))
    }

    /// Releases a hold in force; 409 `hold.not_active` if it was released or has ended.
    /// Roles: admin.
    #[oai(path = "/holds/:id/release", method = "post")]
    async fn release(
        &self,
        who: SignedIn,
        id: Path<String>,
        body: Json<ReleaseDto>,
    ) -> Result<Json<HoldDto>, ApiError> {
        let svc = &self.0.svc;
        let id = svc.holds().find(&who, &id.0)?;
        let hold = svc
            .holds()
            .release(&who, id, body.0.reason.0.as_deref().unwrap_or(""))
            .await?;
        Ok(Json(hold_dto(svc, hold)?))
    }
}
