//! Projects: list, create, change (members, managers, archive). Roles: see each endpoint.

use poem_openapi::param::{Path, Query};
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};

use super::can::ProjectCanDto;
use super::dto::Text;
use super::project_billing::{budget_dto, budget_input, rate_dto, BudgetDto, RateDto};
use super::rules::{no_null, Color, Currency, Name, RateCents, Required, RoundingText, UuidText};
use super::{ApiTags, HttpState};
use crate::domain::billing::Rounding;
use crate::domain::codes;
use crate::domain::tracking::Project;
use crate::domain::{ClientId, UserId};
use crate::http::auth::SignedIn;
use crate::http::problem::{invalid_field, ApiError};
use crate::service::{rfc3339, Actor, ProjectInput, ServiceError, Services};

pub struct ProjectsApi(pub HttpState);

#[derive(Object)]
pub(super) struct ProjectDto {
    id: String,
    name: String,
    #[oai(nullable)]
    client_id: Option<String>,
    #[oai(nullable)]
    client_name: Option<String>,
    /// `#rrggbb`.
    color: String,
    billable: bool,
    /// Hourly rate in cents of `currency`.
    #[oai(nullable)]
    rate_cents: Option<i64>,
    currency: String,
    member_ids: Vec<String>,
    manager_ids: Vec<String>,
    archived: bool,
    created_at: String,
    /// How billed time is rounded; `null`: the instance's rounding (`rounding_in_force`).
    #[oai(nullable)]
    rounding: Option<String>,
    /// The rounding that applies: the project's, else the instance's.
    rounding_in_force: String,
    #[oai(nullable)]
    budget: Option<BudgetDto>,
    /// Rate changes from a date (`PUT /projects/{id}/rates`); only for those who may change
    /// the project, and admins and auditors.
    #[oai(skip_serializing_if_is_none)]
    rates: Option<Vec<RateDto>>,
    /// What the caller may do with this project.
    can: ProjectCanDto,
}

pub(super) fn project_dto(
    svc: &Services,
    actor: &Actor,
    p: Project,
) -> Result<ProjectDto, ServiceError> {
    let rates = svc.projects().rate_views(actor, &p)?;
    Ok(ProjectDto {
        can: svc.projects().permissions(actor, &p)?.into(),
        rounding: p.rounding.map(|r| r.to_string()),
        rounding_in_force: p
            .rounding
            .unwrap_or(svc.settings().billing.rounding)
            .to_string(),
        budget: p.budget.as_ref().map(budget_dto),
        rates: rates.map(|v| v.into_iter().map(rate_dto).collect()),
        id: p.id.to_string(),
        client_name: svc.clients().name(p.client_id),
        client_id: p.client_id.map(|c| c.to_string()),
        name: p.name,
        color: p.color,
        billable: p.billable,
        rate_cents: p.rate_cents,
        currency: p.currency,
        member_ids: p.members.iter().map(ToString::to_string).collect(),
        manager_ids: p.managers.iter().map(ToString::to_string).collect(),
        archived: p.archived,
        created_at: rfc3339(p.created_at_ms),
    })
}

/// A tag and how many entries carry it.
#[derive(Object)]
struct ProjectList {
    items: Vec<ProjectDto>,
}

/// Fields left out stay unchanged.
#[derive(Object)]
struct ProjectReq {
    #[oai(deserialize_with = "no_null")]
    name: Option<Name>,
    #[oai(nullable)]
    client_id: MaybeUndefined<Text>,
    #[oai(deserialize_with = "no_null")]
    color: Option<Color>,
    #[oai(deserialize_with = "no_null")]
    billable: Option<bool>,
    #[oai(nullable)]
    rate_cents: MaybeUndefined<RateCents>,
    #[oai(deserialize_with = "no_null")]
    currency: Option<Currency>,
    #[oai(deserialize_with = "no_null")]
    member_ids: Option<Vec<UuidText>>,
    #[oai(deserialize_with = "no_null")]
    manager_ids: Option<Vec<UuidText>>,
    #[oai(deserialize_with = "no_null")]
    archived: Option<bool>,
    /// `null`: the instance's rounding.
    #[oai(nullable)]
    rounding: MaybeUndefined<RoundingText>,
    /// `null`: no budget.
    #[oai(nullable)]
    budget: MaybeUndefined<BudgetDto>,
}

