//! Clients and projects: the `clients` and `projects` trees. Both are small (hundreds to a few
//! thousand records), so listing scans them.

use super::{codec, expect, get, keys, tx_get, Abort, Store, StoreError, TreeId, Tx};
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
    /// Writes `c` over `before` (`None`: a new client); aborts with `Stale` if the stored client
    /// is no longer `before`.
    pub fn put_client(&self, before: Option<&Client>, c: &Client) -> Result<(), Abort> {
        let key = keys::client(c.id);
        expect(self.t(TreeId::Clients), TreeId::Clients, &key, before)?;
        self.t(TreeId::Clients).insert(&key, codec::encode(c))?;
        Ok(())
    }

    /// Writes `p` over `before` (`None`: a new project); aborts with `Stale` if the stored
    /// project is no longer `before`.
    pub fn put_project(&self, before: Option<&Project>, p: &Project) -> Result<(), Abort> {
        let key = keys::project(p.id);
        expect(self.t(TreeId::Projects), TreeId::Projects, &key, before)?;
        self.t(TreeId::Projects).insert(&key, codec::encode(p))?;
        Ok(())
    }

    /// Removes `before`; aborts with `Stale` if the stored task is no longer `before`.
    pub fn remove_task(&self, before: &Task) -> Result<(), Abort> {
        let key = keys::task(before.id);
        expect(self.t(TreeId::Tasks), TreeId::Tasks, &key, Some(before))?;
        self.t(TreeId::Tasks).remove(&key)?;
        Ok(())
    }

    /// Writes `t` over `before` (`None`: a new task); aborts with `Stale` if the stored task is
    /// no longer `before`.
    pub fn put_task(&self, before: Option<&Task>, t: &Task) -> Result<(), Abort> {
        let key = keys::task(t.id);
        expect(self.t(TreeId::Tasks), TreeId::Tasks, &key, before)?;
        self.t(TreeId::Tasks).insert(&key, codec::encode(t))?;
        Ok(())
    }

    /// Reads a task inside the transaction.
    pub fn task(&self, id: TaskId) -> Result<Option<Task>, Abort> {
        tx_get(self.t(TreeId::Tasks), TreeId::Tasks, &keys::task(id))
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
