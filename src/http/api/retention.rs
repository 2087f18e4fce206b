//! Retention over HTTP: each category's rule, changing one, and running retention now.
//! Reading: admin, auditor. Changing: admin.

use poem_openapi::param::Path;
use poem_openapi::{payload::Json, Object, OpenApi};

use super::enums::{RetentionCategory, RuleSource};
use super::rules::{no_null, OneOf, RetentionRule};
use super::{ApiTags, HttpState};
use crate::http::auth::SignedIn;
use crate::http::problem::ApiError;
use crate::service::{rfc3339, RetentionReport};

pub struct RetentionApi(pub HttpState);

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

#[OpenApi(tag = "ApiTags::Compliance")]
impl RetentionApi {
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
