//! Clients and projects: the `clients` and `projects` trees. Both are small (hundreds to a few
//! thousand records), so listing scans them.

use super::stored::{StoredClient, StoredProject, StoredTask};
use super::{codec, expect, get, keys, trees::meta, tx_get, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::tracking::{Client, Project, Task};
use crate::domain::{ClientId, ProjectId, TaskId};

/// Every record of a tree, decoded as its storage struct `S` and converted to `T`.
pub(super) fn scan<S: serde::de::DeserializeOwned, T: From<S>>(
    tree: impl std::ops::Deref<Target = sled::Tree>,
    id: TreeId,
) -> Result<Vec<T>, StoreError> {
    tree.iter()
        .map(|item| {
            let (k, v) = item?;
            codec::decode::<S>(id, &k, &v).map(T::from)
        })
        .collect()
}

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait ProjectsStore {
    fn client(&self, id: ClientId) -> Result<Option<Client>, StoreError>;

    fn clients(&self) -> Result<Vec<Client>, StoreError>;

    fn project(&self, id: ProjectId) -> Result<Option<Project>, StoreError>;

    fn projects(&self) -> Result<Vec<Project>, StoreError>;

    fn task(&self, id: TaskId) -> Result<Option<Task>, StoreError>;

    /// A project's tasks (a scan: tasks number in the thousands, not millions).
    fn tasks_of(&self, project: ProjectId) -> Result<Vec<Task>, StoreError>;

    /// The projects stamp: a number every project write raises. Read it before reading
    /// [`Self::projects`] to decide something from them, and check it with
    /// [`ProjectsTx::expect_projects_stamp`] in the transaction that acts on the decision.
    fn projects_stamp(&self) -> Result<u64, StoreError>;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait ProjectsTx {
    /// Writes `c` over `before` (`None`: a new client); aborts with `Stale` if the stored client
    /// is no longer `before`.
    fn put_client(&self, before: Option<&Client>, c: &Client) -> Result<(), Abort>;

    /// Writes `p` over `before` (`None`: a new project); aborts with `Stale` if the stored
    /// project is no longer `before`.
    fn put_project(&self, before: Option<&Project>, p: &Project) -> Result<(), Abort>;

    /// Removes `before`; aborts with `Stale` if the stored task is no longer `before`.
    fn remove_task(&self, before: &Task) -> Result<(), Abort>;

    /// Writes `t` over `before` (`None`: a new task); aborts with `Stale` if the stored task is
    /// no longer `before`.
    fn put_task(&self, before: Option<&Task>, t: &Task) -> Result<(), Abort>;

    /// Reads a task inside the transaction.
    fn task(&self, id: TaskId) -> Result<Option<Task>, Abort>;

    /// Reads a project inside the transaction (to re-check it is open for new entries).
    fn project(&self, id: ProjectId) -> Result<Option<Project>, Abort>;

    /// Aborts with `Stale` if any project was written since `stamp` was read
    /// ([`ProjectsStore::projects_stamp`]): the list of projects a decision was made from is
    /// no longer the list there is.
    fn expect_projects_stamp(&self, stamp: u64) -> Result<(), Abort>;
}

impl ProjectsStore for Store {
    fn projects_stamp(&self) -> Result<u64, StoreError> {
        Ok(super::get(self.tree(TreeId::Meta), TreeId::Meta, meta::PROJECTS_STAMP)?.unwrap_or(0))
    }

    fn client(&self, id: ClientId) -> Result<Option<Client>, StoreError> {
        Ok(get::<StoredClient>(
            self.tree(TreeId::Clients),
            TreeId::Clients,
            &keys::client(id),
        )?
        .map(Client::from))
    }

    fn clients(&self) -> Result<Vec<Client>, StoreError> {
        scan::<StoredClient, _>(self.tree(TreeId::Clients), TreeId::Clients)
    }

    fn project(&self, id: ProjectId) -> Result<Option<Project>, StoreError> {
        Ok(get::<StoredProject>(
            self.tree(TreeId::Projects),
            TreeId::Projects,
            &keys::project(id),
        )?
        .map(Project::from))
    }

    fn projects(&self) -> Result<Vec<Project>, StoreError> {
        scan::<StoredProject, _>(self.tree(TreeId::Projects), TreeId::Projects)
    }

    fn task(&self, id: TaskId) -> Result<Option<Task>, StoreError> {
        Ok(
            get::<StoredTask>(self.tree(TreeId::Tasks), TreeId::Tasks, &keys::task(id))?
                .map(Task::from),
        )
    }

    fn tasks_of(&self, project: ProjectId) -> Result<Vec<Task>, StoreError> {
        Ok(
            scan::<StoredTask, Task>(self.tree(TreeId::Tasks), TreeId::Tasks)?
                .into_iter()
                .filter(|t| t.project_id == project)
                .collect(),
        )
    }
}

impl ProjectsTx for Tx<'_> {
    fn expect_projects_stamp(&self, stamp: u64) -> Result<(), Abort> {
        let now: u64 =
            tx_get(self.t(TreeId::Meta), TreeId::Meta, meta::PROJECTS_STAMP)?.unwrap_or(0);
        if now == stamp {
            Ok(())
        } else {
            Err(StoreError::Stale(TreeId::Projects.name()).into())
        }
    }

    fn put_client(&self, before: Option<&Client>, c: &Client) -> Result<(), Abort> {
        let key = keys::client(c.id);
        let before = before.map(StoredClient::from);
        expect(
            self.t(TreeId::Clients),
            TreeId::Clients,
            &key,
            before.as_ref(),
        )?;
        self.t(TreeId::Clients)
            .insert(&key, codec::encode(&StoredClient::from(c)))?;
        Ok(())
    }

    fn put_project(&self, before: Option<&Project>, p: &Project) -> Result<(), Abort> {
        let key = keys::project(p.id);
        let before = before.map(StoredProject::from);
        expect(
            self.t(TreeId::Projects),
            TreeId::Projects,
            &key,
            before.as_ref(),
        )?;
        self.t(TreeId::Projects)
            .insert(&key, codec::encode(&StoredProject::from(p)))?;
        let stamp: u64 =
            tx_get(self.t(TreeId::Meta), TreeId::Meta, meta::PROJECTS_STAMP)?.unwrap_or(0);
        self.t(TreeId::Meta)
            .insert(meta::PROJECTS_STAMP, codec::encode(&(stamp + 1)))?;
        Ok(())
    }

    fn remove_task(&self, before: &Task) -> Result<(), Abort> {
        let key = keys::task(before.id);
        let before = StoredTask::from(before);
        expect(self.t(TreeId::Tasks), TreeId::Tasks, &key, Some(&before))?;
        self.t(TreeId::Tasks).remove(&key)?;
        Ok(())
    }

    fn put_task(&self, before: Option<&Task>, t: &Task) -> Result<(), Abort> {
        let key = keys::task(t.id);
        let before = before.map(StoredTask::from);
        expect(self.t(TreeId::Tasks), TreeId::Tasks, &key, before.as_ref())?;
        self.t(TreeId::Tasks)
            .insert(&key, codec::encode(&StoredTask::from(t)))?;
        Ok(())
    }

    fn task(&self, id: TaskId) -> Result<Option<Task>, Abort> {
        Ok(
            tx_get::<StoredTask>(self.t(TreeId::Tasks), TreeId::Tasks, &keys::task(id))?
                .map(Task::from),
        )
    }

    fn project(&self, id: ProjectId) -> Result<Option<Project>, Abort> {
        Ok(tx_get::<StoredProject>(
            self.t(TreeId::Projects),
            TreeId::Projects,
            &keys::project(id),
        )?
        .map(Project::from))
    }
}
