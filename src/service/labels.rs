//! Names and colours that make a record readable (an entry's project, client, task and person;
//! a timesheet row's project and task), resolved here so the HTTP layer never reads the store.
//! A broken reference reads as a missing name; a store error is an error.

use super::{Labels, Result};
use crate::domain::tracking::{Entry, Project};
use crate::domain::{ProjectId, TaskId, UserId};
use crate::store::prelude::*;

/// The colour shown for a project that no longer exists.
const NO_COLOR: &str = "#888888";

/// What an entry refers to, by name.
#[derive(Debug, Clone, Default)]
pub struct EntryLabels {
    pub user_name: Option<String>,
    pub project_name: String,
    pub project_color: String,
    pub client_name: Option<String>,
    pub task_title: Option<String>,
}

/// A project (and task) by name, for a timesheet row.
#[derive(Debug, Clone, Default)]
pub struct RowLabels {
    pub project_name: String,
    pub project_color: String,
    pub task_title: Option<String>,
}

impl Labels<'_> {
    /// The names an entry refers to. Roles: whoever may read the entry (the caller checked).
    pub fn entry(&self, e: &Entry) -> Result<EntryLabels> {
        let p = self.store().project(e.project_id)?;
        let client_name = match p.as_ref().and_then(|p| p.client_id) {
            Some(c) => self.store().client(c)?.map(|c| c.name),
            None => None,
        };
        let row = self.labels_of(p, e.task_id)?;
        Ok(EntryLabels {
            user_name: self.user_name(e.user_id)?,
            project_name: row.project_name,
            project_color: row.project_color,
            client_name,
            task_title: row.task_title,
        })
    }

    /// A project's name and colour and a task's title.
    pub fn row(&self, project: ProjectId, task: Option<TaskId>) -> Result<RowLabels> {
        let p = self.store().project(project)?;
        self.labels_of(p, task)
    }

    fn labels_of(&self, p: Option<Project>, task: Option<TaskId>) -> Result<RowLabels> {
        let task_title = match task {
            Some(t) => self.store().task(t)?.map(|t| t.title),
            None => None,
        };
        Ok(RowLabels {
            project_name: p.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            project_color: p.map_or_else(|| NO_COLOR.to_owned(), |p| p.color),
            task_title,
        })
    }

    /// A person's display name, if the account exists.
    pub fn user_name(&self, id: UserId) -> Result<Option<String>> {
        Ok(self
            .store()
            .user(id)?
            .map(|r| r.user.name.as_str().to_owned()))
    }
}
