//! Stored layouts of clients, projects, tasks and time entries.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::billing::{Budget, Limit, RateChange, RateScope, Rounding};
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rates: Vec<StoredRate>,
    /// `Rounding`'s written form ("up 15 per entry", "none"); absent: the instance's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<StoredBudget>,
}

/// A rate change: `scope` is `project`, `member` or `task`, with `id` for the latter two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRate {
    pub scope: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    pub from_ms: i64,
    pub rate_cents: Option<i64>,
}

/// A budget: exactly one of `seconds` and `cents`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredBudget {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cents: Option<i64>,
    pub alert_percent: u8,
}

impl From<&RateChange> for StoredRate {
    fn from(c: &RateChange) -> Self {
        let (scope, id) = match c.scope {
            RateScope::Project => ("project", None),
            RateScope::Member(u) => ("member", Some(u.into())),
            RateScope::Task(t) => ("task", Some(t.into())),
        };
        Self {
            scope: scope.into(),
            id,
            from_ms: c.from_ms,
            rate_cents: c.rate_cents,
        }
    }
}

impl StoredRate {
    /// The rate change, or `None` for a scope this build does not know (left out, not fatal).
    fn change(&self) -> Option<RateChange> {
        let scope = match (self.scope.as_str(), self.id) {
            ("project", _) => RateScope::Project,
            ("member", Some(u)) => RateScope::Member(u.into()),
            ("task", Some(t)) => RateScope::Task(t.into()),
            _ => return None,
        };
        Some(RateChange {
            scope,
            from_ms: self.from_ms,
            rate_cents: self.rate_cents,
        })
    }
}

impl From<&Budget> for StoredBudget {
    fn from(b: &Budget) -> Self {
        let (seconds, cents) = match b.limit {
            Limit::Seconds(s) => (Some(s), None),
            Limit::Cents(c) => (None, Some(c)),
        };
        Self {
            seconds,
            cents,
            alert_percent: b.alert_percent,
        }
    }
}

impl StoredBudget {
    fn budget(&self) -> Option<Budget> {
        let limit = match (self.seconds, self.cents) {
            (Some(s), _) => Limit::Seconds(s),
            (None, Some(c)) => Limit::Cents(c),
            (None, None) => return None,
        };
        Some(Budget {
            limit,
            alert_percent: self.alert_percent,
        })
    }
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
            rates: p.rates.iter().map(StoredRate::from).collect(),
            rounding: p.rounding.map(|r| r.to_string()),
            budget: p.budget.as_ref().map(StoredBudget::from),
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
            rates: s.rates.iter().filter_map(StoredRate::change).collect(),
            // A form this build cannot read counts as the instance's default.
            rounding: s.rounding.and_then(|r| Rounding::parse(&r).ok()),
            budget: s.budget.and_then(|b| b.budget()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::billing::{Direction, Per};
    use crate::domain::{ProjectId, TaskId, UserId};

    /// The layout of a project's rates, rounding and budget (schema 6), pinned: the golden
    /// fixtures predate them.
    #[test]
    fn billing_terms_have_one_stored_layout() {
        let p = Project {
            id: ProjectId::from_bytes([1; 16]),
            name: "P".into(),
            client_id: None,
            color: "#2f6fde".into(),
            billable: true,
            rate_cents: Some(9000),
            currency: "EUR".into(),
            members: vec![],
            managers: vec![],
            archived: false,
            created_at_ms: 5,
            rates: vec![
                RateChange {
                    scope: RateScope::Project,
                    from_ms: 10,
                    rate_cents: Some(9500),
                },
                RateChange {
                    scope: RateScope::Member(UserId::from_bytes([2; 16])),
                    from_ms: 0,
                    rate_cents: None,
                },
                RateChange {
                    scope: RateScope::Task(TaskId::from_bytes([3; 16])),
                    from_ms: 20,
                    rate_cents: Some(1),
                },
            ],
            rounding: Some(Rounding::round(Direction::Up, 15, Per::Day).unwrap()),
            budget: Some(Budget {
                limit: Limit::Seconds(36_000),
                alert_percent: 75,
            }),
        };
        let json = serde_json::to_string(&StoredProject::from(&p)).unwrap();
        assert_eq!(
            json,
            concat!(
                r##"{"id":"01010101-0101-0101-0101-010101010101","name":"P","client_id":null,"##,
                r##""color":"#2f6fde","billable":true,"rate_cents":9000,"currency":"EUR","##,
                r##""members":[],"managers":[],"archived":false,"created_at_ms":5,"rates":["##,
                r##"{"scope":"project","from_ms":10,"rate_cents":9500},"##,
                r##"{"scope":"member","id":"02020202-0202-0202-0202-020202020202","from_ms":0,"rate_cents":null},"##,
                r##"{"scope":"task","id":"03030303-0303-0303-0303-030303030303","from_ms":20,"rate_cents":1}],"##,
                r##""rounding":"up 15 per day","budget":{"seconds":36000,"alert_percent":75}}"##
            )
        );
        let back: StoredProject = serde_json::from_str(&json).unwrap();
        assert_eq!(Project::from(back), p);
    }
}
