//! Clients: the organisations projects are done for; who may see and change them.

use crate::store::prelude::*;
use serde_json::json;

use super::{Actor, Clients, Result, ServiceError};
use crate::domain::codes;
use crate::domain::error::Validator;
use crate::domain::tracking::{self, Client};
use crate::domain::{ClientId, Permission, Role};

/// Changes to a client; `None` means unchanged.
#[derive(Debug, Clone, Default)]
pub struct ClientInput {
    pub name: Option<String>,
    pub notes: Option<String>,
    pub archived: Option<bool>,
}

pub(super) fn client_not_found() -> ServiceError {
    ServiceError::NotFound {
        kind: "client",
        code: codes::CLIENT_NOT_FOUND,
    }
}

impl Clients<'_> {
    /// Clients by name. Roles: any but client.
    pub fn list(&self, actor: &Actor, include_archived: bool) -> Result<Vec<Client>> {
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
    pub async fn create(&self, actor: &Actor, input: ClientInput) -> Result<Client> {
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
    pub async fn update(&self, actor: &Actor, id: ClientId, input: ClientInput) -> Result<Client> {
        self.retrying(|| self.update_client_once(actor, id, &input))
            .await
    }

    async fn update_client_once(
        &self,
        actor: &Actor,
        id: ClientId,
        input: &ClientInput,
    ) -> Result<Client> {
        // The rule reads the list of projects: the write below checks that no project changed
        // since (a project added to this client under another manager would revoke the right).
        let projects_stamp = self.store().projects_stamp()?;
        let mut c = self.store().client(id)?.ok_or_else(client_not_found)?;
        self.check_manages(actor, &c)?;
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
        self.commit(&ev, |tx| {
            tx.expect_projects_stamp(projects_stamp)?;
            tx.put_client(Some(&before), &c)
        })
        .await?;
        Ok(c)
    }

    /// The client's name, for display.
    pub fn name(&self, id: Option<ClientId>) -> Option<String> {
        id.and_then(|id| self.store().client(id).ok().flatten())
            .map(|c| c.name)
    }
}

/// What the caller may do with one client: the `can` of a client in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClientPermissions {
    pub edit: bool,
    pub archive: bool,
}

impl Clients<'_> {
    /// Whether `actor` may change client `c` (rename, notes, archive): admins; a manager when
    /// every project done for the client is one they manage (any manager while it has none).
    /// So the manager of one team's project cannot rename or archive the client another team
    /// tracks its time for; archiving a client stops tracking on all its projects.
    fn check_manages(&self, actor: &Actor, c: &Client) -> Result<()> {
        actor.require(Permission::ManageProjects)?;
        if actor.role == Some(Role::Admin) {
            return Ok(());
        }
        let me = actor.user_id().ok_or(ServiceError::Forbidden)?;
        let all_mine = self
            .store()
            .projects()?
            .iter()
            .filter(|p| p.client_id == Some(c.id))
            .all(|p| p.is_managed_by(me));
        if all_mine {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }

    /// What `actor` may do with `c`, by the check [`Self::update`] makes.
    pub fn permissions(&self, actor: &Actor, c: &Client) -> Result<ClientPermissions> {
        let manage = crate::service::error::granted(self.check_manages(actor, c))?;
        Ok(ClientPermissions {
            edit: manage,
            archive: manage,
        })
    }
}
