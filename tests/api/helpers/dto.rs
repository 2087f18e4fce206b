//! The API's requests and answers as small serde structs, for the typed calls in `api.rs`.
//! Answers list the fields tests read (unknown ones are ignored); requests leave out what is
//! `None`, so a request struct with one field set is also a PATCH body that changes one field.

// The answers mirror the API; not every test reads every field.
#![allow(dead_code)]

use serde::{Deserialize, Serialize};
use serde_json::Value;

// ---- projects, clients, tags ----------------------------------------------------------------

/// `POST /api/v1/projects` and `PATCH /api/v1/projects/{id}`.
#[derive(Debug, Default, Clone, Serialize)]
pub struct ProjectReq {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_cents: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

impl ProjectReq {
    /// A project called `name`, everything else by default.
    pub fn named(name: &str) -> ProjectReq {
        ProjectReq {
            name: Some(name.to_owned()),
            ..ProjectReq::default()
        }
    }
    /// With these members.
    pub fn members(mut self, ids: &[&str]) -> ProjectReq {
        self.member_ids = Some(ids.iter().map(|s| s.to_string()).collect());
        self
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub client_id: Option<String>,
    pub client_name: Option<String>,
    pub color: String,
    pub billable: bool,
    pub rate_cents: Option<i64>,
    pub currency: String,
    pub member_ids: Vec<String>,
    pub manager_ids: Vec<String>,
    pub archived: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ClientOrg {
    pub id: String,
    pub name: String,
    pub archived: bool,
}

/// A tag and how many entries carry it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct TagCount {
    pub name: String,
    pub entries: u64,
}

// ---- entries and the timer ------------------------------------------------------------------

/// `POST /api/v1/entries`, `PATCH /api/v1/entries/{id}` and `POST /api/v1/timer/start`.
#[derive(Debug, Default, Clone, Serialize)]
pub struct EntryReq {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billable: Option<bool>,
}

impl EntryReq {
    /// An entry on `project` from `start` to `end` (RFC 3339).
    pub fn new(project: &str, start: &str, end: &str) -> EntryReq {
        EntryReq {
            project_id: Some(project.to_owned()),
            start: Some(start.to_owned()),
            end: Some(end.to_owned()),
            ..EntryReq::default()
        }
    }
    /// A timer on `project` (no start or end: the server's clock decides).
    pub fn timer(project: &str) -> EntryReq {
        EntryReq {
            project_id: Some(project.to_owned()),
            ..EntryReq::default()
        }
    }
    pub fn note(mut self, note: &str) -> EntryReq {
        self.note = Some(note.to_owned());
        self
    }
    pub fn tags(mut self, tags: &[&str]) -> EntryReq {
        self.tags = Some(tags.iter().map(|s| s.to_string()).collect());
        self
    }
    pub fn task(mut self, task: &str) -> EntryReq {
        self.task_id = Some(task.to_owned());
        self
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Entry {
    pub id: String,
    pub user_id: String,
    pub user_name: Option<String>,
    pub project_id: String,
    pub project_name: String,
    pub client_name: Option<String>,
    pub task_id: Option<String>,
    pub task_title: Option<String>,
    pub note: String,
    pub tags: Vec<String>,
    pub start: String,
    pub end: Option<String>,
    pub duration_seconds: i64,
    pub billable: bool,
    pub rate_cents: Option<i64>,
    pub currency: String,
}

/// `GET /api/v1/entries`.
#[derive(Debug, Clone, Deserialize)]
pub struct EntryPage {
    pub items: Vec<Entry>,
    pub next_cursor: Option<String>,
    pub total_seconds: i64,
}

impl EntryPage {
    /// The ids of the listed entries, in order.
    pub fn ids(&self) -> Vec<String> {
        self.items.iter().map(|e| e.id.clone()).collect()
    }
}

/// `POST /api/v1/entries/bulk`.
#[derive(Debug, Default, Clone, Serialize)]
pub struct BulkReq {
    pub ids: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub add_tags: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub remove_tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
}

/// A stopped timer's entry.
#[derive(Debug, Clone, Deserialize)]
pub struct Stopped {
    #[serde(flatten)]
    pub entry: Entry,
    pub capped: bool,
}

/// `POST /api/v1/timer/start`: the new timer and the one it stopped, if any.
#[derive(Debug, Clone, Deserialize)]
pub struct Started {
    pub started: Entry,
    pub stopped: Option<Stopped>,
}

// ---- tasks ----------------------------------------------------------------------------------

/// `POST /api/v1/projects/{id}/tasks` and `PATCH /api/v1/tasks/{id}`.
#[derive(Debug, Default, Clone, Serialize)]
pub struct TaskReq {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate_secs: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

impl TaskReq {
    pub fn titled(title: &str) -> TaskReq {
        TaskReq {
            title: Some(title.to_owned()),
            ..TaskReq::default()
        }
    }
    pub fn status(status: &str) -> TaskReq {
        TaskReq {
            status: Some(status.to_owned()),
            ..TaskReq::default()
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Comment {
    pub author_id: String,
    pub author_name: Option<String>,
    pub at: String,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Task {
    pub id: String,
    pub project_id: String,
    pub title: String,
    pub description: String,
    pub status: String,
    pub assignee_id: Option<String>,
    pub assignee_name: Option<String>,
    pub estimate_secs: Option<i64>,
    pub comments: Vec<Comment>,
    pub archived: bool,
}

// ---- the timesheet --------------------------------------------------------------------------

/// `PUT /api/v1/timesheet/cell`.
#[derive(Debug, Clone, Serialize)]
pub struct CellReq {
    pub project_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    pub date: String,
    pub seconds: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TimesheetRow {
    pub project_id: String,
    pub project_name: String,
    pub task_id: Option<String>,
    pub task_title: Option<String>,
    pub seconds: Vec<i64>,
    pub total: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Timesheet {
    pub week_start: String,
    pub days: Vec<String>,
    pub rows: Vec<TimesheetRow>,
    pub day_totals: Vec<i64>,
    pub total: i64,
}

// ---- users ----------------------------------------------------------------------------------

/// `POST /api/v1/users`.
#[derive(Debug, Clone, Serialize)]
pub struct UserReq {
    pub name: String,
    pub email: String,
    pub role: String,
    pub time_zone: String,
}

impl UserReq {
    pub fn new(name: &str, email: &str, role: &str, time_zone: &str) -> UserReq {
        UserReq {
            name: name.to_owned(),
            email: email.to_owned(),
            role: role.to_owned(),
            time_zone: time_zone.to_owned(),
        }
    }
}

/// `PATCH /api/v1/users/{id}`: fields left out stay unchanged.
#[derive(Debug, Default, Clone, Serialize)]
pub struct UserPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub time_zone: String,
    pub disabled: bool,
    pub last_login_at: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Link {
    pub url: String,
    pub expires_at: String,
}

/// `POST /api/v1/users`: the account and the link that sets its password.
#[derive(Debug, Clone, Deserialize)]
pub struct CreatedUser {
    pub user: User,
    pub reset_link: Link,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UserPage {
    pub items: Vec<User>,
    pub next_cursor: Option<String>,
}

impl UserPage {
    pub fn emails(&self) -> Vec<&str> {
        self.items.iter().map(|u| u.email.as_str()).collect()
    }
}

// ---- audit ----------------------------------------------------------------------------------

/// One audit record; `body` differs per action, so it stays JSON.
#[derive(Debug, Clone, Deserialize)]
pub struct AuditRecord {
    pub seq: u64,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    /// Null once redacted.
    #[serde(default)]
    pub body: Value,
}
