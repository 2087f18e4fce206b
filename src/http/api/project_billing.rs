//! A project's money: its rate changes (`PUT /projects/{id}/rates`), and its time against its
//! budget and its tasks' estimates (`GET /projects/{id}/budget`). The budget and rounding
//! themselves are fields of the project (`PATCH /projects/{id}`).

use poem_openapi::param::Path;
use poem_openapi::{payload::Json, Object, OpenApi};

use super::projects::{project_dto, ProjectDto};
use super::rules::{no_null, DateText, OneOf, RateCents, UuidText};
use super::{ApiTags, HttpState};
use crate::domain::billing::{Budget, Limit, RateScope, Use};
use crate::domain::codes;
use crate::domain::ProjectId;
use crate::http::auth::SignedIn;
use crate::http::problem::{invalid_field, ApiError};
use crate::service::{BudgetStatus, RateInput, RateView, ServiceError};

pub struct ProjectBillingApi(pub HttpState);

/// What a rate change applies to.
#[derive(poem_openapi::Enum)]
#[oai(rename_all = "snake_case")]
pub enum RateScopeKind {
    Project,
    Member,
    Task,
}

/// A rate from a day on: for the whole project, for one member on it, or for one of its tasks.
/// The most specific in force wins (task, then member, then project); before any, the
/// project's `rate_cents`.
#[derive(Object)]
pub struct RateDto {
    scope: OneOf<RateScopeKind>,
    /// With `scope` `member`.
    #[oai(skip_serializing_if_is_none)]
    user_id: Option<String>,
    /// With `scope` `task`.
    #[oai(skip_serializing_if_is_none)]
    task_id: Option<String>,
    /// The person's name or the task's title.
    #[oai(skip_serializing_if_is_none)]
    label: Option<String>,
    /// From the start of this day in the caller's time zone.
    from: String,
    /// Hourly rate in cents of the project's currency; `null`: that time has no rate.
    #[oai(nullable)]
    rate_cents: Option<i64>,
}

pub fn rate_dto(v: RateView) -> RateDto {
    let (scope, user_id, task_id) = match v.change.scope {
        RateScope::Project => ("project", None, None),
        RateScope::Member(u) => ("member", Some(u.to_string()), None),
        RateScope::Task(t) => ("task", None, Some(t.to_string())),
    };
    RateDto {
        scope: scope.into(),
        user_id,
        task_id,
        label: v.label,
        from: v.from.to_string(),
        rate_cents: v.change.rate_cents,
    }
}

/// A budget: exactly one of `seconds` (tracked time) and `cents` (billed amount in the
/// project's currency).
#[derive(Object)]
pub struct BudgetDto {
    #[oai(
        skip_serializing_if_is_none,
        deserialize_with = "no_null",
        validator(minimum(value = "1"), maximum(value = "360000000"))
    )]
    seconds: Option<i64>,
    #[oai(
        skip_serializing_if_is_none,
        deserialize_with = "no_null",
        validator(minimum(value = "1"), maximum(value = "1000000000000"))
    )]
    cents: Option<i64>,
    /// Warn once this share is used, in percent; left out when setting: the instance's default.
    #[oai(
        deserialize_with = "no_null",
        validator(minimum(value = "1"), maximum(value = "100"))
    )]
    alert_percent: Option<u8>,
}

pub fn budget_dto(b: &Budget) -> BudgetDto {
    let (seconds, cents) = match b.limit {
        Limit::Seconds(s) => (Some(s), None),
        Limit::Cents(c) => (None, Some(c)),
    };
    BudgetDto {
        seconds,
        cents,
        alert_percent: Some(b.alert_percent),
    }
}

/// The budget a request sets.
pub fn budget_input(b: BudgetDto) -> Result<crate::service::BudgetInput, ServiceError> {
    let limit = match (b.seconds, b.cents) {
        (Some(s), None) => Limit::Seconds(s),
        (None, Some(c)) => Limit::Cents(c),
        _ => {
            return Err(invalid_field(
                "budget",
                "invalid",
                "give a budget in seconds or in cents, not both",
            ))
        }
    };
    Ok(crate::service::BudgetInput {
        limit,
        alert_percent: b.alert_percent,
    })
}

#[derive(Object)]
struct RateReq {
    scope: OneOf<RateScopeKind>,
    #[oai(deserialize_with = "no_null")]
    user_id: Option<UuidText>,
    #[oai(deserialize_with = "no_null")]
    task_id: Option<UuidText>,
    from: DateText,
    /// `null`: that time has no rate.
    #[oai(nullable)]
    rate_cents: Option<RateCents>,
}

/// Every rate change of the project (what is not listed is removed).
#[derive(Object)]
struct RatesReq {
    #[oai(validator(max_items = 200))]
    items: Vec<RateReq>,
}

