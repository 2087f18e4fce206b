//! Projects: who may see, track on and change them.

use crate::store::prelude::*;
use serde_json::json;

use super::clients::client_not_found;
use super::{Actor, Projects, Result, ServiceError};
use crate::domain::billing::{self, Budget, Limit, Rounding};
use crate::domain::codes;
use crate::domain::error::Validator;
use crate::domain::tracking::{self, Project};
use crate::domain::{ClientId, Permission, ProjectId, Role, UserId};

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
    /// `Some(None)`: the instance's rounding.
    pub rounding: Option<Option<Rounding>>,
    /// `Some(None)`: no budget. A budget's warning share, if not given, is the instance's.
    pub budget: Option<Option<BudgetInput>>,
}

/// A budget as a caller sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetInput {
    pub limit: Limit,
    pub alert_percent: Option<u8>,
}

pub(super) fn project_not_found() -> ServiceError {
    ServiceError::NotFound {
        kind: "project",
        code: codes::PROJECT_NOT_FOUND,
    }
}

impl Projects<'_> {
    /// Whether `actor` may see `p`: admins and auditors see all, others their own projects.
    pub(super) fn can_see(&self, actor: &Actor, p: &Project) -> bool {
        actor.allows(Permission::ReadAllProjects)
            || actor.user_id().is_some_and(|u| p.has_member(u))
    }

    /// The projects `actor` may see, by name. Roles: any but client.
    pub fn list(&self, actor: &Actor, include_archived: bool) -> Result<Vec<Project>> {
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
    pub fn visible(&self, actor: &Actor, id: ProjectId) -> Result<Project> {
        actor.require(Permission::ReadProjects)?;
        self.store()
            .project(id)?
            .filter(|p| self.can_see(actor, p))
            .ok_or_else(project_not_found)
    }

    /// Creates a project; a manager who creates one manages it. Roles: admin, manager.
    pub async fn create(&self, actor: &Actor, input: ProjectInput) -> Result<Project> {
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
            rates: Vec::new(),
            rounding: None,
            budget: None,
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
    pub async fn update(
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
        let mut p = self.visible(actor, id)?;
        check_manages(actor, &p)?;
        let before = p.clone();
        self.apply_project_input(&mut p, input.clone())?;
        self.save_change(actor, &before, p).await
    }

    /// Writes `p` over `before` (as read), audited as `project.updated` with both; an
    /// unchanged project is not written.
    pub(super) async fn save_change(
        &self,
        actor: &Actor,
        before: &Project,
        p: Project,
    ) -> Result<Project> {
        if p == *before {
            return Ok(p);
        }
        let ev = self.event(
            actor,
            "project.updated",
            Some(format!("project:{}", p.id)),
            json!({ "before": before, "after": p }),
        );
        self.commit(&ev, |tx| tx.put_project(Some(before), &p))
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
        if let Some(r) = input.rounding {
            p.rounding = r;
        }
        if let Some(b) = input.budget {
            let alert = self.settings().billing.alert_percent;
            let b = b.map(|b| Budget {
                limit: b.limit,
                alert_percent: b.alert_percent.unwrap_or(alert),
            });
            if let Some(b) = v.check(billing::budget(b)) {
                p.budget = b;
            }
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
            // A person named in the body who does not exist conflicts with the store's state
            // (409): a 404 would say the project itself is missing.
            for u in ids {
                self.store()
                    .user(*u)?
                    .ok_or(ServiceError::Conflict(codes::USER_NOT_FOUND))?;
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
pub(super) fn check_manages(actor: &Actor, p: &Project) -> Result<()> {
    actor.require(Permission::ManageProjects)?;
    let is_admin = actor.role == Some(Role::Admin);
    if !is_admin && !actor.user_id().is_some_and(|u| p.is_managed_by(u)) {
        return Err(ServiceError::Forbidden);
    }
    Ok(())
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

impl Projects<'_> {
    /// What `actor` may do with `p`, by the checks its writes make: [`check_manages`] for
    /// changes to the project, [`Self::check_workable`] for its tasks,
    /// [`Self::check_trackable`] for new time.
    pub fn permissions(&self, actor: &Actor, p: &Project) -> Result<ProjectPermissions> {
        use super::error::granted;
        let manage = granted(check_manages(actor, p))?;
        Ok(ProjectPermissions {
            edit: manage,
            archive: manage,
            manage_members: manage,
            manage_tasks: granted(self.tasks().check_workable(actor, p))?,
            track: granted(self.entries().check_trackable(actor, p))?,
        })
    }
}
