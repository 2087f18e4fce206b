//! Clients and projects: who may see and change them.

use serde_json::json;

use super::{Actor, Result, ServiceError, Services};
use crate::domain::codes;
use crate::domain::error::Validator;
use crate::domain::tracking::{self, Client, Project};
use crate::domain::{ClientId, Permission, ProjectId, Role, UserId};

/// Changes to a client; `None` means unchanged.
#[derive(Debug, Clone, Default)]
pub struct ClientInput {
    pub name: Option<String>,
    pub notes: Option<String>,
    pub archived: Option<bool>,
}

/// A new project or changes to one; `None` means unchanged (or the default when creating).
/// `client_id` and `rate_cents` use `Some(None)` to clear.
#[derive(Debug, Clone, Default)]
pub struct ProjectInput {
    pub name: Option<String>,
    pub client_id: Option<Option<ClientId>>,
    pub color: Option<String>,
    pub billable: Option<bool>,
    pub rate_cents: Option<Option<i64>>,
    pub currency: Option<String>,
    pub member_ids: Option<Vec<UserId>>,
    pub manager_ids: Option<Vec<UserId>>,
    pub archived: Option<bool>,
}

fn client_not_found() -> ServiceError {
    ServiceError::NotFound {
        kind: "client",
        code: codes::CLIENT_NOT_FOUND,
    }
}

pub(super) fn project_not_found() -> ServiceError {
    ServiceError::NotFound {
        kind: "project",
        code: codes::PROJECT_NOT_FOUND,
    }
}

impl Services {
    /// Clients by name. Roles: any but client.
    pub fn list_clients(&self, actor: &Actor, include_archived: bool) -> Result<Vec<Client>> {
        actor.require(Permission::ReadProjects)?;
        let mut all: Vec<Client> = self
            .store()
            .clients()?
            .into_iter()
            .filter(|c| include_archived || !c.archived)
            .collect();
        all.sort_by_key(|c| c.name.to_lowercase());
        Ok(all)
    }

    /// Roles: admin, manager.
    pub async fn create_client(&self, actor: &Actor, input: ClientInput) -> Result<Client> {
        actor.require(Permission::ManageProjects)?;
        let mut v = Validator::default();
        let name = v.check(tracking::name("name", input.name.as_deref().unwrap_or("")));
        let notes = v.check(tracking::text(
            "notes",
            input.notes.as_deref().unwrap_or(""),
            2000,
        ));
        v.finish()?;
        let now = self.now();
        let c = Client {
            id: ClientId::new(now),
            name: name.unwrap_or_default(),
            notes: notes.unwrap_or_default(),
            archived: input.archived.unwrap_or(false),
            created_at_ms: now,
        };
        let ev = self.event(
            actor,
            "client.created",
            Some(format!("client:{}", c.id)),
            json!({ "name": c.name }),
        );
        self.commit(&ev, |tx| tx.put_client(None, &c)).await?;
        Ok(c)
    }

    /// Roles: admin, manager.
    pub async fn update_client(
        &self,
        actor: &Actor,
        id: ClientId,
        input: ClientInput,
    ) -> Result<Client> {
        self.retrying(|| self.update_client_once(actor, id, &input))
            .await
    }

    async fn update_client_once(
        &self,
        actor: &Actor,
        id: ClientId,
        input: &ClientInput,
    ) -> Result<Client> {
        check_manages_clients(actor)?;
        let mut c = self.store().client(id)?.ok_or_else(client_not_found)?;
        let before = c.clone();
        let mut v = Validator::default();
        if let Some(n) = input
            .name
            .as_deref()
            .and_then(|n| v.check(tracking::name("name", n)))
        {
            c.name = n;
        }
        if let Some(n) = input
            .notes
            .as_deref()
            .and_then(|n| v.check(tracking::text("notes", n, 2000)))
        {
            c.notes = n;
        }
        v.finish()?;
        if let Some(a) = input.archived {
            c.archived = a;
        }
        if c == before {
            return Ok(c);
        }
        let ev = self.event(
            actor,
            "client.updated",
            Some(format!("client:{id}")),
            json!({ "before": before, "after": c }),
        );
        self.commit(&ev, |tx| tx.put_client(Some(&before), &c))
            .await?;
        Ok(c)
    }