/// Used against a limit.
#[derive(Object)]
struct UseDto {
    used: i64,
    limit: i64,
    /// Whole percent, rounded down.
    percent: i64,
    /// At or past the warning share.
    alert: bool,
    over: bool,
}

fn use_dto(u: Use) -> UseDto {
    UseDto {
        used: u.used,
        limit: u.limit,
        percent: u.percent,
        alert: u.alert,
        over: u.over,
    }
}

#[derive(Object)]
struct TaskUseDto {
    task_id: String,
    title: String,
    status: super::tasks::StatusDto,
    #[oai(nullable)]
    estimate_secs: Option<i64>,
    tracked_seconds: i64,
    /// Against the estimate (warning at the instance's share), if it has one.
    #[oai(nullable)]
    usage: Option<UseDto>,
}

/// All of a project's time against its budget: tracked, as billed (rounded), and the amount.
#[derive(Object)]
pub(super) struct BudgetStatusDto {
    project_id: String,
    project_name: String,
    color: String,
    currency: String,
    #[oai(nullable)]
    budget: Option<BudgetDto>,
    tracked_seconds: i64,
    rounded_seconds: i64,
    amount_cents: i64,
    /// Against the budget (seconds or cents, as the budget is), if there is one.
    #[oai(nullable)]
    usage: Option<UseDto>,
    /// Tasks with an estimate or with time, most time first.
    tasks: Vec<TaskUseDto>,
}

pub(super) fn status_dto(s: BudgetStatus) -> BudgetStatusDto {
    BudgetStatusDto {
        project_id: s.project.id.to_string(),
        project_name: s.project.name.clone(),
        color: s.project.color.clone(),
        currency: s.project.currency.clone(),
        budget: s.project.budget.as_ref().map(budget_dto),
        tracked_seconds: s.tracked_seconds,
        rounded_seconds: s.rounded_seconds,
        amount_cents: s.amount_cents,
        usage: s.usage.map(use_dto),
        tasks: (s.tasks.into_iter())
            .map(|t| TaskUseDto {
                task_id: t.task.id.to_string(),
                title: t.task.title,
                status: t.task.status.into(),
                estimate_secs: t.task.estimate_secs,
                tracked_seconds: t.tracked_seconds,
                usage: t.usage.map(use_dto),
            })
            .collect(),
    }
}

fn project_id(id: &str) -> Result<ProjectId, ServiceError> {
    id.parse().map_err(|_| ServiceError::NotFound {
        kind: "project",
        code: codes::PROJECT_NOT_FOUND,
    })
}

fn rate_input(r: RateReq) -> Result<RateInput, ServiceError> {
    // An id given is an id, whatever the scope; the scope says which one is needed.
    let parse = |v: Option<UuidText>, field: &str| {
        v.map(|t| {
            (t.0.parse::<uuid::Uuid>()).map_err(|_| invalid_field(field, "invalid", "not an id"))
        })
        .transpose()
    };
    let (user, task) = (parse(r.user_id, "user_id")?, parse(r.task_id, "task_id")?);
    let needed = |id: Option<uuid::Uuid>, field: &str| {
        id.ok_or_else(|| invalid_field(field, "required", "which one the rate is for"))
    };
    let scope = match &*r.scope {
        "project" => RateScope::Project,
        "member" => RateScope::Member(needed(user, "user_id")?.into()),
        "task" => RateScope::Task(needed(task, "task_id")?.into()),
        _ => {
            return Err(invalid_field(
                "scope",
                "invalid",
                "use project, member or task",
            ))
        }
    };
    let from = r
        .from
        .0
        .parse()
        .map_err(|_| invalid_field("from", "invalid_date", "use a date like 2026-03-01"))?;
    Ok(RateInput {
        scope,
        from,
        rate_cents: r.rate_cents.map(|c| c.0),
    })
}

#[OpenApi(tag = "ApiTags::Tracking")]
impl ProjectBillingApi {
    /// Replaces the project's rate changes. Roles: admin, the project's managers.
    #[oai(path = "/projects/:id/rates", method = "put")]
    async fn set_rates(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<RatesReq>,
    ) -> Result<Json<ProjectDto>, ApiError> {
        let id = project_id(&id.0)?;
        let rates = (body.0.items.into_iter())
            .map(rate_input)
            .collect::<Result<Vec<_>, _>>()?;
        let p = self.0.svc.projects().set_rates(&actor, id, rates).await?;
        Ok(Json(project_dto(&self.0.svc, &actor, p)?))
    }

    /// All of the project's time against its budget and its tasks' estimates. Roles: admin,
    /// auditor, and the project's managers and members.
    #[oai(path = "/projects/:id/budget", method = "get")]
    async fn budget(
        &self,
        actor: SignedIn,
        id: Path<String>,
    ) -> Result<Json<BudgetStatusDto>, ApiError> {
        let id = project_id(&id.0)?;
        let s = self.0.svc.projects().budget_status(&actor, id).await?;
        Ok(Json(status_dto(s)))
    }
}
