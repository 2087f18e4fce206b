//! Tasks and their comments. The project's members and managers (and admins) create and move
//! tasks and comment on them; auditors read.

use crate::store::prelude::*;
use serde_json::json;

use super::{Actor, Result, ServiceError, Tasks};
use crate::domain::codes;
use crate::domain::error::Validator;
use crate::domain::tracking::{self, Comment, Project, Task, TaskStatus};
use crate::domain::{Permission, ProjectId, Role, TaskId, UserId};

/// A task's fields; `None` means unchanged (or the default when creating). `assignee` and
/// `estimate_secs` use `Some(None)` to clear.
#[derive(Debug, Clone, Default)]
pub struct TaskInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub status: Option<TaskStatus>,
    pub assignee: Option<Option<UserId>>,
    pub estimate_secs: Option<Option<i64>>,
    pub archived: Option<bool>,
}

fn task_not_found() -> ServiceError {
    ServiceError::NotFound {
        kind: "task",
        code: codes::TASK_NOT_FOUND,
    }
}

impl Tasks<'_> {
    /// The project, if `actor` may work on it: admins, or its members and managers.
    fn workable_project(&self, actor: &Actor, id: ProjectId) -> Result<Project> {
        actor.require(Permission::TrackTime)?;
        let p = self.projects().visible(actor, id)?;
        self.check_workable(actor, &p)?;
        Ok(p)
    }

    /// Whether `actor` may create, change and comment on the tasks of `p` (the rule of
    /// [`Self::workable_project`], also `can.manage_tasks` of a project and `can` of a task).
    pub(super) fn check_workable(&self, actor: &Actor, p: &Project) -> Result<()> {
        actor.require(Permission::TrackTime)?;
        let member = actor.user_id().is_some_and(|u| p.has_member(u));
        if actor.role != Some(Role::Admin) && !member {
            return Err(ServiceError::Denied(codes::PROJECT_NOT_MEMBER));
        }
        Ok(())
    }

    /// A project's tasks, by status then title. Roles: anyone who may see the project.
    pub fn list(
        &self,
        actor: &Actor,
        project: ProjectId,
        include_archived: bool,
    ) -> Result<Vec<Task>> {
        self.projects().visible(actor, project)?;
        let mut tasks: Vec<Task> = self
            .store()
            .tasks_of(project)?
            .into_iter()
            .filter(|t| include_archived || !t.archived)
            .collect();
        tasks.sort_by_key(|t| (t.status as u8, t.title.to_lowercase()));
        Ok(tasks)
    }

    /// A task `actor` may see.
    pub fn get(&self, actor: &Actor, id: TaskId) -> Result<Task> {
        let t = self.store().task(id)?.ok_or_else(task_not_found)?;
        self.projects()
            .visible(actor, t.project_id)
            .map_err(|_| task_not_found())?;
        Ok(t)
    }

    /// Roles: admin; the project's members and managers.
    pub async fn create(
        &self,
        actor: &Actor,
        project: ProjectId,
        input: TaskInput,
    ) -> Result<Task> {
        let p = self.workable_project(actor, project)?;
        let now = self.now();
        let mut t = Task {
            id: TaskId::new(now),
            project_id: p.id,
            title: String::new(),
            description: String::new(),
            status: TaskStatus::Open,
            assignee: None,
            estimate_secs: None,
            comments: Vec::new(),
            archived: false,
            created_at_ms: now,
            updated_at_ms: now,
        };
        if input.title.is_none() {
            return Err(crate::domain::DomainError::field(
                "title",
                "required",
                "title is required",
            )
            .into());
        }
        apply(&p, &mut t, input)?;
        let ev = self.event(
            actor,
            "task.created",
            Some(format!("task:{}", t.id)),
            json!({ "task": t }),
        );
        self.commit(&ev, |tx| tx.put_task(None, &t)).await?;
        Ok(t)
    }

    /// Changes a task (its status moves it on the board). Roles: admin; the project's members
    /// and managers.
    pub async fn update(&self, actor: &Actor, id: TaskId, input: TaskInput) -> Result<Task> {
        self.retrying(|| self.update_task_once(actor, id, &input))
            .await
    }

    async fn update_task_once(&self, actor: &Actor, id: TaskId, input: &TaskInput) -> Result<Task> {
        let mut t = self.get(actor, id)?;
        let p = self.workable_project(actor, t.project_id)?;
        let before = t.clone();
        apply(&p, &mut t, input.clone())?;
        if t == before {
            return Ok(t);
        }
        t.updated_at_ms = self.now();
        let ev = self.event(
            actor,
            "task.updated",
            Some(format!("task:{id}")),
            json!({ "before": before, "after": t }),
        );
        self.commit(&ev, |tx| tx.put_task(Some(&before), &t))
            .await?;
        Ok(t)
    }

    /// Adds a short comment. Roles: admin; the project's members and managers.
    pub async fn comment(&self, actor: &Actor, id: TaskId, text: &str) -> Result<Task> {
        self.retrying(|| self.comment_task_once(actor, id, text))
            .await
    }

    async fn comment_task_once(&self, actor: &Actor, id: TaskId, text: &str) -> Result<Task> {
        let mut t = self.get(actor, id)?;
        let before = t.clone();
        self.workable_project(actor, t.project_id)?;
        let text = tracking::text("text", text, 1000)?;
        if text.is_empty() {
            return Err(
                crate::domain::DomainError::field("text", "required", "write something").into(),
            );
        }
        let author = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let now = self.now();
        t.comments.push(Comment {
            author,
            at_ms: now,
            text,
        });
        t.updated_at_ms = now;
        let ev = self.event(
            actor,
            "task.commented",
            Some(format!("task:{id}")),
            json!({ "comment": t.comments.last() }),
        );
        self.commit(&ev, |tx| tx.put_task(Some(&before), &t))
            .await?;
        Ok(t)
    }
}

fn apply(p: &Project, t: &mut Task, input: TaskInput) -> Result<()> {
    let mut v = Validator::default();
    if let Some(x) = input
        .title
        .as_deref()
        .and_then(|x| v.check(tracking::name("title", x)))
    {
        t.title = x;
    }
    if let Some(x) = input
        .description
        .as_deref()
        .and_then(|x| v.check(tracking::text("description", x, 5000)))
    {
        t.description = x;
    }
    if let Some(e) = input.estimate_secs {
        v.check(tracking::estimate(e));
    }
    v.finish()?;
    if let Some(Some(u)) = input.assignee {
        if !p.has_member(u) {
            return Err(ServiceError::Denied(codes::TASK_ASSIGNEE_NOT_MEMBER));
        }
    }
    if let Some(a) = input.assignee {
        t.assignee = a;
    }
    if let Some(e) = input.estimate_secs {
        t.estimate_secs = e;
    }
    if let Some(s) = input.status {
        t.status = s;
    }
    if let Some(a) = input.archived {
        t.archived = a;
    }
    Ok(())
}

/// What the caller may do with one task: the `can` of a task in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaskPermissions {
    /// Change it, move it on the board, archive it.
    pub edit: bool,
    pub comment: bool,
}

impl Tasks<'_> {
    /// What `actor` may do with task `t`, by the check [`Self::update`] and
    /// [`Self::comment`] make on its project (every task of a project answers the same).
    pub fn permissions(&self, actor: &Actor, t: &Task) -> Result<TaskPermissions> {
        let Some(p) = self.store().project(t.project_id)? else {
            return Ok(TaskPermissions::default());
        };
        let work = super::error::granted(self.check_workable(actor, &p))?;
        Ok(TaskPermissions {
            edit: work,
            comment: work,
        })
    }
}