    /// Whether `actor` may see `p`: admins and auditors see all, others their own projects.
    pub(super) fn can_see(&self, actor: &Actor, p: &Project) -> bool {
        actor.allows(Permission::ReadAllProjects)
            || actor.user_id().is_some_and(|u| p.has_member(u))
    }

    /// The projects `actor` may see, by name. Roles: any but client.
    pub fn list_projects(&self, actor: &Actor, include_archived: bool) -> Result<Vec<Project>> {
        actor.require(Permission::ReadProjects)?;
        let mut all: Vec<Project> = self
            .store()
            .projects()?
            .into_iter()
            .filter(|p| (include_archived || !p.archived) && self.can_see(actor, p))
            .collect();
        all.sort_by_key(|p| p.name.to_lowercase());
        Ok(all)
    }

    /// A project `actor` may see, or `project.not_found`.
    pub fn visible_project(&self, actor: &Actor, id: ProjectId) -> Result<Project> {
        actor.require(Permission::ReadProjects)?;
        self.store()
            .project(id)?
            .filter(|p| self.can_see(actor, p))
            .ok_or_else(project_not_found)
    }

    /// The client's name, for display.
    pub fn client_name(&self, id: Option<ClientId>) -> Option<String> {
        id.and_then(|id| self.store().client(id).ok().flatten())
            .map(|c| c.name)
    }

    /// Creates a project; a manager who creates one manages it. Roles: admin, manager.
    pub async fn create_project(&self, actor: &Actor, input: ProjectInput) -> Result<Project> {
        actor.require(Permission::ManageProjects)?;
        let now = self.now();
        let mut p = Project {
            id: ProjectId::new(now),
            name: String::new(),
            client_id: None,
            color: "#2f6fde".into(),
            billable: true,
            rate_cents: None,
            currency: "EUR".into(),
            members: Vec::new(),
            managers: Vec::new(),
            archived: false,
            created_at_ms: now,
        };
        if input.name.is_none() {
            return Err(
                crate::domain::DomainError::field("name", "required", "name is required").into(),
            );
        }
        self.apply_project_input(&mut p, input)?;
        if let (Some(Role::Manager), Some(me)) = (actor.role, actor.user_id()) {
            if !p.managers.contains(&me) {
                p.managers.push(me);
            }
        }
        let ev = self.event(
            actor,
            "project.created",
            Some(format!("project:{}", p.id)),
            json!({ "project": p }),
        );
        self.commit(&ev, |tx| tx.put_project(None, &p)).await?;
        Ok(p)
    }

    /// Roles: admin, the project's managers.
    pub async fn update_project(
        &self,
        actor: &Actor,
        id: ProjectId,
        input: ProjectInput,
    ) -> Result<Project> {
        self.retrying(|| self.update_project_once(actor, id, &input))
            .await
    }

    async fn update_project_once(
        &self,
        actor: &Actor,
        id: ProjectId,
        input: &ProjectInput,
    ) -> Result<Project> {
        actor.require(Permission::ManageProjects)?;
        let mut p = self.visible_project(actor, id)?;
        check_manages(actor, &p)?;
        let before = p.clone();
        self.apply_project_input(&mut p, input.clone())?;
        if p == before {
            return Ok(p);
        }
        let ev = self.event(
            actor,
            "project.updated",
            Some(format!("project:{id}")),
            json!({ "before": before, "after": p }),
        );
        self.commit(&ev, |tx| tx.put_project(Some(&before), &p))
            .await?;
        Ok(p)
    }

