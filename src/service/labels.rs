//! Names and colours that make a record readable (an entry's project, client, task and person;
//! a timesheet row's project and task), resolved here so the HTTP layer never reads the store.
//! A broken reference reads as a missing name; a store error is an error.
//!
//! A response that shows many records resolves each name once ([`LabelCache`]): a month of
//! 1,500 entries on five projects reads five projects, their client and one person.

use std::collections::HashMap;

use super::{Labels, Result, Services};
use crate::domain::tracking::{Entry, Project};
use crate::domain::{ClientId, ProjectId, TaskId, UserId};
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
        self.cache().entry(e)
    }

    /// A project's name and colour and a task's title.
    pub fn row(&self, project: ProjectId, task: Option<TaskId>) -> Result<RowLabels> {
        self.cache().row(project, task)
    }

    /// A person's display name, if the account exists.
    pub fn user_name(&self, id: UserId) -> Result<Option<String>> {
        self.cache().user_name(id)
    }
}

impl<'a> Labels<'a> {
    /// An empty cache, for one response.
    pub fn cache(&self) -> LabelCache<'a> {
        LabelCache {
            svc: self.0,
            projects: HashMap::new(),
            clients: HashMap::new(),
            tasks: HashMap::new(),
            users: HashMap::new(),
        }
    }
}

/// Names looked up once each for the span of one response. Not kept longer: a rename shows in
/// the next response.
pub struct LabelCache<'a> {
    svc: &'a Services,
    projects: HashMap<ProjectId, Option<Project>>,
    clients: HashMap<ClientId, Option<String>>,
    tasks: HashMap<TaskId, Option<String>>,
    users: HashMap<UserId, Option<String>>,
}

impl LabelCache<'_> {
    /// The project, if it exists.
    pub fn project(&mut self, id: ProjectId) -> Result<Option<&Project>> {
        if !self.projects.contains_key(&id) {
            let p = self.svc.store().project(id)?;
            self.projects.insert(id, p);
        }
        Ok(self.projects[&id].as_ref())
    }

    /// The names an entry refers to.
    pub fn entry(&mut self, e: &Entry) -> Result<EntryLabels> {
        let client = self.project(e.project_id)?.and_then(|p| p.client_id);
        let client_name = match client {
            Some(c) => self.client_name(c)?,
            None => None,
        };
        let row = self.row(e.project_id, e.task_id)?;
        Ok(EntryLabels {
            user_name: self.user_name(e.user_id)?,
            project_name: row.project_name,
            project_color: row.project_color,
            client_name,
            task_title: row.task_title,
        })
    }

    /// A project's name and colour and a task's title.
    pub fn row(&mut self, project: ProjectId, task: Option<TaskId>) -> Result<RowLabels> {
        let task_title = match task {
            Some(t) => self.task_title(t)?,
            None => None,
        };
        let p = self.project(project)?;
        Ok(RowLabels {
            project_name: p.map(|p| p.name.clone()).unwrap_or_default(),
            project_color: p.map_or_else(|| NO_COLOR.to_owned(), |p| p.color.clone()),
            task_title,
        })
    }

    /// A person's display name, if the account exists.
    pub fn user_name(&mut self, id: UserId) -> Result<Option<String>> {
        if let Some(n) = self.users.get(&id) {
            return Ok(n.clone());
        }
        let n = self
            .svc
            .store()
            .user(id)?
            .map(|r| r.user.name.as_str().to_owned());
        self.users.insert(id, n.clone());
        Ok(n)
    }

    /// A client's name, if it exists.
    pub fn client_name(&mut self, id: ClientId) -> Result<Option<String>> {
        if let Some(n) = self.clients.get(&id) {
            return Ok(n.clone());
        }
        let n = self.svc.store().client(id)?.map(|c| c.name);
        self.clients.insert(id, n.clone());
        Ok(n)
    }

    /// A task's title, if it exists.
    pub fn task_title(&mut self, id: TaskId) -> Result<Option<String>> {
        if let Some(n) = self.tasks.get(&id) {
            return Ok(n.clone());
        }
        let n = self.svc.store().task(id)?.map(|t| t.title);
        self.tasks.insert(id, n.clone());
        Ok(n)
    }
}