/// A new project; fields left out take their default.
#[derive(Object)]
struct NewProjectReq {
    name: Required<Name>,
    #[oai(nullable)]
    client_id: MaybeUndefined<Text>,
    #[oai(deserialize_with = "no_null")]
    color: Option<Color>,
    #[oai(deserialize_with = "no_null")]
    billable: Option<bool>,
    #[oai(nullable)]
    rate_cents: MaybeUndefined<RateCents>,
    #[oai(deserialize_with = "no_null")]
    currency: Option<Currency>,
    #[oai(deserialize_with = "no_null")]
    member_ids: Option<Vec<UuidText>>,
    #[oai(deserialize_with = "no_null")]
    manager_ids: Option<Vec<UuidText>>,
    #[oai(deserialize_with = "no_null")]
    archived: Option<bool>,
    /// `null`: the instance's rounding.
    #[oai(nullable)]
    rounding: MaybeUndefined<RoundingText>,
    /// `null`: no budget.
    #[oai(nullable)]
    budget: MaybeUndefined<BudgetDto>,
}

impl From<NewProjectReq> for ProjectReq {
    fn from(b: NewProjectReq) -> Self {
        Self {
            name: b.name.0,
            client_id: b.client_id,
            color: b.color,
            billable: b.billable,
            rate_cents: b.rate_cents,
            currency: b.currency,
            member_ids: b.member_ids,
            manager_ids: b.manager_ids,
            archived: b.archived,
            rounding: b.rounding,
            budget: b.budget,
        }
    }
}

#[derive(ApiResponse)]
enum ProjectCreated {
    #[oai(status = 201)]
    Created(Json<ProjectDto>),
}

fn parse_ids(field: &str, ids: Option<Vec<UuidText>>) -> Result<Option<Vec<UserId>>, ServiceError> {
    ids.map(|v| {
        v.iter()
            .map(|t| {
                t.0.parse::<UserId>()
                    .map_err(|_| invalid_field(field, "invalid", "not a user id"))
            })
            .collect()
    })
    .transpose()
}

fn project_input(b: ProjectReq) -> Result<ProjectInput, ServiceError> {
    let client_id = match b.client_id {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(t) if t.0.is_empty() => Some(None),
        MaybeUndefined::Value(t) => Some(Some(t.0.parse::<ClientId>().map_err(|_| {
            ServiceError::NotFound {
                kind: "client",
                code: codes::CLIENT_NOT_FOUND,
            }
        })?)),
    };
    let rate_cents = match b.rate_cents {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(r) => Some(Some(r.0)),
    };
    Ok(ProjectInput {
        name: b.name.map(|t| t.0),
        client_id,
        color: b.color.map(|t| t.0),
        billable: b.billable,
        rate_cents,
        currency: b.currency.map(|t| t.0),
        member_ids: parse_ids("member_ids", b.member_ids)?,
        manager_ids: parse_ids("manager_ids", b.manager_ids)?,
        archived: b.archived,
        rounding: match b.rounding {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(r) => Some(Some(
                Rounding::parse(&r.0).map_err(|why| invalid_field("rounding", "invalid", &why))?,
            )),
        },
        budget: match b.budget {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(b) => Some(Some(budget_input(b)?)),
        },
    })
}

fn not_found(kind: &'static str, code: &'static str) -> ServiceError {
    ServiceError::NotFound { kind, code }
}

#[OpenApi(tag = "ApiTags::Tracking")]
impl ProjectsApi {
    /// The projects the caller may see. Roles: admin, manager, member, auditor.
    #[oai(path = "/projects", method = "get")]
    async fn list_projects(
        &self,
        actor: SignedIn,
        archived: Query<Option<bool>>,
    ) -> Result<Json<ProjectList>, ApiError> {
        let items = self
            .0
            .svc
            .projects()
            .list(&actor, archived.0.unwrap_or(false))?;
        Ok(Json(ProjectList {
            items: items
                .into_iter()
                .map(|p| project_dto(&self.0.svc, &actor, p))
                .collect::<Result<_, _>>()?,
        }))
    }

    /// Creates a project; a manager who creates it manages it. Roles: admin, manager.
    #[oai(path = "/projects", method = "post")]
    async fn create_project(
        &self,
        actor: SignedIn,
        body: Json<NewProjectReq>,
    ) -> Result<ProjectCreated, ApiError> {
        let p = self
            .0
            .svc
            .projects()
            .create(&actor, project_input(body.0.into())?)
            .await?;
        Ok(ProjectCreated::Created(Json(project_dto(
            &self.0.svc,
            &actor,
            p,
        )?)))
    }

    /// Roles: admin, the project's managers.
    #[oai(path = "/projects/:id", method = "patch")]
    async fn update_project(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<ProjectReq>,
    ) -> Result<Json<ProjectDto>, ApiError> {
        let id =
            id.0.parse()
                .map_err(|_| not_found("project", codes::PROJECT_NOT_FOUND))?;
        let p = self
            .0
            .svc
            .projects()
            .update(&actor, id, project_input(body.0)?)
            .await?;
        Ok(Json(project_dto(&self.0.svc, &actor, p)?))
    }
}
