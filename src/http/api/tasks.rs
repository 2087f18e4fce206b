//! Tasks (the task board) and their comments. Roles: see each endpoint.

use poem_openapi::param::{Path, Query};
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{payload::Json, ApiResponse, Enum, Object, OpenApi};

use super::can::TaskCanDto;
use super::dto::TicketDto;
use super::rules::{no_null, EstimateSecs, Limited, Name, Required, UuidText};
use super::{ApiTags, HttpState};
use crate::domain::codes;
use crate::domain::tracking::{Task, TaskStatus};
use crate::domain::{ProjectId, TaskId, UserId};
use crate::http::auth::SignedIn;
use crate::http::problem::{invalid_field, ApiError};
use crate::service::{rfc3339, Actor, ServiceError, Services, TaskInput};

pub struct TasksApi(pub HttpState);

/// A column of the task board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub(super) enum StatusDto {
    Open,
    InProgress,
    Done,
}

impl From<StatusDto> for TaskStatus {
    fn from(s: StatusDto) -> Self {
        match s {
            StatusDto::Open => TaskStatus::Open,
            StatusDto::InProgress => TaskStatus::InProgress,
            StatusDto::Done => TaskStatus::Done,
        }
    }
}

impl From<TaskStatus> for StatusDto {
    fn from(s: TaskStatus) -> Self {
        match s {
            TaskStatus::Open => StatusDto::Open,
            TaskStatus::InProgress => StatusDto::InProgress,
            TaskStatus::Done => StatusDto::Done,
        }
    }
}

#[derive(Object)]
struct CommentDto {
    author_id: String,
    /// The author's display name (people on a project see each other's names).
    #[oai(nullable)]
    author_name: Option<String>,
    at: String,
    text: String,
}

#[derive(Object)]
struct TaskDto {
    id: String,
    project_id: String,
    title: String,
    description: String,
    status: StatusDto,
    #[oai(nullable)]
    assignee_id: Option<String>,
    #[oai(nullable)]
    assignee_name: Option<String>,
    #[oai(nullable)]
    estimate_secs: Option<i64>,
    comments: Vec<CommentDto>,
    archived: bool,
    /// The tickets the title refers to (read-only; empty without `tickets.patterns`).
    tickets: Vec<TicketDto>,
    created_at: String,
    updated_at: String,
    /// What the caller may do with this task.
    can: TaskCanDto,
}

fn task_dto(svc: &Services, actor: &Actor, t: Task) -> Result<TaskDto, ServiceError> {
    let can = svc.tasks().permissions(actor, &t)?.into();
    let assignee_name = match t.assignee {
        Some(a) => svc.labels().user_name(a)?,
        None => None,
    };
    let comments = t
        .comments
        .into_iter()
        .map(|c| {
            Ok(CommentDto {
                author_id: c.author.to_string(),
                author_name: svc.labels().user_name(c.author)?,
                at: rfc3339(c.at_ms),
                text: c.text,
            })
        })
        .collect::<Result<_, ServiceError>>()?;
    let tickets = (svc
        .settings()
        .tickets
        .tickets([t.title.as_str()])
        .into_iter())
    .map(TicketDto::from)
    .collect();
    Ok(TaskDto {
        can,
        tickets,
        id: t.id.to_string(),
        project_id: t.project_id.to_string(),
        title: t.title,
        description: t.description,
        status: t.status.into(),
        assignee_id: t.assignee.map(|a| a.to_string()),
        assignee_name,
        estimate_secs: t.estimate_secs,
        comments,
        archived: t.archived,
        created_at: rfc3339(t.created_at_ms),
        updated_at: rfc3339(t.updated_at_ms),
    })
}

#[derive(Object)]
struct TaskList {
    items: Vec<TaskDto>,
}

/// Fields left out stay unchanged (or take their default when creating); `null` clears
/// `assignee_id` and `estimate_secs`.
#[derive(Object)]
struct TaskReq {
    #[oai(deserialize_with = "no_null")]
    title: Option<Name>,
    #[oai(deserialize_with = "no_null")]
    description: Option<Limited<5000>>,
    #[oai(deserialize_with = "no_null")]
    status: Option<StatusDto>,
    #[oai(nullable)]
    assignee_id: MaybeUndefined<UuidText>,
    /// Seconds, not negative.
    #[oai(nullable)]
    estimate_secs: MaybeUndefined<EstimateSecs>,
    #[oai(deserialize_with = "no_null")]
    archived: Option<bool>,
}

