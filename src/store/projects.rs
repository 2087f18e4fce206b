//! Clients and projects: the `clients` and `projects` trees. Both are small (hundreds to a few
//! thousand records), so listing scans them.

use super::{codec, get, keys, tx_get, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::tracking::{Client, Project, Task};
use crate::domain::{ClientId, ProjectId, TaskId};

fn scan<T: serde::de::DeserializeOwned>(
    tree: impl std::ops::Deref<Target = sled::Tree>,
    id: TreeId,
) -> Result<Vec<T>, StoreError> {
    tree.iter()
        .map(|item| {
            let (k, v) = item?;
            codec::decode(id, &k, &v)
        })
        .collect()
}

impl Store {
    pub fn client(&self, id: ClientId) -> Result<Option<Client>, StoreError> {
        get(
            self.tree(TreeId::Clients),
            TreeId::Clients,
            &keys::client(id),
        )
    }

    pub fn clients(&self) -> Result<Vec<Client>, StoreError> {
        scan(self.tree(TreeId::Clients), TreeId::Clients)
    }

    pub fn project(&self, id: ProjectId) -> Result<Option<Project>, StoreError> {
        get(
            self.tree(TreeId::Projects),
            TreeId::Projects,
            &keys::project(id),
        )
    }

    pub fn projects(&self) -> Result<Vec<Project>, StoreError> {
        scan(self.tree(TreeId::Projects), TreeId::Projects)
    }

    pub fn task(&self, id: TaskId) -> Result<Option<Task>, StoreError> {
        get(self.tree(TreeId::Tasks), TreeId::Tasks, &keys::task(id))
    }

    /// A project's tasks (a scan: tasks number in the thousands, not millions).
    pub fn tasks_of(&self, project: ProjectId) -> Result<Vec<Task>, StoreError> {
        Ok(scan::<Task>(self.tree(TreeId::Tasks), TreeId::Tasks)?
            .into_iter()
            .filter(|t| t.project_id == project)
            .collect())
    }
}

impl Tx<'_> {
    pub fn put_client(&self, c: &Client) -> Result<(), Abort> {
        self.t(TreeId::Clients)
            .insert(&keys::client(c.id), codec::encode(c))?;
        Ok(())
    }

    pub fn put_project(&self, p: &Project) -> Result<(), Abort> {
        self.t(TreeId::Projects)
            .insert(&keys::project(p.id), codec::encode(p))?;
        Ok(())
    }

    pub fn delete_task(&self, t: &Task) -> Result<(), Abort> {
        self.t(TreeId::Tasks).remove(&keys::task(t.id))?;
        Ok(())
    }

    pub fn put_task(&self, t: &Task) -> Result<(), Abort> {
        self.t(TreeId::Tasks)
            .insert(&keys::task(t.id), codec::encode(t))?;
        Ok(())
    }

    /// Reads a project inside the transaction (to re-check it is open for new entries).
    pub fn project(&self, id: ProjectId) -> Result<Option<Project>, Abort> {
        tx_get(
            self.t(TreeId::Projects),
            TreeId::Projects,
            &keys::project(id),
        )
    }
}