    fn apply_project_input(&self, p: &mut Project, input: ProjectInput) -> Result<()> {
        let mut v = Validator::default();
        if let Some(n) = input
            .name
            .as_deref()
            .and_then(|n| v.check(tracking::name("name", n)))
        {
            p.name = n;
        }
        if let Some(c) = input
            .color
            .as_deref()
            .and_then(|c| v.check(tracking::color(c)))
        {
            p.color = c;
        }
        if let Some(c) = input
            .currency
            .as_deref()
            .and_then(|c| v.check(tracking::currency(c)))
        {
            p.currency = c;
        }
        if let Some(r) = input.rate_cents.and_then(|r| v.check(tracking::rate(r))) {
            p.rate_cents = r;
        }
        v.finish()?;
        if let Some(client) = input.client_id {
            if let Some(cid) = client {
                self.store().client(cid)?.ok_or_else(client_not_found)?;
            }
            p.client_id = client;
        }
        for ids in [&input.member_ids, &input.manager_ids]
            .into_iter()
            .flatten()
        {
            for u in ids {
                self.store().user(*u)?.ok_or(ServiceError::NotFound {
                    kind: "user",
                    code: codes::USER_NOT_FOUND,
                })?;
            }
        }
        if let Some(b) = input.billable {
            p.billable = b;
        }
        if let Some(m) = input.member_ids {
            p.members = dedup(m);
        }
        if let Some(m) = input.manager_ids {
            p.managers = dedup(m);
        }
        if let Some(a) = input.archived {
            p.archived = a;
        }
        Ok(())
    }
}

fn dedup(mut v: Vec<UserId>) -> Vec<UserId> {
    v.sort();
    v.dedup();
    v
}

/// Whether `actor` may change project `p` (its fields, members, managers, archived flag):
/// admins, and the project's managers. [`Services::update_project`] checks it, and it is the
/// project's `can.edit`.
fn check_manages(actor: &Actor, p: &Project) -> Result<()> {
    actor.require(Permission::ManageProjects)?;
    let is_admin = actor.role == Some(Role::Admin);
    if !is_admin && !actor.user_id().is_some_and(|u| p.is_managed_by(u)) {
        return Err(ServiceError::Forbidden);
    }
    Ok(())
}

/// Whether `actor` may change clients (any of them): admins and managers.
fn check_manages_clients(actor: &Actor) -> Result<()> {
    actor.require(Permission::ManageProjects)
}

/// What the caller may do with one project: the `can` of a project in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProjectPermissions {
    /// Change its name, client, colour, rate, billable default.
    pub edit: bool,
    /// Archive or unarchive it.
    pub archive: bool,
    /// Change its members and managers.
    pub manage_members: bool,
    /// Create, change and comment on its tasks (the task board).
    pub manage_tasks: bool,
    /// Record time on it now (a member, not archived).
    pub track: bool,
}

/// What the caller may do with one client: the `can` of a client in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClientPermissions {
    pub edit: bool,
    pub archive: bool,
}

impl Services {
    /// What `actor` may do with `p`, by the checks its writes make: [`check_manages`] for
    /// changes to the project, [`Self::check_workable`] for its tasks,
    /// [`Self::check_trackable`] for new time.
    pub fn project_permissions(&self, actor: &Actor, p: &Project) -> Result<ProjectPermissions> {
        use super::error::granted;
        let manage = granted(check_manages(actor, p))?;
        Ok(ProjectPermissions {
            edit: manage,
            archive: manage,
            manage_members: manage,
            manage_tasks: granted(self.check_workable(actor, p))?,
            track: granted(self.check_trackable(actor, p))?,
        })
    }

    /// What `actor` may do with `c`, by the check [`Self::update_client`] makes.
    pub fn client_permissions(&self, actor: &Actor, _c: &Client) -> Result<ClientPermissions> {
        let manage = super::error::granted(check_manages_clients(actor))?;
        Ok(ClientPermissions {
            edit: manage,
            archive: manage,
        })
    }
}
