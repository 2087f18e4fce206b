//! Stored layouts of clients, projects, tasks and time entries.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::tracking::{Client, Comment, Entry, Project, Task, TaskStatus};

/// The `clients` tree's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredClient {
    pub id: Uuid,
    pub name: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub archived: bool,
    pub created_at_ms: i64,
}

impl From<&Client> for StoredClient {
    fn from(c: &Client) -> Self {
        Self {
            id: c.id.into(),
            name: c.name.clone(),
            notes: c.notes.clone(),
            archived: c.archived,
            created_at_ms: c.created_at_ms,
        }
    }
}

impl From<StoredClient> for Client {
    fn from(s: StoredClient) -> Self {
        Self {
            id: s.id.into(),
            name: s.name,
            notes: s.notes,
            archived: s.archived,
            created_at_ms: s.created_at_ms,
        }
    }
}

/// The `projects` tree's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredProject {
    pub id: Uuid,
    pub name: String,
    pub client_id: Option<Uuid>,
    pub color: String,
    pub billable: bool,
    pub rate_cents: Option<i64>,
    pub currency: String,
    pub members: Vec<Uuid>,
    pub managers: Vec<Uuid>,
    #[serde(default)]
    pub archived: bool,
    pub created_at_ms: i64,
}

impl From<&Project> for StoredProject {
    fn from(p: &Project) -> Self {
        Self {
            id: p.id.into(),
            name: p.name.clone(),
            client_id: p.client_id.map(Into::into),
            color: p.color.clone(),
            billable: p.billable,
            rate_cents: p.rate_cents,
            currency: p.currency.clone(),
            members: p.members.iter().map(|&u| u.into()).collect(),
            managers: p.managers.iter().map(|&u| u.into()).collect(),
            archived: p.archived,
            created_at_ms: p.created_at_ms,
        }
    }
}

impl From<StoredProject> for Project {
    fn from(s: StoredProject) -> Self {
        Self {
            id: s.id.into(),
            name: s.name,
            client_id: s.client_id.map(Into::into),
            color: s.color,
            billable: s.billable,
            rate_cents: s.rate_cents,
            currency: s.currency,
            members: s.members.into_iter().map(Into::into).collect(),
            managers: s.managers.into_iter().map(Into::into).collect(),
            archived: s.archived,
            created_at_ms: s.created_at_ms,
        }
    }
}

/// The `entries` tree's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEntry {
    pub id: Uuid,
    pub user_id: Uuid,
    pub project_id: Uuid,
    #[serde(default)]
    pub task_id: Option<Uuid>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub note: String,
    pub start_ms: i64,
    pub end_ms: Option<i64>,
    pub billable: bool,
    pub rate_cents: Option<i64>,
    pub currency: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

impl From<&Entry> for StoredEntry {
    fn from(e: &Entry) -> Self {
        Self {
            id: e.id.into(),
            user_id: e.user_id.into(),
            project_id: e.project_id.into(),
            task_id: e.task_id.map(Into::into),
            tags: e.tags.clone(),
            note: e.note.clone(),
            start_ms: e.start_ms,
            end_ms: e.end_ms,
            billable: e.billable,
            rate_cents: e.rate_cents,
            currency: e.currency.clone(),
            created_at_ms: e.created_at_ms,
            updated_at_ms: e.updated_at_ms,
        }
    }
}

impl From<StoredEntry> for Entry {
    fn from(s: StoredEntry) -> Self {
        Self {
            id: s.id.into(),
            user_id: s.user_id.into(),
            project_id: s.project_id.into(),
            task_id: s.task_id.map(Into::into),
            tags: s.tags,
            note: s.note,
            start_ms: s.start_ms,
            end_ms: s.end_ms,
            billable: s.billable,
            rate_cents: s.rate_cents,
            currency: s.currency,
            created_at_ms: s.created_at_ms,
            updated_at_ms: s.updated_at_ms,
        }
    }
}

/// A task's status as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoredTaskStatus {
    Open,
    InProgress,
    Done,
}

impl From<TaskStatus> for StoredTaskStatus {
    fn from(s: TaskStatus) -> Self {
        match s {
            TaskStatus::Open => Self::Open,
            TaskStatus::InProgress => Self::InProgress,
            TaskStatus::Done => Self::Done,
        }
    }
}

impl From<StoredTaskStatus> for TaskStatus {
    fn from(s: StoredTaskStatus) -> Self {
        match s {
            StoredTaskStatus::Open => Self::Open,
            StoredTaskStatus::InProgress => Self::InProgress,
            StoredTaskStatus::Done => Self::Done,
        }
    }
}

/// A comment on a task, as stored inside the task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredComment {
    pub author: Uuid,
    pub at_ms: i64,
    pub text: String,
}

/// The `tasks` tree's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredTask {
    pub id: Uuid,
    pub project_id: Uuid,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub status: StoredTaskStatus,
    pub assignee: Option<Uuid>,
    pub estimate_secs: Option<i64>,
    #[serde(default)]
    pub comments: Vec<StoredComment>,
    #[serde(default)]
    pub archived: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

impl From<&Task> for StoredTask {
    fn from(t: &Task) -> Self {
        Self {
            id: t.id.into(),
            project_id: t.project_id.into(),
            title: t.title.clone(),
            description: t.description.clone(),
            status: t.status.into(),
            assignee: t.assignee.map(Into::into),
            estimate_secs: t.estimate_secs,
            comments: t
                .comments
                .iter()
                .map(|c| StoredComment {
                    author: c.author.into(),
                    at_ms: c.at_ms,
                    text: c.text.clone(),
                })
                .collect(),
            archived: t.archived,
            created_at_ms: t.created_at_ms,
            updated_at_ms: t.updated_at_ms,
        }
    }
}

impl From<StoredTask> for Task {
    fn from(s: StoredTask) -> Self {
        Self {
            id: s.id.into(),
            project_id: s.project_id.into(),
            title: s.title,
            description: s.description,
            status: s.status.into(),
            assignee: s.assignee.map(Into::into),
            estimate_secs: s.estimate_secs,
            comments: s
                .comments
                .into_iter()
                .map(|c| Comment {
                    author: c.author.into(),
                    at_ms: c.at_ms,
                    text: c.text,
                })
                .collect(),
            archived: s.archived,
            created_at_ms: s.created_at_ms,
            updated_at_ms: s.updated_at_ms,
        }
    }
}