/// A new task; fields left out take their default.
#[derive(Object)]
struct NewTaskReq {
    title: Required<Name>,
    #[oai(deserialize_with = "no_null")]
    description: Option<Limited<5000>>,
    #[oai(deserialize_with = "no_null")]
    status: Option<StatusDto>,
    #[oai(nullable)]
    assignee_id: MaybeUndefined<UuidText>,
    /// Seconds, not negative.
    #[oai(nullable)]
    estimate_secs: MaybeUndefined<EstimateSecs>,
    #[oai(deserialize_with = "no_null")]
    archived: Option<bool>,
}

impl From<NewTaskReq> for TaskReq {
    fn from(b: NewTaskReq) -> Self {
        Self {
            title: b.title.0,
            description: b.description,
            status: b.status,
            assignee_id: b.assignee_id,
            estimate_secs: b.estimate_secs,
            archived: b.archived,
        }
    }
}

/// A comment: not blank, at most 1000 characters.
#[derive(Object)]
struct CommentReq {
    text: super::rules::NonBlank<1000>,
}

#[derive(ApiResponse)]
enum Created {
    #[oai(status = 201)]
    Created(Json<TaskDto>),
}

fn input(b: TaskReq) -> Result<TaskInput, ServiceError> {
    let assignee = match b.assignee_id {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(t) => {
            Some(Some(t.0.parse::<UserId>().map_err(|_| {
                invalid_field("assignee_id", "invalid", "not a user id")
            })?))
        }
    };
    let estimate_secs = match b.estimate_secs {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(e) => Some(Some(e.0)),
    };
    Ok(TaskInput {
        title: b.title.map(|t| t.0),
        description: b.description.map(|t| t.0),
        status: b.status.map(Into::into),
        assignee,
        estimate_secs,
        archived: b.archived,
    })
}

fn project_id(id: &str) -> Result<ProjectId, ServiceError> {
    id.parse().map_err(|_| ServiceError::NotFound {
        kind: "project",
        code: codes::PROJECT_NOT_FOUND,
    })
}

fn task_id(id: &str) -> Result<TaskId, ServiceError> {
    id.parse().map_err(|_| ServiceError::NotFound {
        kind: "task",
        code: codes::TASK_NOT_FOUND,
    })
}

#[OpenApi(tag = "ApiTags::Tracking")]
impl TasksApi {
    /// A project's tasks, ordered by status then title. Roles: anyone who may see the project.
    #[oai(path = "/projects/:id/tasks", method = "get")]
    async fn list(
        &self,
        actor: SignedIn,
        id: Path<String>,
        archived: Query<Option<bool>>,
    ) -> Result<Json<TaskList>, ApiError> {
        let tasks =
            self.0
                .svc
                .tasks()
                .list(&actor, project_id(&id.0)?, archived.0.unwrap_or(false))?;
        Ok(Json(TaskList {
            items: tasks
                .into_iter()
                .map(|t| task_dto(&self.0.svc, &actor, t))
                .collect::<Result<_, _>>()?,
        }))
    }

    /// Roles: admin; the project's members and managers.
    #[oai(path = "/projects/:id/tasks", method = "post")]
    async fn create(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<NewTaskReq>,
    ) -> Result<Created, ApiError> {
        let t = self
            .0
            .svc
            .tasks()
            .create(&actor, project_id(&id.0)?, input(body.0.into())?)
            .await?;
        Ok(Created::Created(Json(task_dto(&self.0.svc, &actor, t)?)))
    }

    /// Changes a task; `status` moves it between board columns. Roles: admin; the project's
    /// members and managers.
    #[oai(path = "/tasks/:id", method = "patch")]
    async fn update(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<TaskReq>,
    ) -> Result<Json<TaskDto>, ApiError> {
        let t = self
            .0
            .svc
            .tasks()
            .update(&actor, task_id(&id.0)?, input(body.0)?)
            .await?;
        Ok(Json(task_dto(&self.0.svc, &actor, t)?))
    }

    /// Adds a comment. Roles: admin; the project's members and managers.
    #[oai(path = "/tasks/:id/comments", method = "post")]
    async fn comment(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<CommentReq>,
    ) -> Result<Created, ApiError> {
        let t = self
            .0
            .svc
            .tasks()
            .comment(&actor, task_id(&id.0)?, &body.0.text.0)
            .await?;
        Ok(Created::Created(Json(task_dto(&self.0.svc, &actor, t)?)))
    }
}
