//! Legal holds and retention over HTTP. Reading: admin, auditor. Changing: admin.

use poem_openapi::param::Path;
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};

use super::enums::{HoldKind, HoldStatus, RetentionCategory, RuleSource};
use super::rules::{no_null, NonBlank, OneOf, OptDateOrInstant, RetentionRule};
use super::{ApiTags, HttpState};
use crate::domain::hold::{Hold, HoldScope};
use crate::http::auth::SignedIn;
use crate::http::problem::{invalid_field, ApiError};
use crate::service::{rfc3339, HoldInput, RetentionReport, ServiceError, Services};

pub struct ComplianceApi(pub HttpState);

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

#[derive(Object)]
struct CategoryDto {
    category: String,
    /// The category's name for people ("Time entries").
    label: String,
    /// `config` (the `[retention]` key) or `admin` (set here or with `ophiontt retention set`).
    source: OneOf<RuleSource>,
    rule: String,
    description: String,
    #[oai(nullable)]
    cutoff: Option<String>,
    /// Removed, or in a preview or dry run, would be removed.
    expired: u64,
    /// Expired but kept under a legal hold.
    held: u64,
    #[oai(nullable)]
    note: Option<String>,
}

#[derive(Object)]
struct RetentionDto {
    dry_run: bool,
    at: String,
    categories: Vec<CategoryDto>,
    holds: Vec<String>,
}

#[derive(Object)]
struct SetRuleDto {
    /// `forever`, or a whole number and a unit (h, d, w, mo, y) such as `90d`; null or empty
    /// returns the category to its `[retention]` config value.
    #[oai(nullable)]
    rule: Option<RetentionRule>,
}

#[derive(Object)]
struct RunRetentionDto {
    /// Only count; remove nothing.
    #[oai(deserialize_with = "no_null")]
    dry_run: Option<bool>,
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

fn report_dto(r: RetentionReport) -> RetentionDto {
    RetentionDto {
        dry_run: r.dry_run,
        at: rfc3339(r.at_ms),
        categories: r
            .categories
            .into_iter()
            .map(|c| CategoryDto {
                category: c.category,
                label: c.label,
                source: c.source.into(),
                rule: c.rule,
                description: c.description,
                cutoff: c.cutoff_ms.map(rfc3339),
                expired: c.expired,
                held: c.held,
                note: c.note,
            })
            .collect(),
        holds: r.holds,
    }
}

fn parse_end(text: &str, tz: chrono_tz::Tz) -> Result<i64, ServiceError> {
    let t = text.trim();
    if chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok() {
        return super::audit::day_start("ends_at", t, tz, 0);
    }
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| d.timestamp_millis())
        .map_err(|_| {
            invalid_field(
                "ends_at",
                "invalid_date",
                "use a date like 2027-06-30 or an RFC 3339 instant",
            )
        })
}

#[OpenApi(tag = "ApiTags::Compliance")]
impl ComplianceApi {
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
            Some(t) => Some(parse_end(t, me.time_zone.tz())?),
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

    /// Each category's rule and what the next retention run would remove (nothing is removed).
    /// Roles: admin, auditor.
    #[oai(path = "/retention", method = "get")]
    async fn retention(&self, who: SignedIn) -> Result<Json<RetentionDto>, ApiError> {
        Ok(Json(report_dto(self.0.svc.retention().show(&who).await?)))
    }

    /// Sets one category's rule, overriding the config, or returns it to the config's with a
    /// null rule; answers the new preview. Audited as `retention.rule_changed`. Roles: admin.
    #[oai(path = "/retention/rules/:category", method = "put")]
    async fn set_rule(
        &self,
        who: SignedIn,
        category: Path<OneOf<RetentionCategory>>,
        body: Json<SetRuleDto>,
    ) -> Result<Json<RetentionDto>, ApiError> {
        self.0
            .svc
            .retention()
            .set_rule(&who, &category.0, body.0.rule.as_deref())
            .await?;
        Ok(Json(report_dto(self.0.svc.retention().show(&who).await?)))
    }

    /// Applies the retention rules now (or counts, with `dry_run`). Roles: admin.
    #[oai(path = "/retention/run", method = "post")]
    async fn run(
        &self,
        who: SignedIn,
        body: Json<RunRetentionDto>,
    ) -> Result<Json<RetentionDto>, ApiError> {
        let dry = body.0.dry_run.unwrap_or(false);
        Ok(Json(report_dto(
            self.0.svc.retention().run(&who, dry).await?,
        )))
    }
}
